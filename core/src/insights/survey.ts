// The post-conversation survey: a rating from 1 to 5 and an optional comment, answered in the
// chat widget or by texting back. What counts as an answer and how long the survey stays open
// are decided here, once, for every channel.

export type SurveyRating = 1 | 2 | 3 | 4 | 5;

export interface SurveyAnswer {
  rating: SurveyRating;
  /** What the customer added, or null. */
  comment: string | null;
}

/** How long after it was asked (the end of the conversation) an answer is taken; a later one is refused. */
export const SURVEY_WINDOW_MS = 24 * 3600 * 1000;

/** The stored comment's size (swb_csatcomment); a longer text is cut there. */
export const SURVEY_COMMENT_MAX = 2000;

export function isSurveyRating(value: unknown): value is SurveyRating {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5;
}

/** Whether an answer given at `now` still counts for a survey asked at `askedAt` (epoch ms). */
export function surveyOpen(askedAt: number, now: number): boolean {
  return Number.isFinite(askedAt) && now - askedAt <= SURVEY_WINDOW_MS;
}

// "4 thanks!", "5/5", "4 sur 5, merci", "⭐⭐⭐⭐ super": a rating first, on a scale of 5 if one is
// named, then anything as the comment. A number that only starts with 1–5 ("12", "4.5", "4,5",
// "5551234") or is out of another scale ("8/10") is not a rating.
const DIGIT = /^([1-5])(?![0-9]|[.,][0-9])/;
const STARS = /^(?:(?:\u2B50|\u2605)\uFE0F?){1,5}(?!\s*(?:\u2B50|\u2605))/;
const SCALE = /^\s*(?:\/|sur|out of|of)\s*(\d+)/i;
const UNIT = /^\s*(?:stars?|étoiles?)(?![\p{L}\p{N}])/iu;
const LEAD = /^[\s\-–—:;,.!)/*\u2B50\u2605\uFE0F]+/;

/**
 * The survey answer a text starts with, or null when it does not start with one (then it is an
 * ordinary message). The same rules in every language: digits and stars are universal, and the
 * scale words are English and French.
 */
export function parseSurveyReply(text: string): SurveyAnswer | null {
  const t = text.normalize('NFKC').trim();
  let rating: number;
  let rest: string;
  const digit = DIGIT.exec(t);
  const stars = digit ? null : STARS.exec(t);
  if (digit) {
    rating = Number(digit[1]);
    rest = t.slice(digit[0].length);
    const scale = SCALE.exec(rest);
    if (scale) {
      if (scale[1] !== '5') return null;
      rest = rest.slice(scale[0].length);
    }
  } else if (stars) {
    rating = [...stars[0].replace(/\uFE0F/g, '')].length;
    rest = t.slice(stars[0].length);
  } else {
    return null;
  }
  if (!isSurveyRating(rating)) return null;
  rest = rest.replace(UNIT, '');
  const comment = rest.replace(LEAD, '').trim();
  return { rating, comment: comment ? comment.slice(0, SURVEY_COMMENT_MAX) : null };
}
