// In-memory ports for handler tests: a tiny Dataverse with ETags that change on every write,
// a recording delivery, a recording routing trigger, a recording push service.
import { fixedClock } from '@switchboard/core';
import {
  ConversationState,
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
import { rowToImage } from '../context/row-image';
import type { PushEvent, PushPort, RoutingTriggerPort, RoutingWork } from '@switchboard/core';
import type { DataversePort, DeliveryPort, PluginConfig, RowPatch, RowWrite, SendResult, StepDeps, UpdateOutcome, Versioned } from '../ports';

type Table<T> = Map<string, { row: T; version: number }>;

function applyPatch<T extends object>(row: T, patch: RowPatch): T {
  const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) {
    const bind = /^(.*)@odata\.bind$/.exec(k);
    if (bind) {
      const m = typeof v === 'string' ? /\(([^)]+)\)$/.exec(v) : null;
      out[`_${bind[1]}_value`] = m ? m[1]!.toLowerCase() : null;
    } else out[k] = v;
  }
  return out as T;
}

export class FakeDataverse implements DataversePort {
  conversations: Table<ConversationRow> = new Map();
  messages: Table<MessageRow> = new Map();
  workstreams = new Map<string, WorkstreamRow>();
  agentStatuses: Table<AgentStatusRow> = new Map();
  offers: OfferRow[] = [];
  sessions: Table<SessionRow> = new Map();
  languages = new Map<string, number>();
  /** Other tables (contact, account) by `${table}:${id}`. */
  rows: Table<Record<string, unknown>> = new Map();
  writes: { table: string; id: string; patch: RowPatch }[] = [];
  /** Called before an If-Match write is checked: lets a test slip in a concurrent writer. */
  beforeConditionalWrite?: (table: string, id: string) => void;

  private get<T>(t: Table<T>, id: string): Versioned<T> | null {
    const e = t.get(id);
    return e ? { row: structuredClone(e.row), etag: `W/"${e.version}"` } : null;
  }

  private put<T extends object>(name: string, t: Table<T>, id: string, patch: RowPatch, ifMatch?: string): UpdateOutcome {
    if (ifMatch) this.beforeConditionalWrite?.(name, id);
    const e = t.get(id);
    if (!e) throw Object.assign(new Error(`${name}(${id}) not found`), { status: 404 });
    if (ifMatch && ifMatch !== `W/"${e.version}"`) return 'conflict';
    t.set(id, { row: applyPatch(e.row, patch), version: e.version + 1 });
    this.writes.push({ table: name, id, patch });
    return 'updated';
  }

  seed<T extends object>(t: Table<T>, id: string, row: T): void {
    t.set(id, { row, version: 1 });
  }

  /** Another writer changes a row (bumps its ETag) without going through the handler. */
  touch<T extends object>(t: Table<T>, id: string, patch: RowPatch = {}): void {
    const e = t.get(id)!;
    t.set(id, { row: applyPatch(e.row, patch), version: e.version + 1 });
  }

  async getConversation(id: string) { return this.get(this.conversations, id); }
  async updateConversation(id: string, patch: RowPatch, ifMatch?: string) { return this.put('swb_conversation', this.conversations, id, patch, ifMatch); }
  async getMessage(id: string) { return this.get(this.messages, id); }
  async getMessageForDelivery(id: string) {
    const m = this.get(this.messages, id);
    if (!m) return null;
    const c = m.row._swb_conversationid_value ? this.get(this.conversations, m.row._swb_conversationid_value) : null;
    return { ...m, conversation: c?.row ?? null };
  }
  async updateMessage(id: string, patch: RowPatch, ifMatch?: string) { return this.put('swb_message', this.messages, id, patch, ifMatch); }
  async getWorkstream(id: string) { return this.workstreams.get(id) ?? null; }
  async getAgentStatus(agentId: string) {
    for (const [id, e] of this.agentStatuses) if (e.row._swb_agentid_value === agentId) return this.get(this.agentStatuses, id);
    return null;
  }
  async updateAgentStatus(rowId: string, patch: RowPatch, ifMatch: string) { return this.put('swb_agentstatus', this.agentStatuses, rowId, patch, ifMatch); }
  async listAgentLoad(agentId: string) {
    const waiting = new Set<number>([ConversationState.Open, ConversationState.Waiting]);
    const held = new Set<number>([ConversationState.Active, ConversationState.WrapUp]);
    return [...this.conversations.values()]
      .map((e) => e.row)
      .filter((c) => (c._swb_primaryagentid_value === agentId && held.has(c.swb_state ?? -1)) || (c._swb_offeredto_value === agentId && waiting.has(c.swb_state ?? -1)));
  }
  async getAgentStatusAndLoad(agentId: string) {
    return { status: await this.getAgentStatus(agentId), load: await this.listAgentLoad(agentId) };
  }
  async listOpenSessions(conversationId: string) {
    return [...this.sessions.values()].map((e) => e.row).filter((s) => s._swb_conversationid_value === conversationId && s.swb_state !== SessionState.Closed);
  }
  async listUserConversations(userId: string) {
    const ids = [...this.sessions.values()].map((e) => e.row).filter((s) => s._swb_agentid_value === userId && s.swb_state !== SessionState.Closed).map((s) => s._swb_conversationid_value!);
    return [...new Set(ids)];
  }
  async updateSession(id: string, patch: RowPatch) { return this.put('swb_session', this.sessions, id, patch); }
  async createSession(s: { conversationId: string; agentId: string; role: SessionRole; joinedOn: string }) {
    const id = `5e000000-0000-4000-8000-${String(this.sessions.size + 1).padStart(12, '0')}`;
    this.seed(this.sessions, id, { activityid: id, _swb_conversationid_value: s.conversationId, _swb_agentid_value: s.agentId, swb_role: s.role, swb_state: SessionState.Active, swb_joinedon: s.joinedOn });
    this.writes.push({ table: 'swb_session', id, patch: { created: true } });
    return id;
  }
  /** The typed tables, so getRow/updateRow on them see the same rows as the typed methods. */
  private typed(table: string): Table<object> | undefined {
    const typed: Record<string, Table<object>> = { swb_conversation: this.conversations, swb_message: this.messages, swb_session: this.sessions, swb_agentstatus: this.agentStatuses };
    return typed[table];
  }
  async getRow(table: string, id: string, columns: readonly string[]) {
    const typed = this.typed(table);
    const r = typed ? this.get(typed as Table<Record<string, unknown>>, id) : this.get(this.rows, `${table}:${id}`);
    return r ? { row: Object.fromEntries(columns.map((c) => [c, r.row[c] ?? null])), etag: r.etag } : null;
  }
  async updateRow(table: string, id: string, patch: RowPatch, ifMatch?: string) {
    const offer = table === 'swb_offer' ? this.offers.findIndex((o) => o.swb_offerid === id) : -1;
    if (offer >= 0) {
      this.offers[offer] = applyPatch(this.offers[offer]!, patch);
      this.writes.push({ table, id, patch });
      return 'updated' as const;
    }
    const typed = this.typed(table);
    if (typed) return this.put(table, typed, id, patch, ifMatch);
    return this.put(table, this.rows, `${table}:${id}`, patch, ifMatch);
  }
  /** All or nothing, as a change set: every If-Match and create-only checked before anything is written. */
  async writeTogether(writes: readonly RowWrite[]) {
    for (const w of writes) {
      if (w.ifMatch) this.beforeConditionalWrite?.(w.table, w.id);
      const table = this.tableOf(w.table);
      const e = table?.get(w.id);
      if (w.create ? !!e : w.ifMatch !== undefined && (!e || w.ifMatch !== `W/"${e.version}"`)) return 'conflict' as const;
    }
    for (const w of writes) {
      if (w.table === 'swb_session' && w.create) {
        const p = w.patch;
        const ref = (v: unknown) => /\(([^)]+)\)/.exec(String(v))?.[1] ?? null;
        this.seed(this.sessions, w.id, { activityid: w.id, _swb_conversationid_value: ref(p['swb_conversationid@odata.bind']), _swb_agentid_value: ref(p['swb_agentid@odata.bind']), swb_role: p['swb_role'] as SessionRole, swb_state: (p['swb_state'] as number | undefined) ?? SessionState.Active, swb_joinedon: p['swb_joinedon'] as string } as SessionRow);
        this.writes.push({ table: w.table, id: w.id, patch: { created: true } });
      } else if (w.table === 'swb_offer') await this.updateRow(w.table, w.id, w.patch);
      else this.put(w.table, this.tableOf(w.table)!, w.id, w.patch);
    }
    return 'updated' as const;
  }

  private tableOf(table: string): Table<object> | undefined {
    const typed: Record<string, Table<object>> = { swb_conversation: this.conversations, swb_message: this.messages, swb_session: this.sessions, swb_agentstatus: this.agentStatuses };
    return typed[table];
  }

  async getUserLanguage(userId: string) { return this.languages.get(userId); }
  /** Root role ids and column-security profiles per user, for onboarding. */
  userRoles = new Map<string, string[]>();
  userProfiles = new Map<string, string[]>();
  async getUserRootRoles(userId: string) { return [...(this.userRoles.get(userId) ?? [])]; }
  async getUserProfiles(userId: string) { return [...(this.userProfiles.get(userId) ?? [])]; }
  async setUserProfile(userId: string, profileId: string, member: boolean) {
    const now = new Set(this.userProfiles.get(userId) ?? []);
    if (member) now.add(profileId);
    else now.delete(profileId);
    this.userProfiles.set(userId, [...now]);
    this.writes.push({ table: 'systemuserprofiles', id: userId, patch: { [profileId]: member } });
  }
  async createAgentStatusIfMissing(agentId: string, columns: RowPatch) {
    if (await this.getAgentStatus(agentId)) return 'exists' as const;
    const id = `5c000000-0000-4000-8000-${String(this.agentStatuses.size + 100).padStart(12, '0')}`;
    this.seed(this.agentStatuses, id, applyPatch({ swb_agentstatusid: id, _swb_agentid_value: agentId } as AgentStatusRow, columns));
    this.writes.push({ table: 'swb_agentstatus', id, patch: { created: true, ...columns } });
    return 'created' as const;
  }
  /** Queue memberships per user (queue ids), for the supervisor steps. */
  userQueues = new Map<string, string[]>();
  async listUserQueues(userId: string) { return [...(this.userQueues.get(userId) ?? [])]; }
  async listPendingOffersFor(conversationId: string) {
    return this.offers.filter((o) => o._swb_conversationid_value === conversationId && o.swb_response === OfferResponse.Pending);
  }
  async lastMessageSequence(conversationId: string) {
    return Math.max(0, ...[...this.messages.values()].filter((e) => e.row._swb_conversationid_value === conversationId).map((e) => e.row.swb_sequence ?? 0));
  }
  /** Rows created through createRow, in order: table, id and the Web API body. */
  created: { table: string; id: string; data: RowPatch }[] = [];
  async createRow(table: string, data: RowPatch) {
    const key = table === 'swb_message' ? 'swb_messageid' : `${table}id`;
    const id = String(data[key] ?? '').toLowerCase();
    if (!id) throw new Error(`createRow(${table}) without a chosen id`);
    if (table === 'swb_message') {
      const row = applyPatch({} as MessageRow, data);
      const clash = [...this.messages.values()].some((e) => e.row.swb_messageid === id || (e.row._swb_conversationid_value === row._swb_conversationid_value && e.row.swb_sequence === row.swb_sequence));
      if (clash) return 'duplicate' as const;
      this.seed(this.messages, id, row);
    } else {
      if (this.rows.has(`${table}:${id}`)) return 'duplicate' as const;
      this.seed(this.rows, `${table}:${id}`, applyPatch({}, data));
    }
    this.created.push({ table, id, data });
    this.writes.push({ table, id, patch: { created: true, ...data } });
    return 'created' as const;
  }
  async readImage(table: string, id: string) {
    const typed: Record<string, Table<object>> = { swb_conversation: this.conversations, swb_message: this.messages, swb_session: this.sessions, swb_agentstatus: this.agentStatuses };
    const row = typed[table]?.get(id)?.row ?? this.offers.find((o) => table === 'swb_offer' && o.swb_offerid === id) ?? this.rows.get(`${table}:${id}`)?.row;
    return row ? rowToImage(table, id, row as Record<string, unknown>) : null;
  }
}

export class RecordingDelivery implements DeliveryPort {
  /** What the provider accepted; `attempts` counts every call. */
  sent: { channelId: string; to: string; body: string; clientReference?: string }[] = [];
  attempts = 0;
  next: SendResult | Error = { ok: true, providerMessageId: 'SM0001', status: 'sent' };
  async deliver(channelId: string, to: string, body: string, options: { clientReference?: string } = {}): Promise<SendResult> {
    this.attempts++;
    if (this.next instanceof Error) throw this.next;
    if (this.next.ok) this.sent.push({ channelId, to, body, ...(options.clientReference ? { clientReference: options.clientReference } : {}) });
    return this.next;
  }
}

export class RecordingRoutingTrigger implements RoutingTriggerPort {
  items: { work: RoutingWork; delaySeconds?: number }[] = [];
  async enqueue(work: RoutingWork, options: { delaySeconds?: number } = {}): Promise<void> {
    this.items.push({ work, ...(options.delaySeconds !== undefined ? { delaySeconds: options.delaySeconds } : {}) });
  }
}

/** One call made on the push service, in the order made. */
export type PushCall =
  | { op: 'toUser' | 'toGroup'; target: string; event: PushEvent }
  | { op: 'join' | 'leave'; target: string; group: string }
  | { op: 'clientUrl'; target: string; groups: string[]; minutes: number }
  | { op: 'isConnected'; target: string };

export const TEST_PUSH_URL = 'ws://push.test/client/hubs/switchboard?access_token=t';

export class RecordingPush implements PushPort {
  calls: PushCall[] = [];
  /** What clientUrl answers: null is a push service that is not configured. */
  url: string | null = TEST_PUSH_URL;
  /** What isConnected answers per user; a user not listed gets `connectedByDefault` (nobody can tell). */
  connected = new Map<string, boolean | undefined>();
  connectedByDefault: boolean | undefined = undefined;

  async toUser(userId: string, event: PushEvent) { this.calls.push({ op: 'toUser', target: userId, event }); }
  async toGroup(group: string, event: PushEvent) { this.calls.push({ op: 'toGroup', target: group, event }); }
  async join(userId: string, group: string) { this.calls.push({ op: 'join', target: userId, group }); }
  async leave(userId: string, group: string) { this.calls.push({ op: 'leave', target: userId, group }); }
  async clientUrl(userId: string, groups: readonly string[], minutes: number) {
    this.calls.push({ op: 'clientUrl', target: userId, groups: [...groups], minutes });
    return this.url;
  }
  async isConnected(userId: string) {
    this.calls.push({ op: 'isConnected', target: userId });
    return this.connected.has(userId) ? this.connected.get(userId) : this.connectedByDefault;
  }
  /** The calls of one kind, in order. */
  of<K extends PushCall['op']>(op: K): Extract<PushCall, { op: K }>[] {
    return this.calls.filter((c): c is Extract<PushCall, { op: K }> => c.op === op);
  }
}

export const TEST_CONFIG: PluginConfig = { defaultRegion: 'FR', defaultLanguage: 1033, trustedUserIds: ['0a7e0003-0000-4000-8000-000000000001'] };

/** Ports for a step; `push` when the deployment has a push service (a RecordingPush in most tests). */
export function fakeDeps(now = Date.parse('2026-11-24T10:00:05Z'), options: { push?: PushPort } = {}) {
  const data = new FakeDataverse();
  const delivery = new RecordingDelivery();
  const routingTrigger = new RecordingRoutingTrigger();
  const clock = fixedClock(now);
  const deps: StepDeps = { data, delivery, routingTrigger, clock, config: TEST_CONFIG, ...(options.push ? { push: options.push } : {}) };
  return { deps, data, delivery, routingTrigger, clock };
}
