// The routing engine: the in-memory working copy a durable worker loads from a snapshot,
// feeds events into, and asks for decisions. Every method takes the configuration snapshot
// and a context (clock, RNG) as arguments; the engine holds no configuration of its own, so
// a change applies to the very next call. Decisions come back as data for the caller to
// persist (with If-Match); on a concurrency conflict the caller reloads and asks again.
import { type AgentCapacity, type CapacityLoadItem, type LoadPhase, addLoad, hasCapacityFor, removeLoad, wrapUpReleaseAt } from '../capacity/capacity';
import {
  type ConversationRecord,
  type LifecycleErrorCode,
  assignPrimary,
  endConsult,
  openConversation,
  primaryAgentOf,
  reopen as reopenRecord,
  startConsult,
  transferToAgent,
  transferToQueue,
  transition,
} from '../lifecycle/conversation-lifecycle';
import {
  type AgentPresence,
  DEFAULT_PRESENCE_SETTINGS,
  type PresenceBase,
  type PresenceEvent,
  type PresenceSettings,
  loadOf,
  nextPresenceDeadline,
  presenceBase,
  reducePresence,
  signedOutPresence,
} from '../presence/presence';
import { type Result, err, ok } from '../result';
import type { ConditionScope } from '../rules/condition-evaluator';
import { type RuleProblem, classifyConversation, routeToQueue } from '../rules/routing-rules';
import type { Clock, EpochMs, Rng } from '../time';
import { AgentPool, type AgentState, remainingUnits } from './agent-pool';
import { type AssignmentRegistry, defaultAssignmentRegistry, passesFor } from './assignment-registry';
import { type EligibilityContext, isEligible, skillDistance } from './eligibility';
import { isOpen } from './operating-hours';
import { IndexCursor, OrderedIndex, TimerHeap, mergeCursors } from './ordered-index';
import { type OverflowReason, overflowOnArrival, waitTimeExceeded } from './overflow';
import type { OverflowAction, QueueConfig, RoutingConfig, SkillRequirement, WorkstreamConfig } from './routing-config';
import { DEFAULT_PRIORITY, type WorkItem, type WorkItemStatus } from './work-item';
import type { OperatingHours } from './operating-hours';

export interface DecisionContext {
  clock: Clock;
  rng: Rng;
}

export type QueuedReason = 'arrival' | 'overflow' | 'transfer' | 'reopen';

export type RoutingDecision =
  | { kind: 'classified'; conversationId: string; priority: number; skills: SkillRequirement[]; language?: string; matchedRuleIds: string[] }
  | { kind: 'rule-problem'; conversationId: string; problem: RuleProblem }
  | { kind: 'queued'; conversationId: string; queueId: string; ruleId: string | null; reason: QueuedReason }
  | {
      kind: 'offered';
      conversationId: string;
      agentId: string;
      queueId: string;
      offeredAt: EpochMs;
      expiresAt: EpochMs;
      /** The offer's place in routing order (ms-based, strictly increasing): store it to keep round robin exact across reloads. */
      stamp: number;
    }
  | { kind: 'offer-ended'; conversationId: string; agentId: string; reason: 'declined' | 'timeout' | 'withdrawn' }
  | { kind: 'assigned'; conversationId: string; agentId: string }
  | { kind: 'overflowed'; conversationId: string; fromQueueId: string; reason: OverflowReason; action: OverflowAction }
  | { kind: 'automated-message'; conversationId: string; messageId: string; reason: OverflowReason }
  | { kind: 'wrap-up'; conversationId: string }
  | { kind: 'ended'; conversationId: string; reason: 'closed' | 'overflow' }
  | { kind: 'reopened'; conversationId: string }
  | { kind: 'transferred'; conversationId: string; fromAgentId: string; toAgentId?: string; toQueueId?: string }
  | { kind: 'consult-started'; conversationId: string; agentId: string }
  | { kind: 'consult-ended'; conversationId: string; agentId: string }
  | { kind: 'capacity-released'; conversationId: string; agentId: string }
  | { kind: 'presence-changed'; agentId: string; from: string; to: string };

export type EngineErrorCode =
  | 'engine.unknownConversation'
  | 'engine.unknownAgent'
  | 'engine.unknownWorkstream'
  | 'engine.unknownQueue'
  | 'engine.duplicate'
  | 'engine.noOffer'
  | 'engine.offerExpired'
  | 'engine.notAssigned'
  | 'engine.noCapacity'
  | 'engine.notEligible'
  | 'engine.agentBusy'
  | LifecycleErrorCode;

export interface EngineError {
  code: EngineErrorCode;
  message: string;
}

type Decisions = Result<RoutingDecision[], EngineError>;

export interface AgentInput {
  id: string;
  name?: string;
  queueIds: string[];
  skills?: Readonly<Record<string, number>>;
  capacity: AgentCapacity;
  workingHoursId?: string;
  attributes?: Record<string, unknown>;
  presence?: AgentPresence;
  lastReleaseAt?: EpochMs;
  /** Stamp of the last offer made to this agent, overall and per queue (round-robin order). */
  lastOfferStamp?: number;
  lastOfferStampByQueue?: Readonly<Record<string, number>>;
}

export interface Arrival {
  conversationId: string;
  workstreamId: string;
  /** Facts readable by rules as conversation.* (firstMessage, subject, locale...). */
  conversation?: Record<string, unknown>;
  customer?: Record<string, unknown> | null;
  context?: Record<string, unknown>;
  priority?: number;
  skills?: SkillRequirement[];
}

/** A conversation as stored, for loading a working copy. */
export interface ConversationSnapshot {
  id: string;
  workstreamId: string;
  queueId: string;
  record: ConversationRecord;
  priority?: number;
  skills?: SkillRequirement[];
  language?: string;
  facts?: ConditionScope;
  arrivedAt?: EpochMs;
  enqueuedAt?: EpochMs;
  /** FIFO position in the queue, as returned by the engine's views. */
  enqueueStamp?: number;
  declines?: Readonly<Record<string, number>>;
  offer?: { agentId: string; offeredAt: EpochMs; expiresAt: EpochMs } | null;
  overflowHops?: number;
  waitOverflowFired?: boolean;
  /** For Active / WrapUp rows: false when the wrap-up no longer holds the agent's capacity. */
  capacityHeld?: boolean;
}

export interface RoutingSnapshot {
  agents: AgentInput[];
  conversations: ConversationSnapshot[];
}

export interface EngineOptions {
  presence?: PresenceSettings;
  registry?: AssignmentRegistry;
}

export interface DecideOptions {
  /** At most this many offers in one call (timers and overflow are always processed). */
  maxDecisions?: number;
  /** Counters to add this call's work to (for metrics and the benchmark). */
  stats?: DecideStats;
}

/** How much work decide() did: the cost model, independent of machine speed. */
export interface DecideStats {
  queuesScanned: number;
  queuesSkippedStalled: number;
  itemsTried: number;
  agentsExamined: number;
}

export function emptyDecideStats(): DecideStats {
  return { queuesScanned: 0, queuesSkippedStalled: 0, itemsTried: 0, agentsExamined: 0 };
}

export interface PreparedConfig {
  config: RoutingConfig;
  queues: Map<string, QueueConfig>;
  byPriority: QueueConfig[];
  workstreams: Map<string, WorkstreamConfig>;
  profileDefaults: Map<string, number>;
  hours: Map<string, OperatingHours>;
  lookahead: number;
  maxHops: number;
}

// Keyed by the snapshot object itself: a new configuration is a new object and is prepared
// afresh on its first use.
const preparedConfigs = new WeakMap<RoutingConfig, PreparedConfig>();

export function prepareConfig(config: RoutingConfig): PreparedConfig {
  let p = preparedConfigs.get(config);
  if (!p) {
    p = {
      config,
      queues: new Map(config.queues.map((q) => [q.id, q])),
      byPriority: [...config.queues].sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      workstreams: new Map(config.workstreams.map((w) => [w.id, w])),
      profileDefaults: new Map(config.capacityProfiles.map((c) => [c.id, c.defaultMaxItems])),
      hours: new Map(config.operatingHours.map((h) => [h.id, h])),
      lookahead: config.lookahead ?? 16,
      maxHops: config.maxOverflowHops ?? 5,
    };
    preparedConfigs.set(config, p);
  }
  return p;
}

class QueueWaiting {
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

const ROUTABLE_PRESENCES: readonly PresenceBase[] = ['Available', 'Busy', 'DoNotDisturb', 'Away'];

const fail = (code: EngineErrorCode, message: string) => err<EngineError>({ code, message });

export class RoutingEngine {
  readonly pool = new AgentPool();
  private readonly items = new Map<string, WorkItem>();
  private readonly waiting = new Map<string, QueueWaiting>();
  private readonly offerTimers = new TimerHeap();
  private readonly releaseTimers = new TimerHeap();
  /** Running wrap-ups that still hold capacity; their blocking is read from the current config. */
  private readonly wrapUps = new Map<string, { agentId: string; wrapUpOn: EpochMs; workstreamId: string }>();
  private wrapUpConfig: RoutingConfig | null = null;
  private readonly presenceTimers = new TimerHeap();
  private readonly presenceTimerTag = new Map<string, number>();
  private readonly presenceSettings: PresenceSettings;
  private readonly registry: AssignmentRegistry;
  // Stamps are milliseconds-or-later and strictly increasing: persisted on rows (last offer per
  // queue, enqueue order), they keep round-robin order and FIFO exact across a reload.
  private lastStamp = 0;
  private offerSeq = 0;

  private stamp(now: EpochMs): number {
    this.lastStamp = Math.max(now, this.lastStamp + 1);
    return this.lastStamp;
  }

  constructor(options: EngineOptions = {}) {
    this.presenceSettings = options.presence ?? DEFAULT_PRESENCE_SETTINGS;
    this.registry = options.registry ?? defaultAssignmentRegistry;
  }

  /** Builds a working copy from stored rows: O((agents + conversations) log n). */
  static fromSnapshot(snapshot: RoutingSnapshot, config: RoutingConfig, options: EngineOptions = {}): RoutingEngine {
    const e = new RoutingEngine(options);
    const cfg = prepareConfig(config);
    for (const a of snapshot.agents) e.addAgent(a);
    for (const c of snapshot.conversations) if (c.enqueueStamp !== undefined) e.lastStamp = Math.max(e.lastStamp, c.enqueueStamp);
    const ordered = [...snapshot.conversations].sort((a, b) => (a.enqueueStamp ?? a.enqueuedAt ?? 0) - (b.enqueueStamp ?? b.enqueuedAt ?? 0));
    for (const c of ordered) e.loadConversation(c, cfg);
    e.prepareIndexes(config);
    return e;
  }

  /**
   * Builds every queue's agent index for its configured method now, instead of on the first
   * decision that needs it (O(members log members) per queue, once). Call after a
   * configuration change that switches assignment methods to keep decision latency flat.
   */
  prepareIndexes(config: RoutingConfig): void {
    for (const q of prepareConfig(config).byPriority) {
      for (const pass of passesFor(this.registry, q.assignment)) this.pool.ensureIndex(q.id, pass.ordering);
    }
  }

  private loadConversation(c: ConversationSnapshot, cfg: PreparedConfig): void {
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

  updateAgent(
    agentId: string,
    patch: {
      queueIds?: string[];
      skills?: Readonly<Record<string, number>>;
      capacity?: AgentCapacity;
      workingHoursId?: string | null;
      attributes?: Record<string, unknown>;
      /** A presence row read back from storage (another instance may have written it). */
      presence?: AgentPresence;
      lastReleaseAt?: EpochMs;
    },
  ): Result<void, EngineError> {
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

  private charge(agent: AgentState, item: WorkItem, ws: WorkstreamConfig, phase: LoadPhase, out: RoutingDecision[]): void {
    const load: CapacityLoadItem = { conversationId: item.id, units: ws.capacityUnits, phase };
    if (ws.capacityProfileId) load.profileId = ws.capacityProfileId;
    agent.loads.set(item.id, load);
    addLoad(agent, load);
    this.capacityChanged(agent, out);
  }

  /** Returns false when the agent held nothing for this conversation. */
  private release(agent: AgentState, conversationId: string, now: EpochMs, countsAsRelease: boolean, out: RoutingDecision[]): boolean {
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

  // ---------------------------------------------------------------- queues

  private queueWaiting(queueId: string): QueueWaiting {
    let w = this.waiting.get(queueId);
    if (!w) {
      w = new QueueWaiting();
      this.waiting.set(queueId, w);
    }
    return w;
  }

  private putWaiting(item: WorkItem, queueId: string, now: EpochMs, fresh: boolean): void {
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

  private takeOutOfQueue(item: WorkItem): void {
    const w = this.waiting.get(item.queueId);
    if (!w) return;
    w.byOrder.delete(item.id);
    w.byAge.delete(item.id);
  }

  private enqueue(item: WorkItem, queueId: string, reason: QueuedReason, ruleId: string | null, cfg: PreparedConfig, now: EpochMs, out: RoutingDecision[]): void {
    const queue = cfg.queues.get(queueId);
    if (!queue) {
      // Config names a queue that no longer exists: never drop the conversation. It waits under
      // that id (listed by waitingIds) until the queue is configured again or it is transferred.
      out.push({ kind: 'rule-problem', conversationId: item.id, problem: { ruleId: '(queue)', code: 'rule.target', message: `Queue '${queueId}' does not exist` } });
      this.putWaiting(item, queueId, now, true);
      out.push({ kind: 'queued', conversationId: item.id, queueId, ruleId, reason });
      return;
    }
    const open = !queue.operatingHoursId || this.hoursOpen(cfg, queue.operatingHoursId, now);
    const overflow = overflowOnArrival(queue, this.waiting.get(queueId)?.byOrder.size ?? 0, open);
    if (overflow && item.overflowHops < cfg.maxHops) {
      item.queueId = queueId;
      this.applyOverflow(item, queue, overflow.reason, overflow.action, cfg, now, out, false);
      return;
    }
    this.putWaiting(item, queueId, now, true);
    out.push({ kind: 'queued', conversationId: item.id, queueId, ruleId, reason });
  }

  private applyOverflow(
    item: WorkItem,
    queue: QueueConfig,
    reason: OverflowReason,
    action: OverflowAction,
    cfg: PreparedConfig,
    now: EpochMs,
    out: RoutingDecision[],
    alreadyWaiting: boolean,
  ): void {
    out.push({ kind: 'overflowed', conversationId: item.id, fromQueueId: queue.id, reason, action });
    item.overflowHops++;
    switch (action.kind) {
      case 'queue':
        if (alreadyWaiting) this.takeOutOfQueue(item);
        this.enqueue(item, action.queueId, 'overflow', null, cfg, now, out);
        return;
      case 'message':
        out.push({ kind: 'automated-message', conversationId: item.id, messageId: action.messageId, reason });
        if (!alreadyWaiting) {
          this.putWaiting(item, queue.id, now, true);
          out.push({ kind: 'queued', conversationId: item.id, queueId: queue.id, ruleId: null, reason: 'overflow' });
        }
        return;
      case 'end':
        if (action.messageId) out.push({ kind: 'automated-message', conversationId: item.id, messageId: action.messageId, reason });
        if (alreadyWaiting) this.takeOutOfQueue(item);
        this.end(item, now, 'overflow', out);
        return;
    }
  }

  // The first look is due at once: the next decide() reads the blocking from whatever
  // configuration is in force then, and re-arms the timer for the real release time.
  private trackWrapUp(conversationId: string, agentId: string, wrapUpOn: EpochMs, ws: WorkstreamConfig): void {
    this.wrapUps.set(conversationId, { agentId, wrapUpOn, workstreamId: ws.id });
    this.releaseTimers.push(wrapUpOn, conversationId, 0);
  }

  private wrapUpReleaseTime(cfg: PreparedConfig, w: { wrapUpOn: EpochMs; workstreamId: string }): EpochMs | null {
    const ws = cfg.workstreams.get(w.workstreamId);
    return ws ? wrapUpReleaseAt(ws.wrapUpBlocking, w.wrapUpOn) : null;
  }

  private end(item: WorkItem, now: EpochMs, reason: 'closed' | 'overflow', out: RoutingDecision[]): void {
    const closed = transition(item.conversation, 'Closed', now);
    if (closed.ok) item.conversation = closed.value;
    item.status = 'ended';
    item.offer = null;
    out.push({ kind: 'ended', conversationId: item.id, reason });
  }

  private hoursOpen(cfg: PreparedConfig, hoursId: string, now: EpochMs): boolean {
    const h = cfg.hours.get(hoursId);
    // Unknown hours are treated as always open: a typo must not silently stop all routing.
    return !h || isOpen(h, now);
  }

  // ---------------------------------------------------------------- arrivals

  arrive(arrival: Arrival, config: RoutingConfig, ctx: DecisionContext): Decisions {
    const cfg = prepareConfig(config);
    if (this.items.has(arrival.conversationId)) return fail('engine.duplicate', `Conversation ${arrival.conversationId} is already routed`);
    const ws = cfg.workstreams.get(arrival.workstreamId);
    if (!ws) return fail('engine.unknownWorkstream', `Workstream ${arrival.workstreamId} is not configured`);
    const now = ctx.clock.now();
    const facts: ConditionScope = {
      conversation: { ...(arrival.conversation ?? {}), channel: ws.channel, workstream: ws.id },
      customer: arrival.customer ?? {},
      context: arrival.context ?? {},
    };
    const item: WorkItem = {
      id: arrival.conversationId,
      workstreamId: ws.id,
      queueId: ws.ruleset.fallbackQueueId,
      priority: arrival.priority ?? DEFAULT_PRIORITY,
      skills: arrival.skills ?? [],
      status: 'waiting',
      arrivedAt: now,
      enqueuedAt: now,
      enqueueSeq: 0,
      declines: new Map(),
      offer: null,
      overflowHops: 0,
      waitOverflowFired: false,
      conversation: openConversation(arrival.conversationId, now),
      facts,
    };
    this.items.set(item.id, item);
    const out: RoutingDecision[] = [];
    this.classifyAndQueue(item, ws, cfg, ctx, now, 'arrival', out);
    return ok(out);
  }

  private classifyAndQueue(item: WorkItem, ws: WorkstreamConfig, cfg: PreparedConfig, ctx: DecisionContext, now: EpochMs, reason: QueuedReason, out: RoutingDecision[]): void {
    const cls = classifyConversation(ws.ruleset.classification, item.facts);
    if (cls.priority !== undefined) item.priority = cls.priority;
    if (cls.skills !== undefined) item.skills = cls.skills;
    if (cls.language !== undefined) item.language = cls.language;
    const conversationFacts = {
      ...(item.facts.conversation ?? {}),
      ...cls.attributes,
      priority: item.priority,
      skills: item.skills.map((s) => s.skillId),
      ...(item.language !== undefined ? { language: item.language } : {}),
    };
    item.facts = { ...item.facts, conversation: conversationFacts };
    const classified: RoutingDecision = { kind: 'classified', conversationId: item.id, priority: item.priority, skills: item.skills, matchedRuleIds: cls.matchedRuleIds };
    if (item.language !== undefined) classified.language = item.language;
    out.push(classified);
    const route = routeToQueue(ws.ruleset.routeToQueue, ws.ruleset.fallbackQueueId, item.facts, ctx.rng, (id) => cfg.queues.has(id));
    for (const problem of [...cls.problems, ...route.problems]) out.push({ kind: 'rule-problem', conversationId: item.id, problem });
    item.queueId = route.queueId;
    this.enqueue(item, route.queueId, reason, route.ruleId, cfg, now, out);
  }

  // ---------------------------------------------------------------- decisions

  /** Processes due timers and overflow, then offers waiting conversations to agents. */
  decide(config: RoutingConfig, ctx: DecisionContext, options: DecideOptions = {}): RoutingDecision[] {
    const cfg = prepareConfig(config);
    const now = ctx.clock.now();
    const out: RoutingDecision[] = [];
    this.runTimers(cfg, now, out);
    const max = options.maxDecisions ?? Infinity;
    const stats = options.stats;
    let made = 0;
    const hours = new Map<string, boolean>();
    const open = (id: string) => {
      let v = hours.get(id);
      if (v === undefined) {
        v = this.hoursOpen(cfg, id, now);
        hours.set(id, v);
      }
      return v;
    };
    for (const queue of cfg.byPriority) {
      if (made >= max) break;
      const w = this.waiting.get(queue.id);
      if (!w || w.byOrder.size === 0) continue;
      if (queue.operatingHoursId && !open(queue.operatingHoursId)) continue;
      if (this.pool.routableCount(queue.id, ROUTABLE_PRESENCES) === 0) continue;
      const minute = Math.floor(now / 60_000);
      const st = w.stalled;
      if (st && st.agents === this.pool.queueVersion(queue.id) && st.waiting === w.version && st.config === config && st.minute === minute) {
        if (stats) stats.queuesSkippedStalled++;
        continue;
      }
      w.stalled = null;
      if (stats) stats.queuesScanned++;
      let failures = 0;
      let placed = 0;
      let cur = w.byOrder.cursor();
      for (let e = cur.next(); e; e = cur.next()) {
        const item = e.value;
        const ws = cfg.workstreams.get(item.workstreamId);
        const agent = ws ? this.selectAgent(queue, item, ws, cfg, now, open, stats) : null;
        if (stats) stats.itemsTried++;
        if (agent && ws) {
          this.offer(item, agent, queue, ws, now, out);
          placed++;
          if (++made >= max) break;
          // Offering removed the item from the index under the cursor: start again from the
          // head and step over the conversations that already failed (at most `lookahead`).
          cur = w.byOrder.cursor();
          for (let k = 0; k < failures; k++) cur.next();
        } else if (++failures > cfg.lookahead) break;
      }
      if (placed === 0) w.stalled = { agents: this.pool.queueVersion(queue.id), waiting: w.version, config, minute };
    }
    return out;
  }

  private selectAgent(
    queue: QueueConfig,
    item: WorkItem,
    ws: WorkstreamConfig,
    cfg: PreparedConfig,
    now: EpochMs,
    open: (id: string) => boolean,
    stats: DecideStats | undefined,
  ): AgentState | null {
    if (this.pool.routableCount(queue.id, ws.allowedPresences) === 0) return null;
    const ctx: EligibilityContext = {
      now,
      queueId: queue.id,
      item,
      workstream: ws,
      demand: ws.capacityProfileId ? { units: ws.capacityUnits, profileId: ws.capacityProfileId } : { units: ws.capacityUnits },
      profileDefaults: cfg.profileDefaults,
      isOpen: open,
    };
    const closest = ws.skillMatch === 'closest';
    for (const pass of passesFor(this.registry, queue.assignment)) {
      const cursors: IndexCursor<AgentState>[] = [];
      for (const p of ws.allowedPresences) {
        const c = this.pool.cursor(queue.id, pass.ordering, p);
        if (c) cursors.push(c);
      }
      const walk = cursors.length === 1 ? cursors[0]! : mergeCursors(cursors);
      let best: AgentState | null = null;
      let bestDistance = Infinity;
      for (let e = walk.next(); e; e = walk.next()) {
        const a = e.value;
        if (stats) stats.agentsExamined++;
        if (pass.mostRemainingFirst && remainingUnits(a) < ctx.demand.units) break;
        if (!isEligible(a, ctx)) continue;
        if (pass.accept && !pass.accept(a, ctx)) continue;
        if (item.skills.length === 0) return a;
        const d = skillDistance(a, item.skills);
        if (d === 0) return a;
        // Closest match walks on looking for a nearer agent; order breaks ties.
        if (closest && d < bestDistance) {
          best = a;
          bestDistance = d;
        }
      }
      if (best) return best;
    }
    return null;
  }

  private offer(item: WorkItem, agent: AgentState, queue: QueueConfig, ws: WorkstreamConfig, now: EpochMs, out: RoutingDecision[]): void {
    this.takeOutOfQueue(item);
    const s = this.stamp(now);
    agent.queueAssignedSeq.set(queue.id, s);
    agent.lastAssignedSeq = s;
    agent.offersReceived++;
    item.status = 'offered';
    item.offer = { agentId: agent.id, offeredAt: now, expiresAt: now + ws.offerTimeoutSeconds * 1000, seq: ++this.offerSeq };
    this.charge(agent, item, ws, 'offered', out);
    this.offerTimers.push(item.offer.expiresAt, item.id, item.offer.seq);
    out.push({ kind: 'offered', conversationId: item.id, agentId: agent.id, queueId: queue.id, offeredAt: now, expiresAt: item.offer.expiresAt, stamp: s });
  }

  private runTimers(cfg: PreparedConfig, now: EpochMs, out: RoutingDecision[]): void {
    while (this.offerTimers.peekTime() <= now) {
      const t = this.offerTimers.pop()!;
      const item = this.items.get(t.id);
      if (item && item.status === 'offered' && item.offer?.seq === t.tag) this.endOffer(item, 'timeout', now, out);
    }
    // Inactivity and the end of the disconnect grace, without polling every agent.
    while (this.presenceTimers.peekTime() <= now) {
      const t = this.presenceTimers.pop()!;
      const agent = this.pool.agents.get(t.id);
      if (!agent || this.presenceTimerTag.get(t.id) !== t.tag) continue;
      this.applyPresence(agent, { type: 'tick', at: now }, out);
      this.schedulePresence(agent);
    }
    if (cfg.config !== this.wrapUpConfig) {
      // Blocking is read from the configuration in force: a change applies to running wrap-ups
      // too. Once per configuration object, O(running wrap-ups).
      this.wrapUpConfig = cfg.config;
      for (const [id, w] of this.wrapUps) {
        const at = this.wrapUpReleaseTime(cfg, w);
        if (at !== null) this.releaseTimers.push(at, id, 0);
      }
    }
    // Timers only say "look at this wrap-up"; the release time is always recomputed from the
    // current configuration, and due releases happen in (release time, id) order so a reloaded
    // working copy releases in the same order as the original.
    const due: { id: string; at: EpochMs }[] = [];
    const seen = new Set<string>();
    while (this.releaseTimers.peekTime() <= now) {
      const t = this.releaseTimers.pop()!;
      const w = this.wrapUps.get(t.id);
      if (!w) continue;
      const at = this.wrapUpReleaseTime(cfg, w);
      if (at === null) continue;
      if (at > now) this.releaseTimers.push(at, t.id, 0);
      else if (!seen.has(t.id)) {
        seen.add(t.id);
        due.push({ id: t.id, at });
      }
    }
    due.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const d of due) {
      const w = this.wrapUps.get(d.id)!;
      const agent = this.pool.agents.get(w.agentId);
      if (agent) this.release(agent, d.id, now, true, out);
      this.wrapUps.delete(d.id);
    }
    for (const queue of cfg.byPriority) {
      if (!queue.overflow?.waitTime) continue;
      const w = this.waiting.get(queue.id);
      if (!w) continue;
      for (let oldest = w.byAge.first(); oldest && waitTimeExceeded(queue, oldest.enqueuedAt, now); oldest = w.byAge.first()) {
        w.byAge.delete(oldest.id);
        oldest.waitOverflowFired = true;
        // Two queues overflowing into each other on wait time would bounce a conversation forever.
        if (oldest.overflowHops >= cfg.maxHops) continue;
        this.applyOverflow(oldest, queue, 'wait-time', queue.overflow.waitTime.action, cfg, now, out, true);
      }
    }
  }

  private endOffer(item: WorkItem, reason: 'declined' | 'timeout' | 'withdrawn', now: EpochMs, out: RoutingDecision[]): void {
    const offer = item.offer!;
    const agent = this.pool.agents.get(offer.agentId);
    if (agent) this.release(agent, item.id, now, false, out);
    if (reason !== 'withdrawn') item.declines.set(offer.agentId, (item.declines.get(offer.agentId) ?? 0) + 1);
    out.push({ kind: 'offer-ended', conversationId: item.id, agentId: offer.agentId, reason });
    // Back at its old FIFO place; the next decide() offers it to the next eligible agent.
    this.putWaiting(item, item.queueId, now, false);
  }

  // ---------------------------------------------------------------- concurrency

  /**
   * Takes back an offer this instance decided but could not persist (another instance won the
   * If-Match race). Unlike a decline it does not count against the agent.
   */
  withdrawOffer(conversationId: string, ctx: DecisionContext): Decisions {
    const item = this.items.get(conversationId);
    if (!item) return fail('engine.unknownConversation', `Conversation ${conversationId} is not known`);
    if (item.status !== 'offered' || !item.offer) return fail('engine.noOffer', `Conversation ${conversationId} has no offer`);
    const out: RoutingDecision[] = [];
    this.endOffer(item, 'withdrawn', ctx.clock.now(), out);
    return ok(out);
  }

  /** Drops the engine's view of a conversation, releasing whatever it held, without any decision. */
  forgetConversation(conversationId: string): void {
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

  /** Replaces the engine's view of one conversation with a row just read back from storage. */
  reloadConversation(snapshot: ConversationSnapshot, config: RoutingConfig): void {
    this.forgetConversation(snapshot.id);
    this.loadConversation(snapshot, prepareConfig(config));
  }

  // ---------------------------------------------------------------- agent actions

  private offeredTo(conversationId: string, agentId: string, now: EpochMs): Result<WorkItem, EngineError> {
    const item = this.items.get(conversationId);
    if (!item) return fail('engine.unknownConversation', `Conversation ${conversationId} is not known`);
    if (item.status !== 'offered' || item.offer?.agentId !== agentId) return fail('engine.noOffer', `Conversation ${conversationId} is not offered to ${agentId}`);
    if (now >= item.offer.expiresAt) return fail('engine.offerExpired', 'The offer has expired');
    return ok(item);
  }

  accept(conversationId: string, agentId: string, ctx: DecisionContext): Decisions {
    const now = ctx.clock.now();
    const found = this.offeredTo(conversationId, agentId, now);
    if (!found.ok) return found;
    const item = found.value;
    const assigned = assignPrimary(item.conversation, agentId, now);
    if (!assigned.ok) return fail(assigned.error.code, assigned.error.message);
    item.conversation = assigned.value;
    item.status = 'assigned';
    item.offer = null;
    const load = this.pool.agents.get(agentId)!.loads.get(item.id);
    if (load) load.phase = 'active';
    return ok([{ kind: 'assigned', conversationId, agentId }]);
  }

  decline(conversationId: string, agentId: string, ctx: DecisionContext): Decisions {
    const now = ctx.clock.now();
    const found = this.offeredTo(conversationId, agentId, now);
    if (!found.ok) return found;
    const out: RoutingDecision[] = [];
    this.endOffer(found.value, 'declined', now, out);
    return ok(out);
  }

  private assignedItem(conversationId: string): Result<WorkItem, EngineError> {
    const item = this.items.get(conversationId);
    if (!item) return fail('engine.unknownConversation', `Conversation ${conversationId} is not known`);
    if (item.status !== 'assigned') return fail('engine.notAssigned', `Conversation ${conversationId} has no agent`);
    return ok(item);
  }

  wrapUp(conversationId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
    const found = this.assignedItem(conversationId);
    if (!found.ok) return found;
    const item = found.value;
    const now = ctx.clock.now();
    const moved = transition(item.conversation, 'WrapUp', now);
    if (!moved.ok) return fail(moved.error.code, moved.error.message);
    const primary = primaryAgentOf(item.conversation);
    item.conversation = moved.value;
    const out: RoutingDecision[] = [{ kind: 'wrap-up', conversationId }];
    const agent = primary ? this.pool.agents.get(primary) : undefined;
    const load = agent?.loads.get(item.id);
    if (agent && load) {
      load.phase = 'wrapup';
      const ws = prepareConfig(config).workstreams.get(item.workstreamId);
      const releaseAt = ws ? wrapUpReleaseAt(ws.wrapUpBlocking, now) : null;
      if (releaseAt !== null && releaseAt <= now) this.release(agent, item.id, now, true, out);
      else if (ws) this.trackWrapUp(item.id, agent.id, now, ws);
    }
    return ok(out);
  }

  /** Ends the conversation from any state: releases whatever capacity it held. */
  close(conversationId: string, ctx: DecisionContext): Decisions {
    const item = this.items.get(conversationId);
    if (!item) return fail('engine.unknownConversation', `Conversation ${conversationId} is not known`);
    if (item.status === 'ended') return fail('lifecycle.invalidTransition', 'The conversation is already closed');
    const now = ctx.clock.now();
    const out: RoutingDecision[] = [];
    if (item.status === 'waiting') this.takeOutOfQueue(item);
    if (item.status === 'offered' && item.offer) {
      const agent = this.pool.agents.get(item.offer.agentId);
      if (agent) this.release(agent, item.id, now, false, out);
      out.push({ kind: 'offer-ended', conversationId, agentId: item.offer.agentId, reason: 'withdrawn' });
    }
    if (item.status === 'assigned') {
      for (const p of item.conversation.participants) {
        const agent = this.pool.agents.get(p.agentId);
        if (agent && p.leftOn === undefined) this.release(agent, item.id, now, true, out);
      }
    }
    this.end(item, now, 'closed', out);
    return ok(out);
  }

  reopen(conversationId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
    const item = this.items.get(conversationId);
    if (!item) return fail('engine.unknownConversation', `Conversation ${conversationId} is not known`);
    const now = ctx.clock.now();
    const reopened = reopenRecord(item.conversation, now);
    if (!reopened.ok) return fail(reopened.error.code, reopened.error.message);
    const cfg = prepareConfig(config);
    const ws = cfg.workstreams.get(item.workstreamId);
    if (!ws) return fail('engine.unknownWorkstream', `Workstream ${item.workstreamId} is not configured`);
    item.conversation = reopened.value;
    item.declines.clear();
    item.overflowHops = 0;
    const out: RoutingDecision[] = [{ kind: 'reopened', conversationId }];
    this.classifyAndQueue(item, ws, cfg, ctx, now, 'reopen', out);
    return ok(out);
  }

  transferToAgent(conversationId: string, byAgentId: string, toAgentId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
    const found = this.assignedItem(conversationId);
    if (!found.ok) return found;
    const item = found.value;
    const now = ctx.clock.now();
    const cfg = prepareConfig(config);
    const ws = cfg.workstreams.get(item.workstreamId);
    const to = this.pool.agents.get(toAgentId);
    if (!ws) return fail('engine.unknownWorkstream', `Workstream ${item.workstreamId} is not configured`);
    if (!to) return fail('engine.unknownAgent', `Agent ${toAgentId} is not known`);
    if (to.presenceBase === 'Offline') return fail('engine.notEligible', `Agent ${toAgentId} is offline`);
    const moved = transferToAgent(item.conversation, byAgentId, toAgentId, now);
    if (!moved.ok) return fail(moved.error.code, moved.error.message);
    const demand = ws.capacityProfileId ? { units: ws.capacityUnits, profileId: ws.capacityProfileId } : { units: ws.capacityUnits };
    if (!hasCapacityFor(to.capacity, { usedUnits: to.usedUnits, profileUsed: to.profileUsed }, demand, cfg.profileDefaults)) {
      return fail('engine.noCapacity', `Agent ${toAgentId} has no capacity left for this conversation`);
    }
    item.conversation = moved.value;
    const out: RoutingDecision[] = [];
    const from = this.pool.agents.get(byAgentId);
    if (from) this.release(from, item.id, now, true, out);
    this.charge(to, item, ws, 'active', out);
    out.push({ kind: 'transferred', conversationId, fromAgentId: byAgentId, toAgentId });
    return ok(out);
  }

  transferToQueue(conversationId: string, byAgentId: string, queueId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
    const found = this.assignedItem(conversationId);
    if (!found.ok) return found;
    const item = found.value;
    const cfg = prepareConfig(config);
    if (!cfg.queues.has(queueId)) return fail('engine.unknownQueue', `Queue ${queueId} is not configured`);
    const now = ctx.clock.now();
    const moved = transferToQueue(item.conversation, byAgentId, now);
    if (!moved.ok) return fail(moved.error.code, moved.error.message);
    const leaving = item.conversation.participants.filter((p) => p.leftOn === undefined).map((p) => p.agentId);
    item.conversation = moved.value;
    const out: RoutingDecision[] = [];
    for (const id of leaving) {
      const a = this.pool.agents.get(id);
      if (a) this.release(a, item.id, now, true, out);
    }
    item.declines.clear();
    out.push({ kind: 'transferred', conversationId, fromAgentId: byAgentId, toQueueId: queueId });
    this.enqueue(item, queueId, 'transfer', null, cfg, now, out);
    return ok(out);
  }

  /** Consult: any agent of the conversation's queue whose presence the workstream allows and who has capacity left; it costs them none. */
  startConsult(conversationId: string, byAgentId: string, consultAgentId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
    const found = this.assignedItem(conversationId);
    if (!found.ok) return found;
    const item = found.value;
    const c = this.pool.agents.get(consultAgentId);
    if (!c) return fail('engine.unknownAgent', `Agent ${consultAgentId} is not known`);
    // Who may ask comes before who may be asked: "only the primary" is the clearer answer.
    const moved = startConsult(item.conversation, byAgentId, consultAgentId, ctx.clock.now());
    if (!moved.ok) return fail(moved.error.code, moved.error.message);
    const ws = prepareConfig(config).workstreams.get(item.workstreamId);
    if (!c.queueIds.includes(item.queueId) || !ws?.allowedPresences.includes(c.presenceBase) || remainingUnits(c) <= 0) {
      return fail('engine.notEligible', `Agent ${consultAgentId} cannot be consulted on this conversation now`);
    }
    item.conversation = moved.value;
    return ok([{ kind: 'consult-started', conversationId, agentId: consultAgentId }]);
  }

  endConsult(conversationId: string, consultAgentId: string, ctx: DecisionContext): Decisions {
    const item = this.items.get(conversationId);
    if (!item) return fail('engine.unknownConversation', `Conversation ${conversationId} is not known`);
    const moved = endConsult(item.conversation, consultAgentId, ctx.clock.now());
    if (!moved.ok) return fail(moved.error.code, moved.error.message);
    item.conversation = moved.value;
    return ok([{ kind: 'consult-ended', conversationId, agentId: consultAgentId }]);
  }

  // ---------------------------------------------------------------- views

  conversation(conversationId: string): ConversationView | undefined {
    const i = this.items.get(conversationId);
    return i && viewOf(i, this.pool);
  }

  conversations(): IterableIterator<ConversationView> {
    const it = this.items.values();
    const pool = this.pool;
    return (function* () {
      for (const i of it) yield viewOf(i, pool);
    })();
  }

  agent(agentId: string): AgentView | undefined {
    const a = this.pool.agents.get(agentId);
    return a && agentView(a);
  }

  agents(): AgentView[] {
    return [...this.pool.agents.values()].map(agentView);
  }

  waitingCount(queueId: string): number {
    return this.waiting.get(queueId)?.byOrder.size ?? 0;
  }

  /** Waiting conversation ids of a queue in offer order (O(n): for views and tests). */
  waitingIds(queueId: string): string[] {
    return [...(this.waiting.get(queueId)?.byOrder.values() ?? [])].map((i) => i.id);
  }
}

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

/** The engine's state as rows to store, in the shape fromSnapshot() reads back. */
export function snapshotOf(engine: RoutingEngine): RoutingSnapshot {
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

/** Pure convenience for one-shot callers: load a working copy, decide, return the decisions. */
export function decide(snapshot: RoutingSnapshot, config: RoutingConfig, ctx: DecisionContext, options: DecideOptions & EngineOptions = {}): RoutingDecision[] {
  return RoutingEngine.fromSnapshot(snapshot, config, options).decide(config, ctx, options);
}
