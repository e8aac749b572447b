import { isSentimentError, scoredSentiment } from './sentiment-provider';

test('a provider score is clamped to [-1, 1] and carries its level; a non-number is neutral', () => {
  expect(scoredSentiment('m1', -0.7)).toEqual({ id: 'm1', score: -0.7, level: 'veryNegative' });
  expect(scoredSentiment('m2', 1.5)).toEqual({ id: 'm2', score: 1, level: 'veryPositive' });
  expect(scoredSentiment('m3', Number.NaN)).toEqual({ id: 'm3', score: 0, level: 'neutral' });
});

test('an error answer is told apart from a score', () => {
  expect(isSentimentError({ id: 'm1', error: 'Document text is empty.' })).toBe(true);
  expect(isSentimentError(scoredSentiment('m1', 0))).toBe(false);
});
