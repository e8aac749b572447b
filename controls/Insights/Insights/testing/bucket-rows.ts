// Test helper: bucket rows as the fold writes them (hour, day and month rows of core's
// contributions, measures as core's JSON), from conversation facts, so the tests read real
// aggregates, with the lookups' display names as Dataverse annotates them.
import {
  AggregateTable,
  INSIGHTS_CHANNEL_CHOICE,
  INSIGHTS_GRAIN_CHOICE,
  addMeasures,
  bucketKeyText,
  bucketKeysOf,
  contribution,
  emptyMeasures,
  measuresToJson,
  type ConversationFacts,
  type InsightsBucketKey,
  type InsightsChannel,
  type Measures,
} from '@switchboard/core';

const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

export function bucketRowsOf(facts: readonly ConversationFacts[], names: Record<string, string> = {}): ComponentFramework.WebApi.Entity[] {
  const table = new AggregateTable();
  for (const f of facts) table.fold(null, contribution(f));
  const buckets = new Map<string, { key: InsightsBucketKey; measures: Measures }>();
  for (const c of table.rows()) {
    for (const key of bucketKeysOf(c.key)) {
      const id = bucketKeyText(key);
      buckets.set(id, { key, measures: addMeasures(buckets.get(id)?.measures ?? emptyMeasures(), c.measures) });
    }
  }
  return [...buckets.entries()].map(([id, { key, measures }]) => ({
    swb_bucketkey: id,
    swb_grain: INSIGHTS_GRAIN_CHOICE[key.grain],
    swb_periodstart: new Date(key.periodStart).toISOString().replace('.000Z', 'Z'),
    _swb_queueid_value: key.queueId,
    [`_swb_queueid_value${FORMATTED}`]: key.queueId ? names[key.queueId] : undefined,
    swb_channeltype: INSIGHTS_CHANNEL_CHOICE[key.channel as InsightsChannel],
    _swb_agentid_value: key.agentId,
    [`_swb_agentid_value${FORMATTED}`]: key.agentId ? names[key.agentId] : undefined,
    swb_measures: measuresToJson(measures),
  }));
}
