// The port every sentiment provider implements (the offline lexicon, Azure AI Language): a batch
// of customer messages in, one score per message out, on the same [-1, 1] scale that
// sentiment.ts turns into the seven-point level. A message the provider could not score comes
// back as an error of its own, so one bad message never loses the others' scores.
import { sentimentLevel, type SentimentLevel } from './sentiment';

export interface SentimentInput {
  id: string;
  text: string;
  /** BCP 47 tag of the message's language (`en`, `fr-CA`...). */
  language: string;
}

export type SentimentScore =
  | { id: string; /** [-1, 1] */ score: number; level: SentimentLevel }
  | { id: string; error: string };

export interface SentimentProvider {
  readonly name: string;
  /** One answer per input, in the inputs' order. Rejects only when the provider as a whole failed. */
  score(texts: readonly SentimentInput[]): Promise<SentimentScore[]>;
}

/** A score for `id`, clamped to [-1, 1] (a non-number is neutral), with its level. */
export function scoredSentiment(id: string, score: number): SentimentScore {
  const clamped = Number.isFinite(score) ? Math.max(-1, Math.min(1, score)) : 0;
  return { id, score: clamped, level: sentimentLevel(clamped) };
}

export function isSentimentError(s: SentimentScore): s is { id: string; error: string } {
  return 'error' in s;
}
