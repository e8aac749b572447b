import fc from 'fast-check';
import { current } from '../lifecycle/conversation-lifecycle';
import { makeAgent, makeConfig, makeContext, makeQueue, makeWorkstream } from './routing-fixtures';
import { DEFAULT_PRESENCE_SETTINGS, type PresenceBase } from '../presence/presence';
import type { RoutingConfig } from './routing-config';
import { RoutingEngine } from './routing-engine';
import { snapshotOf } from './routing-views';
import { seededRng } from '../time';

// Invariants that must hold after every step of any sequence of arrivals, offers, accepts,
// declines, timeouts, presence changes, wrap-ups, transfers, consults, closes and reopens.

const config: RoutingConfig = makeConfig({
  queues: [
    makeQueue('q1', { priority: 1, overflow: { itemLimit: { limit: 4, action: { kind: 'queue', queueId: 'q2' } } } }),
    makeQueue('q2', { priority: 2, assignment: { kind: 'round-robin' }, overflow: { waitTime: { seconds: 120, action: { kind: 'message', messageId: 'm' } } } }),
    makeQueue('q3', { priority: 3, assignment: { kind: 'least-active' } }),
  ],
  capacityProfiles: [{ id: 'sms', name: 'SMS', defaultMaxItems: 1 }],
  workstreams: [
    makeWorkstream({
      id: 'ws-chat',
      offerTimeoutSeconds: 30,
      ruleset: { classification: [{ id: 'p', condition: 'context.vip = true', set: { priority: 1 } }], routeToQueue: [{ id: 'split', condition: 'true', distribution: [{ queueId: 'q1', percent: 50 }, { queueId: 'q2', percent: 50 }] }], fallbackQueueId: 'q1' },
    }),
    makeWorkstream({
      id: 'ws-sms',
      channel: 'sms',
      capacityUnits: 2,
      capacityProfileId: 'sms',
      allowedPresences: ['Available', 'Busy', 'DoNotDisturb'],
      wrapUpBlocking: { kind: 'seconds', seconds: 5 },
      offerTimeoutSeconds: 20,
      declineLimitPerAgent: 2,
      skillMatch: 'closest',
      ruleset: { classification: [{ id: 's', condition: 'true', set: { skills: [{ skillId: 'fr', minRating: 2 }] } }], routeToQueue: [{ id: 'q3', condition: "conversation.channel = 'sms'", queueId: 'q3' }], fallbackQueueId: 'q3' },
    }),
  ],
});

// The same setup with other methods, presences and blocking: sequences switch between the two
// to show a configuration change at any moment keeps every invariant.
const altConfig: RoutingConfig = {
  ...config,
  queues: config.queues.map((q, i) => ({ ...q, assignment: [{ kind: 'least-active' as const }, { kind: 'highest-capacity' as const }, { kind: 'custom' as const, rules: [{ id: 'r', agentCondition: 'agent.remainingCapacity > 1', orderBy: [{ criterion: 'lastAssigned' as const, direction: 'asc' as const }] }, { id: 'all', orderBy: [] }] }][i]! })),
  workstreams: config.workstreams.map((w) => ({ ...w, allowedPresences: ['Available', 'Busy', 'DoNotDisturb', 'Away'] as PresenceBase[], wrapUpBlocking: { kind: 'never' as const } })),
};

type Op =
  | { t: 'config' }
  | { t: 'arrive'; ws: number; vip: boolean }
  | { t: 'decide' }
  | { t: 'accept'; i: number }
  | { t: 'decline'; i: number }
  | { t: 'advance'; ms: number }
  | { t: 'presence'; a: number; e: number }
  | { t: 'wrapUp'; i: number }
  | { t: 'close'; i: number }
  | { t: 'reopen'; i: number }
  | { t: 'transfer'; i: number; a: number; wrongSender: boolean }
  | { t: 'transferQueue'; i: number; q: number }
  | { t: 'consult'; i: number; a: number }
  | { t: 'endConsult'; i: number; a: number };

const idx = fc.nat({ max: 50 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ t: 'config' as const }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('arrive' as const), ws: fc.nat({ max: 1 }), vip: fc.boolean() }) },
  { weight: 4, arbitrary: fc.constant({ t: 'decide' as const }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('accept' as const), i: idx }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('decline' as const), i: idx }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 1000, max: 90_000 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('presence' as const), a: fc.nat({ max: 4 }), e: fc.nat({ max: 11 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('wrapUp' as const), i: idx }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('close' as const), i: idx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reopen' as const), i: idx }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('transfer' as const), i: idx, a: fc.nat({ max: 4 }), wrongSender: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('transferQueue' as const), i: idx, q: fc.nat({ max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('consult' as const), i: idx, a: fc.nat({ max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('endConsult' as const), i: idx, a: fc.nat({ max: 4 }) }) },
);

type AgentSpec = { max: number; queues: string[]; fr: number; sms: number | undefined };
const agentArb: fc.Arbitrary<AgentSpec> = fc.record({ max: fc.integer({ min: 1, max: 4 }), queues: fc.subarray(['q1', 'q2', 'q3'], { minLength: 1 }), fr: fc.nat({ max: 3 }), sms: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }) });

// Weighted towards coming back, so agents are not all gone after a few events.
const PRESENCE_EVENTS = ['signOut', 'signIn', 'signIn', 'Away', 'Available', 'Available', 'DoNotDisturb', 'disconnect', 'reconnect', 'reconnect', 'tick', 'activity'] as const;

function checkInvariants(engine: RoutingEngine, arrived: string[]): void {
  const convs = new Map([...engine.conversations()].map((c) => [c.id, c]));
  const profileDefaults = new Map(config.capacityProfiles.map((p) => [p.id, p.defaultMaxItems]));
  const limits = new Map(engine.agents().map((a) => [a.id, a.capacity.profileLimits ?? {}]));
  for (const a of engine.agents()) {
    // No agent above capacity (units and profiles).
    expect(a.usedUnits).toBeLessThanOrEqual(a.maxUnits);
    expect(a.usedUnits).toBe(a.loads.reduce((s, l) => s + l.units, 0));
    const perProfile = new Map<string, number>();
    for (const l of a.loads) if (l.profileId) perProfile.set(l.profileId, (perProfile.get(l.profileId) ?? 0) + 1);
    for (const [p, n] of perProfile) expect(n).toBeLessThanOrEqual(limits.get(a.id)![p] ?? profileDefaults.get(p)!);
    // Every unit of load belongs to an offer to this agent or to this agent being primary: consults hold nothing.
    for (const l of a.loads) {
      const c = convs.get(l.conversationId)!;
      const primary = current(c.record).find((p) => p.role === 'primary')?.agentId;
      expect(c.offer?.agentId === a.id || primary === a.id).toBe(true);
    }
  }
  const waitingByQueue = new Map<string, Set<string>>();
  for (const q of config.queues) waitingByQueue.set(q.id, new Set(engine.waitingIds(q.id)));
  let waiting = 0;
  for (const id of arrived) {
    const c = convs.get(id);
    // Nothing queued is forgotten: every conversation is waiting in its queue, offered, assigned or ended.
    expect(c).toBeDefined();
    const primaries = current(c!.record).filter((p) => p.role === 'primary');
    expect(primaries.length).toBeLessThanOrEqual(1);
    switch (c!.status) {
      case 'waiting':
        waiting++;
        expect(waitingByQueue.get(c!.queueId)!.has(id)).toBe(true);
        expect(primaries).toHaveLength(0);
        break;
      case 'offered':
        expect(c!.offer).not.toBeNull();
        expect(engine.agent(c!.offer!.agentId)!.loads.some((l) => l.conversationId === id)).toBe(true);
        break;
      case 'assigned':
        expect(primaries).toHaveLength(1);
        expect(['Active', 'WrapUp']).toContain(c!.record.state);
        break;
      case 'ended':
        expect(c!.record.state).toBe('Closed');
        break;
    }
  }
  expect([...waitingByQueue.values()].reduce((s, q) => s + q.size, 0)).toBe(waiting);
}

interface RunState {
  cfg: RoutingConfig;
  arrived: string[];
  ids: string[];
}

/** Applies one event; returns what the engine answered, so two engines can be compared step by step. */
function runOp(engine: RoutingEngine, ctx: ReturnType<typeof makeContext>, s: RunState, op: Op): unknown {
  const pick = (i: number, f: (id: string) => boolean = () => true) => {
    const xs = s.arrived.filter(f);
    return xs.length ? xs[i % xs.length]! : undefined;
  };
  const status = (id: string) => engine.conversation(id)!.status;
  const primaryOf = (id: string) => current(engine.conversation(id)!.record).find((p) => p.role === 'primary')!.agentId;
  switch (op.t) {
    case 'config':
      s.cfg = s.cfg === config ? altConfig : config;
      return 'config';
    case 'arrive': {
      const id = `c${s.arrived.length}`;
      s.arrived.push(id);
      const r = engine.arrive({ conversationId: id, workstreamId: op.ws ? 'ws-sms' : 'ws-chat', context: { vip: op.vip } }, s.cfg, ctx);
      expect(r.ok).toBe(true);
      return r;
    }
    case 'decide':
      return engine.decide(s.cfg, ctx);
    case 'accept': {
      const id = pick(op.i, (c) => status(c) === 'offered');
      return id && engine.accept(id, engine.conversation(id)!.offer!.agentId, ctx);
    }
    case 'decline': {
      const id = pick(op.i, (c) => status(c) === 'offered');
      return id && engine.decline(id, engine.conversation(id)!.offer!.agentId, ctx);
    }
    case 'advance':
      ctx.clock.advance(op.ms);
      return op.ms;
    case 'presence': {
      const e = PRESENCE_EVENTS[op.e]!;
      const at = ctx.clock.now();
      const agentId = s.ids[op.a % s.ids.length]!;
      if (e === 'Away' || e === 'Available' || e === 'DoNotDisturb') return engine.presence(agentId, { type: 'setStatus', statusId: e, at });
      return engine.presence(agentId, { type: e, at });
    }
    case 'wrapUp': {
      const id = pick(op.i, (c) => status(c) === 'assigned');
      return id && engine.wrapUp(id, s.cfg, ctx);
    }
    case 'close': {
      const id = pick(op.i, (c) => status(c) !== 'ended');
      if (!id) return null;
      const r = engine.close(id, ctx);
      expect(r.ok).toBe(true);
      return r;
    }
    case 'reopen': {
      const id = pick(op.i, (c) => status(c) === 'ended');
      if (!id) return null;
      const r = engine.reopen(id, s.cfg, ctx);
      expect(r.ok).toBe(true);
      return r;
    }
    case 'transfer': {
      const id = pick(op.i, (c) => status(c) === 'assigned');
      if (!id) return null;
      const primary = primaryOf(id);
      const by = op.wrongSender ? s.ids[(s.ids.indexOf(primary) + 1) % s.ids.length]! : primary;
      const r = engine.transferToAgent(id, by, s.ids[op.a % s.ids.length]!, s.cfg, ctx);
      if (by !== primary) expect(r.ok).toBe(false);
      return r;
    }
    case 'transferQueue': {
      const id = pick(op.i, (c) => status(c) === 'assigned' && engine.conversation(c)!.record.state === 'Active');
      if (!id) return null;
      const r = engine.transferToQueue(id, primaryOf(id), `q${op.q + 1}`, s.cfg, ctx);
      expect(r.ok).toBe(true);
      return r;
    }
    case 'consult': {
      const id = pick(op.i, (c) => status(c) === 'assigned');
      if (!id) return null;
      const consultant = s.ids[op.a % s.ids.length]!;
      const before = engine.agent(consultant)!.usedUnits;
      const r = engine.startConsult(id, primaryOf(id), consultant, s.cfg, ctx);
      if (r.ok) expect(engine.agent(consultant)!.usedUnits).toBe(before);
      return r;
    }
    case 'endConsult': {
      const id = pick(op.i, (c) => status(c) === 'assigned');
      return id && engine.endConsult(id, s.ids[op.a % s.ids.length]!, ctx);
    }
  }
}

// Long inactivity timeout: the sequences advance the clock a lot, and agents who all went idle
// would make every sequence trivially quiet. Inactivity has its own tests.
const ENGINE_OPTIONS = { presence: { ...DEFAULT_PRESENCE_SETTINGS, inactivityTimeoutSeconds: 24 * 3600 } };

function buildEngine(agents: AgentSpec[]): { engine: RoutingEngine; ids: string[] } {
  const engine = new RoutingEngine(ENGINE_OPTIONS);
  const ids = agents.map((a, i) => {
    const id = `a${i}`;
    engine.addAgent(makeAgent(id, a.queues, { capacity: a.sms ? { maxUnits: a.max, profileLimits: { sms: a.sms } } : { maxUnits: a.max }, skills: { fr: a.fr } }));
    return id;
  });
  return { engine, ids };
}

test('for any sequence of events and configuration changes: no agent above capacity, never two primaries, consults hold no capacity, nothing queued is forgotten', () => {
  fc.assert(
    fc.property(fc.array(agentArb, { minLength: 1, maxLength: 5 }), fc.array(opArb, { minLength: 1, maxLength: 100, size: 'max' }), fc.integer(), (agents, ops, seed) => {
      const { engine, ids } = buildEngine(agents);
      const ctx = makeContext(undefined, seed);
      const s: RunState = { cfg: config, arrived: [], ids };
      for (const op of ops) {
        runOp(engine, ctx, s, op);
        checkInvariants(engine, s.arrived);
      }
    }),
    // Long sequences (up to 100 events, each checked against every invariant): fewer runs keep the
    // suite quick on shared machines while still exercising thousands of steps.
    { numRuns: 60 },
  );
});

test('a working copy reloaded from its own stored rows makes exactly the same decisions afterwards', () => {
  fc.assert(
    fc.property(fc.array(agentArb, { minLength: 1, maxLength: 5 }), fc.array(opArb, { maxLength: 80, size: 'max' }), fc.array(opArb, { minLength: 1, maxLength: 80, size: 'max' }), fc.integer(), (agents, before, after, seed) => {
      const { engine: a, ids } = buildEngine(agents);
      const ctxA = makeContext(undefined, seed);
      const s: RunState = { cfg: config, arrived: [], ids };
      for (const op of before) runOp(a, ctxA, s, op);
      const b = RoutingEngine.fromSnapshot(snapshotOf(a), s.cfg, ENGINE_OPTIONS);
      const ctxB = makeContext(ctxA.clock.now(), seed + 1);
      ctxA.rng = seededRng(seed + 1);
      const sB: RunState = { cfg: s.cfg, arrived: [...s.arrived], ids };
      for (const op of after) {
        expect(runOp(b, ctxB, sB, op)).toEqual(runOp(a, ctxA, s, op));
      }
    }),
    { numRuns: 60 },
  );
});

test('round robin never differs by more than one offer between equally eligible agents', () => {
  const rrConfig = makeConfig({ queues: [makeQueue('q1', { assignment: { kind: 'round-robin' } })] });
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 6 }),
      fc.array(fc.oneof(fc.constant('arrive' as const), fc.constant('decide' as const), fc.record({ accept: idx }), fc.record({ wrap: idx }), fc.record({ close: idx })), { maxLength: 150, size: 'max' }),
      (n, ops) => {
        const engine = new RoutingEngine();
        const ctx = makeContext();
        for (let i = 0; i < n; i++) engine.addAgent(makeAgent(`a${i}`, ['q1'], { capacity: { maxUnits: 1000 } }));
        const ids: string[] = [];
        const inStatus = (s: string) => ids.filter((c) => engine.conversation(c)!.status === s);
        for (const op of ops) {
          if (op === 'arrive') {
            ids.push(`c${ids.length}`);
            engine.arrive({ conversationId: ids[ids.length - 1]!, workstreamId: 'ws-chat' }, rrConfig, ctx);
          } else if (op === 'decide') engine.decide(rrConfig, ctx);
          else if ('accept' in op) {
            const xs = inStatus('offered');
            const c = xs[op.accept % (xs.length || 1)];
            if (c) engine.accept(c, engine.conversation(c)!.offer!.agentId, ctx);
          } else if ('wrap' in op) {
            const xs = inStatus('assigned');
            const c = xs[op.wrap % (xs.length || 1)];
            if (c) engine.wrapUp(c, rrConfig, ctx);
          } else {
            const xs = [...inStatus('assigned'), ...inStatus('waiting')];
            const c = xs[op.close % (xs.length || 1)];
            if (c) engine.close(c, ctx);
          }
          const counts = engine.agents().map((a) => a.offersReceived);
          expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        }
      },
    ),
    { numRuns: 150 },
  );
});
