// The routing engine: arrivals, decisions and the offers they make, on a working copy a
// durable worker loads from a snapshot, feeds events into, and asks for decisions. Every
// method takes the configuration snapshot and a context (clock, RNG) as arguments; the engine
// holds no configuration of its own, so a change applies to the very next call. Decisions come
// back as data for the caller to persist (with If-Match); on a concurrency conflict the caller
// reloads and asks again.
//
// Where the rest lives: the working copy and its bookkeeping (capacity, queues, timers) in
// working-copy.ts; what accept, wrap-up, close, reopen, transfer and consult do in
// ../lifecycle/lifecycle-events.ts; views and snapshotOf in routing-views.ts.
import type { EpochMs } from '../time';
import * as events from '../lifecycle/lifecycle-events';
import { openConversation } from '../lifecycle/conversation-lifecycle';
import { DEFAULT_PRESENCE_SETTINGS, type PresenceBase, type PresenceEvent, type PresenceSettings } from '../presence/presence';
import { type Result, ok } from '../result';
import type { ConditionScope } from '../rules/condition-evaluator';
import { classifyConversation, routeToQueue } from '../rules/routing-rules';
import { type AgentPool, type AgentState, remainingUnits } from './agent-pool';
import { type AssignmentRegistry, defaultAssignmentRegistry, passesFor } from './assignment-registry';
import { type EligibilityContext, isEligible, skillDistance } from './eligibility';
import { type IndexCursor, mergeCursors } from './ordered-index';
import { type OverflowReason, overflowOnArrival, waitTimeExceeded } from './overflow';
import { type PreparedConfig, hoursOpen, prepareConfig } from './prepared-config';
import type { OverflowAction, QueueConfig, RoutingConfig, SkillRequirement, WorkstreamConfig } from './routing-config';
import { type DecisionContext, type Decisions, type EngineError, type QueuedReason, type RoutingDecision, fail } from './routing-decision';
import type { AgentInput, ConversationSnapshot, RoutingSnapshot } from './routing-snapshot';
import * as views from './routing-views';
import { DEFAULT_PRIORITY, type WorkItem } from './work-item';
import { type AgentPatch, WorkingCopy } from './working-copy';

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

const ROUTABLE_PRESENCES: readonly PresenceBase[] = ['Available', 'Busy', 'DoNotDisturb', 'Away'];

export class RoutingEngine {
  private readonly copy: WorkingCopy;
  private readonly registry: AssignmentRegistry;
  // What lifecycle events use to send a conversation back to routing (reopen, transfer to a queue).
  private readonly requeue: events.Requeue = {
    classifyAndQueue: (item, ws, cfg, ctx, now, reason, out) => this.classifyAndQueue(item, ws, cfg, ctx, now, reason, out),
    enqueue: (item, queueId, reason, ruleId, cfg, now, out) => this.enqueue(item, queueId, reason, ruleId, cfg, now, out),
  };

  /** The working copy's agents and their per-queue indexes. */
  readonly pool: AgentPool;

  constructor(options: EngineOptions = {}) {
    this.copy = new WorkingCopy(options.presence ?? DEFAULT_PRESENCE_SETTINGS);
    this.pool = this.copy.pool;
    this.registry = options.registry ?? defaultAssignmentRegistry;
  }

  /** Builds a working copy from stored rows: O((agents + conversations) log n). */
  static fromSnapshot(snapshot: RoutingSnapshot, config: RoutingConfig, options: EngineOptions = {}): RoutingEngine {
    const e = new RoutingEngine(options);
    const cfg = prepareConfig(config);
    for (const a of snapshot.agents) e.addAgent(a);
    for (const c of snapshot.conversations) if (c.enqueueStamp !== undefined) e.copy.lastStamp = Math.max(e.copy.lastStamp, c.enqueueStamp);
    const ordered = [...snapshot.conversations].sort((a, b) => (a.enqueueStamp ?? a.enqueuedAt ?? 0) - (b.enqueueStamp ?? b.enqueuedAt ?? 0));
    for (const c of ordered) e.copy.load(c, cfg);
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

  // ---------------------------------------------------------------- agents

  addAgent(input: AgentInput): void {
    this.copy.addAgent(input);
  }

  updateAgent(agentId: string, patch: AgentPatch): Result<void, EngineError> {
    return this.copy.updateAgent(agentId, patch);
  }

  /** An agent who still holds conversations or offers cannot leave: close or transfer them first. */
  removeAgent(agentId: string): Result<void, EngineError> {
    return this.copy.removeAgent(agentId);
  }

  presence(agentId: string, event: PresenceEvent): Decisions {
    return this.copy.presence(agentId, event);
  }

  // ---------------------------------------------------------------- queues

  private enqueue(item: WorkItem, queueId: string, reason: QueuedReason, ruleId: string | null, cfg: PreparedConfig, now: EpochMs, out: RoutingDecision[]): void {
    const queue = cfg.queues.get(queueId);
    if (!queue) {
      // Config names a queue that no longer exists: never drop the conversation. It waits under
      // that id (listed by waitingIds) until the queue is configured again or it is transferred.
      out.push({ kind: 'rule-problem', conversationId: item.id, problem: { ruleId: '(queue)', code: 'rule.target', message: `Queue '${queueId}' does not exist` } });
      this.copy.putWaiting(item, queueId, now, true);
      out.push({ kind: 'queued', conversationId: item.id, queueId, ruleId, reason });
      return;
    }
    const open = !queue.operatingHoursId || hoursOpen(cfg, queue.operatingHoursId, now);
    const overflow = overflowOnArrival(queue, this.copy.waiting.get(queueId)?.byOrder.size ?? 0, open);
    if (overflow && item.overflowHops < cfg.maxHops) {
      item.queueId = queueId;
      this.applyOverflow(item, queue, overflow.reason, overflow.action, cfg, now, out, false);
      return;
    }
    this.copy.putWaiting(item, queueId, now, true);
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
        if (alreadyWaiting) this.copy.takeOutOfQueue(item);
        this.enqueue(item, action.queueId, 'overflow', null, cfg, now, out);
        return;
      case 'message':
        out.push({ kind: 'automated-message', conversationId: item.id, messageId: action.messageId, reason });
        if (!alreadyWaiting) {
          this.copy.putWaiting(item, queue.id, now, true);
          out.push({ kind: 'queued', conversationId: item.id, queueId: queue.id, ruleId: null, reason: 'overflow' });
        }
        return;
      case 'end':
        if (action.messageId) out.push({ kind: 'automated-message', conversationId: item.id, messageId: action.messageId, reason });
        if (alreadyWaiting) this.copy.takeOutOfQueue(item);
        this.copy.end(item, now, 'overflow', out);
        return;
    }
  }

  // ---------------------------------------------------------------- arrivals

  arrive(arrival: Arrival, config: RoutingConfig, ctx: DecisionContext): Decisions {
    const cfg = prepareConfig(config);
    if (this.copy.items.has(arrival.conversationId)) return fail('engine.duplicate', `Conversation ${arrival.conversationId} is already routed`);
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
    this.copy.items.set(item.id, item);
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
        v = hoursOpen(cfg, id, now);
        hours.set(id, v);
      }
      return v;
    };
    for (const queue of cfg.byPriority) {
      if (made >= max) break;
      const w = this.copy.waiting.get(queue.id);
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
    this.copy.takeOutOfQueue(item);
    const s = this.copy.stamp(now);
    agent.queueAssignedSeq.set(queue.id, s);
    agent.lastAssignedSeq = s;
    agent.offersReceived++;
    item.status = 'offered';
    item.offer = { agentId: agent.id, offeredAt: now, expiresAt: now + ws.offerTimeoutSeconds * 1000, seq: ++this.copy.offerSeq };
    this.copy.charge(agent, item, ws, 'offered', out);
    this.copy.offerTimers.push(item.offer.expiresAt, item.id, item.offer.seq);
    out.push({ kind: 'offered', conversationId: item.id, agentId: agent.id, queueId: queue.id, offeredAt: now, expiresAt: item.offer.expiresAt, stamp: s });
  }

  private runTimers(cfg: PreparedConfig, now: EpochMs, out: RoutingDecision[]): void {
    const copy = this.copy;
    while (copy.offerTimers.peekTime() <= now) {
      const t = copy.offerTimers.pop()!;
      const item = copy.items.get(t.id);
      if (item && item.status === 'offered' && item.offer?.seq === t.tag) copy.endOffer(item, 'timeout', now, out);
    }
    copy.runPresenceTimers(now, out);
    if (cfg.config !== copy.wrapUpConfig) {
      // Blocking is read from the configuration in force: a change applies to running wrap-ups
      // too. Once per configuration object, O(running wrap-ups).
      copy.wrapUpConfig = cfg.config;
      for (const [id, w] of copy.wrapUps) {
        const at = copy.wrapUpReleaseTime(cfg, w);
        if (at !== null) copy.releaseTimers.push(at, id, 0);
      }
    }
    // Timers only say "look at this wrap-up"; the release time is always recomputed from the
    // current configuration, and due releases happen in (release time, id) order so a reloaded
    // working copy releases in the same order as the original.
    const due: { id: string; at: EpochMs }[] = [];
    const seen = new Set<string>();
    while (copy.releaseTimers.peekTime() <= now) {
      const t = copy.releaseTimers.pop()!;
      const w = copy.wrapUps.get(t.id);
      if (!w) continue;
      const at = copy.wrapUpReleaseTime(cfg, w);
      if (at === null) continue;
      if (at > now) copy.releaseTimers.push(at, t.id, 0);
      else if (!seen.has(t.id)) {
        seen.add(t.id);
        due.push({ id: t.id, at });
      }
    }
    due.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const d of due) {
      const w = copy.wrapUps.get(d.id)!;
      const agent = this.pool.agents.get(w.agentId);
      if (agent) copy.release(agent, d.id, now, true, out);
      copy.wrapUps.delete(d.id);
    }
    for (const queue of cfg.byPriority) {
      if (!queue.overflow?.waitTime) continue;
      const w = copy.waiting.get(queue.id);
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

  // ---------------------------------------------------------------- concurrency

  /**
   * Takes back an offer this instance decided but could not persist (another instance won the
   * If-Match race). Unlike a decline it does not count against the agent.
   */
  withdrawOffer(conversationId: string, ctx: DecisionContext): Decisions {
    const item = this.copy.items.get(conversationId);
    if (!item) return fail('engine.unknownConversation', `Conversation ${conversationId} is not known`);
    if (item.status !== 'offered' || !item.offer) return fail('engine.noOffer', `Conversation ${conversationId} has no offer`);
    const out: RoutingDecision[] = [];
    this.copy.endOffer(item, 'withdrawn', ctx.clock.now(), out);
    return ok(out);
  }

  /** Drops the engine's view of a conversation, releasing whatever it held, without any decision. */
  forgetConversation(conversationId: string): void {
    this.copy.forget(conversationId);
  }

  /** Replaces the engine's view of one conversation with a row just read back from storage. */
  reloadConversation(snapshot: ConversationSnapshot, config: RoutingConfig): void {
    this.copy.forget(snapshot.id);
    this.copy.load(snapshot, prepareConfig(config));
  }

  // ---------------------------------------------------------------- lifecycle events (lifecycle-events.ts)

  accept(conversationId: string, agentId: string, ctx: DecisionContext): Decisions {
    return events.accept(this.copy, conversationId, agentId, ctx);
  }

  decline(conversationId: string, agentId: string, ctx: DecisionContext): Decisions {
    return events.decline(this.copy, conversationId, agentId, ctx);
  }

  wrapUp(conversationId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
    return events.wrapUp(this.copy, conversationId, config, ctx);
  }

  close(conversationId: string, ctx: DecisionContext): Decisions {
    return events.close(this.copy, conversationId, ctx);
  }

  reopen(conversationId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
    return events.reopen(this.copy, this.requeue, conversationId, config, ctx);
  }

  transferToAgent(conversationId: string, byAgentId: string, toAgentId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
    return events.transferToAgent(this.copy, conversationId, byAgentId, toAgentId, config, ctx);
  }

  transferToQueue(conversationId: string, byAgentId: string, queueId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
    return events.transferToQueue(this.copy, this.requeue, conversationId, byAgentId, queueId, config, ctx);
  }

  startConsult(conversationId: string, byAgentId: string, consultAgentId: string, config: RoutingConfig, ctx: DecisionContext): Decisions {
    return events.startConsult(this.copy, conversationId, byAgentId, consultAgentId, config, ctx);
  }

  endConsult(conversationId: string, consultAgentId: string, ctx: DecisionContext): Decisions {
    return events.endConsult(this.copy, conversationId, consultAgentId, ctx);
  }

  // ---------------------------------------------------------------- views (routing-views.ts)

  conversation(conversationId: string): views.ConversationView | undefined {
    return views.conversationView(this.copy, conversationId);
  }

  conversations(): IterableIterator<views.ConversationView> {
    return views.conversationViews(this.copy);
  }

  agent(agentId: string): views.AgentView | undefined {
    return views.agentViewOf(this.copy, agentId);
  }

  agents(): views.AgentView[] {
    return views.agentViews(this.copy);
  }

  waitingCount(queueId: string): number {
    return views.waitingCount(this.copy, queueId);
  }

  /** Waiting conversation ids of a queue in offer order (O(n): for views and tests). */
  waitingIds(queueId: string): string[] {
    return views.waitingIds(this.copy, queueId);
  }
}

/** Pure convenience for one-shot callers: load a working copy, decide, return the decisions. */
export function decide(snapshot: RoutingSnapshot, config: RoutingConfig, ctx: DecisionContext, options: DecideOptions & EngineOptions = {}): RoutingDecision[] {
  return RoutingEngine.fromSnapshot(snapshot, config, options).decide(config, ctx, options);
}
