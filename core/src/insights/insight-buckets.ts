// The stored shape of historical analytics: a conversation's contribution (metrics.ts) counts in
// three rows — its hour, its UTC day and its UTC month, each by queue × channel × answering agent —
// so a report over any range reads few rows. Periods are UTC: a day or month in another time zone
// would need buckets per zone; the hour grain lets a short range be shown in local time.
// Measures are stored as compact JSON (only what is not zero), in the buckets and in the
// conversation's own "what I last added" column, and read back here by both writers and readers.
import type { EpochMs } from '../time';
import { emptyMeasures, type BucketKey, type Contribution, type Measures } from './metrics';
import { SENTIMENT_LEVELS, type SentimentLevel } from './sentiment';

export type InsightsGrain = 'hour' | 'day' | 'month';

export const INSIGHTS_GRAINS: readonly InsightsGrain[] = ['hour', 'day', 'month'];

/**
 * Option values of the swb_insightgrain choice (solution's generated `Period` enum), kept here
 * because a control (which may import solution for types only) builds its filter from them; a
 * functions test checks they equal the generated enum.
 */
export const INSIGHTS_GRAIN_CHOICE = { hour: 612400000, day: 612400001, month: 612400002 } as const satisfies Record<InsightsGrain, number>;

/** Option values of swb_channeltype (`ChannelType`), by the channel names the facts use. */
export const INSIGHTS_CHANNEL_CHOICE = { livechat: 612400000, sms: 612400001 } as const;

export type InsightsChannel = keyof typeof INSIGHTS_CHANNEL_CHOICE;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Start (UTC) of the period of `grain` that holds `t`. */
export function periodStart(grain: InsightsGrain, t: EpochMs): EpochMs {
  if (grain === 'hour') return Math.floor(t / HOUR) * HOUR;
  if (grain === 'day') return Math.floor(t / DAY) * DAY;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Start of the period after the one that starts at (or holds) `t`. */
export function nextPeriod(grain: InsightsGrain, t: EpochMs): EpochMs {
  const start = periodStart(grain, t);
  if (grain === 'hour') return start + HOUR;
  if (grain === 'day') return start + DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** One row of swb_insightbucket, as what it totals. */
export interface InsightsBucketKey {
  grain: InsightsGrain;
  periodStart: EpochMs;
  queueId: string | null;
  channel: string;
  agentId: string | null;
}

const lower = (id: string | null) => (id ? id.toLowerCase() : null);

/** The hour, day and month rows a contribution counts in. */
export function bucketKeysOf(key: BucketKey): InsightsBucketKey[] {
  return INSIGHTS_GRAINS.map((grain) => ({ grain, periodStart: periodStart(grain, key.hour), queueId: lower(key.queueId), channel: key.channel, agentId: lower(key.agentId) }));
}

// Period starts repeat endlessly in a fold (one per hour, day or month): their text is kept.
const periodText = new Map<number, string>();
function periodIso(t: EpochMs): string {
  let text = periodText.get(t);
  if (text === undefined) {
    if (periodText.size > 50_000) periodText.clear();
    text = new Date(t).toISOString().replace('.000Z', 'Z');
    periodText.set(t, text);
  }
  return text;
}

/** swb_bucketkey: grain|period start|queue|channel|agent (≤ 120 characters with GUIDs). */
export function bucketKeyText(k: InsightsBucketKey): string {
  return `${k.grain}|${periodIso(k.periodStart)}|${k.queueId ?? ''}|${k.channel}|${k.agentId ?? ''}`;
}

const MEASURE_KEYS = (Object.keys(emptyMeasures()) as (keyof Measures)[]).filter((k) => k !== 'sentiment');

/** Only what is not zero; sentiment as {level: count}. */
export function measuresToJson(m: Measures): string {
  const out: Record<string, unknown> = {};
  for (const k of MEASURE_KEYS) if (m[k] !== 0) out[k] = m[k];
  const sentiment: Partial<Record<SentimentLevel, number>> = {};
  for (const l of SENTIMENT_LEVELS) if (m.sentiment[l] !== 0) sentiment[l] = m.sentiment[l];
  if (Object.keys(sentiment).length > 0) out['sentiment'] = sentiment;
  return JSON.stringify(out);
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Tolerant: a missing or foreign field reads as zero, so old rows stay readable when measures are added. */
export function measuresFromJson(text: string | null | undefined): Measures {
  const m = emptyMeasures();
  if (!text) return m;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return m;
  }
  if (!raw || typeof raw !== 'object') return m;
  const o = raw as Record<string, unknown>;
  for (const k of MEASURE_KEYS) (m[k] as number) = num(o[k]);
  const s = o['sentiment'];
  if (s && typeof s === 'object') for (const l of SENTIMENT_LEVELS) m.sentiment[l] = num((s as Record<string, unknown>)[l]);
  return m;
}

/** swb_insightsfold: what a conversation last added (its bucket key and measures). */
export function contributionToJson(c: Contribution): string {
  return JSON.stringify({ v: 1, h: c.key.hour, q: c.key.queueId, c: c.key.channel, a: c.key.agentId, m: JSON.parse(measuresToJson(c.measures)) as unknown });
}

/** Null when the column is empty (never folded) or unreadable (then nothing is taken back: see the fold's notes). */
export function contributionFromJson(text: string | null | undefined): Contribution | null {
  if (!text) return null;
  try {
    const o = JSON.parse(text) as { v?: unknown; h?: unknown; q?: unknown; c?: unknown; a?: unknown; m?: unknown };
    if (o.v !== 1 || typeof o.h !== 'number' || typeof o.c !== 'string') return null;
    return {
      key: { hour: o.h, queueId: typeof o.q === 'string' ? o.q : null, channel: o.c, agentId: typeof o.a === 'string' ? o.a : null },
      measures: measuresFromJson(JSON.stringify(o.m ?? {})),
    };
  } catch {
    return null;
  }
}

/** Adds (sign 1) or takes back (sign -1) `m` into `into`, in place. Spelled out: it is the fold's inner loop. */
export function applyMeasures(into: Measures, m: Measures, sign: 1 | -1): void {
  into.incoming += sign * m.incoming;
  into.answered += sign * m.answered;
  into.abandoned += sign * m.abandoned;
  into.waitMs += sign * m.waitMs;
  into.answeredWithin20s += sign * m.answeredWithin20s;
  into.answeredWithin60s += sign * m.answeredWithin60s;
  into.handleMs += sign * m.handleMs;
  into.handled += sign * m.handled;
  into.wrapUpMs += sign * m.wrapUpMs;
  into.wrapUps += sign * m.wrapUps;
  into.transfers += sign * m.transfers;
  into.consults += sign * m.consults;
  into.declines += sign * m.declines;
  into.timeouts += sign * m.timeouts;
  into.surveySum += sign * m.surveySum;
  into.surveys += sign * m.surveys;
  const a = into.sentiment;
  const b = m.sentiment;
  a.veryNegative += sign * b.veryNegative;
  a.negative += sign * b.negative;
  a.slightlyNegative += sign * b.slightlyNegative;
  a.neutral += sign * b.neutral;
  a.slightlyPositive += sign * b.slightlyPositive;
  a.positive += sign * b.positive;
  a.veryPositive += sign * b.veryPositive;
}

export function isEmptyMeasures(m: Measures): boolean {
  return MEASURE_KEYS.every((k) => m[k] === 0) && SENTIMENT_LEVELS.every((l) => m.sentiment[l] === 0);
}

export function sameMeasures(a: Measures, b: Measures): boolean {
  return MEASURE_KEYS.every((k) => a[k] === b[k]) && SENTIMENT_LEVELS.every((l) => a.sentiment[l] === b.sentiment[l]);
}
