import { DEFAULT_PRESENCE_SETTINGS } from '../presence/presence';
import { makeAgent, makeConfig, makeContext, makeQueue, makeWorkstream } from './routing-fixtures';
import type { RoutingDecision } from './routing-decision';
import { type EngineOptions, RoutingEngine, decide } from './routing-engine';
import type { RoutingConfig } from './routing-config';

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const offers = (ds: RoutingDecision[]) => ds.filter((d) => d.kind === 'offered').map((d) => (d.kind === 'offered' ? `${d.conversationId}->${d.agentId}` : ''));

// These tests move the clock by days; agents stay active unless a test is about inactivity.
const ALWAYS_ACTIVE: EngineOptions = { presence: { ...DEFAULT_PRESENCE_SETTINGS, inactivityTimeoutSeconds: 10 * 365 * 24 * 3600 } };

function setup(config: RoutingConfig, agents: Parameters<RoutingEngine['addAgent']>[0][], options: EngineOptions = ALWAYS_ACTIVE) {
  const engine = new RoutingEngine(options);
  agents.forEach((a) => engine.addAgent(a));
  const ctx = makeContext();
  const arrive = (id: string, extra: Partial<Parameters<RoutingEngine['arrive']>[0]> = {}) => must(engine.arrive({ conversationId: id, workstreamId: 'ws-chat', ...extra }, config, ctx));
  const serve = (id: string, agentId: string) => must(engine.accept(id, agentId, ctx));
  return { engine, ctx, arrive, serve, decide: (max?: number) => engine.decide(config, ctx, max === undefined ? {} : { maxDecisions: max }) };
}

describe('arrival', () => {
  test('classification and route-to-queue rules place a conversation, using customer and context', () => {
    const config = makeConfig({
      queues: [makeQueue('q1'), makeQueue('vip')],
      workstreams: [
        makeWorkstream({
          ruleset: {
            classification: [{ id: 'big', condition: 'context.orderTotal > 100', set: { priority: 1, language: 'fr' } }],
            routeToQueue: [{ id: 'to-vip', condition: "customer.tier = 'gold' and conversation.priority = 1", queueId: 'vip' }],
            fallbackQueueId: 'q1',
          },
        }),
      ],
    });
    const { engine, arrive } = setup(config, []);
    const ds = arrive('c1', { customer: { tier: 'gold' }, context: { orderTotal: 250 } });
    expect(ds).toEqual([
      { kind: 'classified', conversationId: 'c1', priority: 1, skills: [], language: 'fr', matchedRuleIds: ['big'] },
      { kind: 'queued', conversationId: 'c1', queueId: 'vip', ruleId: 'to-vip', reason: 'arrival' },
    ]);
    expect(engine.conversation('c1')!.record.state).toBe('Waiting');
    arrive('c2', { customer: { tier: 'silver' } });
    expect(engine.conversation('c2')!.queueId).toBe('q1');
  });

  test('a conversation id cannot be routed twice and an unknown workstream is refused', () => {
    const config = makeConfig();
    const { engine, arrive, ctx } = setup(config, []);
    arrive('c1');
    expect(engine.arrive({ conversationId: 'c1', workstreamId: 'ws-chat' }, config, ctx)).toMatchObject({ ok: false, error: { code: 'engine.duplicate' } });
    expect(engine.arrive({ conversationId: 'c2', workstreamId: 'nope' }, config, ctx)).toMatchObject({ ok: false, error: { code: 'engine.unknownWorkstream' } });
  });
});

describe('assignment methods', () => {
  test('highest capacity offers to the agent with the most units left', () => {
    const config = makeConfig();
    const { arrive, decide } = setup(config, [makeAgent('a', ['q1'], { capacity: { maxUnits: 2 } }), makeAgent('b', ['q1'], { capacity: { maxUnits: 5 } })]);
    arrive('c1');
    expect(offers(decide())).toEqual(['c1->b']);
  });

  test('highest capacity breaks ties by round robin', () => {
    const config = makeConfig({ workstreams: [makeWorkstream({ allowedPresences: ['Available', 'Busy', 'DoNotDisturb'] })] });
    const { arrive, decide, serve, engine, ctx } = setup(config, ['a', 'b', 'c'].map((id) => makeAgent(id, ['q1'], { capacity: { maxUnits: 10 } })));
    const got: string[] = [];
    for (let i = 0; i < 6; i++) {
      arrive(`c${i}`);
      const [o] = offers(decide());
      got.push(o!);
      const [cid, aid] = o!.split('->') as [string, string];
      serve(cid, aid);
      must(engine.close(cid, ctx));
    }
    expect(got.map((o) => o.split('->')[1])).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  test('advanced round robin keeps its order per queue', () => {
    const config = makeConfig({ queues: [makeQueue('q1', { assignment: { kind: 'round-robin' } }), makeQueue('q2', { assignment: { kind: 'round-robin' } })] });
    const { engine, ctx, decide } = setup(config, [makeAgent('a', ['q1', 'q2'], { capacity: { maxUnits: 99 } }), makeAgent('b', ['q1', 'q2'], { capacity: { maxUnits: 99 } })]);
    const arriveIn = (id: string, q: string) => must(engine.arrive({ conversationId: id, workstreamId: 'ws-chat' }, { ...config, workstreams: [makeWorkstream({ ruleset: { classification: [], routeToQueue: [], fallbackQueueId: q } })] }, ctx));
    arriveIn('x1', 'q1');
    expect(offers(decide())).toEqual(['x1->a']);
    arriveIn('y1', 'q2');
    // q2 has its own order: a has not been offered anything in q2 yet.
    expect(offers(decide())).toEqual(['y1->a']);
    arriveIn('x2', 'q1');
    expect(offers(decide())).toEqual(['x2->b']);
  });

  test('least active offers to the agent whose capacity was released earliest', () => {
    const config = makeConfig({ queues: [makeQueue('q1', { assignment: { kind: 'least-active' } })] });
    const { arrive, decide, serve, engine, ctx } = setup(config, [makeAgent('a', ['q1'], { lastReleaseAt: 500 }), makeAgent('b', ['q1'], { lastReleaseAt: 100 }), makeAgent('c', ['q1'], { lastReleaseAt: 300 })]);
    arrive('c1');
    arrive('c2');
    // Literally "earliest last capacity release": being offered work does not move an agent back.
    expect(offers(decide())).toEqual(['c1->b', 'c2->b']);
    serve('c1', 'b');
    ctx.clock.advance(1000);
    must(engine.close('c1', ctx));
    arrive('c3');
    expect(offers(decide())).toEqual(['c3->c']);
  });

  test('a custom ruleset tries its rules in order: condition on the agent, then its own ordering', () => {
    const config = makeConfig({
      queues: [
        makeQueue('q1', {
          assignment: {
            kind: 'custom',
            rules: [
              { id: 'seniors', agentCondition: "agent.level = 'senior' and conversation.priority < 50", orderBy: [{ criterion: 'remainingCapacity', direction: 'desc' }] },
              { id: 'anyone', orderBy: [{ criterion: 'lastCapacityRelease', direction: 'asc' }] },
            ],
          },
        }),
      ],
    });
    const { arrive, decide } = setup(config, [
      makeAgent('junior', ['q1'], { attributes: { level: 'junior' }, lastReleaseAt: 1 }),
      makeAgent('s1', ['q1'], { attributes: { level: 'senior' }, capacity: { maxUnits: 2 }, lastReleaseAt: 5 }),
      makeAgent('s2', ['q1'], { attributes: { level: 'senior' }, capacity: { maxUnits: 4 }, lastReleaseAt: 9 }),
    ]);
    arrive('urgent', { priority: 10 });
    expect(offers(decide())).toEqual(['urgent->s2']);
    arrive('normal');
    expect(offers(decide())).toEqual(['normal->junior']);
  });
});

describe('order of service', () => {
  test('a higher-priority queue is served first across queues', () => {
    const config = makeConfig({ queues: [makeQueue('low', { priority: 5 }), makeQueue('high', { priority: 1 })] });
    const { engine, ctx, decide } = setup(config, [makeAgent('a', ['low', 'high'], { capacity: { maxUnits: 1 } })]);
    const into = (id: string, q: string) => must(engine.arrive({ conversationId: id, workstreamId: 'ws-chat' }, { ...config, workstreams: [makeWorkstream({ ruleset: { classification: [], routeToQueue: [], fallbackQueueId: q } })] }, ctx));
    into('first-low', 'low');
    ctx.clock.advance(1000);
    into('later-high', 'high');
    expect(offers(decide())).toEqual(['later-high->a']);
  });

  test('inside a queue conversations are offered first in, first out, after item priority', () => {
    const config = makeConfig();
    const { engine, arrive, decide } = setup(config, [makeAgent('a', ['q1'], { capacity: { maxUnits: 10 } })]);
    arrive('c1');
    arrive('c2');
    arrive('urgent', { priority: 1 });
    arrive('c3');
    expect(engine.waitingIds('q1')).toEqual(['urgent', 'c1', 'c2', 'c3']);
    expect(offers(decide(2))).toEqual(['urgent->a', 'c1->a']);
  });
});

describe('eligibility', () => {
  test('an agent at capacity is never offered another conversation', () => {
    const config = makeConfig({ workstreams: [makeWorkstream({ allowedPresences: ['Available', 'Busy', 'DoNotDisturb'] })] });
    const { engine, arrive, decide } = setup(config, [makeAgent('a', ['q1'], { capacity: { maxUnits: 2 } })]);
    ['c1', 'c2', 'c3'].forEach((c) => arrive(c));
    expect(offers(decide())).toEqual(['c1->a', 'c2->a']);
    expect(engine.agent('a')!.usedUnits).toBe(2);
    expect(engine.waitingIds('q1')).toEqual(['c3']);
  });

  test('presence must be allowed by the workstream: a Busy agent gets nothing from an Available-only workstream', () => {
    const config = makeConfig({ workstreams: [makeWorkstream({ allowedPresences: ['Available'] })] });
    const { engine, arrive, decide } = setup(config, [makeAgent('a', ['q1'])]);
    arrive('c1');
    arrive('c2');
    expect(offers(decide())).toEqual(['c1->a']);
    expect(engine.agent('a')!.statusId).toBe('Busy');
  });

  test('agents outside the queue, offline or in a manual Do not disturb are skipped', () => {
    const config = makeConfig();
    const { engine, arrive, decide } = setup(config, [makeAgent('other', ['q2']), makeAgent('off', ['q1'], { presence: undefined }), makeAgent('dnd', ['q1']), makeAgent('ok', ['q1'])]);
    must(engine.presence('dnd', { type: 'setStatus', statusId: 'DoNotDisturb', at: 0 }));
    arrive('c1');
    expect(offers(decide())).toEqual(['c1->ok']);
  });

  test('exact skill match offers only to agents with every skill at the required rating', () => {
    const config = makeConfig();
    const { arrive, decide } = setup(config, [
      makeAgent('a', ['q1'], { skills: { billing: 2 }, capacity: { maxUnits: 9 } }),
      makeAgent('b', ['q1'], { skills: { billing: 4, french: 3 } }),
    ]);
    arrive('c1', { skills: [{ skillId: 'billing', minRating: 3 }, { skillId: 'french' }] });
    expect(offers(decide())).toEqual(['c1->b']);
    arrive('c2', { skills: [{ skillId: 'german' }] });
    expect(offers(decide())).toEqual([]);
  });

  test('closest skill match offers to the nearest agent when nobody matches exactly', () => {
    const config = makeConfig({ workstreams: [makeWorkstream({ skillMatch: 'closest' })] });
    const { arrive, decide } = setup(config, [
      makeAgent('none', ['q1'], { capacity: { maxUnits: 9 } }),
      makeAgent('low', ['q1'], { skills: { billing: 1, french: 1 } }),
      makeAgent('near', ['q1'], { skills: { billing: 4, french: 2 } }),
    ]);
    arrive('c1', { skills: [{ skillId: 'billing', minRating: 4 }, { skillId: 'french', minRating: 3 }] });
    expect(offers(decide())).toEqual(['c1->near']);
  });

  test("an agent outside their working hours is skipped; a closed queue's conversations wait", () => {
    const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, from: '09:00', to: '17:00' }));
    const config = makeConfig({
      queues: [makeQueue('q1'), makeQueue('closed', { operatingHoursId: 'never' })],
      operatingHours: [
        { id: 'office', timeZone: 'UTC', weekly: weekdays },
        { id: 'never', timeZone: 'UTC', weekly: [] },
      ],
    });
    const { engine, ctx, decide, arrive } = setup(config, [makeAgent('nine-to-five', ['q1', 'closed'], { workingHoursId: 'office', capacity: { maxUnits: 9 } }), makeAgent('night', ['q1'])]);
    ctx.clock.set(Date.UTC(2026, 10, 24, 22, 0));
    arrive('c1');
    expect(offers(decide())).toEqual(['c1->night']);
    must(engine.accept('c1', 'night', ctx));
    ctx.clock.set(Date.UTC(2026, 10, 25, 10, 0));
    must(engine.arrive({ conversationId: 'c2', workstreamId: 'ws-chat' }, { ...config, workstreams: [makeWorkstream({ ruleset: { classification: [], routeToQueue: [], fallbackQueueId: 'closed' } })] }, ctx));
    expect(offers(decide())).toEqual([]);
    expect(engine.waitingIds('closed')).toEqual(['c2']);
  });
});

describe('offers', () => {
  const config = makeConfig({ workstreams: [makeWorkstream({ offerTimeoutSeconds: 30, declineLimitPerAgent: 1 })], queues: [makeQueue('q1', { assignment: { kind: 'round-robin' } })] });

  test('a decline re-offers to the next eligible agent and never back to the one who declined', () => {
    const { engine, ctx, arrive, decide } = setup(config, [makeAgent('a', ['q1']), makeAgent('b', ['q1'])]);
    arrive('c1');
    expect(offers(decide())).toEqual(['c1->a']);
    expect(must(engine.decline('c1', 'a', ctx))).toContainEqual({ kind: 'offer-ended', conversationId: 'c1', agentId: 'a', reason: 'declined' });
    expect(engine.agent('a')!.usedUnits).toBe(0);
    expect(offers(decide())).toEqual(['c1->b']);
    must(engine.decline('c1', 'b', ctx));
    expect(offers(decide())).toEqual([]);
    expect(engine.waitingIds('q1')).toEqual(['c1']);
  });

  test('the decline limit per agent allows that many declines before the agent is skipped', () => {
    const cfg = { ...config, workstreams: [makeWorkstream({ declineLimitPerAgent: 2 })] };
    const { engine, ctx, arrive } = setup(cfg, [makeAgent('a', ['q1'])]);
    arrive('c1');
    const round = () => offers(engine.decide(cfg, ctx));
    expect(round()).toEqual(['c1->a']);
    must(engine.decline('c1', 'a', ctx));
    expect(round()).toEqual(['c1->a']);
    must(engine.decline('c1', 'a', ctx));
    expect(round()).toEqual([]);
  });

  test('an offer that times out is withdrawn and re-offered; accepting it late is refused', () => {
    const { engine, ctx, arrive, decide } = setup(config, [makeAgent('a', ['q1']), makeAgent('b', ['q1'])]);
    arrive('c1');
    decide();
    ctx.clock.advance(30_000);
    expect(engine.accept('c1', 'a', ctx)).toMatchObject({ ok: false, error: { code: 'engine.offerExpired' } });
    const ds = decide();
    expect(ds).toContainEqual({ kind: 'offer-ended', conversationId: 'c1', agentId: 'a', reason: 'timeout' });
    expect(offers(ds)).toEqual(['c1->b']);
  });

  test('a re-offered conversation keeps its place at the head of the queue', () => {
    const { engine, ctx, arrive, decide } = setup(config, [makeAgent('a', ['q1'], { capacity: { maxUnits: 1 } })]);
    arrive('c1');
    decide();
    arrive('c2');
    must(engine.decline('c1', 'a', ctx));
    expect(engine.waitingIds('q1')).toEqual(['c1', 'c2']);
  });

  test('accepting makes the agent primary and the conversation Active', () => {
    const { engine, arrive, decide, serve, ctx } = setup(config, [makeAgent('a', ['q1'])]);
    arrive('c1');
    decide();
    ctx.clock.advance(5000);
    expect(serve('c1', 'a')).toEqual([{ kind: 'assigned', conversationId: 'c1', agentId: 'a' }]);
    const c = engine.conversation('c1')!;
    expect(c.record.state).toBe('Active');
    expect(c.record.timestamps.firstAssignedOn).toBe(ctx.clock.now());
    expect(engine.accept('c1', 'a', ctx).ok).toBe(false);
  });
});

describe('overflow', () => {
  test('item limit: a new arrival overflows to another queue when the queue is full', () => {
    const config = makeConfig({ queues: [makeQueue('q1', { overflow: { itemLimit: { limit: 2, action: { kind: 'queue', queueId: 'q2' } } } }), makeQueue('q2')] });
    const { engine, arrive } = setup(config, []);
    arrive('c1');
    arrive('c2');
    const ds = arrive('c3');
    expect(ds).toContainEqual({ kind: 'overflowed', conversationId: 'c3', fromQueueId: 'q1', reason: 'item-limit', action: { kind: 'queue', queueId: 'q2' } });
    expect(engine.waitingIds('q2')).toEqual(['c3']);
  });

  test('outside operating hours: an automated message, or the end of the conversation', () => {
    const config = makeConfig({
      queues: [makeQueue('q1', { operatingHoursId: 'never', overflow: { outsideHours: { action: { kind: 'end', messageId: 'closed-msg' } } } })],
      operatingHours: [{ id: 'never', timeZone: 'UTC', weekly: [] }],
    });
    const { engine, arrive } = setup(config, []);
    const ds = arrive('c1');
    expect(ds.filter((d) => d.kind !== 'classified')).toEqual([
      { kind: 'overflowed', conversationId: 'c1', fromQueueId: 'q1', reason: 'outside-hours', action: { kind: 'end', messageId: 'closed-msg' } },
      { kind: 'automated-message', conversationId: 'c1', messageId: 'closed-msg', reason: 'outside-hours' },
      { kind: 'ended', conversationId: 'c1', reason: 'overflow' },
    ]);
    expect(engine.conversation('c1')!.record.state).toBe('Closed');
  });

  test('wait time exceeded sends the automated message once and keeps the conversation queued', () => {
    const config = makeConfig({ queues: [makeQueue('q1', { overflow: { waitTime: { seconds: 60, action: { kind: 'message', messageId: 'sorry' } } } })] });
    const { engine, ctx, arrive, decide } = setup(config, []);
    arrive('c1');
    ctx.clock.advance(59_000);
    expect(decide()).toEqual([]);
    ctx.clock.advance(1000);
    expect(decide().map((d) => d.kind)).toEqual(['overflowed', 'automated-message']);
    ctx.clock.advance(120_000);
    expect(decide()).toEqual([]);
    expect(engine.waitingIds('q1')).toEqual(['c1']);
  });

  test('wait time exceeded can move the conversation to another queue, where it is served', () => {
    const config = makeConfig({ queues: [makeQueue('q1', { overflow: { waitTime: { seconds: 10, action: { kind: 'queue', queueId: 'q2' } } } }), makeQueue('q2')] });
    const { ctx, arrive, decide } = setup(config, [makeAgent('a', ['q2'])]);
    arrive('c1');
    ctx.clock.advance(10_000);
    const ds = decide();
    expect(ds.map((d) => d.kind).filter((k) => k !== 'presence-changed')).toEqual(['overflowed', 'queued', 'offered']);
    expect(offers(ds)).toEqual(['c1->a']);
  });

  test('overflow between queues stops after the hop limit instead of looping', () => {
    const config = makeConfig({
      maxOverflowHops: 3,
      queues: [
        makeQueue('q1', { overflow: { itemLimit: { limit: 0, action: { kind: 'queue', queueId: 'q2' } } } }),
        makeQueue('q2', { overflow: { itemLimit: { limit: 0, action: { kind: 'queue', queueId: 'q1' } } } }),
      ],
    });
    const { engine, arrive } = setup(config, []);
    const ds = arrive('c1');
    expect(ds.filter((d) => d.kind === 'overflowed')).toHaveLength(3);
    expect(engine.conversation('c1')!.status).toBe('waiting');
  });
});

describe('capacity and wrap-up', () => {
  function served(blocking: Parameters<typeof makeWorkstream>[0]) {
    const config = makeConfig({ workstreams: [makeWorkstream(blocking)] });
    const s = setup(config, [makeAgent('a', ['q1'], { capacity: { maxUnits: 1 } })]);
    s.arrive('c1');
    s.decide();
    s.serve('c1', 'a');
    must(s.engine.wrapUp('c1', config, s.ctx));
    return { ...s, config };
  }

  test('wrap-up blocking always: wrap-up holds capacity until close, and close records the release time', () => {
    const { engine, ctx } = served({ wrapUpBlocking: { kind: 'always' } });
    expect(engine.agent('a')!.usedUnits).toBe(1);
    ctx.clock.advance(5000);
    must(engine.close('c1', ctx));
    expect(engine.agent('a')).toMatchObject({ usedUnits: 0, lastReleaseAt: ctx.clock.now(), statusId: 'Available' });
  });

  test('wrap-up blocking never: capacity is released when wrap-up starts', () => {
    const { engine } = served({ wrapUpBlocking: { kind: 'never' } });
    expect(engine.agent('a')!.usedUnits).toBe(0);
  });

  test('wrap-up blocking for N seconds: capacity is released N seconds after wrap-up starts', () => {
    const { engine, ctx, decide } = served({ wrapUpBlocking: { kind: 'seconds', seconds: 30 } });
    ctx.clock.advance(29_000);
    decide();
    expect(engine.agent('a')!.usedUnits).toBe(1);
    ctx.clock.advance(1000);
    expect(decide()).toContainEqual({ kind: 'capacity-released', conversationId: 'c1', agentId: 'a' });
    expect(engine.agent('a')!.usedUnits).toBe(0);
  });

  test('capacity drives presence: Available, Busy, then Do not disturb when full', () => {
    const config = makeConfig({ workstreams: [makeWorkstream({ allowedPresences: ['Available', 'Busy'] })] });
    const { engine, arrive, decide } = setup(config, [makeAgent('a', ['q1'], { capacity: { maxUnits: 2 } })]);
    arrive('c1');
    arrive('c2');
    const ds = decide();
    expect(ds.filter((d) => d.kind === 'presence-changed')).toEqual([
      { kind: 'presence-changed', agentId: 'a', from: 'Available', to: 'Busy' },
      { kind: 'presence-changed', agentId: 'a', from: 'Busy', to: 'DoNotDisturb' },
    ]);
    expect(engine.agent('a')!.presenceBase).toBe('DoNotDisturb');
  });

  test('a capacity profile limit holds even when units are left', () => {
    const config = makeConfig({ capacityProfiles: [{ id: 'voice', name: 'Voice', defaultMaxItems: 1 }], workstreams: [makeWorkstream({ capacityProfileId: 'voice' })] });
    const { arrive, decide } = setup(config, [makeAgent('a', ['q1'], { capacity: { maxUnits: 10 } }), makeAgent('b', ['q1'], { capacity: { maxUnits: 10, profileLimits: { voice: 2 } } })]);
    ['c1', 'c2', 'c3', 'c4'].forEach((c) => arrive(c));
    expect(offers(decide()).sort()).toEqual(['c1->a', 'c2->b', 'c3->b']);
  });
});

describe('consult and transfer', () => {
  const config = makeConfig({ queues: [makeQueue('q1'), makeQueue('q2')] });
  function active() {
    const s = setup(config, [makeAgent('alice', ['q1'], { capacity: { maxUnits: 5 } }), makeAgent('bob', ['q1'], { capacity: { maxUnits: 1 } }), makeAgent('carol', ['q2'])]);
    s.arrive('c1');
    s.decide();
    s.serve('c1', 'alice');
    return s;
  }

  test('a consult uses no capacity of the consulted agent', () => {
    const { engine, ctx } = active();
    must(engine.startConsult('c1', 'alice', 'bob', config, ctx));
    expect(engine.agent('bob')!.usedUnits).toBe(0);
    expect(engine.conversation('c1')!.record.participants.map((p) => `${p.agentId}:${p.role}`)).toEqual(['alice:primary', 'bob:consult']);
  });

  test('only the primary agent may consult, and only agents of the queue can be consulted', () => {
    const { engine, ctx } = active();
    expect(engine.startConsult('c1', 'bob', 'alice', config, ctx)).toMatchObject({ ok: false });
    expect(engine.startConsult('c1', 'alice', 'carol', config, ctx)).toMatchObject({ ok: false, error: { code: 'engine.notEligible' } });
  });

  test('the receiver of a transfer becomes primary and the capacity moves with the conversation', () => {
    const { engine, ctx } = active();
    must(engine.startConsult('c1', 'alice', 'bob', config, ctx));
    must(engine.transferToAgent('c1', 'alice', 'bob', config, ctx));
    expect(engine.agent('alice')!.usedUnits).toBe(0);
    expect(engine.agent('bob')!.usedUnits).toBe(1);
    expect(engine.transferToAgent('c1', 'alice', 'carol', config, ctx)).toMatchObject({ ok: false, error: { code: 'lifecycle.notPrimary' } });
  });

  test('a transfer to an agent with no capacity left is refused', () => {
    const { engine, ctx, arrive, decide, serve } = active();
    must(engine.updateAgent('alice', { queueIds: ['q2'] }));
    arrive('c2');
    decide();
    serve('c2', 'bob');
    expect(engine.transferToAgent('c1', 'alice', 'bob', config, ctx)).toMatchObject({ ok: false, error: { code: 'engine.noCapacity' } });
  });

  test('a transfer to a queue releases the agent and routes the conversation there', () => {
    const { engine, ctx, decide } = active();
    must(engine.transferToQueue('c1', 'alice', 'q2', config, ctx));
    expect(engine.agent('alice')!.usedUnits).toBe(0);
    expect(offers(decide())).toEqual(['c1->carol']);
  });
});

describe('lifecycle through the engine', () => {
  test('a closed conversation reopens and is routed again', () => {
    const config = makeConfig();
    const { engine, ctx, arrive, decide, serve } = setup(config, [makeAgent('a', ['q1'])]);
    arrive('c1');
    decide();
    serve('c1', 'a');
    must(engine.close('c1', ctx));
    ctx.clock.advance(1000);
    const ds = must(engine.reopen('c1', config, ctx));
    expect(ds[0]).toEqual({ kind: 'reopened', conversationId: 'c1' });
    expect(engine.conversation('c1')!.record.timestamps.reopenedOn).toBe(ctx.clock.now());
    expect(offers(decide())).toEqual(['c1->a']);
  });

  test('closing a waiting conversation takes it out of its queue', () => {
    const { engine, ctx, arrive } = setup(makeConfig(), []);
    arrive('c1');
    must(engine.close('c1', ctx));
    expect(engine.waitingCount('q1')).toBe(0);
  });
});

describe('configuration', () => {
  test('a configuration change applies to the very next decision', () => {
    const before = makeConfig({ workstreams: [makeWorkstream({ allowedPresences: ['Available'] })] });
    const after = makeConfig({ workstreams: [makeWorkstream({ allowedPresences: ['Away'] })] });
    const { engine, ctx, arrive } = setup(before, [makeAgent('available', ['q1']), makeAgent('away', ['q1'])]);
    must(engine.presence('away', { type: 'setStatus', statusId: 'Away', at: 0 }));
    arrive('c1');
    expect(offers(engine.decide(after, ctx))).toEqual(['c1->away']);
  });

  test('changing the assignment method applies to the next decision', () => {
    const hc = makeConfig();
    const la = makeConfig({ queues: [makeQueue('q1', { assignment: { kind: 'least-active' } })] });
    const { engine, ctx, arrive } = setup(hc, [makeAgent('big', ['q1'], { capacity: { maxUnits: 9 }, lastReleaseAt: 50 }), makeAgent('idle', ['q1'], { lastReleaseAt: 1 })]);
    arrive('c1');
    arrive('c2');
    expect(offers(engine.decide(hc, ctx, { maxDecisions: 1 }))).toEqual(['c1->big']);
    expect(offers(engine.decide(la, ctx, { maxDecisions: 1 }))).toEqual(['c2->idle']);
  });

  test('a working copy loaded from a snapshot decides like the engine it was saved from', () => {
    const config = makeConfig({ queues: [makeQueue('q1', { assignment: { kind: 'round-robin' } })] });
    const ctx = makeContext();
    const snapshot = {
      agents: [makeAgent('a', ['q1'], { capacity: { maxUnits: 1 } }), makeAgent('b', ['q1'])],
      conversations: [
        { id: 'busy', workstreamId: 'ws-chat', queueId: 'q1', record: { id: 'busy', state: 'Active' as const, timestamps: { openedOn: 0, activeOn: 1 }, participants: [{ agentId: 'a', role: 'primary' as const, joinedOn: 1 }], reopenCount: 0 } },
        { id: 'w2', workstreamId: 'ws-chat', queueId: 'q1', enqueuedAt: 20, record: { id: 'w2', state: 'Waiting' as const, timestamps: { openedOn: 20 }, participants: [], reopenCount: 0 } },
        { id: 'w1', workstreamId: 'ws-chat', queueId: 'q1', enqueuedAt: 10, record: { id: 'w1', state: 'Waiting' as const, timestamps: { openedOn: 10 }, participants: [], reopenCount: 0 } },
      ],
    };
    expect(offers(decide(snapshot, config, ctx))).toEqual(['w1->b', 'w2->b']);
  });
});

describe('presence timers', () => {
  test('an inactive agent turns Away at the next decision and gets no more offers; activity brings them back', () => {
    const config = makeConfig();
    const { engine, ctx, arrive, decide } = setup(config, [makeAgent('a', ['q1'])], {});
    ctx.clock.advance(5 * 60_000);
    expect(decide()).toContainEqual({ kind: 'presence-changed', agentId: 'a', from: 'Available', to: 'Away' });
    arrive('c1');
    expect(offers(decide())).toEqual([]);
    must(engine.presence('a', { type: 'activity', at: ctx.clock.now() }));
    expect(offers(decide())).toEqual(['c1->a']);
  });

  test('a disconnect longer than the grace period makes the agent Offline at the next decision', () => {
    const config = makeConfig();
    const { engine, ctx, decide } = setup(config, [makeAgent('a', ['q1'])]);
    must(engine.presence('a', { type: 'disconnect', at: ctx.clock.now() }));
    ctx.clock.advance(149_000);
    expect(decide()).toEqual([]);
    ctx.clock.advance(1000);
    expect(decide()).toContainEqual({ kind: 'presence-changed', agentId: 'a', from: 'Available', to: 'Offline' });
  });

  test('an agent holding conversations cannot be removed', () => {
    const config = makeConfig();
    const { engine, arrive, decide } = setup(config, [makeAgent('a', ['q1']), makeAgent('b', ['q2'])]);
    arrive('c1');
    decide();
    expect(engine.removeAgent('a')).toMatchObject({ ok: false, error: { code: 'engine.agentBusy' } });
    expect(engine.removeAgent('b').ok).toBe(true);
    expect(engine.agent('b')).toBeUndefined();
  });
});

test('a conversation sent to a queue that does not exist is kept waiting under that id and reported', () => {
  const config = makeConfig({ workstreams: [makeWorkstream({ ruleset: { classification: [], routeToQueue: [], fallbackQueueId: 'deleted' } })] });
  const engine = new RoutingEngine();
  const ds = must(engine.arrive({ conversationId: 'c1', workstreamId: 'ws-chat' }, config, makeContext()));
  expect(ds).toContainEqual(expect.objectContaining({ kind: 'rule-problem', problem: expect.objectContaining({ code: 'rule.target' }) }));
  expect(engine.waitingIds('deleted')).toEqual(['c1']);
});

describe('working with stored state', () => {
  test('an offer that could not be persisted is withdrawn without counting as a decline', () => {
    const config = makeConfig();
    const { engine, ctx, arrive, decide } = setup(config, [makeAgent('a', ['q1'])]);
    arrive('c1');
    decide();
    expect(must(engine.withdrawOffer('c1', ctx))).toContainEqual({ kind: 'offer-ended', conversationId: 'c1', agentId: 'a', reason: 'withdrawn' });
    expect(engine.conversation('c1')!.declines).toEqual({});
    expect(engine.agent('a')!.usedUnits).toBe(0);
    expect(offers(decide())).toEqual(['c1->a']);
  });

  test('a conversation reloaded from storage replaces the local view and its capacity', () => {
    const config = makeConfig();
    const { engine, arrive, decide } = setup(config, [makeAgent('a', ['q1']), makeAgent('b', ['q1'])]);
    arrive('c1');
    expect(offers(decide())).toEqual(['c1->a']);
    // Another instance assigned it to b meanwhile.
    engine.reloadConversation(
      { id: 'c1', workstreamId: 'ws-chat', queueId: 'q1', record: { id: 'c1', state: 'Active', timestamps: { openedOn: 0, activeOn: 5 }, participants: [{ agentId: 'b', role: 'primary', joinedOn: 5 }], reopenCount: 0 } },
      config,
    );
    expect(engine.agent('a')!.usedUnits).toBe(0);
    expect(engine.agent('b')!.usedUnits).toBe(1);
    expect(engine.conversation('c1')!.status).toBe('assigned');
  });

  test('an agent row read back from storage updates presence and release time', () => {
    const config = makeConfig({ queues: [makeQueue('q1', { assignment: { kind: 'least-active' } })] });
    const { engine, arrive, decide } = setup(config, [makeAgent('a', ['q1'], { lastReleaseAt: 1 }), makeAgent('b', ['q1'], { lastReleaseAt: 2 })]);
    must(engine.updateAgent('a', { lastReleaseAt: 10 }));
    arrive('c1');
    expect(offers(decide())).toEqual(['c1->b']);
    must(engine.updateAgent('a', { presence: { ...engine.agent('a')!.presence, signedIn: false, statusId: 'Offline' } }));
    expect(engine.agent('a')!.presenceBase).toBe('Offline');
  });
});

test('queues that overflow into each other on wait time stop moving a conversation after the hop limit', () => {
  const config = makeConfig({
    maxOverflowHops: 2,
    queues: [
      makeQueue('q1', { overflow: { waitTime: { seconds: 10, action: { kind: 'queue', queueId: 'q2' } } } }),
      makeQueue('q2', { overflow: { waitTime: { seconds: 10, action: { kind: 'queue', queueId: 'q1' } } } }),
    ],
  });
  const engine = new RoutingEngine();
  const ctx = makeContext();
  must(engine.arrive({ conversationId: 'c1', workstreamId: 'ws-chat' }, config, ctx));
  let moves = 0;
  for (let i = 0; i < 10; i++) {
    ctx.clock.advance(10_000);
    moves += engine.decide(config, ctx).filter((d) => d.kind === 'overflowed').length;
  }
  expect(moves).toBe(2);
  expect(engine.conversation('c1')!.status).toBe('waiting');
});

test('a custom rule whose agent condition is broken selects nobody, so the next rule decides', () => {
  const broken = { id: 'bad', agentCondition: 'agent.level ==', orderBy: [] };
  const onlyBroken = makeConfig({ queues: [makeQueue('q1', { assignment: { kind: 'custom', rules: [broken] } })] });
  const withFallback = makeConfig({ queues: [makeQueue('q1', { assignment: { kind: 'custom', rules: [broken, { id: 'all', orderBy: [] }] } })] });
  const { engine, ctx, arrive } = setup(onlyBroken, [makeAgent('a', ['q1'])]);
  arrive('c1');
  expect(offers(engine.decide(onlyBroken, ctx))).toEqual([]);
  expect(offers(engine.decide(withFallback, ctx))).toEqual(['c1->a']);
});
