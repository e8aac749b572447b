// The insights fold's reads and writes, each one Dataverse request: the sync row with a page of
// changed conversations ($batch), their sessions and offers counted with the buckets they
// touch ($batch of grouped counts and id filters), and one change set of writes.
import { INSIGHTS_CHANNEL_CHOICE, INSIGHTS_GRAIN_CHOICE, bucketKeyText, measuresFromJson, measuresToJson, type InsightsBucketKey, type InsightsChannel, type Measures } from '@switchboard/core';
import { OfferResponse, SessionRole } from '@switchboard/solution';
import type { DataverseClient } from '../dataverse/dataverse-client';
import { failedPart } from '../dataverse/dataverse-client';
import { ConcurrencyConflict, isDataverseError } from '../dataverse/errors';
import { iso, isGuid, ms } from '../dataverse/repositories/odata';
import { INSIGHTS_CONVERSATION_COLUMNS, type ConversationActivity, type InsightsConversationRow } from './insights-facts.mapper';
import { FoldConflict, INSIGHTS_SYNC_ID, INSIGHTS_SYNC_SCOPE, type FoldCommit, type FoldSyncState, type InsightsFoldStore, type StoredBucket } from './insights-fold.service';

const SYNCS = 'swb_insightsyncs';
const BUCKETS = 'swb_insightbuckets';
const CONVERSATIONS = 'swb_conversations';
// Ids per In(...) filter: a GUID list of this size keeps each part's URL near 4 KB, and the
// grouped counts of a part far below the 5,000 rows of a page.
const IDS_PER_PART = 100;

type Etagged<T> = T & { '@odata.etag'?: string };

interface SyncRow {
  swb_foldedthrough?: string | null;
}

interface SessionGroup {
  _swb_conversationid_value?: string;
  _swb_agentid_value?: string | null;
  swb_role?: number | null;
  firstjoined?: string | null;
  sessions?: number;
}

interface OfferGroup {
  _swb_conversationid_value?: string;
  swb_response?: number | null;
  offers?: number;
}

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

// dynamics-web-api sends $apply as given: a space would end the $batch part's request line.
const spaces = (text: string) => text.replace(/ /g, '%20');

const inFilter = (property: string, ids: readonly string[]) => `Microsoft.Dynamics.CRM.In(PropertyName='${property}',PropertyValues=[${ids.map((id) => `'${id}'`).join(',')}])`;

function guids(ids: readonly string[]): string[] {
  for (const id of ids) if (!isGuid(id)) throw new Error(`insights fold: "${id}" is not a GUID`);
  return ids.map((id) => id.toLowerCase());
}

function syncOf(row: Etagged<SyncRow> | undefined): FoldSyncState {
  if (!row) return { etag: null, foldedThrough: null };
  if (!row['@odata.etag']) throw new Error('Dataverse returned the insights sync row without an ETag.');
  return { etag: row['@odata.etag'], foldedThrough: ms(row.swb_foldedthrough) ?? null };
}

function valuesOf<T>(part: unknown, what: string): T[] {
  const failed = failedPart(part);
  if (failed) throw Object.assign(new Error(`reading ${what} failed with ${failed.status}`), part as object);
  const result = part as { value?: T[]; oDataNextLink?: string };
  // A page is 5,000 rows; our parts are sized far below it. Folding on a partial count would be wrong.
  if (result.oDataNextLink) throw new Error(`reading ${what}: more than one page for ${IDS_PER_PART} conversations`);
  return result.value ?? [];
}

export class DataverseInsightsFoldStore implements InsightsFoldStore {
  private sent = 0;

  constructor(private readonly client: DataverseClient) {}

  get requests(): number {
    return this.sent;
  }

  async readSync(): Promise<FoldSyncState> {
    this.sent++;
    const found = await this.client.retrieveWithETag<SyncRow>(SYNCS, INSIGHTS_SYNC_ID, ['swb_foldedthrough']);
    return found ? { etag: found.etag, foldedThrough: ms(found.row.swb_foldedthrough) ?? null } : { etag: null, foldedThrough: null };
  }

  async readChanged(query: { since: number | null; until: number; skip: readonly string[]; top: number }): Promise<{ sync: FoldSyncState; rows: InsightsConversationRow[] }> {
    const upper = `modifiedon lt ${iso(query.until)}`;
    let lower = '';
    if (query.since !== null) {
      const at = iso(query.since);
      // Rows at exactly `since` already folded in this run are left out; later ones never are.
      lower = query.skip.length === 0
        ? `modifiedon ge ${at} and `
        : `(modifiedon gt ${at} or (modifiedon eq ${at} and ${guids(query.skip).map((id) => `activityid ne ${id}`).join(' and ')})) and `;
    }
    this.sent++;
    // ($orderby without " asc": dynamics-web-api leaves the space unencoded in a $batch request line.)
    // The sync row first: its ETag is read before the page, so a change set guarded by it can
    // only commit if no other fold committed since these conversations were read.
    const [sync, page] = await this.client.readBatch((api) => {
      // A filter, not a retrieve by id: a 404 part would stop the $batch before the page.
      api.retrieveMultiple({ collection: SYNCS, select: ['swb_foldedthrough'], filter: `swb_insightsyncid eq ${INSIGHTS_SYNC_ID}` });
      api.retrieveMultiple({ collection: CONVERSATIONS, select: [...INSIGHTS_CONVERSATION_COLUMNS], filter: `${lower}${upper}`, orderBy: ['modifiedon', 'activityid'], top: query.top });
    });
    return { sync: syncOf(valuesOf<Etagged<SyncRow>>(sync, 'the insights sync row')[0]), rows: valuesOf<InsightsConversationRow>(page, 'changed conversations') };
  }

  async readDetails(conversationIds: readonly string[], bucketIds: readonly string[]): Promise<{ activity: Map<string, ConversationActivity>; buckets: Map<string, StoredBucket> }> {
    const conversations = chunks(guids(conversationIds), IDS_PER_PART);
    const bucketParts = chunks(guids(bucketIds), IDS_PER_PART);
    if (conversations.length === 0 && bucketParts.length === 0) return { activity: new Map(), buckets: new Map() };
    this.sent++;
    const parts = await this.client.readBatch((api) => {
      for (const ids of conversations) {
        api.retrieveMultiple({
          collection: 'swb_sessions',
          apply: spaces(`filter(${inFilter('swb_conversationid', ids)})/groupby((_swb_conversationid_value,_swb_agentid_value,swb_role),aggregate(swb_joinedon with min as firstjoined,$count as sessions))`),
        });
        api.retrieveMultiple({
          collection: 'swb_offers',
          apply: spaces(`filter(${inFilter('swb_conversationid', ids)} and (swb_response eq ${OfferResponse.Declined} or swb_response eq ${OfferResponse.TimedOut}))/groupby((_swb_conversationid_value,swb_response),aggregate($count as offers))`),
        });
      }
      for (const ids of bucketParts) api.retrieveMultiple({ collection: BUCKETS, select: ['swb_insightbucketid', 'swb_measures'], filter: inFilter('swb_insightbucketid', ids) });
    });
    const sessions: SessionGroup[] = [];
    const offers: OfferGroup[] = [];
    conversations.forEach((_, i) => {
      sessions.push(...valuesOf<SessionGroup>(parts[2 * i], 'sessions'));
      offers.push(...valuesOf<OfferGroup>(parts[2 * i + 1], 'offers'));
    });
    return { activity: activityOf(sessions, offers), buckets: bucketsOf(parts.slice(2 * conversations.length)) };
  }

  async readBuckets(bucketIds: readonly string[]): Promise<Map<string, StoredBucket>> {
    const parts = chunks(guids(bucketIds), IDS_PER_PART);
    if (parts.length === 0) return new Map();
    this.sent++;
    return bucketsOf(await this.client.readBatch((api) => {
      for (const ids of parts) api.retrieveMultiple({ collection: BUCKETS, select: ['swb_insightbucketid', 'swb_measures'], filter: inFilter('swb_insightbucketid', ids) });
    }));
  }

  async commit(c: FoldCommit): Promise<void> {
    const sync = { swb_foldedthrough: iso(c.foldedThrough), swb_lastrunconversations: Math.min(c.runConversations, 2_147_483_647) };
    this.sent++;
    try {
      await this.client.batch((api) => {
        if (c.sync.etag === null) api.upsert({ collection: SYNCS, key: INSIGHTS_SYNC_ID, data: { swb_name: 'Insights: conversations', swb_scope: INSIGHTS_SYNC_SCOPE, ...sync }, ifnonematch: '*' });
        else api.update({ collection: SYNCS, key: INSIGHTS_SYNC_ID, data: sync, ifmatch: c.sync.etag });
        for (const w of c.buckets) {
          if (w.kind === 'create') api.upsert({ collection: BUCKETS, key: w.id, data: bucketRow(w.key, w.measures), ifnonematch: '*' });
          else if (w.kind === 'update') api.update({ collection: BUCKETS, key: w.id, data: { swb_measures: measuresToJson(w.measures) }, ifmatch: w.etag });
          else api.deleteRecord({ collection: BUCKETS, key: w.id, ifmatch: w.etag });
        }
        // update() sends If-Match: * — a conversation deleted meanwhile is a 404, never re-created.
        for (const f of c.folds) api.update({ collection: CONVERSATIONS, key: f.conversationId, data: { swb_insightsfold: f.fold } });
      });
    } catch (err) {
      if (err instanceof ConcurrencyConflict) throw new FoldConflict(err.message);
      if (isDataverseError(err) && err.status === 404) throw new FoldConflict(`a row is gone: ${err.message}`);
      throw err;
    }
  }
}

function bucketRow(key: InsightsBucketKey, measures: Measures): Record<string, unknown> {
  const text = bucketKeyText(key);
  const channel = INSIGHTS_CHANNEL_CHOICE[key.channel as InsightsChannel] as number | undefined;
  return {
    swb_name: text,
    swb_bucketkey: text,
    swb_grain: INSIGHTS_GRAIN_CHOICE[key.grain],
    swb_periodstart: iso(key.periodStart),
    ...(key.queueId && isGuid(key.queueId) ? { 'swb_queueid@odata.bind': `/queues(${key.queueId})` } : {}),
    ...(channel !== undefined ? { swb_channeltype: channel } : {}),
    ...(key.agentId && isGuid(key.agentId) ? { 'swb_agentid@odata.bind': `/systemusers(${key.agentId})` } : {}),
    swb_measures: measuresToJson(measures),
  };
}

function bucketsOf(parts: readonly unknown[]): Map<string, StoredBucket> {
  const out = new Map<string, StoredBucket>();
  for (const part of parts) {
    for (const row of valuesOf<Etagged<{ swb_insightbucketid: string; swb_measures?: string | null }>>(part, 'insight buckets')) {
      const etag = row['@odata.etag'];
      if (!etag) throw new Error('Dataverse returned an insight bucket without an ETag.');
      const id = row.swb_insightbucketid.toLowerCase();
      out.set(id, { id, etag, measures: measuresFromJson(row.swb_measures) });
    }
  }
  return out;
}

/** Sessions and offers, grouped per conversation, as what they add to its facts. */
export function activityOf(sessions: readonly SessionGroup[], offers: readonly OfferGroup[]): Map<string, ConversationActivity> {
  const out = new Map<string, ConversationActivity & { firstJoined: number }>();
  const entry = (id: string) => {
    let a = out.get(id);
    if (!a) out.set(id, (a = { primarySessions: 0, consultSessions: 0, firstAgentId: null, declined: 0, timedOut: 0, firstJoined: Infinity }));
    return a;
  };
  for (const g of sessions) {
    if (!g._swb_conversationid_value) continue;
    const a = entry(g._swb_conversationid_value.toLowerCase());
    const n = g.sessions ?? 0;
    if (g.swb_role === SessionRole.Consult) a.consultSessions += n;
    else a.primarySessions += n;
    const joined = ms(g.firstjoined) ?? Infinity;
    // The earliest session is the first answer (consults and transfers come after it).
    if (g._swb_agentid_value && (a.firstAgentId === null || joined < a.firstJoined)) {
      a.firstJoined = joined;
      a.firstAgentId = g._swb_agentid_value.toLowerCase();
    }
  }
  for (const g of offers) {
    if (!g._swb_conversationid_value) continue;
    const a = entry(g._swb_conversationid_value.toLowerCase());
    if (g.swb_response === OfferResponse.Declined) a.declined += g.offers ?? 0;
    else if (g.swb_response === OfferResponse.TimedOut) a.timedOut += g.offers ?? 0;
  }
  return new Map([...out].map(([id, { firstJoined: _, ...a }]) => [id, a]));
}
