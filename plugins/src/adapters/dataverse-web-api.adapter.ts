// DataversePort over dynamics-web-api: the same code talks to the emulator and to a real
// environment. Functions passes its configured DynamicsWebApi (token callback, base URL) and,
// if it likes, its retry wrapper as `execute`.
import type { DynamicsWebApi } from 'dynamics-web-api';
import {
  ConversationState,
  EntitySetNames,
  metadata,
  OfferResponse,
  SessionState,
  type SessionRole,
  type AgentStatusRow,
  type ConversationRow,
  type MessageRow,
  type OfferRow,
  type SessionRow,
  type WorkstreamRow,
} from '@switchboard/solution';
import type { EntityImage } from '../context/execution-context';
import { rowToImage } from '../context/row-image';
import type { DataversePort, RowPatch, RowWrite, UpdateOutcome, Versioned } from '../ports';

export type Execute = <T>(op: (api: DynamicsWebApi) => Promise<T>) => Promise<T>;

const CONVERSATION = [
  'activityid', 'swb_state', 'swb_channeltype', '_swb_channelid_value', '_swb_queueid_value', '_swb_workstreamid_value',
  '_swb_primaryagentid_value', 'swb_customerphone', 'swb_wrapupon', 'swb_activeon', 'swb_closedon', 'swb_firstassignedon',
  // the offer routing holds on it and who let it go
  '_swb_offeredto_value', 'swb_declinedby', 'swb_declinecount',
  // the message counter, which writers claim (message-created, supervisor-audit)
  'swb_lastmessagesequence',
  // the first wait, recorded by the accept
  'swb_queuedon', 'swb_openedon', 'swb_waitoutcome',
];
const MESSAGE = [
  'swb_messageid', '_swb_conversationid_value', 'swb_direction', 'swb_authorkind', 'swb_visibility', 'swb_body',
  '_swb_channelid_value', 'swb_deliverystatus', 'swb_providermessageid', '_swb_authoragentid_value',
];
const WORKSTREAM = ['swb_workstreamid', 'swb_capacityunits', '_swb_capacityprofileid_value', 'swb_wrapupblocking', 'swb_wrapupseconds'];
const AGENT_STATUS = [
  'swb_agentstatusid', '_swb_agentid_value', 'swb_basepresence', 'swb_manualoverride', 'swb_connectionstate',
  'swb_capacityused', 'swb_capacitymax', 'swb_profileusage', 'swb_lastreleaseon', 'swb_defaultpresence',
];
const OFFER = ['swb_offerid', '_swb_conversationid_value', '_swb_agentid_value', 'swb_response'];
const SESSION = ['activityid', '_swb_conversationid_value', '_swb_agentid_value', 'swb_role', 'swb_state'];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids go into OData filters unquoted; anything that is not a GUID is refused so a filter cannot be injected. */
function guid(id: string): string {
  const clean = id.replace(/[{}]/g, '');
  if (!GUID.test(clean)) throw new Error(`not a GUID: ${id}`);
  return clean.toLowerCase();
}

function statusOf(e: unknown): number | undefined {
  const s = (e as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
}

const DUPLICATE_KEY = 0x80040237;

function isDuplicateKey(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (Number.parseInt(code, 16) >>> 0) === DUPLICATE_KEY;
}

type WithETag<T> = T & { '@odata.etag'?: string };
type Batch = (build: (api: DynamicsWebApi) => void) => Promise<unknown[]>;

/** Conversations that load an agent: held (primary, Active or Wrap-up), or offered and still waiting. */
function loadFilter(agentId: string): string {
  const agent = guid(agentId);
  return `(_swb_primaryagentid_value eq ${agent} and (swb_state eq ${ConversationState.Active} or swb_state eq ${ConversationState.WrapUp})) or (_swb_offeredto_value eq ${agent} and (swb_state eq ${ConversationState.Open} or swb_state eq ${ConversationState.Waiting}))`;
}

function versioned<T>(row: WithETag<T>): Versioned<T> {
  const etag = row['@odata.etag'];
  if (!etag) throw new Error('Dataverse returned a row without an ETag');
  return { row, etag };
}

export class WebApiDataverseAdapter implements DataversePort {
  private readonly execute: Execute;

  private readonly now: () => number;
  private readonly workstreamTtlMs: number;

  private readonly batch: Batch;
  private readonly readBatch: Batch;

  /**
   * `workstreamTtlMs`: how long a workstream read is reused (default 30 s; 0 reads every time).
   * `batch`: runs a change set (functions passes its client's, with the retry policy); by
   * default one on a fresh instance of `api` (its batch mode is per instance).
   */
  constructor(api: DynamicsWebApi, options: { execute?: Execute; now?: () => number; workstreamTtlMs?: number; batch?: Batch; readBatch?: Batch } = {}) {
    this.execute = options.execute ?? ((op) => op(api));
    this.batch =
      options.batch ??
      (async (build) => {
        const fresh = api.initializeInstance();
        fresh.startBatch();
        build(fresh);
        return fresh.executeBatch();
      });
    this.readBatch =
      options.readBatch ??
      (async (build) => {
        const fresh = api.initializeInstance();
        fresh.startBatch();
        build(fresh);
        try {
          return await fresh.executeBatch({ inChangeSet: false });
        } catch (e) {
          if (Array.isArray(e)) return e as unknown[];
          throw e;
        }
      });
    this.now = options.now ?? Date.now;
    this.workstreamTtlMs = options.workstreamTtlMs ?? 30_000;
  }

  private async retrieve<T>(collection: string, id: string, select: string[]): Promise<Versioned<T> | null> {
    try {
      const row = await this.execute((api) => api.retrieve<WithETag<T>>({ collection, key: guid(id), select }));
      return row ? versioned(row) : null;
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw e;
    }
  }

  private async all<T>(collection: string, select: string[], filter: string): Promise<T[]> {
    const res = await this.execute((api) => api.retrieveAll<T>({ collection, select, filter }));
    return res.value;
  }

  private async update(collection: string, id: string, data: RowPatch, ifmatch?: string): Promise<UpdateOutcome> {
    try {
      const res: unknown = await this.execute((api) => api.update({ collection, key: guid(id), data, ...(ifmatch ? { ifmatch } : {}) }));
      // Without propagateErrors the library turns a 412 into `false` instead of throwing.
      return res === false ? 'conflict' : 'updated';
    } catch (e) {
      if (ifmatch && statusOf(e) === 412) return 'conflict';
      throw e;
    }
  }

  getConversation(id: string) {
    return this.retrieve<ConversationRow>(EntitySetNames.Conversation, id, CONVERSATION);
  }

  updateConversation(id: string, patch: RowPatch, ifMatch?: string) {
    return this.update(EntitySetNames.Conversation, id, patch, ifMatch);
  }

  getMessage(id: string) {
    return this.retrieve<MessageRow>(EntitySetNames.Message, id, MESSAGE);
  }

  async getMessageForDelivery(id: string) {
    try {
      const row = await this.execute((api) =>
        api.retrieve<WithETag<MessageRow> & { swb_conversationid?: ConversationRow | null }>({
          collection: EntitySetNames.Message,
          key: guid(id),
          select: MESSAGE,
          expand: [{ property: 'swb_conversationid', select: ['activityid', 'swb_channeltype', '_swb_channelid_value', 'swb_customerphone'] }],
        }),
      );
      const { swb_conversationid: conversation, ...message } = row;
      return { ...versioned(message as WithETag<MessageRow>), conversation: conversation ?? null };
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw e;
    }
  }

  updateMessage(id: string, patch: RowPatch, ifMatch?: string) {
    return this.update(EntitySetNames.Message, id, patch, ifMatch);
  }

  // Workstreams are configuration: read once per workstream and kept a short while (capacity
  // units and wrap-up rules change rarely; recomputing an agent must not re-read them each time).
  private readonly workstreams = new Map<string, { at: number; row: Promise<WorkstreamRow | null> }>();

  getWorkstream(id: string): Promise<WorkstreamRow | null> {
    const key = guid(id);
    const now = this.now();
    const hit = this.workstreams.get(key);
    if (hit && now - hit.at < this.workstreamTtlMs) return hit.row;
    const row = this.retrieve<WorkstreamRow>(EntitySetNames.Workstream, key, WORKSTREAM).then((r) => r?.row ?? null);
    const entry = { at: now, row };
    this.workstreams.set(key, entry);
    row.catch(() => this.workstreams.get(key) === entry && this.workstreams.delete(key));
    return row;
  }

  async getAgentStatus(agentId: string) {
    const rows = await this.all<WithETag<AgentStatusRow>>(EntitySetNames.AgentStatus, AGENT_STATUS, `_swb_agentid_value eq ${guid(agentId)}`);
    return rows[0] ? versioned(rows[0]) : null;
  }

  updateAgentStatus(rowId: string, patch: RowPatch, ifMatch: string) {
    return this.update(EntitySetNames.AgentStatus, rowId, patch, ifMatch);
  }

  listAgentLoad(agentId: string) {
    return this.all<ConversationRow>(EntitySetNames.Conversation, CONVERSATION, loadFilter(agentId));
  }

  async getAgentStatusAndLoad(agentId: string) {
    const parts = await this.readBatch((api) => {
      api.retrieveMultiple({ collection: EntitySetNames.AgentStatus, select: AGENT_STATUS, filter: `_swb_agentid_value eq ${guid(agentId)}` });
      api.retrieveMultiple({ collection: EntitySetNames.Conversation, select: CONVERSATION, filter: loadFilter(agentId) });
    });
    const failed = parts.find((p) => statusOf(p) !== undefined);
    if (failed) throw Object.assign(new Error(`Reading the load of agent ${agentId} failed with ${statusOf(failed)}.`), { status: statusOf(failed) });
    const [statuses, load] = parts as [{ value: WithETag<AgentStatusRow>[] }, { value: ConversationRow[]; '@odata.nextLink'?: string }];
    // An agent holds a handful of conversations; more than a page would be a fault, not a load.
    if (load['@odata.nextLink']) throw new Error(`Agent ${agentId} holds more conversations than one page.`);
    return { status: statuses.value[0] ? versioned(statuses.value[0]) : null, load: load.value };
  }

  listOpenSessions(conversationId: string) {
    return this.all<SessionRow>(EntitySetNames.Session, SESSION, `_swb_conversationid_value eq ${guid(conversationId)} and swb_state ne ${SessionState.Closed}`);
  }

  async listUserConversations(userId: string): Promise<string[]> {
    const rows = await this.all<{ _swb_conversationid_value?: string | null }>(EntitySetNames.Session, ['_swb_conversationid_value'], `_swb_agentid_value eq ${guid(userId)} and swb_state ne ${SessionState.Closed}`);
    return [...new Set(rows.map((r) => r._swb_conversationid_value?.toLowerCase()).filter((id): id is string => Boolean(id)))];
  }

  updateSession(id: string, patch: RowPatch) {
    return this.update(EntitySetNames.Session, id, patch);
  }

  createSession(session: { conversationId: string; agentId: string; role: SessionRole; joinedOn: string }): Promise<string> {
    return this.execute((api) =>
      api.create<RowPatch, string>({
        collection: EntitySetNames.Session,
        data: {
          'swb_conversationid@odata.bind': `/${EntitySetNames.Conversation}(${guid(session.conversationId)})`,
          'swb_agentid@odata.bind': `/${EntitySetNames.SystemUser}(${guid(session.agentId)})`,
          swb_role: session.role,
          swb_state: SessionState.Active,
          swb_joinedon: session.joinedOn,
        },
      }),
    );
  }

  private entitySet(table: string): string {
    const set = metadata.entities[table]?.entitySetName;
    if (!set) throw new Error(`Unknown table ${table}`);
    return set;
  }

  getRow(table: string, id: string, columns: readonly string[]) {
    return this.retrieve<Record<string, unknown>>(this.entitySet(table), id, [...columns]);
  }

  updateRow(table: string, id: string, patch: RowPatch, ifMatch?: string) {
    return this.update(this.entitySet(table), id, patch, ifMatch);
  }

  async writeTogether(writes: readonly RowWrite[]): Promise<UpdateOutcome> {
    try {
      await this.batch((api) => {
        for (const w of writes) {
          const collection = this.entitySet(w.table);
          if (w.create) api.upsert({ collection, key: guid(w.id), data: w.patch, ifnonematch: '*' });
          else api.update({ collection, key: guid(w.id), data: w.patch, ...(w.ifMatch ? { ifmatch: w.ifMatch } : {}) });
        }
      });
      return 'updated';
    } catch (e) {
      // A failed change set: functions' client names a 412 ConcurrencyConflict; dynamics-web-api
      // alone rejects with the failed parts.
      const parts = Array.isArray(e) ? (e as unknown[]) : [e];
      if ((e as { code?: unknown } | null)?.code === 'ConcurrencyConflict' || parts.some((p) => statusOf(p) === 412)) return 'conflict';
      throw e;
    }
  }

  async getUserRootRoles(userId: string): Promise<string[]> {
    const row = await this.execute((api) =>
      api.retrieve<{ systemuserroles_association?: { roleid: string; _parentrootroleid_value?: string | null }[] }>({
        collection: 'systemusers',
        key: guid(userId),
        select: ['systemuserid'],
        expand: [{ property: 'systemuserroles_association', select: ['roleid', '_parentrootroleid_value'] }],
      }),
    );
    return (row.systemuserroles_association ?? []).map((r) => (r._parentrootroleid_value ?? r.roleid).toLowerCase());
  }

  async getUserProfiles(userId: string): Promise<string[]> {
    const row = await this.execute((api) =>
      api.retrieve<{ systemuserprofiles_association?: { fieldsecurityprofileid: string }[] }>({
        collection: 'systemusers',
        key: guid(userId),
        select: ['systemuserid'],
        expand: [{ property: 'systemuserprofiles_association', select: ['fieldsecurityprofileid'] }],
      }),
    );
    return (row.systemuserprofiles_association ?? []).map((p) => p.fieldsecurityprofileid.toLowerCase());
  }

  async setUserProfile(userId: string, profileId: string, member: boolean): Promise<void> {
    const request = { collection: 'systemusers', primaryKey: guid(userId), relationshipName: 'systemuserprofiles_association', relatedCollection: 'fieldsecurityprofiles', relatedKey: guid(profileId) };
    await this.execute((api) => (member ? api.associate(request) : api.disassociate({ collection: request.collection, primaryKey: request.primaryKey, relationshipName: request.relationshipName, relatedKey: request.relatedKey })));
  }

  async createAgentStatusIfMissing(agentId: string, columns: RowPatch): Promise<'created' | 'exists'> {
    try {
      // Create-only upsert on the agent alternate key: a second onboarding of the same user finds the row.
      await this.execute((api) =>
        api.upsert({ collection: EntitySetNames.AgentStatus, key: `swb_agentid=${guid(agentId)}`, data: { ...columns, 'swb_agentid@odata.bind': `/systemusers(${guid(agentId)})` }, ifnonematch: '*' }),
      );
      return 'created';
    } catch (e) {
      if (statusOf(e) === 412) return 'exists';
      throw e;
    }
  }

  async readImage(table: string, id: string): Promise<EntityImage | null> {
    try {
      // Every column, with the table of each lookup (customer lookups point at more than one).
      const row = await this.execute((api) =>
        api.retrieve<Record<string, unknown>>({ collection: this.entitySet(table), key: guid(id), includeAnnotations: 'Microsoft.Dynamics.CRM.lookuplogicalname' }),
      );
      return row ? rowToImage(table, id, row) : null;
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw e;
    }
  }

  async listUserQueues(userId: string): Promise<string[]> {
    const rows = await this.all<{ queueid: string }>(`systemusers(${guid(userId)})/queuemembership_association`, ['queueid'], 'statecode eq 0');
    return rows.map((r) => r.queueid.toLowerCase());
  }

  listPendingOffersFor(conversationId: string) {
    return this.all<OfferRow>(EntitySetNames.Offer, OFFER, `_swb_conversationid_value eq ${guid(conversationId)} and swb_response eq ${OfferResponse.Pending}`);
  }

  async lastMessageSequence(conversationId: string): Promise<number> {
    const res = await this.execute((api) =>
      api.retrieveMultiple<{ swb_sequence?: number | null }>({
        collection: EntitySetNames.Message,
        select: ['swb_sequence'],
        filter: `_swb_conversationid_value eq ${guid(conversationId)}`,
        orderBy: ['swb_sequence desc'],
        top: 1,
      }),
    );
    return Number(res.value[0]?.swb_sequence ?? 0);
  }

  async createRow(table: string, data: RowPatch): Promise<'created' | 'duplicate'> {
    try {
      await this.execute((api) => api.create({ collection: this.entitySet(table), data }));
      return 'created';
    } catch (e) {
      // Dataverse's duplicate key (0x80040237) arrives as 412 on a primary key, or as a 400/409
      // carrying the code on an alternate key, depending on the path; the code says it either way.
      if (statusOf(e) === 412 || isDuplicateKey(e)) return 'duplicate';
      throw e;
    }
  }

  async getUserLanguage(userId: string): Promise<number | undefined> {
    try {
      const rows = await this.all<{ uilanguageid?: number | null }>('usersettingscollection', ['uilanguageid'], `systemuserid eq ${guid(userId)}`);
      return rows[0]?.uilanguageid ?? undefined;
    } catch (e) {
      // An environment (or the emulator) without usersettings: fall back to the default language.
      if (statusOf(e) === 404 || statusOf(e) === 400) return undefined;
      throw e;
    }
  }
}
