// The insights fold against the Dataverse emulator over HTTP: the real repository ($batch reads,
// grouped counts of sessions and offers, one change set per chunk) and the real service, with
// the emulator and the fold sharing one clock so that modifiedon, the watermark and its lag are
// under the test's control.
import fc from 'fast-check';
import {
  applyMeasures,
  bucketKeysOf,
  bucketKeyText,
  contribution,
  emptyMeasures,
  INSIGHTS_GRAIN_CHOICE,
  measuresFromJson,
  type InsightsBucketKey,
  type Measures,
} from '@switchboard/core';
import { ChannelType, ConversationState, OfferResponse, Sentiment, SessionRole, metadata } from '@switchboard/solution';
import { DynamicsWebApi } from 'dynamics-web-api';
import { DataverseClient } from '@switchboard/functions/dataverse/dataverse-client';
import { insightsFacts, type ConversationActivity } from '@switchboard/functions/insights/insights-facts.mapper';
import { DataverseInsightsFoldStore } from '@switchboard/functions/insights/insights-fold.repository';
import { DataverseInsightsFold, insightsBucketId, type FoldCommit, type InsightsFoldStore } from '@switchboard/functions/insights/insights-fold.service';
import { createEmulator, type Emulator } from '../dataverse/emulator';

jest.setTimeout(120_000);

const T0 = Date.UTC(2026, 2, 10, 9, 0, 0);
const MINUTE = 60_000;

interface World {
  emulator: Emulator;
  api: DynamicsWebApi;
  client: DataverseClient;
  clock: { t: number };
  queues: string[];
  agents: string[];
  stop(): Promise<void>;
}

async function world(): Promise<World> {
  const clock = { t: T0 };
  const emulator = createEmulator({ metadata, db: ':memory:', now: () => clock.t });
  await emulator.listen(0);
  const serverUrl = emulator.url.replace('/api/data/v9.2/', '');
  const api = new DynamicsWebApi({ serverUrl, dataApi: { version: '9.2' }, onTokenRefresh: async () => emulator.appToken, propagateErrors: true });
  const client = new DataverseClient({ url: serverUrl, tokenSource: { getToken: async () => emulator.appToken } });
  const queues = [];
  for (const name of ['Support', 'Billing']) queues.push((await api.create({ collection: 'queues', data: { name } })) as string);
  const agents = [];
  for (const name of ['ana', 'bruno', 'chloe']) agents.push((await api.create({ collection: 'systemusers', data: { fullname: name, domainname: `${name}@example.test` } })) as string);
  return { emulator, api, client, clock, queues, agents, stop: () => emulator.close() };
}

const iso = (t: number) => new Date(t).toISOString();

/** What a brute-force recomputation from the final rows gives, by bucket id. */
async function recompute(w: World): Promise<Map<string, { key: InsightsBucketKey; measures: Measures }>> {
  const rows = (await w.api.retrieveAll({ collection: 'swb_conversations' })).value as Record<string, unknown>[];
  const sessions = (await w.api.retrieveAll({ collection: 'swb_sessions', select: ['_swb_conversationid_value', '_swb_agentid_value', 'swb_role', 'swb_joinedon'] })).value as Record<string, string | number | null>[];
  const offers = (await w.api.retrieveAll({ collection: 'swb_offers', select: ['_swb_conversationid_value', 'swb_response'] })).value as Record<string, string | number | null>[];
  const out = new Map<string, { key: InsightsBucketKey; measures: Measures }>();
  for (const row of rows) {
    const id = String(row['activityid']);
    const own = sessions.filter((s) => s['_swb_conversationid_value'] === id).sort((a, b) => String(a['swb_joinedon']).localeCompare(String(b['swb_joinedon'])));
    const activity: ConversationActivity = {
      primarySessions: own.filter((s) => s['swb_role'] === SessionRole.Primary).length,
      consultSessions: own.filter((s) => s['swb_role'] === SessionRole.Consult).length,
      firstAgentId: (own[0]?.['_swb_agentid_value'] as string | undefined) ?? null,
      declined: offers.filter((o) => o['_swb_conversationid_value'] === id && o['swb_response'] === OfferResponse.Declined).length,
      timedOut: offers.filter((o) => o['_swb_conversationid_value'] === id && o['swb_response'] === OfferResponse.TimedOut).length,
    };
    const c = contribution(insightsFacts(row as never, activity));
    for (const key of bucketKeysOf(c.key)) {
      const bid = insightsBucketId(key);
      const b = out.get(bid) ?? { key, measures: emptyMeasures() };
      applyMeasures(b.measures, c.measures, 1);
      out.set(bid, b);
    }
  }
  return out;
}

async function storedBuckets(w: World): Promise<Map<string, { key: string; grain: number; measures: Measures }>> {
  const rows = (await w.api.retrieveAll({ collection: 'swb_insightbuckets', select: ['swb_insightbucketid', 'swb_bucketkey', 'swb_grain', 'swb_measures'] })).value as Record<string, string | number>[];
  return new Map(rows.map((r) => [String(r['swb_insightbucketid']), { key: String(r['swb_bucketkey']), grain: Number(r['swb_grain']), measures: measuresFromJson(String(r['swb_measures'])) }]));
}

async function expectBucketsEqualRecomputation(w: World): Promise<void> {
  const expected = await recompute(w);
  const stored = await storedBuckets(w);
  const view = (m: Map<string, { key: InsightsBucketKey | string; measures: Measures }>) =>
    [...m].map(([id, b]) => [id, typeof b.key === 'string' ? b.key : bucketKeyText(b.key), b.measures] as const).sort((a, b) => a[1].localeCompare(b[1]));
  expect(view(stored)).toEqual(view(expected));
}

function foldOf(w: World, store: InsightsFoldStore = new DataverseInsightsFoldStore(w.client)): DataverseInsightsFold {
  return new DataverseInsightsFold({ store, now: () => w.clock.t, lagMs: 3 * MINUTE, pageSize: 7, maxWrites: 60 });
}

describe('insights fold on the emulator', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w.stop();
  });

  test('a run folds new conversations into hour, day and month buckets in four requests (three once warm), and a run with nothing new reads once and writes nothing', async () => {
    const [q] = w.queues;
    const [ana] = w.agents;
    for (let i = 0; i < 3; i++) {
      const id = (await w.api.create({
        collection: 'swb_conversations',
        data: {
          subject: `c${i}`,
          swb_channeltype: ChannelType.LiveChat,
          swb_state: ConversationState.Closed,
          'swb_queueid@odata.bind': `/queues(${q})`,
          'swb_primaryagentid@odata.bind': `/systemusers(${ana})`,
          swb_openedon: iso(T0 + i * 1000),
          swb_queuedon: iso(T0 + i * 1000),
          swb_firstassignedon: iso(T0 + i * 1000 + 12_000),
          swb_closedon: iso(T0 + i * 1000 + 300_000),
          swb_csatrating: 4,
          swb_sentiment: Sentiment.Positive,
        },
      })) as string;
      await w.api.create({ collection: 'swb_sessions', data: { 'swb_conversationid@odata.bind': `/swb_conversations(${id})`, 'swb_agentid@odata.bind': `/systemusers(${ana})`, swb_role: SessionRole.Primary, swb_joinedon: iso(T0 + 12_000) } });
    }
    w.clock.t += 10 * MINUTE;
    const fold = foldOf(w);
    const first = await fold.run();
    expect(first).toMatchObject({ conversationsRead: 3, conversationsFolded: 3, bucketsWritten: 3, complete: true, requests: 4 });
    const stored = [...(await storedBuckets(w)).values()];
    expect(stored.map((b) => b.grain).sort()).toEqual([INSIGHTS_GRAIN_CHOICE.hour, INSIGHTS_GRAIN_CHOICE.day, INSIGHTS_GRAIN_CHOICE.month].sort());
    expect(stored[0]!.measures).toMatchObject({ incoming: 3, answered: 3, answeredWithin20s: 3, handled: 3, surveySum: 12, surveys: 3 });
    await expectBucketsEqualRecomputation(w);

    w.clock.t += 5 * MINUTE;
    const second = await fold.run();
    // The three conversations come back once (the fold's own write moved their modifiedon) and are skipped.
    expect(second).toMatchObject({ conversationsRead: 3, conversationsFolded: 0, bucketsWritten: 0, changeSets: 0, requests: 2 });
    w.clock.t += 5 * MINUTE;
    const third = await fold.run();
    expect(third).toMatchObject({ conversationsRead: 0, conversationsFolded: 0, requests: 1 });
  });

  test('a consult is counted with the conversation\'s next change: a session alone does not move the conversation', async () => {
    const [q] = w.queues;
    const [ana, bruno] = w.agents;
    const id = (await w.api.create({
      collection: 'swb_conversations',
      data: { subject: 'c', swb_channeltype: ChannelType.Sms, swb_state: ConversationState.Active, 'swb_queueid@odata.bind': `/queues(${q})`, 'swb_primaryagentid@odata.bind': `/systemusers(${ana})`, swb_openedon: iso(T0), swb_firstassignedon: iso(T0 + 20_000) },
    })) as string;
    const session = (agent: string, role: SessionRole) => w.api.create({ collection: 'swb_sessions', data: { 'swb_conversationid@odata.bind': `/swb_conversations(${id})`, 'swb_agentid@odata.bind': `/systemusers(${agent})`, swb_role: role, swb_joinedon: iso(w.clock.t) } });
    await session(ana!, SessionRole.Primary);
    const fold = foldOf(w);
    w.clock.t += 10 * MINUTE;
    await fold.run();
    // The next run reads the conversation once more (the fold's own write moved it) and skips it.
    w.clock.t += 10 * MINUTE;
    await fold.run();
    await session(bruno!, SessionRole.Consult);
    w.clock.t += 10 * MINUTE;
    expect((await fold.run()).conversationsFolded).toBe(0);
    const consults = async () => [...(await storedBuckets(w)).values()].map((b) => b.measures.consults);
    expect(await consults()).toEqual([0, 0, 0]);
    await w.api.update({ collection: 'swb_conversations', key: id, data: { swb_wrapupon: iso(w.clock.t), swb_state: ConversationState.WrapUp } });
    w.clock.t += 10 * MINUTE;
    expect((await fold.run()).conversationsFolded).toBe(1);
    expect(await consults()).toEqual([1, 1, 1]);
    await expectBucketsEqualRecomputation(w);
  });
});


// ---- the property -------------------------------------------------------------------------

type Op =
  | { op: 'open'; channel: 'chat' | 'sms'; queue: number | null }
  | { op: 'answer'; c: number; agent: number; stampWait: boolean }
  | { op: 'transfer'; c: number; agent: number }
  | { op: 'consult'; c: number; agent: number }
  | { op: 'offer'; c: number; agent: number; timedOut: boolean }
  | { op: 'requeue'; c: number; queue: number }
  | { op: 'wrapUp'; c: number }
  | { op: 'close'; c: number }
  | { op: 'rate'; c: number; rating: number }
  | { op: 'sentiment'; c: number; level: number }
  | { op: 'fold'; instance: 0 | 1 }
  | { op: 'foldTogether' }
  | { op: 'foldDies'; instance: 0 | 1; after: boolean }
  | { op: 'tick'; seconds: number };

const conversationOp = (max: number) =>
  fc.oneof(
    fc.record({ op: fc.constant('answer' as const), c: fc.nat(max), agent: fc.nat(2), stampWait: fc.boolean() }),
    fc.record({ op: fc.constant('transfer' as const), c: fc.nat(max), agent: fc.nat(2) }),
    fc.record({ op: fc.constant('consult' as const), c: fc.nat(max), agent: fc.nat(2) }),
    fc.record({ op: fc.constant('offer' as const), c: fc.nat(max), agent: fc.nat(2), timedOut: fc.boolean() }),
    fc.record({ op: fc.constant('requeue' as const), c: fc.nat(max), queue: fc.nat(1) }),
    fc.record({ op: fc.constant('wrapUp' as const), c: fc.nat(max) }),
    fc.record({ op: fc.constant('close' as const), c: fc.nat(max) }),
    fc.record({ op: fc.constant('rate' as const), c: fc.nat(max), rating: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ op: fc.constant('sentiment' as const), c: fc.nat(max), level: fc.nat(6) }),
  );

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('open' as const), channel: fc.constantFrom('chat' as const, 'sms' as const), queue: fc.option(fc.nat(1), { nil: null }) }) },
  { weight: 8, arbitrary: conversationOp(20) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('fold' as const), instance: fc.constantFrom(0 as const, 1 as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('foldTogether' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('foldDies' as const), instance: fc.constantFrom(0 as const, 1 as const), after: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('tick' as const), seconds: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 60, max: 400 })) }) },
);

class Injected extends Error {}

/** A store whose next commit fails: before it reaches Dataverse, or after it committed (the answer lost). */
function dying(inner: InsightsFoldStore, after: boolean): InsightsFoldStore {
  return {
    get requests() {
      return inner.requests;
    },
    readSync: () => inner.readSync(),
    readChanged: (q) => inner.readChanged(q),
    readDetails: (c, b) => inner.readDetails(c, b),
    readBuckets: (b) => inner.readBuckets(b),
    async commit(c: FoldCommit) {
      if (after) await inner.commit(c);
      throw new Injected(after ? 'the answer to the change set was lost' : 'the instance died before the change set');
    },
  };
}

async function play(w: World, ops: readonly Op[]): Promise<{ folded: number; conflicts: number }> {
  const conversations: { id: string; answered: boolean; queuedAt: number }[] = [];
  let sessionStamp = T0 - 86_400_000;
  const stores = [new DataverseInsightsFoldStore(w.client), new DataverseInsightsFoldStore(w.client)];
  const folds = stores.map((store) => foldOf(w, store));
  let folded = 0;
  let conflicts = 0;
  const runQuietly = async (p: Promise<{ conversationsFolded: number; conflicts: number }>) => {
    try {
      const r = await p;
      folded += r.conversationsFolded;
      conflicts += r.conflicts;
    } catch (err) {
      // Allowed: an injected death, or a run that lost every race to the other instance.
      if (!(err instanceof Injected) && (err as Error).name !== 'FoldConflict') throw err;
    }
  };
  const update = (id: string, data: Record<string, unknown>) => w.api.update({ collection: 'swb_conversations', key: id, data });
  const session = (id: string, agent: string, role: SessionRole) =>
    w.api.create({ collection: 'swb_sessions', data: { 'swb_conversationid@odata.bind': `/swb_conversations(${id})`, 'swb_agentid@odata.bind': `/systemusers(${agent})`, swb_role: role, swb_joinedon: iso((sessionStamp += 1000)) } });
  for (const o of ops) {
    w.clock.t += o.op === 'tick' ? o.seconds * 1000 : 300;
    if (o.op === 'open') {
      const id = (await w.api.create({
        collection: 'swb_conversations',
        data: {
          subject: 'c',
          swb_channeltype: o.channel === 'sms' ? ChannelType.Sms : ChannelType.LiveChat,
          ...(o.queue !== null ? { 'swb_queueid@odata.bind': `/queues(${w.queues[o.queue]})` } : {}),
          swb_openedon: iso(w.clock.t),
          swb_queuedon: iso(w.clock.t),
        },
      })) as string;
      conversations.push({ id, answered: false, queuedAt: w.clock.t });
      continue;
    }
    if (o.op === 'tick') continue;
    if (o.op === 'fold') await runQuietly(folds[o.instance]!.run());
    else if (o.op === 'foldTogether') await Promise.all([runQuietly(folds[0]!.run()), runQuietly(folds[1]!.run())]);
    else if (o.op === 'foldDies') await runQuietly(foldOf(w, dying(stores[o.instance]!, o.after)).run());
    if (o.op === 'fold' || o.op === 'foldTogether' || o.op === 'foldDies') continue;
    const c = conversations[o.c % Math.max(1, conversations.length)];
    if (!c) continue;
    const agent = 'agent' in o ? w.agents[o.agent]! : '';
    switch (o.op) {
      case 'answer':
      case 'transfer': {
        const first = !c.answered;
        c.answered = true;
        await session(c.id, agent, SessionRole.Primary);
        await update(c.id, {
          'swb_primaryagentid@odata.bind': `/systemusers(${agent})`,
          ...(first ? { swb_firstassignedon: iso(w.clock.t), swb_state: ConversationState.Active } : {}),
          ...(first && o.op === 'answer' && o.stampWait ? { swb_waitseconds: Math.round((w.clock.t - c.queuedAt) / 1000) } : {}),
        });
        break;
      }
      case 'consult':
        if (!c.answered) break;
        await session(c.id, agent, SessionRole.Consult);
        // A consult writes no conversation column: the fold sees it with the conversation's next change (an agent's message here).
        await update(c.id, { swb_lastmessagesequence: Math.floor(w.clock.t / 1000) % 1_000_000 });
        break;
      case 'offer':
        await w.api.create({ collection: 'swb_offers', data: { 'swb_conversationid@odata.bind': `/swb_conversations(${c.id})`, 'swb_agentid@odata.bind': `/systemusers(${agent})`, swb_response: o.timedOut ? OfferResponse.TimedOut : OfferResponse.Declined } });
        await update(c.id, { swb_declinecount: Math.floor(w.clock.t / 1000) % 1000 });
        break;
      case 'requeue':
        await update(c.id, { 'swb_queueid@odata.bind': `/queues(${w.queues[o.queue]})`, swb_queuedon: iso(w.clock.t) });
        break;
      case 'wrapUp':
        await update(c.id, { swb_wrapupon: iso(w.clock.t), swb_state: ConversationState.WrapUp });
        break;
      case 'close':
        await update(c.id, { swb_closedon: iso(w.clock.t), swb_state: ConversationState.Closed });
        break;
      case 'rate':
        await update(c.id, { swb_csatrating: o.rating });
        break;
      case 'sentiment':
        await update(c.id, { swb_sentiment: Sentiment.VeryNegative + o.level });
        break;
    }
  }
  // Settle: past the lag, one more run of each instance.
  w.clock.t += 10 * MINUTE;
  await runQuietly(folds[0]!.run());
  await runQuietly(folds[1]!.run());
  return { folded, conflicts };
}

describe('insights fold on the emulator, under any sequence of changes', () => {
  test('buckets folded incrementally, by two instances at once and through runs that die midway, equal a brute-force recomputation from the final rows', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 45 }), async (ops) => {
        const w = await world();
        try {
          await play(w, ops);
          runs++;
          await expectBucketsEqualRecomputation(w);
        } finally {
          await w.stop();
        }
      }),
      { numRuns: Number(process.env['SWB_PROPERTY_RUNS'] ?? 25) },
    );
    expect(runs).toBeGreaterThan(0);
  });
});
