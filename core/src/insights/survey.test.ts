import { isSurveyRating, parseSurveyReply, SURVEY_WINDOW_MS, surveyOpen } from './survey';

describe('an SMS reply to the survey', () => {
  test.each([
    ['5', 5, null],
    ['  4  ', 4, null],
    ['4 thanks!', 4, 'thanks!'],
    ['5/5', 5, null],
    ['5 / 5 great service', 5, 'great service'],
    ['3 - the wait was long', 3, 'the wait was long'],
    ['2, nobody answered my question', 2, 'nobody answered my question'],
    ['1.', 1, null],
    ['4 out of 5', 4, null],
    ['5 stars', 5, null],
    ['⭐⭐⭐⭐ good', 4, 'good'],
    ['５', 5, null],
  ])('in English: "%s" is rated %i with the comment %p', (text, rating, comment) => {
    expect(parseSurveyReply(text)).toEqual({ rating, comment });
  });

  test.each([
    ['4 merci !', 4, 'merci !'],
    ['5 sur 5', 5, null],
    ['4 sur 5, très bien', 4, 'très bien'],
    ['3 – correct, sans plus', 3, 'correct, sans plus'],
    ['2 étoiles', 2, null],
    ['5/5 équipe au top', 5, 'équipe au top'],
  ])('in French: "%s" is rated %i with the comment %p', (text, rating, comment) => {
    expect(parseSurveyReply(text)).toEqual({ rating, comment });
  });

  test.each(['Hi, my order is late', 'STOP', '0', '6', '10', '12 items', '4.5', '4,5', '8/10', '5551234567', '', 'five', 'cinq', '⭐⭐⭐⭐⭐⭐'])(
    '"%s" is not a rating, so it goes on as an ordinary message',
    (text) => {
      expect(parseSurveyReply(text)).toBeNull();
    },
  );

  test('a comment longer than the stored column is cut to it', () => {
    expect(parseSurveyReply(`5 ${'a'.repeat(3000)}`)!.comment).toHaveLength(2000);
  });
});

describe('the survey window', () => {
  test('an answer counts for 24 hours after the survey was asked, not after', () => {
    const asked = Date.parse('2026-11-24T10:00:00Z');
    expect(surveyOpen(asked, asked + 60_000)).toBe(true);
    expect(surveyOpen(asked, asked + SURVEY_WINDOW_MS)).toBe(true);
    expect(surveyOpen(asked, asked + SURVEY_WINDOW_MS + 1000)).toBe(false);
    expect(surveyOpen(Number.NaN, asked)).toBe(false);
  });

  test('a rating is a whole number from 1 to 5', () => {
    expect([1, 2, 3, 4, 5].every(isSurveyRating)).toBe(true);
    expect([0, 6, 4.5, '4', null, Number.NaN].some(isSurveyRating)).toBe(false);
  });
});
