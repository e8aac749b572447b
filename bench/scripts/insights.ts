// Historical analytics at two years and a million conversations (issue #20):
//
// 1. 1,000,000 conversations over 24 months, generated in memory from a seeded RNG (5 queues,
//    2 channels, 50 agents; business-hours arrivals, growth, answer/abandon rates, waits, handle
//    and wrap-up times, transfers, consults, declines, timeouts, surveys, sentiment), folded with
//    core into hour, day and month buckets: time and bucket counts.
// 2. The month and day buckets written into the Dataverse emulator (in-process, over HTTP).
// 3. (a) Two hours of the last fortnight replayed live — the second one an hour of average
//    traffic (1,000,000 / 17,520 ≈ 57 conversations opened): each conversation's changes (open,
//    offers declined or timed out, answer, transfer, consult, wrap-up, close, survey) written at
//    their time, and the real fold service (functions' insights fold over its Dataverse
//    repository) run every 5 minutes; the second hour is measured — time, Dataverse requests,
//    requests per folded conversation. The emulator and the fold share a simulated clock.
//    (b) The reads an Insights view makes (core's insightsQuery, as the Insights control does):
//    24 months of month buckets, all queues or one queue (and one channel), and 92 days of day
//    buckets — time, rows, requests; the goal for 24 months is ≤ 500 ms.
//
//   npm run bench:insights -w bench [-- --conversations 1000000 --months 24 --seed 20]
//
// Prints a table (SWB_BENCH_JSON=<file> also writes the figures as JSON); never fails on a slow machine.
import { writeFileSync } from 'node:fs';
import {
  applyMeasures,
  bucketKeysOf,
  bucketKeyText,
  contribution,
  derive,
  emptyMeasures,
  INSIGHTS_CHANNEL_CHOICE,
  INSIGHTS_GRAIN_CHOICE,
  insightsQuery,
  measuresToJson,
  readInsightsRow,
  SENTIMENT_LEVELS,
  type ConversationFacts,
  type InsightsBucketKey,
  type InsightsChannel,
  type InsightsFilters,
  type InsightsRange,
  type Measures,
} from '@switchboard/core';
import { ChannelType, ConversationState, OfferResponse, Sentiment, SessionRole, metadata } from '@switchboard/solution';
import { DynamicsWebApi } from 'dynamics-web-api';
import { APP_USER_ID, ORGANIZATION_ID, createEmulator, diffStats, type Emulator } from '@switchboard/dev/dataverse';
import { DataverseClient } from '@switchboard/functions/dataverse/dataverse-client';
import { DataverseInsightsFoldStore } from '@switchboard/functions/insights/insights-fold.repository';
import { DataverseInsightsFold, insightsBucketId, type FoldRunReport } from '@switchboard/functions/insights/insights-fold.service';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : dflt);
const CONVERSATIONS = arg('conversations', 1_000_000);
const MONTHS = arg('months', 24);
const SEED = arg('seed', 20);
const APP = 'switchboard-app@switchboard.dev';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const END = Date.UTC(2026, 3, 1);
const START = Date.UTC(2026, 3 - MONTHS, 1);

// ---- seeded generation ---------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rng = mulberry32(SEED);
const exp = (mean: number) => -Math.log(1 - rng()) * mean;
const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
const logNormal = (median: number, sigma: number) => median * Math.exp(sigma * normal());
function pick<T>(items: readonly T[], weights: readonly number[]): T {
  let r = rng() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) if ((r -= weights[i]!) < 0) return items[i]!;
  return items[items.length - 1]!;
}

const guid = (kind: number, n: number) => `5b0e0000-000${kind}-4000-8000-${String(n).padStart(12, '0')}`;
const QUEUES = ['Support', 'Billing', 'Sales', 'Technical', 'VIP'].map((name, i) => ({ id: guid(1, i + 1), name }));
const QUEUE_WEIGHTS = [0.36, 0.24, 0.2, 0.15, 0.05];
const AGENTS = Array.from({ length: 50 }, (_, i) => ({ id: guid(2, i + 1), name: `Agent ${i + 1}` }));
// Each agent works one queue; one in three also a second one.
const AGENTS_OF = QUEUES.map((_, q) => AGENTS.filter((_, i) => i % QUEUES.length === q || (i % 3 === 0 && (i + 1) % QUEUES.length === q)));
const CHANNELS: InsightsChannel[] = ['livechat', 'sms'];
const RATINGS = [1, 2, 3, 4, 5];
const RATING_WEIGHTS = [0.07, 0.06, 0.12, 0.3, 0.45];
const SENTIMENT_WEIGHTS = [0.03, 0.06, 0.12, 0.34, 0.22, 0.16, 0.07];

interface Story extends ConversationFacts {
  /** When the customer answered the survey (after the close). */
  surveyAt: number | null;
  transferAgents: string[];
  consultAgents: string[];
}

function conversationAt(n: number, openedAt: number): Story {
  const q = pick([0, 1, 2, 3, 4], QUEUE_WEIGHTS);
  const channel = pick(CHANNELS, [0.65, 0.35]);
  const queuedAt = openedAt + Math.round(rng() * (channel === 'sms' ? 4 : 9)) * SECOND;
  const base: Story = { id: guid(3, n), channel, queueId: QUEUES[q]!.id, agentId: null, openedAt, queuedAt, surveyAt: null, transferAgents: [], consultAgents: [] };
  const second = (t: number) => Math.round(t / SECOND) * SECOND;
  const declines = rng() < 0.1 ? 1 + (rng() < 0.2 ? 1 : 0) : 0;
  const timeouts = rng() < 0.05 ? 1 : 0;
  if (rng() < (q === 4 ? 0.03 : 0.085)) return { ...base, closedAt: second(queuedAt + exp(95 * SECOND)), declines, timeouts };
  const agents = AGENTS_OF[q]!;
  const agent = agents[Math.floor(rng() * agents.length)]!.id;
  const firstAssignedAt = second(queuedAt + Math.min(exp(35 * SECOND), 15 * MINUTE));
  const handle = Math.min(logNormal(channel === 'sms' ? 12 * MINUTE : 6 * MINUTE, 0.6), 3 * HOUR);
  const wrapUpAt = second(firstAssignedAt + handle);
  const closedAt = rng() < 0.85 ? second(wrapUpAt + exp(55 * SECOND)) : wrapUpAt;
  const transfers = rng() < 0.07 ? (rng() < 0.15 ? 2 : 1) : 0;
  const consults = rng() < 0.05 ? 1 : 0;
  const other = () => agents[Math.floor(rng() * agents.length)]!.id;
  const surveyed = rng() < 0.27;
  return {
    ...base,
    agentId: agent,
    firstAssignedAt,
    wrapUpAt: closedAt === wrapUpAt ? null : wrapUpAt,
    closedAt,
    transfers,
    consults,
    declines,
    timeouts,
    survey: surveyed ? pick(RATINGS, RATING_WEIGHTS) : null,
    surveyAt: surveyed ? second(closedAt + exp(3 * MINUTE)) : null,
    sentiment: rng() < 0.75 ? pick(SENTIMENT_LEVELS, SENTIMENT_WEIGHTS) : null,
    transferAgents: Array.from({ length: transfers }, other),
    consultAgents: Array.from({ length: consults }, other),
  };
}

/** Arrivals per hour: business hours, quieter weekends, 60 % growth over the period. */
function hourWeight(t: number): number {
  const d = new Date(t);
  const h = d.getUTCHours() + d.getUTCMinutes() / 60;
  const day = 0.12 + Math.exp(-(((h - 10.5) / 2.2) ** 2)) + 0.85 * Math.exp(-(((h - 15) / 2.5) ** 2));
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.35 : 1;
  return day * weekend * (1 + (0.6 * (t - START)) / (END - START));
}

// ---- folding in memory ---------------------------------------------------------------------

type Table = Map<string, { key: InsightsBucketKey; measures: Measures }>;

function foldInto(tables: Record<'hour' | 'day' | 'month', Table>, facts: ConversationFacts): void {
  const c = contribution(facts);
  for (const key of bucketKeysOf(c.key)) {
    const t = tables[key.grain];
    const id = bucketKeyText(key);
    let b = t.get(id);
    if (!b) t.set(id, (b = { key, measures: emptyMeasures() }));
    applyMeasures(b.measures, c.measures, 1);
  }
}

// ---- the emulator --------------------------------------------------------------------------

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

function seedDirectory(emu: Emulator): void {
  const now = iso(Date.now());
  const meta = (logical: string) => emu.operations.model.entity(logical);
  const row = (logical: string, values: Record<string, unknown>) => {
    const e = meta(logical);
    const out: Record<string, unknown> = { createdon: now, modifiedon: now, statecode: 0, statuscode: 1, versionnumber: emu.store.nextVersion(), ...values };
    for (const k of Object.keys(out)) if (!(k in e.attributes) && !k.endsWith('__type')) delete out[k];
    return out;
  };
  emu.store.bulkInsert(meta('queue'), QUEUES.map((q) => row('queue', { queueid: q.id, name: q.name, ownerid: APP_USER_ID, ownerid__type: 'systemuser' })));
  emu.store.bulkInsert(meta('systemuser'), AGENTS.map((a) => row('systemuser', { systemuserid: a.id, fullname: a.name, domainname: `${a.id}@example.test`, isdisabled: 0 })));
}

/** The buckets as rows of swb_insightbucket, straight into the store (one transaction per 50,000). */
function writeBuckets(emu: Emulator, tables: Table[]): number {
  const e = emu.operations.model.entity('swb_insightbucket');
  const now = iso(Date.now());
  let n = 0;
  let batch: Record<string, unknown>[] = [];
  const flush = () => {
    emu.store.bulkInsert(e, batch);
    batch = [];
  };
  for (const t of tables) {
    for (const { key, measures } of t.values()) {
      const text = bucketKeyText(key);
      const values: Record<string, unknown> = {
        swb_insightbucketid: insightsBucketId(key), swb_name: text, swb_bucketkey: text, swb_grain: INSIGHTS_GRAIN_CHOICE[key.grain], swb_periodstart: iso(key.periodStart),
        swb_queueid: key.queueId, swb_queueid__type: key.queueId ? 'queue' : null, swb_channeltype: INSIGHTS_CHANNEL_CHOICE[key.channel as InsightsChannel] ?? null,
        swb_agentid: key.agentId, swb_agentid__type: key.agentId ? 'systemuser' : null, swb_measures: measuresToJson(measures),
        createdon: now, modifiedon: now, statecode: 0, statuscode: 1, versionnumber: ++n, organizationid: ORGANIZATION_ID, organizationid__type: 'organization',
      };
      for (const k of Object.keys(values)) if (!(k in e.attributes) && !k.endsWith('__type')) delete values[k];
      batch.push(values);
      if (batch.length === 50_000) flush();
    }
  }
  flush();
  // The versions the bulk rows took (their ETags) are behind the store's counter from now on.
  emu.store.writer.prepare(`INSERT INTO _emu_meta (key, value) VALUES ('version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(n + 1_000_000));
  emu.store.reloadVersion();
  emu.store.writer.exec('ANALYZE');
  return n;
}

// ---- replaying conversations through the fold -----------------------------------------------

interface Change {
  at: number;
  story: Story;
  apply: (api: DynamicsWebApi) => Promise<unknown>;
}

const SENTIMENT_CHOICE: Record<string, Sentiment> = {
  veryNegative: Sentiment.VeryNegative, negative: Sentiment.Negative, slightlyNegative: Sentiment.SlightlyNegative, neutral: Sentiment.Neutral,
  slightlyPositive: Sentiment.SlightlyPositive, positive: Sentiment.Positive, veryPositive: Sentiment.VeryPositive,
};

/** What a conversation's life writes to Dataverse, change by change. */
function changesOf(s: Story): Change[] {
  const set = 'swb_conversations';
  const update = (data: Record<string, unknown>) => (api: DynamicsWebApi) => api.update({ collection: set, key: s.id, data });
  const bind = (nav: string, entitySet: string, id: string) => ({ [`${nav}@odata.bind`]: `/${entitySet}(${id})` });
  const session = (agent: string, role: SessionRole, at: number) => (api: DynamicsWebApi) =>
    api.create({ collection: 'swb_sessions', data: { ...bind('swb_conversationid', set, s.id), ...bind('swb_agentid', 'systemusers', agent), swb_role: role, swb_joinedon: iso(at) } });
  const out: Change[] = [];
  const at = (t: number, apply: Change['apply']) => out.push({ at: t, story: s, apply });
  at(s.openedAt, (api) =>
    api.create({
      collection: set,
      data: { activityid: s.id, subject: 'Conversation', swb_channeltype: s.channel === 'sms' ? ChannelType.Sms : ChannelType.LiveChat, swb_state: ConversationState.Open, ...bind('swb_queueid', 'queues', s.queueId!), swb_openedon: iso(s.openedAt), swb_queuedon: iso(s.queuedAt!) },
    }),
  );
  let declined = 0;
  const offerAt = (s.firstAssignedAt ?? s.closedAt ?? s.openedAt) - 2 * SECOND;
  for (const [response, n] of [[OfferResponse.Declined, s.declines ?? 0], [OfferResponse.TimedOut, s.timeouts ?? 0]] as const) {
    for (let i = 0; i < n; i++) {
      const count = ++declined;
      at(offerAt, async (api) => {
        await api.create({ collection: 'swb_offers', data: { ...bind('swb_conversationid', set, s.id), ...bind('swb_agentid', 'systemusers', AGENTS[(count * 7) % AGENTS.length]!.id), swb_response: response } });
        await update({ swb_declinecount: count })(api);
      });
    }
  }
  if (s.firstAssignedAt != null && s.agentId) {
    const answeredAt = s.firstAssignedAt;
    at(answeredAt, async (api) => {
      await session(s.agentId!, SessionRole.Primary, answeredAt)(api);
      await update({ ...bind('swb_primaryagentid', 'systemusers', s.agentId!), swb_firstassignedon: iso(answeredAt), swb_state: ConversationState.Active, swb_waitseconds: Math.round((answeredAt - s.queuedAt!) / SECOND) })(api);
    });
    const mid = answeredAt + ((s.wrapUpAt ?? s.closedAt ?? answeredAt) - answeredAt) / 2;
    s.transferAgents.forEach((agent, i) => {
      const t = Math.round((mid + i * SECOND) / SECOND) * SECOND;
      at(t, async (api) => {
        await session(agent, SessionRole.Primary, t)(api);
        await update(bind('swb_primaryagentid', 'systemusers', agent))(api);
      });
    });
    // A consult writes only its session: the fold counts it with the conversation's next change.
    for (const agent of s.consultAgents) at(mid - 30 * SECOND, session(agent, SessionRole.Consult, mid - 30 * SECOND));
  }
  if (s.wrapUpAt != null) at(s.wrapUpAt, update({ swb_wrapupon: iso(s.wrapUpAt), swb_state: ConversationState.WrapUp }));
  if (s.closedAt != null) at(s.closedAt, update({ swb_closedon: iso(s.closedAt), swb_state: ConversationState.Closed, ...(s.sentiment ? { swb_sentiment: SENTIMENT_CHOICE[s.sentiment] } : {}) }));
  if (s.surveyAt != null && s.survey != null) at(s.surveyAt, update({ swb_csatrating: s.survey }));
  return out;
}

// ---- main ----------------------------------------------------------------------------------

const ms = (t: number) => Math.round(t * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  console.log(`Insights — ${CONVERSATIONS.toLocaleString('en')} conversations over ${MONTHS} months (seed ${SEED}), node ${process.version}`);

  // 1. generate and fold in memory
  const hours: number[] = [];
  for (let t = START; t < END; t += HOUR) hours.push(t);
  const weights = hours.map(hourWeight);
  const total = weights.reduce((a, b) => a + b, 0);
  const counting = mulberry32(SEED ^ 0x5bd1e995);
  const counts = weights.map((w) => {
    const exact = (CONVERSATIONS * w) / total;
    return Math.floor(exact) + (counting() < exact - Math.floor(exact) ? 1 : 0);
  });
  // The measured hour: the latest of the last fortnight with the average count (after a warm-up hour).
  const average = CONVERSATIONS / hours.length;
  let measuredIndex = hours.length - 2;
  for (let h = hours.length - 2; h >= hours.length - 14 * 24; h--) if (Math.abs(counts[h]! - average) < Math.abs(counts[measuredIndex]! - average)) measuredIndex = h;
  const MEASURED_FROM = hours[measuredIndex]!;
  const LIVE_FROM = MEASURED_FROM - HOUR;
  const LIVE_TO = MEASURED_FROM + HOUR;
  const tables = { hour: new Map(), day: new Map(), month: new Map() } as Record<'hour' | 'day' | 'month', Table>;
  const live: Story[] = [];
  let n = 0;
  let generateMs = 0;
  let foldMs = 0;
  for (let h = 0; h < hours.length; h++) {
    for (let i = 0; i < counts[h]!; i++) {
      let t = performance.now();
      const story = conversationAt(++n, hours[h]! + Math.floor(rng() * 3600) * SECOND);
      generateMs += performance.now() - t;
      if (story.openedAt >= LIVE_FROM && story.openedAt < LIVE_TO) {
        live.push(story);
        continue;
      }
      t = performance.now();
      foldInto(tables, story);
      foldMs += performance.now() - t;
    }
  }
  const folded = n - live.length;
  console.log(`\n1. generated ${n.toLocaleString('en')} conversations in ${(generateMs / 1000).toFixed(1)} s; folded ${folded.toLocaleString('en')} with core in ${(foldMs / 1000).toFixed(2)} s (${Math.round(folded / (foldMs / 1000)).toLocaleString('en')}/s)`);
  console.log(`   buckets: ${tables.month.size.toLocaleString('en')} month, ${tables.day.size.toLocaleString('en')} day, ${tables.hour.size.toLocaleString('en')} hour (${live.length} conversations opened ${iso(LIVE_FROM)} – ${iso(LIVE_TO)} held back for the live replay)`);

  // 2. the month and day buckets into the emulator
  const clock = { t: Date.now() };
  const emu = createEmulator({ metadata, db: ':memory:', now: () => clock.t });
  const { url } = await emu.listen(0);
  const serverUrl = url.replace('/api/data/v9.2/', '');
  const api = new DynamicsWebApi({ serverUrl, dataApi: { version: '9.2' }, onTokenRefresh: async () => emu.appToken, propagateErrors: true });
  const client = new DataverseClient({ url: serverUrl, tokenSource: { getToken: async () => emu.appToken } });
  seedDirectory(emu);
  const t = performance.now();
  const written = writeBuckets(emu, [tables.month, tables.day]);
  console.log(`\n2. wrote ${written.toLocaleString('en')} month and day buckets into the emulator's store in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // 3a. two hours replayed live, the fold every 5 minutes; the second hour measured
  const changes = live.flatMap(changesOf).filter((c) => c.at < LIVE_TO).sort((a, b) => a.at - b.at);
  const fold = new DataverseInsightsFold({ store: new DataverseInsightsFoldStore(client), now: () => clock.t });
  const runs: (FoldRunReport & { at: number; ms: number; appRequests: number; appOperations: number })[] = [];
  let next = 0;
  let measuredChanges = 0;
  const changedInMeasured = new Set<string>();
  for (let tick = LIVE_FROM + 5 * MINUTE; tick <= LIVE_TO; tick += 5 * MINUTE) {
    while (next < changes.length && changes[next]!.at < tick) {
      const c = changes[next++]!;
      clock.t = c.at;
      await c.apply(api);
      if (c.at >= MEASURED_FROM) {
        measuredChanges++;
        changedInMeasured.add(c.story.id);
      }
    }
    clock.t = tick;
    const before = emu.stats();
    const started = performance.now();
    const report = await fold.run();
    const elapsed = performance.now() - started;
    const app = diffStats(before, emu.stats()).callers[APP];
    runs.push({ ...report, at: tick, ms: elapsed, appRequests: app?.requests ?? 0, appOperations: app?.operations ?? 0 });
  }
  const measured = runs.filter((r) => r.at > MEASURED_FROM);
  const sum = (f: (r: (typeof runs)[number]) => number) => measured.reduce((a, r) => a + f(r), 0);
  const hourFold = {
    runs: measured.length,
    conversationsChanged: changedInMeasured.size,
    changes: measuredChanges,
    conversationsRead: sum((r) => r.conversationsRead),
    conversationsFolded: sum((r) => r.conversationsFolded),
    bucketsWritten: sum((r) => r.bucketsWritten),
    requests: sum((r) => r.appRequests),
    operations: sum((r) => r.appOperations),
    conflicts: sum((r) => r.conflicts),
    ms: ms(sum((r) => r.ms)),
    p50RunMs: ms(median(measured.map((r) => r.ms))),
    maxRunMs: ms(Math.max(...measured.map((r) => r.ms))),
  };
  const perFolded = hourFold.conversationsFolded ? hourFold.requests / hourFold.conversationsFolded : 0;
  const perChanged = hourFold.conversationsChanged ? hourFold.requests / hourFold.conversationsChanged : 0;
  console.log(`\n3a. one hour of traffic through the fold service, ${iso(MEASURED_FROM)} (${counts[measuredIndex]} conversations opened; emulator over HTTP, a run every 5 minutes, ${hourFold.runs} runs)`);
  console.log(`    ${hourFold.conversationsChanged} conversations changed (${hourFold.changes} writes to conversations, sessions and offers)`);
  console.log(`    ${hourFold.conversationsFolded} folds (a conversation whose contribution changed since the last run), ${hourFold.conversationsRead} rows read, ${hourFold.bucketsWritten} bucket writes`);
  console.log(`    ${hourFold.requests} requests (${hourFold.operations} operations in them), ${perFolded.toFixed(2)} per folded conversation, ${perChanged.toFixed(2)} per changed conversation; ${hourFold.conflicts} conflicts`);
  console.log(`    ${hourFold.ms} ms in all; a run: p50 ${hourFold.p50RunMs} ms, max ${hourFold.maxRunMs} ms`);

  // 3b. what an Insights view reads
  const range: InsightsRange = { from: START, to: END };
  const views: { name: string; range: InsightsRange; filters: InsightsFilters }[] = [
    { name: `${MONTHS} months, all queues`, range, filters: {} },
    { name: `${MONTHS} months, one queue`, range, filters: { queueIds: [QUEUES[0]!.id] } },
    { name: `${MONTHS} months, one queue, SMS`, range, filters: { queueIds: [QUEUES[1]!.id], channels: ['sms'] } },
    { name: '92 days, all queues (day)', range: { from: END - 92 * 24 * HOUR - HOUR, to: END - HOUR }, filters: {} },
    { name: '92 days, one queue (day)', range: { from: END - 92 * 24 * HOUR - HOUR, to: END - HOUR }, filters: { queueIds: [QUEUES[0]!.id] } },
  ];
  const results: { name: string; grain: string; periods: number; rows: number; requests: number; kib: number; p50Ms: number; maxMs: number; p50ServerMs: number; p50ParseMs: number; p50TotalsMs: number; totalIncoming: number; abandonRate: number | null }[] = [];
  const headers = { Authorization: `Bearer ${emu.appToken}`, Accept: 'application/json', 'OData-Version': '4.0', Prefer: 'odata.maxpagesize=5000' };
  for (const v of views) {
    const q = insightsQuery(v.range, v.filters);
    const samples: { ms: number; server: number; parse: number; totals: number }[] = [];
    let rows = 0;
    let requests = 0;
    let bytes = 0;
    let totals = emptyMeasures();
    for (let i = 0; i < 5; i++) {
      const before = emu.stats();
      const sample = { ms: 0, server: 0, parse: 0, totals: 0 };
      const started = performance.now();
      // The control's read: GET <set><options> (what context.webAPI.retrieveMultipleRecords sends), pages of 5,000.
      let link: string | undefined = `${url}${q.entitySetName}${encodeURI(q.options).replace(/'/g, '%27')}`;
      const entities: Record<string, unknown>[] = [];
      bytes = 0;
      while (link) {
        let t0 = performance.now();
        const text = await (await fetch(link, { headers })).text();
        sample.server += performance.now() - t0;
        bytes += text.length;
        t0 = performance.now();
        const page = JSON.parse(text) as { value: Record<string, unknown>[]; '@odata.nextLink'?: string };
        sample.parse += performance.now() - t0;
        entities.push(...page.value);
        link = page['@odata.nextLink'];
      }
      // What the view does with them: read each row and total it by period.
      const t0 = performance.now();
      const byPeriod = new Map<number, Measures>();
      totals = emptyMeasures();
      for (const r of entities.map(readInsightsRow)) {
        const m = byPeriod.get(r.periodStart) ?? emptyMeasures();
        applyMeasures(m, r.measures, 1);
        byPeriod.set(r.periodStart, m);
        applyMeasures(totals, r.measures, 1);
      }
      sample.totals = performance.now() - t0;
      sample.ms = performance.now() - started;
      samples.push(sample);
      rows = entities.length;
      requests = diffStats(before, emu.stats()).callers[APP]?.requests ?? 0;
    }
    const p50 = (f: (x: (typeof samples)[number]) => number) => ms(median(samples.map(f)));
    results.push({
      name: v.name, grain: q.grain, periods: q.periods, rows, requests, kib: Math.round(bytes / 1024), p50Ms: p50((x) => x.ms), maxMs: ms(Math.max(...samples.map((x) => x.ms))),
      p50ServerMs: p50((x) => x.server), p50ParseMs: p50((x) => x.parse), p50TotalsMs: p50((x) => x.totals), totalIncoming: totals.incoming, abandonRate: derive(totals).abandonRate,
    });
  }
  console.log('\n3b. an Insights view: the control\'s bucket query (core insightsQuery) and totals by period, 5 times each');
  console.log('    view                              grain  periods    rows  req     KiB   p50 ms   max ms  (server+HTTP  JSON.parse  totals)   incoming');
  for (const r of results) {
    console.log(
      `    ${r.name.padEnd(33)} ${r.grain.padEnd(6)} ${String(r.periods).padStart(7)} ${String(r.rows).padStart(7)} ${String(r.requests).padStart(4)} ${String(r.kib).padStart(7)} ${String(r.p50Ms).padStart(8)} ${String(r.maxMs).padStart(8)}  (${String(r.p50ServerMs).padStart(11)} ${String(r.p50ParseMs).padStart(11)} ${String(r.p50TotalsMs).padStart(7)})  ${r.totalIncoming.toLocaleString('en').padStart(9)}`,
    );
  }
  const goal = results[0]!.p50Ms <= 500 ? 'within' : 'over';
  console.log(`    (goal for ${MONTHS} months: ≤ 500 ms — ${goal} it on this machine)`);

  const out = process.env['SWB_BENCH_JSON'];
  if (out) {
    writeFileSync(
      out,
      JSON.stringify(
        {
          conversations: n, months: MONTHS, seed: SEED,
          fold: { folded, generateMs: ms(generateMs), foldMs: ms(foldMs), perSecond: Math.round(folded / (foldMs / 1000)), buckets: { month: tables.month.size, day: tables.day.size, hour: tables.hour.size } },
          emulatorBuckets: written,
          hourFold: { hour: iso(MEASURED_FROM), opened: counts[measuredIndex], ...hourFold, requestsPerFoldedConversation: Number(perFolded.toFixed(3)), requestsPerChangedConversation: Number(perChanged.toFixed(3)) },
          views: results,
        },
        null,
        2,
      ),
    );
  }
  await emu.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
