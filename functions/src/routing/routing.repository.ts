// What the routing worker reads and writes, over dynamics-web-api. Every read is scoped to
// what one decision needs (one queue's waiting items and members), never the whole org.
import {
  ConversationState,
  OfferResponse,
  type AgentSkillRow,
  type AgentStatusRow,
  type CapacityProfileRow,
  type ConversationRow,
  type OfferRow,
  type OperatingHoursRow,
  type QueueRow,
  type RoutingRuleRow,
  type WorkstreamRow,
} from '@switchboard/solution';
import type { RoutingConfig } from '@switchboard/core';
import type { DataverseClient, RowWithETag } from '../dataverse/dataverse-client';
import { isStatus } from '../dataverse/repositories/odata';
import { routingConfigFromRows } from './routing-config.mapper';

const CHUNK = 40;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const WAITING = `(swb_state eq ${ConversationState.Open} or swb_state eq ${ConversationState.Waiting}) and _swb_primaryagentid_value eq null`;

export class RoutingRepository {
  constructor(private readonly client: DataverseClient) {}

  private async all<T>(collection: string, options: { select?: string[]; filter?: string; orderBy?: string[]; expand?: { property: string; select?: string[] }[] } = {}): Promise<T[]> {
    const result = await this.client.execute((api) => api.retrieveAll<T>({ collection, ...options }));
    return result.value;
  }

  // Read afresh for every work item: a configuration change applies to the next decision.
  async loadConfig(): Promise<RoutingConfig> {
    const [workstreams, queues, rules, hours, profiles] = await Promise.all([
      this.all<WorkstreamRow>('swb_workstreams', { filter: 'statecode eq 0' }),
      this.all<QueueRow>('queues', {
        select: ['queueid', 'name', 'swb_priority', 'swb_assignmentmethod', 'swb_itemlimit', 'swb_maxwaitseconds', 'swb_overflowconditions', 'swb_overflowaction', '_swb_overflowqueueid_value', '_swb_overflowmessageid_value', 'swb_isfallback', '_swb_operatinghoursid_value'],
      }),
      this.all<RoutingRuleRow>('swb_routingrules', { filter: 'swb_isenabled ne false' }),
      this.all<OperatingHoursRow>('swb_operatinghourses'),
      this.all<CapacityProfileRow>('swb_capacityprofiles'),
    ]);
    return routingConfigFromRows({ workstreams, queues, rules, hours, profiles });
  }

  getConversation(id: string): Promise<RowWithETag<ConversationRow> | null> {
    return this.client.retrieveWithETag<ConversationRow>('swb_conversations', id);
  }

  updateConversation(id: string, patch: Record<string, unknown>, etag: string): Promise<void> {
    return this.client.updateIfMatch('swb_conversations', id, etag, patch);
  }

  waitingInQueue(queueId: string): Promise<ConversationRow[]> {
    return this.all<ConversationRow>('swb_conversations', {
      select: ['activityid', 'swb_state', '_swb_queueid_value', '_swb_workstreamid_value', 'swb_priority', 'swb_requiredskills', 'swb_language', 'swb_openedon', 'swb_queuedon', 'createdon'],
      filter: `_swb_queueid_value eq ${queueId} and ${WAITING}`,
    });
  }

  async queuesWithWaitingItems(): Promise<string[]> {
    const rows = await this.all<ConversationRow>('swb_conversations', { select: ['_swb_queueid_value'], filter: `_swb_queueid_value ne null and ${WAITING}` });
    return [...new Set(rows.map((r) => r._swb_queueid_value!).filter(Boolean))];
  }

  async offersFor(conversationIds: readonly string[]): Promise<OfferRow[]> {
    const out: OfferRow[] = [];
    for (const part of chunks(conversationIds)) {
      out.push(
        ...(await this.all<OfferRow>('swb_offers', {
          select: ['swb_offerid', '_swb_conversationid_value', '_swb_agentid_value', 'swb_response', 'swb_attempt', 'swb_expireson'],
          filter: `(${part.map((id) => `_swb_conversationid_value eq ${id}`).join(' or ')})`,
        })),
      );
    }
    return out;
  }

  /**
   * Each agent's last offer stamp in this queue: what advanced round robin orders by, so the
   * rotation carries over from one work item (and one instance) to the next. The stamp, not
   * swb_offeredon: Dataverse keeps dates to the second, and several offers within one second
   * are common. Reads the newest offers only; an agent absent from them was offered longer
   * ago than anyone present, which is all the ordering needs.
   */
  async lastOfferByAgent(queueId: string, memberCount: number): Promise<Map<string, number>> {
    const top = Math.max(200, memberCount * 4);
    const result = await this.client.execute((api) =>
      api.retrieveMultiple<OfferRow>({
        collection: 'swb_offers',
        select: ['_swb_agentid_value', 'swb_offerstamp'],
        filter: `_swb_queueid_value eq ${queueId} and swb_offerstamp ne null`,
        orderBy: ['swb_offerstamp desc'],
        top,
      }),
    );
    const last = new Map<string, number>();
    for (const o of result.value) {
      const agent = o._swb_agentid_value?.toLowerCase();
      const stamp = Number(o.swb_offerstamp);
      if (agent && Number.isFinite(stamp) && !last.has(agent)) last.set(agent, stamp);
    }
    return last;
  }

  async queueMembers(queueId: string): Promise<string[]> {
    try {
      const row = await this.client.execute((api) =>
        api.retrieve<{ queuemembership_association?: { systemuserid: string; isdisabled?: boolean }[] }>({
          collection: 'queues',
          key: queueId,
          select: ['queueid'],
          expand: [{ property: 'queuemembership_association', select: ['systemuserid', 'isdisabled'] }],
        }),
      );
      return (row.queuemembership_association ?? []).filter((u) => u.isdisabled !== true).map((u) => u.systemuserid);
    } catch (err) {
      if (isStatus(err, 404)) return [];
      throw err;
    }
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

  async agentStatuses(agentIds: readonly string[]): Promise<AgentStatusRow[]> {
    const out: AgentStatusRow[] = [];
    for (const part of chunks(agentIds)) out.push(...(await this.all<AgentStatusRow>('swb_agentstatuses', { filter: `(${part.map((id) => `_swb_agentid_value eq ${id}`).join(' or ')})` })));
    return out;
  }

  async agentSkills(agentIds: readonly string[]): Promise<AgentSkillRow[]> {
    const out: AgentSkillRow[] = [];
    for (const part of chunks(agentIds)) {
      out.push(...(await this.all<AgentSkillRow>('swb_agentskills', { select: ['_swb_agentid_value', 'swb_skillname', 'swb_proficiency'], filter: `(${part.map((id) => `_swb_agentid_value eq ${id}`).join(' or ')})` })));
    }
    return out;
  }

  getAgentStatus(rowId: string): Promise<RowWithETag<AgentStatusRow> | null> {
    return this.client.retrieveWithETag<AgentStatusRow>('swb_agentstatuses', rowId);
  }

  updateAgentStatus(rowId: string, patch: Record<string, unknown>, etag: string): Promise<void> {
    return this.client.updateIfMatch('swb_agentstatuses', rowId, etag, patch);
  }

  async createOffer(id: string, data: Record<string, unknown>): Promise<'created' | 'exists'> {
    try {
      await this.client.execute((api) => api.upsert({ collection: 'swb_offers', key: id, data, ifnonematch: '*' }));
      return 'created';
    } catch (err) {
      if (isStatus(err, 412)) return 'exists';
      throw err;
    }
  }

  expiredOffers(nowIso: string, top = 200): Promise<OfferRow[]> {
    return this.client
      .execute((api) =>
        api.retrieveMultiple<OfferRow>({
          collection: 'swb_offers',
          filter: `swb_response eq ${OfferResponse.Pending} and swb_expireson lt ${nowIso}`,
          orderBy: ['swb_expireson asc'],
          top,
        }),
      )
      .then((r) => r.value);
  }

  getOffer(id: string): Promise<RowWithETag<OfferRow> | null> {
    return this.client.retrieveWithETag<OfferRow>('swb_offers', id);
  }

  updateOffer(id: string, patch: Record<string, unknown>, etag: string): Promise<void> {
    return this.client.updateIfMatch('swb_offers', id, etag, patch);
  }
}
