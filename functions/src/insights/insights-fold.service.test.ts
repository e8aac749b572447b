import { applyMeasures, bucketKeysOf, bucketKeyText, contribution, emptyMeasures, isEmptyMeasures, type InsightsBucketKey, type Measures } from '@switchboard/core';
import { ChannelType, Sentiment } from '@switchboard/solution';
import { insightsFacts, NO_ACTIVITY, type ConversationActivity, type InsightsConversationRow } from './insights-facts.mapper';
import { DataverseInsightsFold, FoldConflict, insightsBucketId, type FoldCommit, type FoldSyncState, type InsightsFoldOptions, type InsightsFoldStore, type StoredBucket } from './insights-fold.service';

const T0 = Date.UTC(2026, 2, 10, 9, 0, 0);
const MINUTE = 60_000;
const Q1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const Q2 = 'aaaaaaaa-0000-4000-8000-000000000002';
const ANA = 'bbbbbbbb-0000-4000-8000-000000000001';
const BRUNO = 'bbbbbbbb-0000-4000-8000-000000000002';
const iso = (t: number) => new Date(t).toISOString();
const id = (n: number) => `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Dataverse as the fold sees it: rows with modifiedon, ETags, change sets all or nothing. */
class MemoryStore implements InsightsFoldStore {
  requests = 0;
  readonly rows = new Map<string, InsightsConversationRow>();
  readonly activity = new Map<string, ConversationActivity>();
  readonly buckets = new Map<string, { key: InsightsBucketKey; etag: string; measures: Measures }>();
  sync: { etag: string; foldedThrough: number } | null = null;
  commits: FoldCommit[] = [];
  /** Runs between a run's reads and its change set (another writer, another instance). */
  beforeCommit: (() => Promise<void> | void) | null = null;
  private version = 0;

  constructor(private readonly clock: { t: number }) {}

  /** A write by someone else: modifiedon is the clock's second. */
  write(n: number, patch: Partial<InsightsConversationRow>): void {
    const key = id(n);
    const row = this.rows.get(key) ?? { activityid: key, createdon: iso(this.clock.t) };
    this.rows.set(key, { ...row, ...patch, modifiedon: iso(Math.floor(this.clock.t / 1000) * 1000) });
  }

  private etag() {
    return `W/"${++this.version}"`;
  }

  private syncState(): FoldSyncState {
    return this.sync ? { etag: this.sync.etag, foldedThrough: this.sync.foldedThrough } : { etag: null, foldedThrough: null };
  }

  async readSync() {
    this.requests++;
    return this.syncState();
  }

  async readChanged(q: { since: number | null; until: number; skip: readonly string[]; top: number }) {
    this.requests++;
    const t = (r: InsightsConversationRow) => Date.parse(r.modifiedon!);
    const rows = [...this.rows.values()]
      .filter((r) => t(r) < q.until && (q.since === null || t(r) > q.since || (t(r) === q.since && !q.skip.includes(r.activityid))))
      .sort((a, b) => t(a) - t(b) || a.activityid.localeCompare(b.activityid))
      .slice(0, q.top);
    return { sync: this.syncState(), rows: structuredClone(rows) };
  }

  async readDetails(conversationIds: readonly string[], bucketIds: readonly string[]) {
    this.requests++;
    return { activity: new Map(conversationIds.filter((c) => this.activity.has(c)).map((c) => [c, this.activity.get(c)!])), buckets: this.found(bucketIds) };
  }

  async readBuckets(bucketIds: readonly string[]) {
    this.requests++;
    return this.found(bucketIds);
  }

  private found(ids: readonly string[]): Map<string, StoredBucket> {
    return new Map(ids.filter((b) => this.buckets.has(b)).map((b) => [b, { id: b, etag: this.buckets.get(b)!.etag, measures: structuredClone(this.buckets.get(b)!.measures) }]));
  }

  async commit(c: FoldCommit) {
    await this.beforeCommit?.();
    this.requests++;
    if ((c.sync.etag ?? null) !== (this.sync?.etag ?? null)) throw new FoldConflict('sync row changed');
    for (const w of c.buckets) {
      const current = this.buckets.get(w.id);
      if (w.kind === 'create' ? current !== undefined : current?.etag !== w.etag) throw new FoldConflict(`bucket ${w.id}`);
    }
    for (const f of c.folds) if (!this.rows.has(f.conversationId)) throw new FoldConflict('conversation gone');
    this.sync = { etag: this.etag(), foldedThrough: c.foldedThrough };
    for (const w of c.buckets) {
      if (w.kind === 'delete') this.buckets.delete(w.id);
      else this.buckets.set(w.id, { key: w.kind === 'create' ? w.key : this.buckets.get(w.id)!.key, etag: this.etag(), measures: structuredClone(w.measures) });
    }
    for (const f of c.folds) {
      const row = this.rows.get(f.conversationId)!;
      this.rows.set(f.conversationId, { ...row, swb_insightsfold: f.fold, modifiedon: iso(Math.floor(this.clock.t / 1000) * 1000) });
    }
    this.commits.push(c);
  }

  /** The buckets a brute-force recomputation from the rows as they are now gives. */
  recomputed(): Map<string, Measures> {
    const out = new Map<string, Measures>();
    for (const row of this.rows.values()) {
      const c = contribution(insightsFacts(row, this.activity.get(row.activityid) ?? NO_ACTIVITY));
      for (const key of bucketKeysOf(c.key)) {
        const m = out.get(insightsBucketId(key)) ?? emptyMeasures();
        applyMeasures(m, c.measures, 1);
        out.set(insightsBucketId(key), m);
      }
    }
    return out;
  }

  stored(): Map<string, Measures> {
    return new Map([...this.buckets].map(([b, v]) => [b, v.measures]));
  }
}

function setup(options: Partial<InsightsFoldOptions> = {}) {
  const clock = { t: T0 };
  const store = new MemoryStore(clock);
  const fold = (o: Partial<InsightsFoldOptions> = {}) => new DataverseInsightsFold({ store, now: () => clock.t, lagMs: 3 * MINUTE, ...options, ...o });
  return { clock, store, fold: fold(), another: fold };
}

const answered = (openedAt: number, agent = ANA, queue = Q1): Partial<InsightsConversationRow> => ({
  swb_channeltype: ChannelType.LiveChat,
  _swb_queueid_value: queue,
  _swb_primaryagentid_value: agent,
  swb_openedon: iso(openedAt),
  swb_queuedon: iso(openedAt),
  swb_firstassignedon: iso(openedAt + 15_000),
});

const sorted = (m: Map<string, Measures>) => [...m].filter(([, v]) => !isEmptyMeasures(v)).sort(([a], [b]) => a.localeCompare(b));

describe('insights fold', () => {
  test('a conversation counts once in its hour, day and month, with its survey, sentiment, transfers and timeouts', async () => {
    const { clock, store, fold } = setup();
    store.write(1, { ...answered(T0), swb_closedon: iso(T0 + 600_000), swb_csatrating: 5, swb_sentiment: Sentiment.Negative });
    store.activity.set(id(1), { primarySessions: 2, consultSessions: 1, firstAgentId: BRUNO, declined: 1, timedOut: 2 });
    clock.t += 5 * MINUTE;
    const report = await fold.run();
    expect(report).toMatchObject({ conversationsRead: 1, conversationsFolded: 1, bucketsWritten: 3, changeSets: 1, complete: true });
    const keys = [...store.buckets.values()].map((b) => bucketKeyText(b.key)).sort();
    expect(keys).toEqual([
      `day|2026-03-10T00:00:00Z|${Q1}|livechat|${BRUNO}`,
      `hour|2026-03-10T09:00:00Z|${Q1}|livechat|${BRUNO}`,
      `month|2026-03-01T00:00:00Z|${Q1}|livechat|${BRUNO}`,
    ]);
    for (const b of store.buckets.values()) {
      expect(b.measures).toMatchObject({ incoming: 1, answered: 1, waitMs: 15_000, handled: 1, handleMs: 585_000, transfers: 1, consults: 1, declines: 1, timeouts: 2, surveySum: 5, surveys: 1 });
      expect(b.measures.sentiment.negative).toBe(1);
    }
  });

  test('a conversation that changes is taken out of the buckets it was in and added to the new ones, and an emptied bucket is deleted', async () => {
    const { clock, store, fold } = setup();
    store.write(1, { swb_channeltype: ChannelType.Sms, _swb_queueid_value: Q1, swb_openedon: iso(T0) });
    clock.t += 5 * MINUTE;
    await fold.run();
    const waiting = [...store.buckets.keys()];
    expect(waiting).toHaveLength(3);
    // Requeued, answered by Ana, closed.
    store.write(1, { ...answered(T0, ANA, Q2), swb_channeltype: ChannelType.Sms, swb_closedon: iso(T0 + 400_000) });
    clock.t += 5 * MINUTE;
    const report = await fold.run();
    expect(report).toMatchObject({ conversationsFolded: 1, bucketsWritten: 6 });
    for (const b of waiting) expect(store.buckets.has(b)).toBe(false);
    expect(sorted(store.stored())).toEqual(sorted(store.recomputed()));
  });

  test('a run with nothing new costs one request and writes nothing; the conversations it wrote come back once and are skipped', async () => {
    const { clock, store, fold } = setup();
    for (let i = 1; i <= 3; i++) store.write(i, answered(T0 + i * 1000));
    clock.t += 5 * MINUTE;
    expect((await fold.run()).requests).toBe(4); // cold: the sync row, the page, its details, one change set
    clock.t += 5 * MINUTE;
    expect(await fold.run()).toMatchObject({ conversationsRead: 3, conversationsFolded: 0, changeSets: 0, requests: 2 });
    clock.t += 5 * MINUTE;
    expect(await fold.run()).toMatchObject({ conversationsRead: 0, changeSets: 0, requests: 1 });
    expect(store.commits).toHaveLength(1);
  });

  test('a run that dies after its change set committed, or before it, leaves every conversation counted once after the next run', async () => {
    for (const after of [true, false]) {
      const { clock, store, fold, another } = setup({ pageSize: 2 });
      for (let i = 1; i <= 5; i++) store.write(i, answered(T0 + i * 1000));
      clock.t += 5 * MINUTE;
      let commits = 0;
      const original = store.commit.bind(store);
      store.commit = async (c) => {
        if (++commits === 2) {
          if (after) await original(c);
          throw new Error('the instance died');
        }
        return original(c);
      };
      await expect(fold.run()).rejects.toThrow('the instance died');
      store.commit = original;
      clock.t += 5 * MINUTE;
      // A fresh instance (nothing remembered) finishes the work.
      expect((await another().run()).complete).toBe(true);
      expect(sorted(store.stored())).toEqual(sorted(store.recomputed()));
      expect([...store.buckets.values()].every((b) => b.measures.incoming === 5)).toBe(true);
    }
  });

  test('two instances folding the same changes at once count each conversation once: the one refused reads again', async () => {
    const { clock, store, fold, another } = setup();
    for (let i = 1; i <= 4; i++) store.write(i, answered(T0 + i * 1000, i % 2 ? ANA : BRUNO));
    clock.t += 5 * MINUTE;
    const second = another();
    // The second instance reads, then the first commits before the second's change set.
    let raced = false;
    store.beforeCommit = async () => {
      if (raced) return;
      raced = true;
      store.beforeCommit = null;
      await fold.run();
    };
    const report = await second.run();
    expect(report.conflicts).toBe(1);
    expect(report.conversationsFolded).toBe(0);
    expect(sorted(store.stored())).toEqual(sorted(store.recomputed()));
  });

  test('a change written late (in flight when the run read) is folded by the next run: the watermark stays behind the run by the lag', async () => {
    const { clock, store, fold } = setup();
    store.write(1, answered(T0));
    clock.t += 5 * MINUTE;
    const first = await fold.run();
    expect(Date.parse(first.foldedThrough!)).toBe(T0 + 2 * MINUTE);
    // A transaction that began before the run committed after it, stamped with its start time.
    const late = clock.t - 30_000;
    store.rows.set(id(2), { activityid: id(2), ...answered(T0 + 60_000), modifiedon: iso(late) });
    clock.t += 5 * MINUTE;
    expect(await fold.run()).toMatchObject({ conversationsFolded: 1 });
    expect(sorted(store.stored())).toEqual(sorted(store.recomputed()));
  });

  test('a run stops at its bound and the next goes on from there, even through a crowd of conversations modified in the same second', async () => {
    const { clock, store, fold } = setup({ pageSize: 3, maxConversationsPerRun: 4 });
    for (let i = 1; i <= 10; i++) store.write(i, answered(T0 + i * 1000, i % 2 ? ANA : BRUNO));
    clock.t += 1000;
    for (let i = 11; i <= 14; i++) store.write(i, answered(T0 + i * 1000));
    clock.t += 5 * MINUTE;
    const runs = [];
    do runs.push(await fold.run());
    while (!runs[runs.length - 1]!.complete && runs.length < 10);
    // Bounded runs, each one moving on (the crowd is re-read once, as no-ops, never pinning a run).
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.length).toBeLessThan(5);
    for (const r of runs.slice(0, -1)) expect(r.conversationsFolded).toBeGreaterThan(0);
    expect(runs.reduce((n, r) => n + r.conversationsFolded, 0)).toBe(14);
    expect(sorted(store.stored())).toEqual(sorted(store.recomputed()));
  });

  test("each change set stays within the write budget: a page is cut where its writes would pass it", async () => {
    const { clock, store, fold } = setup({ maxWrites: 20 });
    // Each conversation in its own hour, day and month: six writes or so each.
    for (let i = 1; i <= 12; i++) store.write(i, answered(Date.UTC(2025, i - 1, 1 + i, i)));
    clock.t += 5 * MINUTE;
    const report = await fold.run();
    expect(report.complete).toBe(true);
    expect(report.changeSets).toBeGreaterThan(1);
    for (const c of store.commits) expect(c.buckets.length + c.folds.length + 1).toBeLessThanOrEqual(20);
    expect(sorted(store.stored())).toEqual(sorted(store.recomputed()));
  });

  test('the agent who answered first is found even when the fold first sees the conversation after a transfer', async () => {
    const { clock, store, fold } = setup();
    store.write(1, { ...answered(T0, BRUNO) });
    store.activity.set(id(1), { ...NO_ACTIVITY, primarySessions: 2, firstAgentId: ANA });
    clock.t += 5 * MINUTE;
    const report = await fold.run();
    // Buckets were guessed for Bruno (the primary agent now), then read for Ana: one more request.
    expect(report.requests).toBe(5);
    expect([...store.buckets.values()].every((b) => b.key.agentId === ANA)).toBe(true);
  });
});
