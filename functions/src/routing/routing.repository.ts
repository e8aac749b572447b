// What the routing worker reads and writes, over dynamics-web-api. A routing pass on a queue
// costs two reads — its members with their status rows and skills (one request, expanded), and
// the head of its waiting list (indexed, ordered, $top) — and one $batch per offer: never the
// whole waiting list, never the offers of what waits (the conversation carries its own).
import {
  ConversationState,
  type AgentSkillRow,
  type AgentStatusRow,
  type BotRow,
  type CapacityProfileRow,
  type ConversationRow,
  type OfferRow,
  type OperatingHoursRow,
  type QueueRow,
  type RoutingRuleRow,
  type WorkstreamRow,
} from '@switchboard/solution';
import type { RoutingConfig } from '@switchboard/core';
import { failedPart, type DataverseClient, type RowWithETag } from '../dataverse/dataverse-client';
import { ConcurrencyConflict } from '../dataverse/errors';
import { isStatus } from '../dataverse/repositories/odata';
import { routingConfigFromRows } from './routing-config.mapper';
import type { QueueAgentRow } from './routing-snapshot.mapper';

/** One offer as routing decided it, written in one change set (see claimOffer). */
export interface OfferClaim {
  offerId: string;
  conversation: { id: string; etag: string; patch: Record<string, unknown> };
  agentStatus: { id: string; etag: string; patch: Record<string, unknown> };
  offer: Record<string, unknown>;
}

const WAITING = `(swb_state eq ${ConversationState.Open} or swb_state eq ${ConversationState.Waiting}) and _swb_primaryagentid_value eq null`;

const HEAD_COLUMNS = [
  'activityid', 'swb_state', '_swb_queueid_value', '_swb_workstreamid_value', 'swb_priority', 'swb_requiredskills', 'swb_language',
  'swb_openedon', 'swb_queuedon', 'createdon', 'swb_offerattempt', 'swb_declinedby',
];
const STATUS_COLUMNS = [
  'swb_agentstatusid', '_swb_agentid_value', 'swb_basepresence', 'swb_capacityused', 'swb_capacitymax', 'swb_profileusage', 'swb_lastreleaseon', 'swb_lastofferstamps',
  // what the automatic presence after a reservation depends on
  'swb_manualoverride', 'swb_connectionstate', 'swb_defaultpresence',
];
// The 1:N relationships from systemuser to its status row and skills (swb_agentid lookups).
const STATUS_NAV = 'swb_systemuser_agentstatus_agentid';
const SKILLS_NAV = 'swb_systemuser_agentskill_agentid';

export class RoutingRepository {
  constructor(readonly client: DataverseClient) {}

  // Read through RoutingConfigCache: once per TTL, and again after a `config-changed` item. The
  // six tables in one $batch: one request (each is a few rows to a few hundred; a page holds 5,000).
  async loadConfig(): Promise<RoutingConfig> {
    const parts = await this.client.readBatch((api) => {
      api.retrieveMultiple({ collection: 'swb_workstreams', filter: 'statecode eq 0' });
      api.retrieveMultiple({
        collection: 'queues',
        select: ['queueid', 'name', 'swb_priority', 'swb_assignmentmethod', 'swb_itemlimit', 'swb_maxwaitseconds', 'swb_overflowconditions', 'swb_overflowaction', '_swb_overflowqueueid_value', '_swb_overflowmessageid_value', 'swb_isfallback', '_swb_operatinghoursid_value'],
      });
      api.retrieveMultiple({ collection: 'swb_routingrules', filter: 'swb_isenabled ne false' });
      api.retrieveMultiple({ collection: 'swb_operatinghourses' });
      api.retrieveMultiple({ collection: 'swb_capacityprofiles' });
      api.retrieveMultiple({ collection: 'swb_bots', filter: 'statecode eq 0' });
    });
    const rows = <T>(i: number, what: string): T[] => {
      const failed = failedPart(parts[i]);
      if (failed) throw Object.assign(new Error(`Reading the routing configuration (${what}) failed with ${failed.status}.`), failed);
      const page = parts[i] as { value: T[]; '@odata.nextLink'?: string };
      if (page['@odata.nextLink']) throw new Error(`The routing configuration has more ${what} than one page holds.`);
      return page.value;
    };
    return routingConfigFromRows({
      workstreams: rows<WorkstreamRow>(0, 'workstreams'),
      queues: rows<QueueRow>(1, 'queues'),
      rules: rows<RoutingRuleRow>(2, 'routing rules'),
      hours: rows<OperatingHoursRow>(3, 'operating hours'),
      profiles: rows<CapacityProfileRow>(4, 'capacity profiles'),
      bots: rows<BotRow>(5, 'bots'),
    });
  }

  getConversation(id: string): Promise<RowWithETag<ConversationRow> | null> {
    return this.client.retrieveWithETag<ConversationRow>('swb_conversations', id);
  }

  updateConversation(id: string, patch: Record<string, unknown>, etag: string): Promise<void> {
    return this.client.updateIfMatch('swb_conversations', id, etag, patch);
  }

  /**
   * The first `top` conversations waiting in a queue with no live offer, in the order routing
   * serves them (priority, then time queued), and how many wait in all (overflow, position).
   */
  async waitingHead(queueId: string, top: number): Promise<{ rows: (ConversationRow & { '@odata.etag'?: string })[]; total: number }> {
    const result = await this.client.execute((api) =>
      api.retrieveMultiple<ConversationRow & { '@odata.etag'?: string }>({
        collection: 'swb_conversations',
        select: HEAD_COLUMNS,
        filter: `_swb_queueid_value eq ${queueId} and ${WAITING} and _swb_offeredto_value eq null`,
        orderBy: ['swb_priority desc', 'swb_queuedon asc'],
        top,
        count: true,
      }),
    );
    return { rows: result.value, total: result.oDataCount ?? result.value.length };
  }

  /** How many conversations wait in a queue (the "queued" automated message's position). */
  async waitingCount(queueId: string): Promise<number> {
    const result = await this.client.execute((api) =>
      api.retrieveMultiple<ConversationRow>({ collection: 'swb_conversations', select: ['activityid'], filter: `_swb_queueid_value eq ${queueId} and ${WAITING}`, top: 1, count: true }),
    );
    return result.oDataCount ?? result.value.length;
  }

  /**
   * The queue's enabled members with their status row (and its ETag, for the capacity claim)
   * and their skills, in one request: the users filtered by membership, their rows expanded.
   */
  async queueAgents(queueId: string): Promise<QueueAgentRow[]> {
    const result = await this.client.execute((api) =>
      api.retrieveMultiple<{ systemuserid: string; [nav: string]: unknown }>({
        collection: 'systemusers',
        select: ['systemuserid'],
        filter: `isdisabled ne true and queuemembership_association/any(q:q/queueid eq ${queueId})`,
        expand: [
          { property: STATUS_NAV, select: STATUS_COLUMNS },
          { property: SKILLS_NAV, select: ['swb_skillname', 'swb_proficiency'] },
        ],
      }),
    );
    return result.value.map((u) => ({
      systemuserid: u.systemuserid,
      status: ((u[STATUS_NAV] as AgentStatusRow[] | undefined) ?? [])[0] ?? null,
      skills: (u[SKILLS_NAV] as AgentSkillRow[] | undefined) ?? [],
    }));
  }

  async agentQueues(agentId: string): Promise<string[]> {
    try {
      const row = await this.client.execute((api) =>
        api.retrieve<{ queuemembership_association?: { queueid: string }[] }>({
          collection: 'systemusers',
          key: agentId,
          select: ['systemuserid'],
          expand: [{ property: 'queuemembership_association', select: ['queueid'] }],
        }),
      );
      return (row.queuemembership_association ?? []).map((q) => q.queueid);
    } catch (err) {
      if (isStatus(err, 404)) return [];
      throw err;
    }
  }

  getAgentStatus(rowId: string): Promise<RowWithETag<AgentStatusRow> | null> {
    return this.client.retrieveWithETag<AgentStatusRow>('swb_agentstatuses', rowId);
  }

  updateAgentStatus(rowId: string, patch: Record<string, unknown>, etag: string): Promise<void> {
    return this.client.updateIfMatch('swb_agentstatuses', rowId, etag, patch);
  }

  /**
   * The three writes of an offer in one $batch change set, all or nothing: the conversation
   * (If-Match on the version routing saw: it names who holds the offer), the agent's status row
   * (If-Match: the capacity reservation), and the offer row (create-only, its id derived from
   * the conversation and the attempt). Two instances that decided the same thing cannot both
   * win, and a loser leaves nothing behind — no reservation to give back. Returns the status
   * row's new ETag (several offers to one agent in one pass), or 'conflict'.
   */
  async claimOffer(claim: OfferClaim): Promise<{ statusEtag: string } | 'conflict'> {
    try {
      const parts = await this.client.batch((api) => {
        api.update({ collection: 'swb_conversations', key: claim.conversation.id, data: claim.conversation.patch, ifmatch: claim.conversation.etag });
        api.update({ collection: 'swb_agentstatuses', key: claim.agentStatus.id, data: claim.agentStatus.patch, ifmatch: claim.agentStatus.etag, returnRepresentation: true, select: ['swb_agentstatusid'] });
        api.upsert({ collection: 'swb_offers', key: claim.offerId, data: claim.offer, ifnonematch: '*' });
      });
      const status = parts[1] as { '@odata.etag'?: string } | undefined;
      if (!status?.['@odata.etag']) throw new Error('Dataverse returned the reserved status row without an ETag.');
      return { statusEtag: status['@odata.etag'] };
    } catch (err) {
      if (err instanceof ConcurrencyConflict) return 'conflict';
      throw err;
    }
  }

  getOffer(id: string): Promise<RowWithETag<OfferRow> | null> {
    return this.client.retrieveWithETag<OfferRow>('swb_offers', id);
  }

  updateOffer(id: string, patch: Record<string, unknown>, etag: string): Promise<void> {
    return this.client.updateIfMatch('swb_offers', id, etag, patch);
  }
}
