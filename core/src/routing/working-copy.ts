// The routing engine's working copy: the conversations and agents it holds and the
// bookkeeping every operation shares, so that each rule is applied in one place. Capacity is
// charged and released here (and presence follows it), conversations are put in and taken out
// of their queue's indexes here, wrap-ups and timers are tracked here. What to decide (queue,
// offer, overflow) is the engine's; what a lifecycle event does is lifecycle-events.ts's.
import { type AgentCapacity, type CapacityLoadItem, type LoadPhase, addLoad, removeLoad, wrapUpReleaseAt } from '../capacity/capacity';
import { primaryAgentOf, transition } from '../lifecycle/conversation-lifecycle';
import {
  type AgentPresence,
  type PresenceEvent,
  type PresenceSettings,
  loadOf,
  nextPresenceDeadline,
  presenceBase,
  reducePresence,
  signedOutPresence,
} from '../presence/presence';
import { type Result, ok } from '../result';
import type { EpochMs } from '../time';
import { AgentPool, type AgentState } from './agent-pool';
import { OrderedIndex, TimerHeap } from './ordered-index';
import type { PreparedConfig } from './prepared-config';
import type { RoutingConfig, WorkstreamConfig } from './routing-config';
import { type Decisions, type EngineError, type RoutingDecision, fail } from './routing-decision';
import type { AgentInput, ConversationSnapshot } from './routing-snapshot';
import { DEFAULT_PRIORITY, type WorkItem } from './work-item';

export class QueueWaiting {
  /** Bumped when a conversation joins the queue. */
  version = 0;
  /**
   * Set when a full scan of the queue placed nothing. Until the queue's agents, its waiting
   * list, the configuration or the minute (working hours) change, scanning again would fail
   * the same way, so decide() skips it: a backlog nobody can take costs O(1), not O(items × agents).
   */
  stalled: { agents: number; waiting: number; config: RoutingConfig; minute: number } | null = null;
  /** Offer order: priority, then arrival in the queue (FIFO). */
  readonly byOrder = new OrderedIndex<WorkItem>();
  /** Age order, for wait-time overflow; items leave it once their overflow fired. */
  readonly byAge = new OrderedIndex<WorkItem>();
}

export interface AgentPatch {
  queueIds?: string[];
  skills?: Readonly<Record<string, number>>;
  capacity?: AgentCapacity;
  workingHoursId?: string | null;
  attributes?: Record<string, unknown>;
  /** A presence row read back from storage (another instance may have written it). */
  presence?: AgentPresence;
  lastReleaseAt?: EpochMs;
}

export class WorkingCopy {
  readonly pool = new AgentPool();
  readonly items = new Map<string, WorkItem>();
  readonly waiting = new Map<string, QueueWaiting>();
  readonly offerTimers = new TimerHeap();
  readonly releaseTimers = new TimerHeap();
  /** Running wrap-ups that still hold capacity; their blocking is read from the current config. */
  readonly wrapUps = new Map<string, { agentId: string; wrapUpOn: EpochMs; workstreamId: string }>();
  wrapUpConfig: RoutingConfig | null = null;
  private readonly presenceTimers = new TimerHeap();
  private readonly presenceTimerTag = new Map<string, number>();
  // Stamps are milliseconds-or-later and strictly increasing: persisted on rows (last offer per
  // queue, enqueue order), they keep round-robin order and FIFO exact across a reload.
  lastStamp = 0;
  offerSeq = 0;

  constructor(readonly presenceSettings: PresenceSettings) {}

  stamp(now: EpochMs): number {
    this.lastStamp = Math.max(now, this.lastStamp + 1);
    return this.lastStamp;
  }

  // ---------------------------------------------------------------- agents

  addAgent(input: AgentInput): void {
    const presence = input.presence ?? signedOutPresence();
    const agent: AgentState = {
      id: input.id,
      name: input.name ?? input.id,
      queueIds: [...input.queueIds],
      skills: new Map(Object.entries(input.skills ?? {})),
      capacity: input.capacity,
      attributes: input.attributes ?? {},
      presence,
      presenceBase: presenceBase(presence, this.presenceSettings),
      loads: new Map(),
      usedUnits: 0,
      profileUsed: new Map(),
      lastReleaseAt: input.lastReleaseAt ?? 0,
      lastAssignedSeq: input.lastOfferStamp ?? -1,
      queueAssignedSeq: new Map(Object.entries(input.lastOfferStampByQueue ?? {})),
      memberOrder: new Map(),
      offersReceived: 0,
    };
    if (input.workingHoursId !== undefined) agent.workingHoursId = input.workingHoursId;
    this.lastStamp = Math.max(this.lastStamp, agent.lastAssignedSeq, ...agent.queueAssignedSeq.values());
    this.pool.add(agent);
    this.schedulePresence(agent);
  }

  updateAgent(agentId: string, patch: AgentPatch): Result<void, EngineError> {
    const a = this.pool.agents.get(agentId);
    if (!a) return fail('engine.unknownAgent', `Agent ${agentId} is not known`);
    if (patch.presence) {
      a.presence = patch.presence;
      a.presenceBase = presenceBase(patch.presence, this.presenceSettings);
      this.schedulePresence(a);
    }
    if (patch.lastReleaseAt !== undefined) a.lastReleaseAt = patch.lastReleaseAt;
    if (patch.skills) a.skills = new Map(Object.entries(patch.skills));
    if (patch.capacity) a.capacity = patch.capacity;
    if (patch.workingHoursId !== undefined) {
      if (patch.workingHoursId === null) delete a.workingHoursId;
      else a.workingHoursId = patch.workingHoursId;
    }
    if (patch.attributes) a.attributes = patch.attributes;
    if (patch.queueIds) this.pool.setQueues(a, patch.queueIds);
    this.pool.refresh(a);
    return ok(undefined);
  }

  /** An agent who still holds conversations or offers cannot leave: close or transfer them first. */
  removeAgent(agentId: string): Result<void, EngineError> {
    const a = this.pool.agents.get(agentId);
    if (!a) return fail('engine.unknownAgent', `Agent ${agentId} is not known`);
    if (a.loads.size > 0) return fail('engine.agentBusy', `Agent ${agentId} still holds ${a.loads.size} conversation(s)`);
    this.pool.remove(agentId);
    this.presenceTimerTag.delete(agentId);
    return ok(undefined);
  }

  presence(agentId: string, event: PresenceEvent): Decisions {
    const a = this.pool.agents.get(agentId);
    if (!a) return fail('engine.unknownAgent', `Agent ${agentId} is not known`);
    const out: RoutingDecision[] = [];
    this.applyPresence(a, event, out);
    this.schedulePresence(a);
    return ok(out);
  }

  private schedulePresence(a: AgentState): void {
    const at = nextPresenceDeadline(a.presence, this.presenceSettings);
    const tag = (this.presenceTimerTag.get(a.id) ?? 0) + 1;
    this.presenceTimerTag.set(a.id, tag);
    if (at !== null) this.presenceTimers.push(at, a.id, tag);
  }

  /** Inactivity and the end of the disconnect grace, without polling every agent. */
  runPresenceTimers(now: EpochMs, out: RoutingDecision[]): void {
    while (this.presenceTimers.peekTime() <= now) {
      const t = this.presenceTimers.pop()!;
      const agent = this.pool.agents.get(t.id);
      if (!agent || this.presenceTimerTag.get(t.id) !== t.tag) continue;
      this.applyPresence(agent, { type: 'tick', at: now }, out);
      this.schedulePresence(agent);
    }
  }

  /** Returns true when the routing presence changed (the caller re-indexes the agent). */
  private applyPresence(a: AgentState, event: PresenceEvent, out: RoutingDecision[], reindex = true): boolean {
    const before = a.presence.statusId;
    a.presence = reducePresence(a.presence, event, this.presenceSettings);
    if (a.presence.statusId !== before) out.push({ kind: 'presence-changed', agentId: a.id, from: before, to: a.presence.statusId });
    const base = presenceBase(a.presence, this.presenceSettings);
    if (base === a.presenceBase) return false;
    a.presenceBase = base;
    if (reindex) this.pool.refresh(a);
    return true;
  }

  // ---------------------------------------------------------------- capacity

  charge(agent: AgentState, item: WorkItem, ws: WorkstreamConfig, phase: LoadPhase, out: RoutingDecision[]): void {
    const load: CapacityLoadItem = { conversationId: item.id, units: ws.capacityUnits, phase };
    if (ws.capacityProfileId) load.profileId = ws.capacityProfileId;
    agent.loads.set(item.id, load);
    addLoad(agent, load);
    this.capacityChanged(agent, out);
  }

  /** Returns false when the agent held nothing for this conversation. */
  release(agent: AgentState, conversationId: string, now: EpochMs, countsAsRelease: boolean, out: RoutingDecision[]): boolean {
    const load = agent.loads.get(conversationId);
    if (!load) return false;
    agent.loads.delete(conversationId);
    if (load.phase === 'wrapup') this.wrapUps.delete(conversationId);
    removeLoad(agent, load);
    // Withdrawing an unanswered offer is not "finishing work": least-active ignores it.
    if (countsAsRelease) {
      agent.lastReleaseAt = now;
      out.push({ kind: 'capacity-released', conversationId, agentId: agent.id });
    }
    this.capacityChanged(agent, out);
    return true;
  }

  // One re-index per capacity change, after presence has followed capacity (Available → Busy...).
  private capacityChanged(agent: AgentState, out: RoutingDecision[]): void {
    const load = loadOf(agent.usedUnits, agent.capacity.maxUnits);
    if (load !== agent.presence.load) this.applyPresence(agent, { type: 'capacity', load }, out, false);
    this.pool.refresh(agent);
  }

  // The first look is due at once: the next decide() reads the blocking from whatever
  // configuration is in force then, and re-arms the timer for the real release time.
  trackWrapUp(conversationId: string, agentId: string, wrapUpOn: EpochMs, ws: WorkstreamConfig): void {
    this.wrapUps.set(conversationId, { agentId, wrapUpOn, workstreamId: ws.id });
    this.releaseTimers.push(wrapUpOn, conversationId, 0);
  }

  wrapUpReleaseTime(cfg: PreparedConfig, w: { wrapUpOn: EpochMs; workstreamId: string }): EpochMs | null {
    const ws = cfg.workstreams.get(w.workstreamId);
    return ws ? wrapUpReleaseAt(ws.wrapUpBlocking, w.wrapUpOn) : null;
  }

  // ---------------------------------------------------------------- queues

  queueWaiting(queueId: string): QueueWaiting {
    let w = this.waiting.get(queueId);
    if (!w) {
      w = new QueueWaiting();
      this.waiting.set(queueId, w);
    }
    return w;
  }

  putWaiting(item: WorkItem, queueId: string, now: EpochMs, fresh: boolean): void {
    if (fresh) {
      item.enqueueSeq = this.stamp(now);
      item.enqueuedAt = now;
      item.waitOverflowFired = false;
    }
    item.queueId = queueId;
    item.status = 'waiting';
    item.offer = null;
    const w = this.queueWaiting(queueId);
    w.version++;
    w.byOrder.upsert(item.id, [item.priority, item.enqueueSeq], item);
    if (!item.waitOverflowFired) w.byAge.upsert(item.id, [item.enqueuedAt, item.enqueueSeq], item);
    if (item.conversation.state === 'Open') {
      const moved = transition(item.conversation, 'Waiting', now);
      if (moved.ok) item.conversation = moved.value;
    }
  }

  takeOutOfQueue(item: WorkItem): void {
    const w = this.waiting.get(item.queueId);
    if (!w) return;
    w.byOrder.delete(item.id);
    w.byAge.delete(item.id);
  }

  end(item: WorkItem, now: EpochMs, reason: 'closed' | 'overflow', out: RoutingDecision[]): void {
    const closed = transition(item.conversation, 'Closed', now);
    if (closed.ok) item.conversation = closed.value;
    item.status = 'ended';
    item.offer = null;
    out.push({ kind: 'ended', conversationId: item.id, reason });
  }

  endOffer(item: WorkItem, reason: 'declined' | 'timeout' | 'withdrawn', now: EpochMs, out: RoutingDecision[]): void {
    const offer = item.offer!;
    const agent = this.pool.agents.get(offer.agentId);
    if (agent) this.release(agent, item.id, now, false, out);
    if (reason !== 'withdrawn') item.declines.set(offer.agentId, (item.declines.get(offer.agentId) ?? 0) + 1);
    out.push({ kind: 'offer-ended', conversationId: item.id, agentId: offer.agentId, reason });
    // Back at its old FIFO place; the next decide() offers it to the next eligible agent.
    this.putWaiting(item, item.queueId, now, false);
  }

  // ---------------------------------------------------------------- conversations

  /** A conversation with an agent (Active or Wrap-up): what consult, transfer and wrap-up act on. */
  assignedItem(conversationId: string): Result<WorkItem, EngineError> {
    const item = this.items.get(conversationId);
    if (!item) return fail('engine.unknownConversation', `Conversation ${conversationId} is not known`);
    if (item.status !== 'assigned') return fail('engine.notAssigned', `Conversation ${conversationId} has no agent`);
    return ok(item);
  }

  /** A stored conversation into the working copy, holding the capacity its row says it holds. */
  load(c: ConversationSnapshot, cfg: PreparedConfig): void {
    const ws = cfg.workstreams.get(c.workstreamId);
    const item: WorkItem = {
      id: c.id,
      workstreamId: c.workstreamId,
      queueId: c.queueId,
      priority: c.priority ?? DEFAULT_PRIORITY,
      skills: c.skills ?? [],
      status: 'waiting',
      arrivedAt: c.arrivedAt ?? c.record.timestamps.openedOn,
      enqueuedAt: c.enqueuedAt ?? c.record.timestamps.openedOn,
      enqueueSeq: c.enqueueStamp ?? this.stamp(c.enqueuedAt ?? c.record.timestamps.openedOn),
      declines: new Map(Object.entries(c.declines ?? {})),
      offer: null,
      overflowHops: c.overflowHops ?? 0,
      waitOverflowFired: c.waitOverflowFired ?? false,
      conversation: c.record,
      facts: c.facts ?? {},
    };
    if (c.language !== undefined) item.language = c.language;
    this.items.set(item.id, item);
    // A closed conversation is loaded only so that it can be reopened.
    if (c.record.state === 'Closed') {
      item.status = 'ended';
      return;
    }
    const primary = primaryAgentOf(c.record);
    if ((c.record.state === 'Active' || c.record.state === 'WrapUp') && primary) {
      item.status = 'assigned';
      const agent = this.pool.agents.get(primary);
      if (agent && ws) {
        const phase: LoadPhase = c.record.state === 'WrapUp' ? 'wrapup' : 'active';
        // A wrap-up whose blocking already ended is stored as holding nothing.
        if (c.capacityHeld === false) return;
        this.charge(agent, item, ws, phase, []);
        if (phase === 'wrapup') this.trackWrapUp(item.id, agent.id, c.record.timestamps.wrapUpOn ?? 0, ws);
      }
      return;
    }
    if (c.offer && ws && this.pool.agents.has(c.offer.agentId)) {
      item.status = 'offered';
      item.offer = { ...c.offer, seq: ++this.offerSeq };
      this.charge(this.pool.agents.get(c.offer.agentId)!, item, ws, 'offered', []);
      this.offerTimers.push(c.offer.expiresAt, item.id, item.offer.seq);
      return;
    }
    this.putWaiting(item, c.queueId, item.enqueuedAt, false);
  }

  /** Drops a conversation, releasing whatever it held, without any decision. */
  forget(conversationId: string): void {
    const item = this.items.get(conversationId);
    if (!item) return;
    if (item.status === 'waiting') this.takeOutOfQueue(item);
    const holders = new Set<string>(item.conversation.participants.map((p) => p.agentId));
    if (item.offer) holders.add(item.offer.agentId);
    const ignored: RoutingDecision[] = [];
    for (const id of holders) {
      const a = this.pool.agents.get(id);
      if (a) this.release(a, conversationId, a.lastReleaseAt, false, ignored);
    }
    this.items.delete(conversationId);
  }
}
