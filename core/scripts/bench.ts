// Routing benchmark: decisions per second and p50/p99 time per decision with 1,000 / 10,000 /
// 100,000 agents, 200 queues and 100,000 queued conversations. Prints numbers; never fails.
//   npm run bench -w core            (all sizes)
//   npm run bench -w core -- 10000   (one size)
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  type AgentInput,
  type ConversationSnapshot,
  type QueueConfig,
  type RoutingConfig,
  RoutingEngine,
  emptyDecideStats,
  fixedClock,
  openConversation,
  seededRng,
} from '../src/index';
import { makeWorkstream, signedInPresence } from '../src/routing/routing-fixtures';

const QUEUES = 200;
const ITEMS = 100_000;
const QUEUES_PER_AGENT = 3;
const SKILLS = 10;
const DECISIONS = 20_000;
const BATCH = 500;
const START = 1_700_000_000_000;

function buildConfig(): RoutingConfig {
  const methods: QueueConfig['assignment'][] = [{ kind: 'highest-capacity' }, { kind: 'round-robin' }, { kind: 'least-active' }];
  const queues: QueueConfig[] = [];
  for (let i = 0; i < QUEUES; i++) {
    const q: QueueConfig = { id: `q${i}`, name: `Queue ${i}`, priority: 1 + (i % 5), assignment: methods[i % methods.length]! };
    // A quarter of the queues keep (24/7) operating hours, so the hours check is on the path.
    if (i % 4 === 0) q.operatingHoursId = 'always';
    queues.push(q);
  }
  return {
    queues,
    workstreams: [makeWorkstream({ id: 'ws', allowedPresences: ['Available', 'Busy'], offerTimeoutSeconds: 3600, skillMatch: 'exact' })],
    capacityProfiles: [],
    operatingHours: [{ id: 'always', timeZone: 'America/Toronto', weekly: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: '00:00', to: '24:00' })) }],
  };
}

function buildSnapshot(agentCount: number, rng: { next(): number }) {
  const int = (n: number) => Math.floor(rng.next() * n);
  const agents: AgentInput[] = [];
  for (let i = 0; i < agentCount; i++) {
    const queueIds = new Set<string>();
    while (queueIds.size < QUEUES_PER_AGENT) queueIds.add(`q${int(QUEUES)}`);
    const skills: Record<string, number> = {};
    for (let s = 0; s < 3; s++) skills[`s${int(SKILLS)}`] = 1 + int(5);
    const a: AgentInput = { id: `agent${i}`, queueIds: [...queueIds], skills, capacity: { maxUnits: 3 + int(5) }, lastReleaseAt: int(1_000_000) };
    // 90% signed in; the rest are offline and must cost nothing.
    if (rng.next() < 0.9) a.presence = signedInPresence(START);
    agents.push(a);
  }
  const conversations: ConversationSnapshot[] = [];
  for (let i = 0; i < ITEMS; i++) {
    const id = `conv${i}`;
    const c: ConversationSnapshot = { id, workstreamId: 'ws', queueId: `q${int(QUEUES)}`, enqueuedAt: i, priority: rng.next() < 0.1 ? 10 : 100, record: { ...openConversation(id, i), state: 'Waiting' } };
    // One in five needs a skill (exact match): the walk skips agents without it.
    if (rng.next() < 0.2) c.skills = [{ skillId: `s${int(SKILLS)}`, minRating: 1 + int(3) }];
    conversations.push(c);
  }
  return { agents, conversations };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

// SWB_BENCH_JSON=<file>: also write the figures as JSON for the root `npm run bench` table.
const jsonResults: Record<string, unknown>[] = [];

function run(agentCount: number): void {
  const rng = seededRng(agentCount);
  const config = buildConfig();
  const snapshot = buildSnapshot(agentCount, rng);
  const t0 = performance.now();
  const engine = RoutingEngine.fromSnapshot(snapshot, config);
  const loadMs = performance.now() - t0;
  const ctx = { clock: fixedClock(START), rng };

  // Warm the JIT and build each queue's ordering index once (first use), outside the timings.
  const settle = (ds: ReturnType<RoutingEngine['decide']>) => {
    for (const d of ds) {
      if (d.kind !== 'offered') continue;
      engine.accept(d.conversationId, d.agentId, ctx);
      engine.close(d.conversationId, ctx);
    }
  };
  for (let i = 0; i < 2000; i++) settle(engine.decide(config, ctx, { maxDecisions: 1 }));

  // Single decisions: one decide() call producing one offer, timed alone.
  const times = new Float64Array(DECISIONS);
  const stats = emptyDecideStats();
  let made = 0;
  let calls = 0;
  let cpuMicros = 0;
  while (made < DECISIONS && calls < DECISIONS * 2) {
    calls++;
    ctx.clock.advance(1);
    const c0 = process.cpuUsage();
    const s = performance.now();
    const ds = engine.decide(config, ctx, { maxDecisions: 1, stats });
    const e = performance.now();
    const c1 = process.cpuUsage(c0);
    cpuMicros += c1.user + c1.system;
    if (!ds.some((d) => d.kind === 'offered')) continue;
    times[made++] = (e - s) * 1000;
    // Untimed: the agent accepts and ends, freeing capacity so the run keeps going.
    settle(ds);
  }
  const t = times.slice(0, made).sort();
  const total = t.reduce((a, b) => a + b, 0);

  // Batches: one decide() call placing up to BATCH conversations (how the worker drains a backlog).
  let batchOffers = 0;
  let batchMs = 0;
  for (let b = 0; b < 10; b++) {
    const s = performance.now();
    const ds = engine.decide(config, ctx, { maxDecisions: BATCH });
    batchMs += performance.now() - s;
    batchOffers += ds.filter((d) => d.kind === 'offered').length;
    settle(ds);
  }

  const mem = process.memoryUsage().heapUsed / 1024 / 1024;
  jsonResults.push({
    agents: agentCount,
    queues: QUEUES,
    queued: ITEMS,
    decisions: made,
    decisionsPerSecond: made / (total / 1e6),
    p50Micros: percentile(t, 0.5),
    p99Micros: percentile(t, 0.99),
    meanMicros: total / made,
    batchedMicrosPerDecision: batchOffers ? (batchMs * 1000) / batchOffers : null,
  });
  console.log(
    [
      `agents=${agentCount.toLocaleString('en-US').padStart(7)}`,
      `queues=${QUEUES}`,
      `queued=${ITEMS.toLocaleString('en-US')}`,
      `load=${loadMs.toFixed(0)}ms`,
      `decisions=${made}`,
      `single: ${(made / (total / 1e6)).toFixed(0).padStart(7)}/s p50=${percentile(t, 0.5).toFixed(1)}µs p99=${percentile(t, 0.99).toFixed(1)}µs mean=${(total / made).toFixed(1)}µs`,
      `cpu=${(cpuMicros / made).toFixed(1)}µs`,
      `batched: ${batchOffers ? ((batchMs * 1000) / batchOffers).toFixed(1) : '-'}µs/decision (${batchOffers ? ((batchOffers / batchMs) * 1000).toFixed(0) : '-'}/s)`,
      `work/decision: agents=${(stats.agentsExamined / made).toFixed(1)} items=${(stats.itemsTried / made).toFixed(2)} queues=${(stats.queuesScanned / made).toFixed(2)} (+${(stats.queuesSkippedStalled / made).toFixed(1)} skipped)`,
      `heap=${mem.toFixed(0)}MB`,
    ].join('  '),
  );
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
console.log(`Switchboard routing benchmark (node ${process.version}); times per decide() call that made one offer`);
for (const n of sizes.length ? sizes : [1_000, 10_000, 100_000]) run(n);
if (process.env['SWB_BENCH_JSON']) writeFileSync(process.env['SWB_BENCH_JSON'], JSON.stringify({ bench: 'core-routing', node: process.version, runs: jsonResults }, null, 2));
