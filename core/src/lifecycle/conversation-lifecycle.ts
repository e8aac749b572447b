// The conversation lifecycle and who takes part in it. Every function returns a new record
// or a coded error; callers persist the record with optimistic concurrency, so two agents
// racing to accept or transfer cannot both win.
import type { EpochMs } from '../time';
import { type Result, err, ok } from '../result';

export type ConversationState = 'Open' | 'Waiting' | 'Active' | 'WrapUp' | 'Closed';
export const CONVERSATION_STATES: readonly ConversationState[] = ['Open', 'Waiting', 'Active', 'WrapUp', 'Closed'];

export interface ConversationTimestamps {
  openedOn: EpochMs;
  waitingOn?: EpochMs;
  firstAssignedOn?: EpochMs;
  activeOn?: EpochMs;
  wrapUpOn?: EpochMs;
  closedOn?: EpochMs;
  reopenedOn?: EpochMs;
}

export type ParticipantRole = 'primary' | 'consult';

export interface Participant {
  agentId: string;
  role: ParticipantRole;
  joinedOn: EpochMs;
  leftOn?: EpochMs;
}

export interface ConversationRecord {
  id: string;
  state: ConversationState;
  timestamps: ConversationTimestamps;
  /** Full history: people who left keep their row with leftOn. */
  participants: Participant[];
  reopenCount: number;
}

/** Reopen is its own operation (Closed → Open); it is not an ordinary transition. */
export const TRANSITIONS: Readonly<Record<ConversationState, readonly ConversationState[]>> = {
  Open: ['Waiting', 'Active', 'Closed'],
  Waiting: ['Active', 'Closed'],
  Active: ['WrapUp', 'Closed'],
  WrapUp: ['Closed'],
  Closed: [],
};

export type LifecycleErrorCode =
  | 'lifecycle.invalidTransition'
  | 'lifecycle.notPrimary'
  | 'lifecycle.alreadyParticipant'
  | 'lifecycle.notParticipant'
  | 'lifecycle.notActive';

export interface LifecycleError {
  code: LifecycleErrorCode;
  message: string;
}

type LR = Result<ConversationRecord, LifecycleError>;

export function canTransition(from: ConversationState, to: ConversationState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function openConversation(id: string, at: EpochMs): ConversationRecord {
  return { id, state: 'Open', timestamps: { openedOn: at }, participants: [], reopenCount: 0 };
}

export function current(conv: ConversationRecord): Participant[] {
  return conv.participants.filter((p) => p.leftOn === undefined);
}

export function primaryAgentOf(conv: ConversationRecord): string | null {
  return conv.participants.find((p) => p.leftOn === undefined && p.role === 'primary')?.agentId ?? null;
}

function leaveAll(ps: readonly Participant[], at: EpochMs, which: (p: Participant) => boolean = () => true): Participant[] {
  return ps.map((p) => (p.leftOn === undefined && which(p) ? { ...p, leftOn: at } : p));
}

/** Who leaves when a conversation enters a state: wrap-up ends consults; closing, or a return to a queue, ends everyone. */
export function leavesOnEntering(to: ConversationState, role: ParticipantRole): boolean {
  if (to === 'WrapUp') return role === 'consult';
  return to === 'Closed' || to === 'Open' || to === 'Waiting';
}

/** A hand-over to an agent: the sender leaves, and so does whatever part the receiver had, who comes back as primary. */
function handOver(ps: readonly Participant[], fromAgentId: string | null, toAgentId: string, at: EpochMs): Participant[] {
  const left = leaveAll(ps, at, (p) => p.agentId === fromAgentId || p.agentId === toAgentId);
  return [...left, { agentId: toAgentId, role: 'primary', joinedOn: at }];
}

export function transition(conv: ConversationRecord, to: ConversationState, at: EpochMs): LR {
  if (!canTransition(conv.state, to)) {
    return err({ code: 'lifecycle.invalidTransition', message: `A conversation cannot go from ${conv.state} to ${to}` });
  }
  const ts = { ...conv.timestamps };
  let participants = conv.participants;
  if (to === 'Waiting') ts.waitingOn = at;
  if (to === 'Active') ts.activeOn = at;
  if (to === 'WrapUp') ts.wrapUpOn = at;
  if (to === 'Closed') ts.closedOn = at;
  if (to === 'WrapUp' || to === 'Closed') participants = leaveAll(participants, at, (p) => leavesOnEntering(to, p.role));
  return ok({ ...conv, state: to, timestamps: ts, participants });
}

/** An agent accepted an offer: they become the primary agent and the conversation is Active. */
export function assignPrimary(conv: ConversationRecord, agentId: string, at: EpochMs): LR {
  if (conv.state !== 'Open' && conv.state !== 'Waiting') {
    return err({ code: 'lifecycle.invalidTransition', message: `Only an Open or Waiting conversation can be assigned, not ${conv.state}` });
  }
  if (primaryAgentOf(conv)) return err({ code: 'lifecycle.alreadyParticipant', message: 'The conversation already has a primary agent' });
  const moved = transition(conv, 'Active', at);
  if (!moved.ok) return moved;
  const ts = { ...moved.value.timestamps };
  ts.firstAssignedOn ??= at;
  return ok({ ...moved.value, timestamps: ts, participants: [...moved.value.participants, { agentId, role: 'primary', joinedOn: at }] });
}

function requirePrimary(conv: ConversationRecord, byAgentId: string): LifecycleError | null {
  if (conv.state !== 'Active') return { code: 'lifecycle.notActive', message: 'Consult and transfer need an Active conversation' };
  if (primaryAgentOf(conv) !== byAgentId) return { code: 'lifecycle.notPrimary', message: 'Only the primary agent may consult or transfer' };
  return null;
}

/** Consult adds a participant who holds no capacity (the engine never charges consults). */
export function startConsult(conv: ConversationRecord, byAgentId: string, consultAgentId: string, at: EpochMs): LR {
  const bad = requirePrimary(conv, byAgentId);
  if (bad) return err(bad);
  if (current(conv).some((p) => p.agentId === consultAgentId)) {
    return err({ code: 'lifecycle.alreadyParticipant', message: 'That agent is already in the conversation' });
  }
  return ok({ ...conv, participants: [...conv.participants, { agentId: consultAgentId, role: 'consult', joinedOn: at }] });
}

export function endConsult(conv: ConversationRecord, consultAgentId: string, at: EpochMs): LR {
  if (!current(conv).some((p) => p.agentId === consultAgentId && p.role === 'consult')) {
    return err({ code: 'lifecycle.notParticipant', message: 'That agent is not consulting on this conversation' });
  }
  return ok({ ...conv, participants: leaveAll(conv.participants, at, (p) => p.agentId === consultAgentId && p.role === 'consult') });
}

/** The receiver becomes primary (a consultant being transferred to is promoted); the sender leaves. */
export function transferToAgent(conv: ConversationRecord, byAgentId: string, toAgentId: string, at: EpochMs): LR {
  const bad = requirePrimary(conv, byAgentId);
  if (bad) return err(bad);
  if (toAgentId === byAgentId) return err({ code: 'lifecycle.alreadyParticipant', message: 'An agent cannot transfer to themselves' });
  return ok({ ...conv, participants: handOver(conv.participants, byAgentId, toAgentId, at) });
}

/** Back to routing: every participant leaves and the conversation is Open again (the engine queues it). */
export function transferToQueue(conv: ConversationRecord, byAgentId: string, at: EpochMs): LR {
  const bad = requirePrimary(conv, byAgentId);
  if (bad) return err(bad);
  return ok({ ...conv, state: 'Open', participants: leaveAll(conv.participants, at, (p) => leavesOnEntering('Open', p.role)) });
}

export function reopen(conv: ConversationRecord, at: EpochMs): LR {
  if (conv.state !== 'Closed') return err({ code: 'lifecycle.invalidTransition', message: 'Only a Closed conversation can be reopened' });
  return ok({ ...conv, state: 'Open', timestamps: { ...conv.timestamps, reopenedOn: at }, reopenCount: conv.reopenCount + 1 });
}

export interface StoredMove {
  /** Null for a conversation just created. */
  from: ConversationState | null;
  to: ConversationState;
  primaryBefore: string | null;
  primaryAfter: string | null;
}

/**
 * The participants after a move someone already stored on the conversation (a plugin step
 * follows the row after the write; it decides nothing, the operations above did): the state's
 * departures (leavesOnEntering), then, for an Active conversation, its primary agent taking part
 * as primary: a new one by hand-over, as transferToAgent does (a consultant is promoted), the
 * first one as assignPrimary adds them. A primary already taking part is left as is, so
 * following the same move twice changes nothing.
 */
export function followStoredMove(participants: readonly Participant[], move: StoredMove, at: EpochMs): Participant[] {
  let ps = move.from !== null && move.from !== move.to ? leaveAll(participants, at, (p) => leavesOnEntering(move.to, p.role)) : [...participants];
  const receiver = move.primaryAfter;
  if (move.to !== 'Active' || !receiver) return ps;
  if (move.primaryBefore && move.primaryBefore !== receiver) ps = leaveAll(ps, at, (p) => p.agentId === move.primaryBefore);
  if (ps.some((p) => p.leftOn === undefined && p.agentId === receiver && p.role === 'primary')) return ps;
  return handOver(ps, null, receiver, at);
}
