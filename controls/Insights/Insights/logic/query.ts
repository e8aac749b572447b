// What the control asks Dataverse for. One query per view: the buckets of the range's grain,
// narrowed by the filters on the server, so a 24-month view reads 24 × queues × channels ×
// agents rows at most (a few pages), never a conversation. The per-conversation export reads
// the conversations opened in the range, only when asked for.
import { INSIGHTS_CHANNEL_CHOICE, insightsQuery, type InsightsChannel } from '@switchboard/core';
import type { Range } from './range';

/**
 * A filter's value: undefined means every value; null means "none" (a bucket without a queue, or
 * the unanswered conversations, which have no agent).
 */
export interface InsightFilters {
  queueId?: string | null;
  channel?: number;
  agentId?: string | null;
}

export const CONVERSATION_COLUMNS = [
  'activityid', 'swb_openedon', 'createdon', 'swb_channeltype', '_swb_queueid_value', '_swb_primaryagentid_value', 'swb_queuedon', 'swb_firstassignedon',
  'swb_wrapupon', 'swb_closedon', 'swb_waitseconds', 'swb_csatrating', 'swb_sentiment',
].join(',');

/** Dataverse keeps seconds: ISO without milliseconds, as core's insightsQuery writes them. */
const iso = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
const guidOrNull = (v: string | null) => (v === null ? 'null' : v);

function equals(column: string, value: string | number | null | undefined): string[] {
  return value === undefined ? [] : [`${column} eq ${typeof value === 'string' || value === null ? guidOrNull(value) : value}`];
}

const CHANNEL_OF_CHOICE = new Map<number, InsightsChannel>((Object.keys(INSIGHTS_CHANNEL_CHOICE) as InsightsChannel[]).map((c) => [INSIGHTS_CHANNEL_CHOICE[c], c]));

/** The buckets a view reads: core's insightsQuery (the grain of the range, its periods, the filters). */
export function bucketQuery(range: Pick<Range, 'from' | 'to'>, filters: InsightFilters): string {
  const channel = filters.channel === undefined ? undefined : CHANNEL_OF_CHOICE.get(filters.channel);
  if (filters.channel !== undefined && !channel) throw new Error(`unknown channel choice ${filters.channel}`);
  return insightsQuery(range, {
    ...(filters.queueId === undefined ? {} : { queueIds: [filters.queueId] }),
    ...(channel ? { channels: [channel] } : {}),
    ...(filters.agentId === undefined ? {} : { agentIds: [filters.agentId] }),
  }).options;
}

/**
 * The conversations opened in the range, with the same filters. A bucket's agent is the one who
 * answered first; a conversation row keeps its primary agent (the last one, after transfers),
 * so an agent filter matches the conversations that agent ended up with; "unanswered" matches
 * those nobody took.
 */
export function conversationQuery(range: Pick<Range, 'from' | 'to'>, filters: InsightFilters): string {
  const parts = [
    `swb_openedon ge ${iso(range.from)}`,
    `swb_openedon lt ${iso(range.to)}`,
    ...equals('_swb_queueid_value', filters.queueId),
    ...equals('swb_channeltype', filters.channel),
    ...(filters.agentId === undefined ? [] : filters.agentId === null ? ['swb_firstassignedon eq null'] : [`_swb_primaryagentid_value eq ${filters.agentId}`]),
  ];
  return `?$select=${CONVERSATION_COLUMNS}&$filter=${parts.join(' and ')}&$orderby=swb_openedon asc`;
}
