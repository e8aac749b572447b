// The floor as the desk shows it, computed from what one refresh read: pure functions of the
// rows, so every figure is tested on plain data and a push "something changed" event can feed
// the same rows through the same functions.
//
// Time figures are kept as instants (when the wait began, when the agent took it, when the
// customer last wrote) and turned into durations at render time, so the table counts up every
// second without a request.
import { derive, emptyMeasures, parseProfileUsage, presenceBaseOf, type DerivedMetrics } from '@switchboard/core';
import { ChannelType, ConversationState, FORMATTED, Sentiment, SessionState, type AgentStatusRow, type ConversationRow, type SessionRow } from '../../../shared/src';
import { AgentConnectionState, WaitOutcome } from './choices';

export interface QueueInfo {
  id: string;
  name: string;
  /** Member user ids (lower case), enabled users only. */
  members: string[];
}

export interface AgentInfo {
  id: string;
  name: string;
  /** The supervisor's queues this agent is a member of. */
  queues: string[];
}

export interface ConsultRef {
  conversationId: string;
  agentId: string;
}

/** One group of today's first-wait outcomes (swb_waitoutcome) in a queue. */
export interface TodayGroup {
  queueId: string;
  outcome: number;
  count: number;
  /** Sum of swb_waitseconds over the group. */
  seconds: number;
}

export interface ProfileInfo {
  id: string;
  name: string;
  maxItems: number;
}

/** Everything one refresh knows. Maps are keyed by lower-case ids. */
export interface Floor {
  queues: QueueInfo[];
  agents: ReadonlyMap<string, AgentInfo>;
  conversations: ReadonlyMap<string, ConversationRow>;
  /** Open consult sessions, by session id. */
  consults: ReadonlyMap<string, ConsultRef>;
  /** Status rows by agent id. */
  statuses: ReadonlyMap<string, AgentStatusRow>;
  held: ReadonlyMap<string, number>;
  /** Pending offers per agent. */
  offers: ReadonlyMap<string, number>;
  /** The agent each waiting conversation is offered to now (from the same pending offers). */
  offeredTo: ReadonlyMap<string, string>;
  today: readonly TodayGroup[];
  profiles: ReadonlyMap<string, ProfileInfo>;
}

export const emptyFloor = (): Floor => ({
  queues: [],
  agents: new Map(),
  conversations: new Map(),
  consults: new Map(),
  statuses: new Map(),
  held: new Map(),
  offers: new Map(),
  offeredTo: new Map(),
  today: [],
  profiles: new Map(),
});

export type FloorState = 'waiting' | 'active' | 'wrapup';

export interface OngoingRow {
  id: string;
  customer: string;
  channel: number | null;
  queueId: string | null;
  queueName: string;
  state: FloorState;
  agentId: string | null;
  agentName: string;
  consultants: string[];
  /** When the current wait in a queue began (waiting), or the first one (answered). */
  queuedAt: number | null;
  /** The first wait's length, once answered (stamped by the server, or from the two times). */
  waitSeconds: number | null;
  /** When the agent took it (handle time counts from here). */
  activeAt: number | null;
  wrapUpAt: number | null;
  lastCustomerAt: number | null;
  sentiment: number | null;
  /** Agent a live offer is waiting on, while the conversation waits. */
  offeredTo: string | null;
  offeredToName: string;
}

const time = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

const lower = (id: string | null | undefined) => (id ? id.toLowerCase() : null);

export function floorState(state: number): FloorState | null {
  switch (state) {
    case ConversationState.Open:
    case ConversationState.Waiting:
      return 'waiting';
    case ConversationState.Active:
      return 'active';
    case ConversationState.WrapUp:
      return 'wrapup';
    default:
      return null;
  }
}

/** The conversation's customer as people read it: the name they gave, the record, the number. */
export function customerOf(c: ConversationRow): string {
  return c.swb_customername || (c[`_swb_customerid_value${FORMATTED}`] as string | undefined) || c.swb_customerphone || c.subject || '';
}

/** The rows of the ongoing list: every conversation of the supervisor's queues that is not closed. */
export function ongoingRows(floor: Floor): OngoingRow[] {
  const queueNames = new Map(floor.queues.map((q) => [q.id, q.name]));
  const consultantsOf = new Map<string, string[]>();
  for (const c of floor.consults.values()) {
    const list = consultantsOf.get(c.conversationId) ?? [];
    list.push(c.agentId);
    consultantsOf.set(c.conversationId, list);
  }
  const nameOf = (id: string | null) => (id ? floor.agents.get(id)?.name ?? '' : '');
  const rows: OngoingRow[] = [];
  for (const c of floor.conversations.values()) {
    const state = floorState(c.swb_state);
    if (!state) continue;
    const id = c.activityid.toLowerCase();
    const queueId = lower(c._swb_queueid_value);
    const agentId = lower(c._swb_primaryagentid_value);
    const queuedAt = time(c.swb_queuedon) ?? time(c.swb_openedon) ?? time(c.createdon);
    const answeredAt = time(c.swb_firstassignedon);
    rows.push({
      id,
      customer: customerOf(c),
      channel: c.swb_channeltype ?? null,
      queueId,
      queueName: (queueId && queueNames.get(queueId)) || (c[`_swb_queueid_value${FORMATTED}`] as string | undefined) || '',
      state,
      agentId,
      agentName: nameOf(agentId) || (c[`_swb_primaryagentid_value${FORMATTED}`] as string | undefined) || '',
      consultants: (consultantsOf.get(id) ?? []).map((a) => nameOf(a) || a),
      queuedAt,
      waitSeconds: state === 'waiting' ? null : c.swb_waitseconds ?? (answeredAt !== null && queuedAt !== null ? Math.max(0, Math.round((answeredAt - queuedAt) / 1000)) : null),
      activeAt: time(c.swb_activeon) ?? answeredAt,
      wrapUpAt: time(c.swb_wrapupon),
      lastCustomerAt: time(c.swb_lastcustomermessageon),
      sentiment: c.swb_sentiment ?? null,
      offeredTo: state === 'waiting' ? floor.offeredTo.get(id) ?? null : null,
      offeredToName: state === 'waiting' ? nameOf(floor.offeredTo.get(id) ?? null) : '',
    });
  }
  return rows;
}

/** How long the customer waited (or has been waiting) for an agent. */
export function waitMs(row: OngoingRow, now: number): number | null {
  if (row.state === 'waiting') return row.queuedAt === null ? null : Math.max(0, now - row.queuedAt);
  return row.waitSeconds === null ? null : row.waitSeconds * 1000;
}

/** How long an agent has had it: since it became active (wrap-up included). */
export function handleMs(row: OngoingRow, now: number): number | null {
  if (row.state === 'waiting' || row.activeAt === null) return null;
  return Math.max(0, now - row.activeAt);
}

export function sinceCustomerMs(row: OngoingRow, now: number): number | null {
  return row.lastCustomerAt === null ? null : Math.max(0, now - row.lastCustomerAt);
}

export interface RowFilter {
  /** Matched case-insensitively against customer, agent, consultants and queue. */
  text: string;
  states: ReadonlySet<FloorState>;
  channel: number | null;
  queueId: string | null;
  /** Only conversations whose customer is upset (see isUpset). */
  upsetOnly?: boolean;
}

/** Negative or very negative: the level the agent is alerted at, flagged on the desk. */
export function isUpset(row: Pick<OngoingRow, 'sentiment'>): boolean {
  return row.sentiment !== null && row.sentiment <= Sentiment.Negative;
}

export const ALL_STATES: ReadonlySet<FloorState> = new Set<FloorState>(['waiting', 'active', 'wrapup']);

export function filterRows(rows: readonly OngoingRow[], f: RowFilter): OngoingRow[] {
  const needle = f.text.trim().toLocaleLowerCase();
  return rows.filter((r) => {
    if (!f.states.has(r.state)) return false;
    if (f.channel !== null && r.channel !== f.channel) return false;
    if (f.queueId !== null && r.queueId !== f.queueId) return false;
    if (f.upsetOnly && !isUpset(r)) return false;
    if (!needle) return true;
    return [r.customer, r.agentName, r.queueName, ...r.consultants].some((s) => s.toLocaleLowerCase().includes(needle));
  });
}

export type SortKey = 'customer' | 'channel' | 'queue' | 'state' | 'agent' | 'wait' | 'handle' | 'sinceCustomer' | 'sentiment';

const STATE_ORDER: Record<FloorState, number> = { waiting: 0, active: 1, wrapup: 2 };

/**
 * Sorted for reading at `now`; rows without the figure go last in either direction. Ties keep
 * the longest waiting first, so the list does not shuffle between refreshes.
 */
export function sortRows(rows: readonly OngoingRow[], key: SortKey, descending: boolean, now: number): OngoingRow[] {
  const value = (r: OngoingRow): string | number | null => {
    switch (key) {
      case 'customer':
        return r.customer.toLocaleLowerCase();
      case 'channel':
        return r.channel;
      case 'queue':
        return r.queueName.toLocaleLowerCase();
      case 'state':
        return STATE_ORDER[r.state];
      case 'agent':
        return r.agentName ? r.agentName.toLocaleLowerCase() : null;
      case 'wait':
        return waitMs(r, now);
      case 'handle':
        return handleMs(r, now);
      case 'sinceCustomer':
        return sinceCustomerMs(r, now);
      case 'sentiment':
        return r.sentiment;
    }
  };
  const keyed = rows.map((r) => ({ r, v: value(r), tie: r.queuedAt ?? Infinity }));
  keyed.sort((a, b) => {
    if (a.v !== b.v) {
      if (a.v === null) return 1;
      if (b.v === null) return -1;
      return (a.v < b.v ? -1 : 1) * (descending ? -1 : 1);
    }
    return a.tie - b.tie || (a.r.id < b.r.id ? -1 : 1);
  });
  return keyed.map((k) => k.r);
}

// ---- queues

export interface QueueFigures extends Pick<DerivedMetrics, 'averageSpeedToAnswerMs' | 'serviceLevel20s' | 'serviceLevel60s' | 'abandonRate'> {
  id: string;
  name: string;
  waiting: number;
  /** When the longest wait now in the queue began. */
  longestWaitSince: number | null;
  answered: number;
  abandoned: number;
  agentsAvailable: number;
  members: number;
}

/** Available, signed in and with capacity left: who routing could offer a conversation to now. */
export function isAvailable(status: AgentStatusRow | undefined): boolean {
  if (!status) return false;
  if (presenceBaseOf(status.swb_basepresence) !== 'Available') return false;
  if (status.swb_connectionstate === AgentConnectionState.SignedOut) return false;
  return (status.swb_capacityused ?? 0) < (status.swb_capacitymax ?? 0);
}

/**
 * TaskRouter-style real-time statistics per queue: waiting now and since when, and today's
 * answered, average speed to answer, service level (answered within 20 s and 60 s, of those
 * answered) and abandon rate (abandoned of answered + abandoned) — the definitions of core's
 * historical metrics, from today's grouped first-wait outcomes.
 */
export function queueFigures(floor: Floor, rows: readonly OngoingRow[]): QueueFigures[] {
  // One pass over the rows, however many queues.
  const waitingBy = new Map<string, { waiting: number; since: number | null }>();
  for (const r of rows) {
    if (r.state !== 'waiting' || r.queueId === null) continue;
    const w = waitingBy.get(r.queueId) ?? { waiting: 0, since: null };
    w.waiting++;
    if (r.queuedAt !== null && (w.since === null || r.queuedAt < w.since)) w.since = r.queuedAt;
    waitingBy.set(r.queueId, w);
  }
  return floor.queues.map((q) => {
    const waiting = waitingBy.get(q.id)?.waiting ?? 0;
    const longestWaitSince = waitingBy.get(q.id)?.since ?? null;
    const m = emptyMeasures();
    for (const g of floor.today) {
      if (g.queueId !== q.id) continue;
      if (g.outcome === WaitOutcome.Abandoned) {
        m.abandoned += g.count;
        continue;
      }
      m.answered += g.count;
      m.waitMs += g.seconds * 1000;
      if (g.outcome === WaitOutcome.AnsweredWithin20s) m.answeredWithin20s += g.count;
      if (g.outcome === WaitOutcome.AnsweredWithin20s || g.outcome === WaitOutcome.AnsweredWithin60s) m.answeredWithin60s += g.count;
    }
    const d = derive(m);
    return {
      id: q.id,
      name: q.name,
      waiting,
      longestWaitSince,
      answered: m.answered,
      abandoned: m.abandoned,
      averageSpeedToAnswerMs: d.averageSpeedToAnswerMs,
      serviceLevel20s: d.serviceLevel20s,
      serviceLevel60s: d.serviceLevel60s,
      abandonRate: d.abandonRate,
      agentsAvailable: q.members.filter((a) => isAvailable(floor.statuses.get(a))).length,
      members: q.members.length,
    };
  });
}

// ---- agents

export interface AgentFigures {
  id: string;
  name: string;
  statusId: string | null;
  presence: number | null;
  /** When the presence last changed, as far as anyone recorded it. */
  presenceSince: number | null;
  manual: boolean;
  signedOut: boolean;
  usedUnits: number;
  maxUnits: number;
  profiles: { id: string; name: string; used: number; max: number }[];
  held: number;
  offers: number;
  queues: string[];
  full: boolean;
}

export function agentFigures(floor: Floor): AgentFigures[] {
  const out: AgentFigures[] = [];
  for (const a of floor.agents.values()) {
    const s = floor.statuses.get(a.id);
    const usage = parseProfileUsage(s?.swb_profileusage);
    const used = s?.swb_capacityused ?? 0;
    const max = s?.swb_capacitymax ?? 0;
    out.push({
      id: a.id,
      name: a.name,
      statusId: s?.swb_agentstatusid ?? null,
      presence: s?.swb_basepresence ?? null,
      presenceSince: time(s?.swb_presencesince) ?? (s?.swb_manualoverride ? time(s.swb_overridesetton) : null),
      manual: s?.swb_manualoverride === true,
      signedOut: s?.swb_connectionstate === AgentConnectionState.SignedOut,
      usedUnits: used,
      maxUnits: max,
      profiles: Object.entries(usage).map(([id, n]) => ({ id, name: floor.profiles.get(id)?.name ?? id, used: n, max: floor.profiles.get(id)?.maxItems ?? n })),
      held: floor.held.get(a.id) ?? 0,
      offers: floor.offers.get(a.id) ?? 0,
      queues: a.queues,
      full: Boolean(s) && used >= max,
    });
  }
  return out.sort((x, y) => x.name.localeCompare(y.name) || (x.id < y.id ? -1 : 1));
}

// ---- merging what a refresh read

/**
 * Rows changed since the last refresh, merged into what the desk already holds: a changed row
 * replaces its old version, or leaves when it no longer belongs (closed, moved out of the
 * supervisor's queues). Returns a new map so React sees the change.
 */
export function mergeRows<R>(current: ReadonlyMap<string, R>, changed: readonly R[], keyOf: (r: R) => string, belongs: (r: R) => boolean): Map<string, R> {
  const next = new Map(current);
  for (const r of changed) {
    const k = keyOf(r).toLowerCase();
    if (belongs(r)) next.set(k, r);
    else next.delete(k);
  }
  return next;
}

export const isOpenConsult = (s: Pick<SessionRow, 'swb_state'>) => s.swb_state !== SessionState.Closed;

/** The newest modifiedon among rows: where the next delta query starts. */
export function watermarkOf(rows: readonly { modifiedon?: string | null }[], previous: string | null): string | null {
  let best = previous ? Date.parse(previous) : -Infinity;
  for (const r of rows) {
    const t = r.modifiedon ? Date.parse(r.modifiedon) : NaN;
    if (!Number.isNaN(t) && t > best) best = t;
  }
  return Number.isFinite(best) ? new Date(best).toISOString() : null;
}

export const CHANNEL_KEYS: Record<number, string> = { [ChannelType.LiveChat]: 'Channel_LiveChat', [ChannelType.Sms]: 'Channel_Sms' };
