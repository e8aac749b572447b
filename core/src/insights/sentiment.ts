// Customer sentiment on the commercial product's seven-point scale, from any provider's score.
// Providers (an offline lexicon, Azure AI Language) each give a score in [-1, 1]; the scale,
// the conversation's rolling value and the alert threshold are decided here, once.

export const SENTIMENT_LEVELS = [
  'veryNegative',
  'negative',
  'slightlyNegative',
  'neutral',
  'slightlyPositive',
  'positive',
  'veryPositive',
] as const;

export type SentimentLevel = (typeof SENTIMENT_LEVELS)[number];

// Symmetric bands: a lexicon's weak signal (one mild word) stays near neutral; the far bands
// need strong or repeated words. The same bands apply to every provider's [-1, 1] score.
const BANDS: readonly [upTo: number, level: SentimentLevel][] = [
  [-0.6, 'veryNegative'],
  [-0.3, 'negative'],
  [-0.1, 'slightlyNegative'],
  [0.1, 'neutral'],
  [0.3, 'slightlyPositive'],
  [0.6, 'positive'],
];

export function sentimentLevel(score: number): SentimentLevel {
  if (!Number.isFinite(score)) return 'neutral';
  for (const [upTo, level] of BANDS) if (score <= upTo) return level;
  return 'veryPositive';
}

/** How far below neutral a level is: 0 neutral or better, 3 very negative. */
export function negativity(level: SentimentLevel): number {
  return Math.max(0, SENTIMENT_LEVELS.indexOf('neutral') - SENTIMENT_LEVELS.indexOf(level));
}

/** A conversation's sentiment so far: the recent messages weigh most. */
export interface RollingSentiment {
  score: number;
  messages: number;
  level: SentimentLevel;
}

/**
 * Folds one customer message's score into the conversation's. An exponential moving average:
 * the mood of the last few messages, not of the whole history — a customer who calmed down
 * is no longer "very negative" because of their first message.
 */
export function rollSentiment(previous: RollingSentiment | null, messageScore: number, weight = 0.5): RollingSentiment {
  const clamped = Math.max(-1, Math.min(1, Number.isFinite(messageScore) ? messageScore : 0));
  const score = previous ? previous.score + weight * (clamped - previous.score) : clamped;
  return { score, messages: (previous?.messages ?? 0) + 1, level: sentimentLevel(score) };
}

export type SentimentThreshold = 'negative' | 'veryNegative';

/** True when this message moved the conversation to the threshold or below it: alert its agent once per crossing. */
export function crossedThreshold(before: SentimentLevel | null, after: SentimentLevel, threshold: SentimentThreshold): boolean {
  const limit = negativity(threshold);
  return negativity(after) >= limit && (before === null || negativity(before) < limit);
}
