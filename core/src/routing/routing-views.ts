// Read models of the engine's working copy: a conversation or an agent as the engine sees it,
// what waits in a queue, and the whole copy as rows to store (snapshotOf, read back by
// RoutingEngine.fromSnapshot).
import type { AgentCapacity, CapacityLoadItem } from '../capacity/capacity';
import { type ConversationRecord, primaryAgentOf } from '../lifecycle/conversation-lifecycle';
import type { AgentPresence } from '../presence/presence';
import type { ConditionScope } from '../rules/condition-evaluator';
import type { EpochMs } from '../time';
import type { AgentPool, AgentState } from './agent-pool';
import type { SkillRequirement } from './routing-config';
import type { AgentInput, ConversationSnapshot, RoutingSnapshot } from './routing-snapshot';
import type { WorkItem, WorkItemStatus } from './work-item';
import type { WorkingCopy } from './working-copy';

export interface ConversationView {
  id: string;
  status: WorkItemStatus;
  queueId: string;
  workstreamId: string;
  priority: number;
  skills: SkillRequirement[];
  language?: string;
  offer: { agentId: string; offeredAt: EpochMs; expiresAt: EpochMs } | null;
  declines: Record<string, number>;
  record: ConversationRecord;
  enqueuedAt: EpochMs;
  enqueueStamp: number;
  arrivedAt: EpochMs;
  facts: ConditionScope;
  overflowHops: number;
  waitOverflowFired: boolean;
  /** False once a wrap-up stopped holding capacity (or for a conversation nobody holds). */
  capacityHeld: boolean;
}

export interface AgentView {
  id: string;
  name: string;
  skills: Record<string, number>;
  capacity: AgentCapacity;
  attributes: Record<string, unknown>;
  workingHoursId?: string;
  statusId: string;
  presence: AgentPresence;
  presenceBase: string;
  queueIds: string[];
  usedUnits: number;
  maxUnits: number;
  loads: CapacityLoadItem[];
  lastReleaseAt: EpochMs;
  lastOfferStamp: number;
  lastOfferStampByQueue: Record<string, number>;
  offersReceived: number;
}

function viewOf(i: WorkItem, pool: AgentPool): ConversationView {
  const holder = i.offer?.agentId ?? primaryAgentOf(i.conversation);
  const v: ConversationView = {
    id: i.id,
    status: i.status,
    queueId: i.queueId,
    workstreamId: i.workstreamId,
    priority: i.priority,
    skills: i.skills,
    offer: i.offer && { agentId: i.offer.agentId, offeredAt: i.offer.offeredAt, expiresAt: i.offer.expiresAt },
    declines: Object.fromEntries(i.declines),
    record: i.conversation,
    enqueuedAt: i.enqueuedAt,
    enqueueStamp: i.enqueueSeq,
    arrivedAt: i.arrivedAt,
    facts: i.facts,
    overflowHops: i.overflowHops,
    waitOverflowFired: i.waitOverflowFired,
    capacityHeld: !!holder && !!pool.agents.get(holder)?.loads.has(i.id),
  };
  if (i.language !== undefined) v.language = i.language;
  return v;
}

function agentView(a: AgentState): AgentView {
  const v: AgentView = {
    id: a.id,
    name: a.name,
    skills: Object.fromEntries(a.skills),
    capacity: a.capacity,
    attributes: a.attributes,
    statusId: a.presence.statusId,
    presence: a.presence,
    presenceBase: a.presenceBase,
    queueIds: [...a.queueIds],
    usedUnits: a.usedUnits,
    maxUnits: a.capacity.maxUnits,
    loads: [...a.loads.values()].map((l) => ({ ...l })),
    lastReleaseAt: a.lastReleaseAt,
    lastOfferStamp: a.lastAssignedSeq,
    lastOfferStampByQueue: Object.fromEntries(a.queueAssignedSeq),
    offersReceived: a.offersReceived,
  };
  if (a.workingHoursId !== undefined) v.workingHoursId = a.workingHoursId;
  return v;
}

export function conversationView(copy: WorkingCopy, conversationId: string): ConversationView | undefined {
  const i = copy.items.get(conversationId);
  return i && viewOf(i, copy.pool);
}

export function conversationViews(copy: WorkingCopy): IterableIterator<ConversationView> {
  const it = copy.items.values();
  const pool = copy.pool;
  return (function* () {
    for (const i of it) yield viewOf(i, pool);
  })();
}

export function agentViewOf(copy: WorkingCopy, agentId: string): AgentView | undefined {
  const a = copy.pool.agents.get(agentId);
  return a && agentView(a);
}

export function agentViews(copy: WorkingCopy): AgentView[] {
  return [...copy.pool.agents.values()].map(agentView);
}

export function waitingCount(copy: WorkingCopy, queueId: string): number {
  return copy.waiting.get(queueId)?.byOrder.size ?? 0;
}

/** Waiting conversation ids of a queue in offer order (O(n): for views and tests). */
export function waitingIds(copy: WorkingCopy, queueId: string): string[] {
  return [...(copy.waiting.get(queueId)?.byOrder.values() ?? [])].map((i) => i.id);
}

/** The engine's state as rows to store, in the shape fromSnapshot() reads back. */
export function snapshotOf(engine: { agents(): AgentView[]; conversations(): Iterable<ConversationView> }): RoutingSnapshot {
  const agents: AgentInput[] = engine.agents().map((a) => {
    const input: AgentInput = {
      id: a.id,
      name: a.name,
      queueIds: a.queueIds,
      skills: a.skills,
      capacity: a.capacity,
      attributes: a.attributes,
      presence: a.presence,
      lastReleaseAt: a.lastReleaseAt,
      lastOfferStamp: a.lastOfferStamp,
      lastOfferStampByQueue: a.lastOfferStampByQueue,
    };
    if (a.workingHoursId !== undefined) input.workingHoursId = a.workingHoursId;
    return input;
  });
  const conversations: ConversationSnapshot[] = [...engine.conversations()].map((c) => {
    const snap: ConversationSnapshot = {
      id: c.id,
      workstreamId: c.workstreamId,
      queueId: c.queueId,
      record: c.record,
      priority: c.priority,
      skills: c.skills,
      facts: c.facts,
      arrivedAt: c.arrivedAt,
      enqueuedAt: c.enqueuedAt,
      enqueueStamp: c.enqueueStamp,
      declines: c.declines,
      offer: c.offer,
      overflowHops: c.overflowHops,
      waitOverflowFired: c.waitOverflowFired,
      capacityHeld: c.capacityHeld,
    };
    if (c.language !== undefined) snap.language = c.language;
    return snap;
  });
  return { agents, conversations };
}
