// Which insight buckets a report over a range reads: the grain (month rows for long ranges, day
// rows up to 92 days, hour rows up to 2 days, so a 24-month view is a few thousand rows at most)
// and the OData query for swb_insightbuckets. One helper for the Insights control (through
// context.webAPI) and the functions' benchmark, so both read the rows the same way.
import type { EpochMs } from '../time';
import {
  INSIGHTS_CHANNEL_CHOICE,
  INSIGHTS_GRAIN_CHOICE,
  measuresFromJson,
  nextPeriod,
  periodStart,
  type InsightsChannel,
  type InsightsGrain,
} from './insight-buckets';
import type { Measures } from './metrics';

/** Half-open: conversations opened at or after `from` and before `to` (UTC milliseconds). */
export interface InsightsRange {
  from: EpochMs;
  to: EpochMs;
}

/** Each list narrows to its values (any of them); absent or empty means all. */
export interface InsightsFilters {
  /** Queue ids; null = conversations that never had a queue. */
  queueIds?: readonly (string | null)[];
  channels?: readonly InsightsChannel[];
  /** Answering agent ids; null = the unanswered (abandoned or still waiting). */
  agentIds?: readonly (string | null)[];
}

export interface InsightsQuery {
  grain: InsightsGrain;
  /** The range widened to whole periods of the grain: what the rows cover. */
  from: EpochMs;
  to: EpochMs;
  /** How many periods of the grain that is. */
  periods: number;
  entityLogicalName: 'swb_insightbucket';
  entitySetName: 'swb_insightbuckets';
  select: readonly string[];
  filter: string;
  orderBy: string;
  /** `?$select=…&$filter=…&$orderby=…`, for `context.webAPI.retrieveMultipleRecords(entityLogicalName, options)`. */
  options: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const HOUR_GRAIN_MAX_MS = 2 * DAY;
export const DAY_GRAIN_MAX_MS = 92 * DAY;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const INSIGHTS_SELECT = ['swb_periodstart', '_swb_queueid_value', 'swb_channeltype', '_swb_agentid_value', 'swb_measures'] as const;

/** Hour rows for ≤ 2 days, day rows for ≤ 92 days, month rows beyond. */
export function chooseGrain(range: InsightsRange): InsightsGrain {
  const span = range.to - range.from;
  if (span <= HOUR_GRAIN_MAX_MS) return 'hour';
  if (span <= DAY_GRAIN_MAX_MS) return 'day';
  return 'month';
}

const isoSeconds = (t: EpochMs) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

function anyOf(column: string, values: readonly (string | null)[] | undefined, what: string): string | null {
  if (!values || values.length === 0) return null;
  const terms = [...new Set(values.map((v) => (v === null ? null : v.toLowerCase())))].map((v) => {
    if (v === null) return `${column} eq null`;
    if (!GUID.test(v)) throw new Error(`insightsQuery: ${what} "${v}" is not a GUID`);
    return `${column} eq ${v}`;
  });
  return terms.length === 1 ? terms[0]! : `(${terms.join(' or ')})`;
}

/**
 * The buckets to read for `range`: the grain (chooseGrain unless `options.grain`), the range
 * widened to whole UTC periods of it, and the filter. A 24-month view is one query of month
 * rows; page through it with the usual @odata.nextLink.
 */
export function insightsQuery(range: InsightsRange, filters: InsightsFilters = {}, options: { grain?: InsightsGrain } = {}): InsightsQuery {
  if (!Number.isFinite(range.from) || !Number.isFinite(range.to) || range.to <= range.from) throw new Error('insightsQuery: the range must end after it starts');
  const grain = options.grain ?? chooseGrain(range);
  const from = periodStart(grain, range.from);
  const to = periodStart(grain, range.to) === range.to ? range.to : nextPeriod(grain, range.to);
  let periods = 0;
  for (let t = from; t < to; t = nextPeriod(grain, t)) periods++;
  const terms = [
    `swb_grain eq ${INSIGHTS_GRAIN_CHOICE[grain]}`,
    `swb_periodstart ge ${isoSeconds(from)}`,
    `swb_periodstart lt ${isoSeconds(to)}`,
    // The same rows as a range of the indexed bucket key (grain|period start|…): the period index
    // alone also holds every other grain's rows of those dates — 30 day rows per month row.
    `swb_bucketkey ge '${grain}|${isoSeconds(from)}'`,
    `swb_bucketkey lt '${grain}|${isoSeconds(to)}'`,
  ];
  const queue = anyOf('_swb_queueid_value', filters.queueIds, 'queue id');
  if (queue) terms.push(queue);
  if (filters.channels && filters.channels.length > 0) {
    const values = [...new Set(filters.channels)].map((c) => {
      const v = INSIGHTS_CHANNEL_CHOICE[c];
      if (v === undefined) throw new Error(`insightsQuery: unknown channel "${String(c)}"`);
      return `swb_channeltype eq ${v}`;
    });
    terms.push(values.length === 1 ? values[0]! : `(${values.join(' or ')})`);
  }
  const agent = anyOf('_swb_agentid_value', filters.agentIds, 'agent id');
  if (agent) terms.push(agent);
  const filter = terms.join(' and ');
  const orderBy = 'swb_periodstart asc';
  return {
    grain,
    from,
    to,
    periods,
    entityLogicalName: 'swb_insightbucket',
    entitySetName: 'swb_insightbuckets',
    select: INSIGHTS_SELECT,
    filter,
    orderBy,
    options: `?$select=${INSIGHTS_SELECT.join(',')}&$filter=${filter}&$orderby=${orderBy}`,
  };
}

/** A row of that query, read: what it totals and its measures. */
export interface InsightsRow {
  periodStart: EpochMs;
  queueId: string | null;
  channel: InsightsChannel | null;
  agentId: string | null;
  measures: Measures;
}

const CHANNEL_OF_CHOICE = new Map<number, InsightsChannel>((Object.keys(INSIGHTS_CHANNEL_CHOICE) as InsightsChannel[]).map((c) => [INSIGHTS_CHANNEL_CHOICE[c], c]));

export function readInsightsRow(row: Readonly<Record<string, unknown>>): InsightsRow {
  const text = (k: string) => (typeof row[k] === 'string' ? (row[k] as string) : null);
  const start = Date.parse(text('swb_periodstart') ?? '');
  const channel = typeof row['swb_channeltype'] === 'number' ? CHANNEL_OF_CHOICE.get(row['swb_channeltype']) ?? null : null;
  return {
    periodStart: Number.isNaN(start) ? 0 : start,
    queueId: text('_swb_queueid_value')?.toLowerCase() ?? null,
    channel,
    agentId: text('_swb_agentid_value')?.toLowerCase() ?? null,
    measures: measuresFromJson(text('swb_measures')),
  };
}
