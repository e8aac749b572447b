// Agents and the per-queue indexes used to pick one. Each queue keeps, per assignment
// ordering and per presence, an OrderedIndex of its members that are signed in and have
// capacity left. Presence, capacity or round-robin changes re-key only the agent that
// changed (O(queues of that agent × orderings × log n)), so a decision never scans all agents.
import type { AgentCapacity, CapacityLoadItem } from '../capacity/capacity';
import type { AgentPresence, PresenceBase } from '../presence/presence';
import { IndexCursor, OrderedIndex, type SortKey } from './ordered-index';

export interface AgentState {
  readonly id: string;
  name: string;
  queueIds: string[];
  /** skillId → rating */
  skills: Map<string, number>;
  capacity: AgentCapacity;
  workingHoursId?: string;
  attributes: Record<string, unknown>;
  presence: AgentPresence;
  presenceBase: PresenceBase;
  loads: Map<string, CapacityLoadItem>;
  usedUnits: number;
  profileUsed: Map<string, number>;
  lastReleaseAt: number;
  /** Offer stamps (time-based, strictly increasing): the last offer overall and per queue. */
  lastAssignedSeq: number;
  queueAssignedSeq: Map<string, number>;
  memberOrder: Map<string, number>;
  /** Offers made to this agent in total: what round-robin fairness is measured on. */
  offersReceived: number;
}

export function remainingUnits(a: AgentState): number {
  return a.capacity.maxUnits - a.usedUnits;
}

/** An ordering of a queue's agents; `id` names it so the pool can share one index per ordering. */
export interface AgentOrdering {
  readonly id: string;
  key(agent: AgentState, queueId: string): SortKey;
}

const INDEXED_PRESENCES: readonly PresenceBase[] = ['Available', 'Busy', 'DoNotDisturb', 'Away'];

interface OrderingIndex {
  ordering: AgentOrdering;
  byPresence: Map<PresenceBase, OrderedIndex<AgentState>>;
}

class QueueMembers {
  readonly members = new Map<string, AgentState>();
  readonly orderings = new Map<string, OrderingIndex>();
  nextOrder = 0;
  /** Bumped whenever any member is placed or removed: lets the engine skip a queue nothing changed in. */
  version = 0;
  /** Members currently routable (signed in, capacity left) and the presence they are indexed under. */
  readonly placed = new Map<string, PresenceBase>();
  readonly routable = new Map<PresenceBase, number>();
}

export class AgentPool {
  readonly agents = new Map<string, AgentState>();
  private readonly queues = new Map<string, QueueMembers>();

  private queue(id: string): QueueMembers {
    let q = this.queues.get(id);
    if (!q) {
      q = new QueueMembers();
      this.queues.set(id, q);
    }
    return q;
  }

  isRoutable(a: AgentState): boolean {
    return a.presenceBase !== 'Offline' && INDEXED_PRESENCES.includes(a.presenceBase) && remainingUnits(a) > 0;
  }

  add(agent: AgentState): void {
    if (this.agents.has(agent.id)) throw new Error(`Agent ${agent.id} is already in the pool`);
    this.agents.set(agent.id, agent);
    for (const qid of agent.queueIds) this.join(agent, qid);
  }

  private join(agent: AgentState, queueId: string): void {
    const q = this.queue(queueId);
    if (!agent.memberOrder.has(queueId)) agent.memberOrder.set(queueId, q.nextOrder++);
    q.members.set(agent.id, agent);
    this.place(agent, queueId, q);
  }

  private leave(agent: AgentState, queueId: string): void {
    const q = this.queues.get(queueId);
    if (!q) return;
    this.unplace(agent, q);
    q.members.delete(agent.id);
  }

  remove(agentId: string): void {
    const a = this.agents.get(agentId);
    if (!a) return;
    for (const qid of a.queueIds) this.leave(a, qid);
    this.agents.delete(agentId);
  }

  setQueues(agent: AgentState, queueIds: string[]): void {
    for (const old of agent.queueIds) if (!queueIds.includes(old)) this.leave(agent, old);
    const before = agent.queueIds;
    agent.queueIds = [...queueIds];
    for (const qid of queueIds) if (!before.includes(qid)) this.join(agent, qid);
  }

  // Removal uses the presence recorded at placement: the agent's fields may already have changed.
  private unplace(agent: AgentState, q: QueueMembers): void {
    q.version++;
    const p = q.placed.get(agent.id);
    if (p === undefined) return;
    for (const oi of q.orderings.values()) oi.byPresence.get(p)!.delete(agent.id);
    q.routable.set(p, q.routable.get(p)! - 1);
    q.placed.delete(agent.id);
  }

  private place(agent: AgentState, queueId: string, q: QueueMembers): void {
    q.version++;
    if (!this.isRoutable(agent)) return;
    for (const oi of q.orderings.values()) {
      oi.byPresence.get(agent.presenceBase)!.upsert(agent.id, oi.ordering.key(agent, queueId), agent);
    }
    q.placed.set(agent.id, agent.presenceBase);
    q.routable.set(agent.presenceBase, (q.routable.get(agent.presenceBase) ?? 0) + 1);
  }

  /** Re-keys an agent after presence, capacity, release time or round-robin position changed. */
  refresh(agent: AgentState): void {
    const routable = this.isRoutable(agent);
    for (const qid of agent.queueIds) {
      const q = this.queues.get(qid);
      if (!q) continue;
      const was = q.placed.get(agent.id);
      if (routable && was === agent.presenceBase) {
        // Same presence bucket: re-key in place; orderings whose key did not change cost one comparison.
        q.version++;
        for (const oi of q.orderings.values()) oi.byPresence.get(was)!.upsert(agent.id, oi.ordering.key(agent, qid), agent);
        continue;
      }
      this.unplace(agent, q);
      this.place(agent, qid, q);
    }
  }

  /** Number of routable members of a queue in the given presences: O(presences). */
  routableCount(queueId: string, presences: readonly PresenceBase[]): number {
    const q = this.queues.get(queueId);
    if (!q) return 0;
    let n = 0;
    for (const p of presences) n += q.routable.get(p) ?? 0;
    return n;
  }

  /** Changes whenever a member of the queue changed in any way routing can see. */
  queueVersion(queueId: string): number {
    return this.queues.get(queueId)?.version ?? -1;
  }

  memberCount(queueId: string): number {
    return this.queues.get(queueId)?.members.size ?? 0;
  }

  members(queueId: string): IterableIterator<AgentState> {
    return (this.queues.get(queueId)?.members ?? new Map<string, AgentState>()).values();
  }

  /** Builds (once) the index of a queue for an ordering; later changes keep it up to date. */
  ensureIndex(queueId: string, ordering: AgentOrdering): void {
    this.orderingIndex(this.queue(queueId), queueId, ordering);
  }

  private orderingIndex(q: QueueMembers, queueId: string, ordering: AgentOrdering): OrderingIndex {
    let oi = q.orderings.get(ordering.id);
    if (!oi) {
      // First use of an ordering on this queue (or a method changed in config): build once,
      // then it is maintained incrementally like the others.
      oi = { ordering, byPresence: new Map(INDEXED_PRESENCES.map((p) => [p, new OrderedIndex<AgentState>()])) };
      for (const a of q.members.values()) {
        const p = q.placed.get(a.id);
        if (p !== undefined) oi.byPresence.get(p)!.upsert(a.id, ordering.key(a, queueId), a);
      }
      q.orderings.set(ordering.id, oi);
    }
    return oi;
  }

  /** Cursor over routable members of a queue in one presence, best first for the ordering. */
  cursor(queueId: string, ordering: AgentOrdering, presence: PresenceBase): IndexCursor<AgentState> | null {
    const q = this.queues.get(queueId);
    if (!q) return null;
    const idx = this.orderingIndex(q, queueId, ordering).byPresence.get(presence);
    return idx && idx.size > 0 ? idx.cursor() : null;
  }
}
