// A conversation's sentiment as its row keeps it (rolling score, level, the trend of recent
// levels) and what one more scored customer message makes of it: the next columns, and whether
// the agent and supervisors are alerted. Pure: the functions app reads the row, scores the
// message with its provider, and writes what this decides.
import { SENTIMENT_LEVELS, crossedThreshold, rollSentiment, sentimentLevel, type RollingSentiment, type SentimentLevel } from './sentiment';

/** One point of the trend column (`swb_sentimenttrend`): when a message was scored, and the conversation's level after it. */
export interface SentimentPoint {
  /** ISO 8601. */
  at: string;
  level: SentimentLevel;
}

/** The trend keeps the last this many points: enough for a sparkline, far inside the column. */
export const TREND_POINTS = 30;
/** The trend column's length. */
export const TREND_MAX_CHARS = 4000;

export interface TrendLimits {
  points?: number;
  chars?: number;
}

const LEVELS: ReadonlySet<string> = new Set(SENTIMENT_LEVELS);

/** The trend column read back; anything that is not a point (a hand edit, an older shape) is left out. */
export function parseSentimentTrend(json: string | null | undefined): SentimentPoint[] {
  if (!json) return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const points: SentimentPoint[] = [];
  for (const p of value) {
    if (typeof p !== 'object' || p === null) continue;
    const { at, level } = p as { at?: unknown; level?: unknown };
    if (typeof at === 'string' && typeof level === 'string' && LEVELS.has(level)) points.push({ at, level: level as SentimentLevel });
  }
  return points;
}

/** The newest points as the column's JSON: at most `points` of them, and the oldest dropped until it fits `chars`. */
export function formatSentimentTrend(points: readonly SentimentPoint[], limits: TrendLimits = {}): string {
  const maxPoints = Math.max(1, limits.points ?? TREND_POINTS);
  const maxChars = limits.chars ?? TREND_MAX_CHARS;
  let kept = points.slice(-maxPoints).map((p) => ({ at: p.at, level: p.level }));
  let json = JSON.stringify(kept);
  while (json.length > maxChars && kept.length > 0) {
    kept = kept.slice(1);
    json = JSON.stringify(kept);
  }
  return json;
}

/** A conversation's sentiment columns before a message: score in [-1, 1] (null: nothing scored yet). */
export interface StoredSentiment {
  score: number | null;
  level: SentimentLevel | null;
  trend: readonly SentimentPoint[];
}

export interface SentimentFold {
  /** The conversation's rolling score and level after the message. */
  rolling: RollingSentiment;
  /** The trend column's next JSON, this message's point last. */
  trend: string;
  /** The conversation has just crossed into negative or very negative from a better level: alert once. */
  alert: boolean;
  /** The level the agent's summary and the supervisors' desk show has changed. */
  levelChanged: boolean;
}

/** Folds one customer message's score ([-1, 1]), scored at `at` (ISO), into the conversation's sentiment. */
export function foldMessageSentiment(before: StoredSentiment, messageScore: number, at: string, limits: TrendLimits = {}): SentimentFold {
  // The trend's length stands in for the message count: only the moving average's start uses it.
  const previous: RollingSentiment | null =
    before.score === null ? null : { score: before.score, messages: before.trend.length, level: before.level ?? sentimentLevel(before.score) };
  const rolling = rollSentiment(previous, messageScore);
  return {
    rolling,
    trend: formatSentimentTrend([...before.trend, { at, level: rolling.level }], limits),
    alert: crossedThreshold(before.level, rolling.level, 'negative'),
    levelChanged: before.level !== rolling.level,
  };
}
