// Historical analytics as additive measures in buckets (hour × queue × channel × agent), kept
// incrementally: each conversation contributes to exactly one bucket (the hour it was opened),
// a function of its facts alone. When its facts change, the folder takes back what it last
// added and adds the new contribution, so a report never scans raw rows, any order of folds
// gives the same totals, and folding the same facts twice changes nothing.
import type { EpochMs } from '../time';
import { SENTIMENT_LEVELS, type SentimentLevel } from './sentiment';

const HOUR = 3_600_000;

/** What a conversation's rows say about it, as far as reports care. */
export interface ConversationFacts {
  id: string;
  channel: string;
  /** The queue it was routed to (the last one, after transfers and overflow). */
  queueId: string | null;
  /** The agent who answered it first. */
  agentId: string | null;
  openedAt: EpochMs;
  /** When it first waited in a queue; without it the wait counts from openedAt. */
  queuedAt?: EpochMs | null;
  /** When an agent first accepted it: answered. */
  firstAssignedAt?: EpochMs | null;
  wrapUpAt?: EpochMs | null;
  closedAt?: EpochMs | null;
  transfers?: number;
  consults?: number;
  declines?: number;
  timeouts?: number;
  /** Post-conversation survey, 1–5. */
  survey?: number | null;
  /** The conversation's sentiment when it ended (or now). */
  sentiment?: SentimentLevel | null;
}

export interface Measures {
  incoming: number;
  answered: number;
  /** Closed without ever being answered: the customer left, or was sent away. */
  abandoned: number;
  /** First wait (queued → answered), answered conversations only. */
  waitMs: number;
  answeredWithin20s: number;
  answeredWithin60s: number;
  /** Answered → wrap-up (or close when there was no wrap-up). */
  handleMs: number;
  handled: number;
  wrapUpMs: number;
  wrapUps: number;
  transfers: number;
  consults: number;
  declines: number;
  timeouts: number;
  surveySum: number;
  surveys: number;
  sentiment: Record<SentimentLevel, number>;
}

export interface BucketKey {
  /** Start of the UTC hour the conversation was opened in. */
  hour: EpochMs;
  queueId: string | null;
  channel: string;
  agentId: string | null;
}

export interface Contribution {
  key: BucketKey;
  measures: Measures;
}

export function emptyMeasures(): Measures {
  return {
    incoming: 0, answered: 0, abandoned: 0, waitMs: 0, answeredWithin20s: 0, answeredWithin60s: 0, handleMs: 0, handled: 0,
    wrapUpMs: 0, wrapUps: 0, transfers: 0, consults: 0, declines: 0, timeouts: 0, surveySum: 0, surveys: 0,
    sentiment: Object.fromEntries(SENTIMENT_LEVELS.map((l) => [l, 0])) as Record<SentimentLevel, number>,
  };
}

export function bucketId(key: BucketKey): string {
  return `${key.hour}|${key.queueId ?? ''}|${key.channel}|${key.agentId ?? ''}`;
}

const nonNegative = (n: number) => Math.max(0, n);

/** The one bucket a conversation counts in, and what it adds there. */
export function contribution(f: ConversationFacts): Contribution {
  const m = emptyMeasures();
  m.incoming = 1;
  if (f.firstAssignedAt != null) {
    m.answered = 1;
    const wait = nonNegative(f.firstAssignedAt - (f.queuedAt ?? f.openedAt));
    m.waitMs = wait;
    if (wait <= 20_000) m.answeredWithin20s = 1;
    if (wait <= 60_000) m.answeredWithin60s = 1;
    const handledUntil = f.wrapUpAt ?? f.closedAt;
    if (handledUntil != null) {
      m.handled = 1;
      m.handleMs = nonNegative(handledUntil - f.firstAssignedAt);
    }
    if (f.wrapUpAt != null && f.closedAt != null) {
      m.wrapUps = 1;
      m.wrapUpMs = nonNegative(f.closedAt - f.wrapUpAt);
    }
  } else if (f.closedAt != null) {
    m.abandoned = 1;
  }
  m.transfers = f.transfers ?? 0;
  m.consults = f.consults ?? 0;
  m.declines = f.declines ?? 0;
  m.timeouts = f.timeouts ?? 0;
  if (f.survey != null) {
    m.surveySum = f.survey;
    m.surveys = 1;
  }
  if (f.sentiment) m.sentiment[f.sentiment] = 1;
  return {
    key: { hour: Math.floor(f.openedAt / HOUR) * HOUR, queueId: f.queueId, channel: f.channel, agentId: f.firstAssignedAt != null ? f.agentId : null },
    measures: m,
  };
}

function combine(into: Measures, other: Measures, sign: 1 | -1): void {
  for (const k of Object.keys(into) as (keyof Measures)[]) {
    if (k === 'sentiment') continue;
    (into[k] as number) += sign * (other[k] as number);
  }
  for (const l of SENTIMENT_LEVELS) into.sentiment[l] += sign * other.sentiment[l];
}

export function addMeasures(a: Measures, b: Measures): Measures {
  const out = emptyMeasures();
  combine(out, a, 1);
  combine(out, b, 1);
  return out;
}

function isEmpty(m: Measures): boolean {
  return Object.entries(m).every(([k, v]) => (k === 'sentiment' ? SENTIMENT_LEVELS.every((l) => m.sentiment[l] === 0) : v === 0));
}

/** Aggregates by bucket, kept in memory or mirrored to rows; fold() is the only way to change them. */
export class AggregateTable {
  private readonly buckets = new Map<string, Contribution>();

  /**
   * Replaces what a conversation last contributed (`previous`, null the first time) by what it
   * contributes now (`next`, null when it is gone). Returns the buckets that changed.
   */
  fold(previous: Contribution | null, next: Contribution | null): BucketKey[] {
    const touched = new Map<string, BucketKey>();
    const apply = (c: Contribution, sign: 1 | -1) => {
      const id = bucketId(c.key);
      const bucket = this.buckets.get(id) ?? { key: c.key, measures: emptyMeasures() };
      combine(bucket.measures, c.measures, sign);
      if (isEmpty(bucket.measures)) this.buckets.delete(id);
      else this.buckets.set(id, bucket);
      touched.set(id, c.key);
    };
    if (previous) apply(previous, -1);
    if (next) apply(next, 1);
    return [...touched.values()];
  }

  get(key: BucketKey): Measures {
    return this.buckets.get(bucketId(key))?.measures ?? emptyMeasures();
  }

  rows(): Contribution[] {
    return [...this.buckets.values()].sort((a, b) => (bucketId(a.key) < bucketId(b.key) ? -1 : 1));
  }
}

export type Dimension = 'hour' | 'day' | 'queue' | 'channel' | 'agent';

/** Sums buckets by the chosen dimensions (day = UTC day of the hour). */
export function rollUp(rows: readonly Contribution[], by: readonly Dimension[]): Contribution[] {
  const out = new Map<string, Contribution>();
  for (const r of rows) {
    const key: BucketKey = {
      hour: by.includes('hour') ? r.key.hour : by.includes('day') ? Math.floor(r.key.hour / (24 * HOUR)) * 24 * HOUR : 0,
      queueId: by.includes('queue') ? r.key.queueId : null,
      channel: by.includes('channel') ? r.key.channel : '',
      agentId: by.includes('agent') ? r.key.agentId : null,
    };
    const id = bucketId(key);
    const current = out.get(id);
    out.set(id, { key, measures: current ? addMeasures(current.measures, r.measures) : addMeasures(emptyMeasures(), r.measures) });
  }
  return [...out.values()].sort((a, b) => (bucketId(a.key) < bucketId(b.key) ? -1 : 1));
}

/** The figures people read, derived from the sums (never stored: they would not add up). */
export interface DerivedMetrics {
  abandonRate: number | null;
  averageSpeedToAnswerMs: number | null;
  averageHandleMs: number | null;
  averageWrapUpMs: number | null;
  serviceLevel20s: number | null;
  serviceLevel60s: number | null;
  transferRate: number | null;
  surveyAverage: number | null;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export function derive(m: Measures): DerivedMetrics {
  return {
    abandonRate: ratio(m.abandoned, m.answered + m.abandoned),
    averageSpeedToAnswerMs: ratio(m.waitMs, m.answered),
    averageHandleMs: ratio(m.handleMs, m.handled),
    averageWrapUpMs: ratio(m.wrapUpMs, m.wrapUps),
    serviceLevel20s: ratio(m.answeredWithin20s, m.answered),
    serviceLevel60s: ratio(m.answeredWithin60s, m.answered),
    transferRate: ratio(m.transfers, m.answered),
    surveyAverage: ratio(m.surveySum, m.surveys),
  };
}
