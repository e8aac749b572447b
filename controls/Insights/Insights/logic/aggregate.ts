// Bucket rows → what the control shows. The sums add up across buckets (core's Measures); the
// figures people read (rates, averages) are derived from the sums of the view, never averaged
// from the buckets' own (core's derive), so a month's abandon rate is the month's, not the mean
// of its days.
import { derive, emptyMeasures, measuresFromJson, rollUp, type Contribution, type DerivedMetrics, type Measures } from '@switchboard/core';

const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

export interface BucketRow {
  period: number;
  queueId: string | null;
  /** Dataverse's display name of the queue (the lookup's formatted value). */
  queueName: string;
  channel: number | null;
  agentId: string | null;
  agentName: string;
  measures: Measures;
}

const lower = (v: unknown): string | null => (typeof v === 'string' && v ? v.toLowerCase() : null);

/**
 * One bucket entity as read (core's tolerant reader: a measure the fold's version did not write
 * counts as zero); null when its period cannot be read.
 */
export function bucketOf(e: ComponentFramework.WebApi.Entity): BucketRow | null {
  const period = Date.parse(String(e['swb_periodstart'] ?? ''));
  if (!Number.isFinite(period)) return null;
  const measures = measuresFromJson(typeof e['swb_measures'] === 'string' ? e['swb_measures'] : null);
  const channel = e['swb_channeltype'];
  return {
    period,
    queueId: lower(e['_swb_queueid_value']),
    queueName: String(e[`_swb_queueid_value${FORMATTED}`] ?? ''),
    channel: typeof channel === 'number' ? channel : null,
    agentId: lower(e['_swb_agentid_value']),
    agentName: String(e[`_swb_agentid_value${FORMATTED}`] ?? ''),
    measures,
  };
}

const contributionOf = (r: BucketRow): Contribution => ({ key: { hour: r.period, queueId: r.queueId, channel: r.channel === null ? '' : String(r.channel), agentId: r.agentId }, measures: r.measures });

export interface Figures {
  measures: Measures;
  derived: DerivedMetrics;
}

const figures = (measures: Measures): Figures => ({ measures, derived: derive(measures) });

export function totalOf(rows: readonly BucketRow[]): Figures {
  return figures(rollUp(rows.map(contributionOf), [])[0]?.measures ?? emptyMeasures());
}

/** Sums per period, every period of the range present (zeros where no bucket is). */
export function seriesOf(rows: readonly BucketRow[], periods: readonly number[]): { period: number; measures: Measures }[] {
  const byPeriod = new Map(rollUp(rows.map(contributionOf), ['hour']).map((c) => [c.key.hour, c.measures]));
  return periods.map((period) => ({ period, measures: byPeriod.get(period) ?? emptyMeasures() }));
}

export type Dimension = 'queue' | 'agent' | 'channel' | 'period';
export const DIMENSIONS: readonly Dimension[] = ['queue', 'agent', 'channel', 'period'];

export interface BreakdownRow extends Figures {
  /** The queue or agent id, the channel's choice value as text, or the period start; null for "none". */
  key: string | null;
  /** For a period: its start. */
  period?: number;
}

/** Sums by one dimension, the busiest first (periods in time order). */
export function breakdownOf(rows: readonly BucketRow[], by: Dimension): BreakdownRow[] {
  const dim = by === 'period' ? 'hour' : by;
  const grouped = rollUp(rows.map(contributionOf), [dim]).map((c): BreakdownRow => {
    const key = by === 'queue' ? c.key.queueId : by === 'agent' ? c.key.agentId : by === 'channel' ? c.key.channel || null : String(c.key.hour);
    return { key, ...(by === 'period' ? { period: c.key.hour } : {}), ...figures(c.measures) };
  });
  return by === 'period' ? grouped.sort((a, b) => a.period! - b.period!) : grouped.sort((a, b) => b.measures.incoming - a.measures.incoming || String(a.key).localeCompare(String(b.key)));
}

/** The queues and agents seen so far, id → display name (the filters' choices). */
export function namesOf(rows: readonly BucketRow[], into: { queues: Map<string | null, string>; agents: Map<string | null, string>; channels: Set<number> }): void {
  for (const r of rows) {
    if (!into.queues.has(r.queueId) || (r.queueName && !into.queues.get(r.queueId))) into.queues.set(r.queueId, r.queueName);
    if (!into.agents.has(r.agentId) || (r.agentName && !into.agents.get(r.agentId))) into.agents.set(r.agentId, r.agentName);
    if (r.channel !== null) into.channels.add(r.channel);
  }
}
