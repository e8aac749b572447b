// Historical analytics, maintained incrementally (issue #20): a timer reads the conversations
// modified since the watermark, takes back what each last added to the buckets (its
// swb_insightsfold) and adds what it adds now, into its hour, day and month buckets.
//
// The guarantee, and why it holds with many instances and runs that die midway:
// - Invariant: every bucket equals the sum of the contributions stored on the conversations
//   (swb_insightsfold). A chunk's bucket writes, its conversations' new swb_insightsfold and the
//   watermark go in ONE change set — all or nothing — so a run that dies leaves the invariant
//   true, and the next run, finding a conversation's stored contribution equal to what it
//   computes, writes nothing for it (folding twice is a no-op, never a double count).
// - Serialised folds: each change set updates the sync row with If-Match on the ETag read in the
//   same $batch as (and before) the page of conversations. Two instances folding at once cannot
//   both commit what they computed from the same reads: the loser re-reads and finds the
//   winner's contributions. Buckets are written with If-Match / If-None-Match as well.
// - Nothing missed: a page is `modifiedon ≥ watermark`, and the watermark never passes
//   `run start − lag`, so a write still in flight when a run reads (a Dataverse transaction
//   lasts at most 2 minutes) is read by the next run. Re-reading the last `lag` costs bytes,
//   not writes: unchanged conversations are skipped.
// - Our own swb_insightsfold write moves the conversation's modifiedon, so the next run reads it
//   once more and skips it (no column a plugin step filters on changes: no webhook fires).
import {
  applyMeasures,
  bucketKeysOf,
  bucketKeyText,
  contribution,
  contributionFromJson,
  contributionToJson,
  emptyMeasures,
  isEmptyMeasures,
  sameMeasures,
  type Contribution,
  type InsightsBucketKey,
  type Measures,
} from '@switchboard/core';
import { deterministicId } from '../dataverse/repositories/deterministic-id';
import { ms } from '../dataverse/repositories/odata';
import { insightsFacts, NO_ACTIVITY, type ConversationActivity, type InsightsConversationRow } from './insights-facts.mapper';

export const INSIGHTS_SYNC_SCOPE = 'conversations';
export const INSIGHTS_SYNC_ID = deterministicId('insights-sync', INSIGHTS_SYNC_SCOPE);

/** The bucket row's id: derived from what it totals, so every instance writes the same row. */
export function insightsBucketId(key: InsightsBucketKey): string {
  return deterministicId('insights-bucket', bucketKeyText(key));
}

export interface FoldSyncState {
  /** Null while the row does not exist (the first run creates it). */
  etag: string | null;
  foldedThrough: number | null;
}

export interface StoredBucket {
  id: string;
  etag: string;
  measures: Measures;
}

export type BucketWrite =
  | { kind: 'create'; id: string; key: InsightsBucketKey; measures: Measures }
  | { kind: 'update'; id: string; etag: string; measures: Measures }
  | { kind: 'delete'; id: string; etag: string };

export interface FoldCommit {
  sync: FoldSyncState;
  foldedThrough: number;
  /** Conversations whose contribution this run changed so far (swb_lastrunconversations). */
  runConversations: number;
  buckets: BucketWrite[];
  folds: { conversationId: string; fold: string }[];
}

/** A change set refused as a whole: a stale ETag (412) or a row gone (404). Re-read and redo. */
export class FoldConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FoldConflict';
  }
}

/** The Dataverse side (insights-fold.repository.ts); each method is one request. */
export interface InsightsFoldStore {
  readSync(): Promise<FoldSyncState>;
  /**
   * In one $batch, in this order: the sync row, then the conversations with
   * `since ≤ modifiedon < until` (those at exactly `since` whose id is in `skip` left out),
   * oldest first, at most `top`.
   */
  readChanged(query: { since: number | null; until: number; skip: readonly string[]; top: number }): Promise<{ sync: FoldSyncState; rows: InsightsConversationRow[] }>;
  /** In one $batch: the sessions and offers of these conversations, counted, and these buckets. */
  readDetails(conversationIds: readonly string[], bucketIds: readonly string[]): Promise<{ activity: Map<string, ConversationActivity>; buckets: Map<string, StoredBucket> }>;
  readBuckets(bucketIds: readonly string[]): Promise<Map<string, StoredBucket>>;
  /** One change set; FoldConflict when any part is refused (nothing was written). */
  commit(commit: FoldCommit): Promise<void>;
  /** Requests sent so far (a $batch is one). */
  readonly requests: number;
}

export interface InsightsFoldOptions {
  store: InsightsFoldStore;
  now: () => number;
  /** Conversations per page (one request). */
  pageSize?: number;
  /** Writes per change set; Dataverse takes 1,000 operations in a $batch. */
  maxWrites?: number;
  /** A run stops after reading this many conversations (the next run goes on from there). */
  maxConversationsPerRun?: number;
  maxRunMs?: number;
  /** How far behind the run's start the watermark stays (writes still in flight). */
  lagMs?: number;
  /** Change sets refused in a row before the run gives up (the next run retries). */
  maxAttempts?: number;
  /**
   * A run with nothing to write leaves the stored watermark alone until it is this far behind:
   * the instance goes on from the one it remembers, and an idle run costs one read.
   */
  watermarkSlackMs?: number;
  log?: (line: string) => void;
}

export interface FoldRunReport {
  /** Conversation rows read (re-reads of unchanged ones included). */
  conversationsRead: number;
  /** Conversations whose contribution changed: taken back and added again. */
  conversationsFolded: number;
  bucketsWritten: number;
  changeSets: number;
  conflicts: number;
  requests: number;
  /** Everything modified before this (ISO) is folded: where the next run starts. */
  foldedThrough: string | null;
  /** False when the run stopped at its bounds with more to fold. */
  complete: boolean;
  elapsedMs: number;
}

export interface InsightsFoldService {
  run(): Promise<FoldRunReport>;
}

const SECOND = 1000;
const floorSecond = (t: number) => Math.floor(t / SECOND) * SECOND;
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

interface Planned {
  row: InsightsConversationRow;
  id: string;
  previous: Contribution | null;
}

interface WorkingBucket {
  key: InsightsBucketKey;
  stored: StoredBucket | null;
  measures: Measures;
  touched: boolean;
}

export class DataverseInsightsFold implements InsightsFoldService {
  private readonly store: InsightsFoldStore;
  private readonly now: () => number;
  private readonly pageSize: number;
  private readonly maxWrites: number;
  private readonly maxPerRun: number;
  private readonly maxRunMs: number;
  private readonly lagMs: number;
  private readonly maxAttempts: number;
  private readonly slackMs: number;
  private readonly log: (line: string) => void;
  /** The watermark this instance last saw: a warm run starts without reading the sync row first. */
  private knownWatermark: number | null | undefined;

  constructor(options: InsightsFoldOptions) {
    this.store = options.store;
    this.now = options.now;
    this.pageSize = options.pageSize ?? 250;
    this.maxWrites = options.maxWrites ?? 500;
    this.maxPerRun = options.maxConversationsPerRun ?? 5000;
    this.maxRunMs = options.maxRunMs ?? 120_000;
    this.lagMs = options.lagMs ?? 180_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.slackMs = options.watermarkSlackMs ?? 3_600_000;
    this.log = options.log ?? (() => undefined);
  }

  async run(): Promise<FoldRunReport> {
    const startedAt = this.now();
    const until = floorSecond(startedAt);
    const ceiling = floorSecond(until - this.lagMs);
    const requestsBefore = this.store.requests;
    const report: FoldRunReport = { conversationsRead: 0, conversationsFolded: 0, bucketsWritten: 0, changeSets: 0, conflicts: 0, requests: 0, foldedThrough: null, complete: false, elapsedMs: 0 };
    // Starting below the true watermark is safe (a re-read is a no-op), so a remembered one will do.
    let since = this.knownWatermark;
    if (since === undefined) since = (await this.store.readSync()).foldedThrough;
    const runSince = since;
    let skip: string[] = [];
    let watermark = since;

    for (;;) {
      let outcome: ChunkOutcome | undefined;
      for (let attempt = 1; !outcome; attempt++) {
        try {
          outcome = await this.chunk({ since, skip, until, ceiling, runSince, read: report.conversationsRead, folded: report.conversationsFolded, startedAt });
        } catch (err) {
          if (!(err instanceof FoldConflict) || attempt >= this.maxAttempts) throw err;
          report.conflicts++;
          this.log(`insights fold: change set refused (${err.message}); reading again (attempt ${attempt + 1})`);
        }
      }
      report.conversationsRead += outcome.read;
      report.conversationsFolded += outcome.folded;
      report.bucketsWritten += outcome.bucketsWritten;
      if (outcome.committed) report.changeSets++;
      if (watermark === null || outcome.watermark > watermark) watermark = outcome.watermark;
      if (outcome.lastModified !== null) {
        if (outcome.lastModified === since) skip = [...skip, ...outcome.idsAtLast];
        else {
          since = outcome.lastModified;
          skip = outcome.idsAtLast;
        }
      }
      if (outcome.end) {
        report.complete = outcome.end === 'complete';
        break;
      }
    }
    this.knownWatermark = watermark;
    report.foldedThrough = iso(watermark);
    report.requests = this.store.requests - requestsBefore;
    report.elapsedMs = this.now() - startedAt;
    return report;
  }

  private async chunk(at: { since: number | null; skip: readonly string[]; until: number; ceiling: number; runSince: number | null; read: number; folded: number; startedAt: number }): Promise<ChunkOutcome> {
    const page = await this.store.readChanged({ since: at.since, until: at.until, skip: at.skip, top: this.pageSize });
    const sync = page.sync;
    const stored = sync.foldedThrough;
    const keep = (w: number) => (stored !== null && stored > w ? stored : w);
    const behind = (w: number) => w !== stored && (stored === null || w - stored >= this.slackMs);
    if (page.rows.length === 0) {
      // Everything up to `until` is folded: the watermark may go up to the run's ceiling.
      const watermark = keep(at.ceiling);
      const committed = behind(watermark);
      if (committed) await this.store.commit({ sync, foldedThrough: watermark, runConversations: at.folded, buckets: [], folds: [] });
      return { read: 0, folded: 0, bucketsWritten: 0, committed, watermark, lastModified: null, idsAtLast: [], end: 'complete' };
    }

    // Cut the page where the writes could pass the change set's budget (each conversation may
    // write its fold and touch three old and three new buckets).
    const planned: Planned[] = [];
    const candidates = new Set<string>();
    for (const row of page.rows) {
      const previous = contributionFromJson(row.swb_insightsfold);
      const guess = contribution(insightsFacts(row, { ...NO_ACTIVITY, firstAgentId: previous?.key.agentId ?? null })).key;
      const ids = [...(previous ? bucketKeysOf(previous.key) : []), ...bucketKeysOf(guess)].map(insightsBucketId);
      const added = ids.filter((id) => !candidates.has(id)).length;
      if (planned.length > 0 && candidates.size + added + planned.length + 2 > this.maxWrites) break;
      for (const id of ids) candidates.add(id);
      planned.push({ row, id: row.activityid.toLowerCase(), previous });
    }

    const details = await this.store.readDetails(planned.map((p) => p.id), [...candidates]);
    const buckets = new Map<string, WorkingBucket>();
    const bucket = (key: InsightsBucketKey, id: string) => {
      let b = buckets.get(id);
      if (!b) {
        const found = details.buckets.get(id) ?? null;
        b = { key, stored: found, measures: found ? structuredClone(found.measures) : emptyMeasures(), touched: false };
        buckets.set(id, b);
      }
      return b;
    };
    // The guess of who answered first (from the stored fold or the primary agent) misses when the
    // first agent is someone else (a transfer before the first fold): read those buckets too.
    const contributions = planned.map((p) => contribution(insightsFacts(p.row, details.activity.get(p.id) ?? NO_ACTIVITY)));
    const missing = new Set<string>();
    for (const c of contributions) for (const key of bucketKeysOf(c.key)) if (!candidates.has(insightsBucketId(key))) missing.add(insightsBucketId(key));
    if (missing.size > 0) for (const [id, b] of await this.store.readBuckets([...missing])) details.buckets.set(id, b);

    const folds: FoldCommit['folds'] = [];
    planned.forEach((p, i) => {
      const next = contributions[i]!;
      const fold = contributionToJson(next);
      if (p.previous && contributionToJson(p.previous) === fold) return;
      if (p.previous) for (const key of bucketKeysOf(p.previous.key)) this.apply(bucket(key, insightsBucketId(key)), p.previous.measures, -1);
      for (const key of bucketKeysOf(next.key)) this.apply(bucket(key, insightsBucketId(key)), next.measures, 1);
      folds.push({ conversationId: p.id, fold });
    });
    const writes: BucketWrite[] = [];
    for (const [id, b] of buckets) {
      if (!b.touched) continue;
      if (b.stored) {
        if (isEmptyMeasures(b.measures)) writes.push({ kind: 'delete', id, etag: b.stored.etag });
        else if (!sameMeasures(b.measures, b.stored.measures)) writes.push({ kind: 'update', id, etag: b.stored.etag, measures: b.measures });
      } else if (!isEmptyMeasures(b.measures)) writes.push({ kind: 'create', id, key: b.key, measures: b.measures });
    }

    const last = planned[planned.length - 1]!.row;
    const lastModified = floorSecond(ms(last.modifiedon) ?? 0);
    const idsAtLast = planned.filter((p) => floorSecond(ms(p.row.modifiedon) ?? 0) === lastModified).map((p) => p.id);
    const read = at.read + planned.length;
    const exhausted = planned.length === page.rows.length && page.rows.length < this.pageSize;
    // Bounds only once past the run's first second, so a crowd of rows modified in one second
    // cannot pin every run to it.
    const bounded = !exhausted && (at.runSince === null || lastModified > at.runSince) && (read >= this.maxPerRun || this.now() - at.startedAt >= this.maxRunMs);
    const end = exhausted ? 'complete' : bounded ? 'bounded' : null;
    const candidate = exhausted ? at.ceiling : Math.min(lastModified, at.ceiling);
    const watermark = keep(candidate);
    // The watermark rides along with any write; alone, it is written only when far behind.
    const committed = writes.length > 0 || folds.length > 0 || (end !== null && behind(watermark));
    if (committed) await this.store.commit({ sync, foldedThrough: watermark, runConversations: at.folded + folds.length, buckets: writes, folds });
    return { read: planned.length, folded: folds.length, bucketsWritten: writes.length, committed, watermark, lastModified, idsAtLast, end };
  }

  private apply(b: WorkingBucket, m: Measures, sign: 1 | -1): void {
    applyMeasures(b.measures, m, sign);
    b.touched = true;
  }
}

interface ChunkOutcome {
  read: number;
  folded: number;
  bucketsWritten: number;
  committed: boolean;
  /** Where this instance may start next time: everything before it is folded (written or not). */
  watermark: number;
  lastModified: number | null;
  idsAtLast: string[];
  end: 'complete' | 'bounded' | null;
}
