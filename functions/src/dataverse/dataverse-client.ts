import { DynamicsWebApi } from 'dynamics-web-api';
import { ConcurrencyConflict, isDataverseError } from './errors';
import { defaultRetryPolicy, realRetryDeps, withRetry, type RetryDeps, type RetryPolicy } from './retry';
import type { TokenSource } from './token-source';

export interface DataverseClientOptions {
  // Environment URL, e.g. https://contoso.crm.dynamics.com or http://127.0.0.1:7070 (emulator).
  url: string;
  tokenSource: TokenSource;
  retryPolicy?: RetryPolicy;
  retryDeps?: RetryDeps;
  timeoutMs?: number;
}

export interface RowWithETag<T> {
  row: T;
  etag: string;
}

export class DataverseClient {
  readonly api: DynamicsWebApi;
  private readonly policy: RetryPolicy;
  private readonly deps: RetryDeps;

  constructor(options: DataverseClientOptions) {
    this.api = new DynamicsWebApi({
      serverUrl: options.url,
      dataApi: { version: '9.2' },
      onTokenRefresh: () => options.tokenSource.getToken(),
      // Without this, update/delete swallow 412/404 into `false`; we want typed errors instead.
      propagateErrors: true,
      timeout: options.timeoutMs ?? 30_000,
    });
    this.policy = options.retryPolicy ?? defaultRetryPolicy;
    this.deps = options.retryDeps ?? realRetryDeps;
  }

  // Runs any dynamics-web-api call with the retry policy. Use idempotent: false for creates
  // and actions so a 503 that might have been processed is not replayed.
  execute<T>(op: (api: DynamicsWebApi) => Promise<T>, options: { idempotent: boolean } = { idempotent: true }): Promise<T> {
    return withRetry(() => op(this.api), options, this.policy, this.deps);
  }

  async retrieveWithETag<T extends object>(collection: string, key: string, select?: string[]): Promise<RowWithETag<T> | null> {
    try {
      const row = await this.execute((api) =>
        api.retrieve<T & { '@odata.etag'?: string }>({ collection, key, ...(select ? { select } : {}) }),
      );
      const etag = row['@odata.etag'];
      if (!etag) throw new Error(`Dataverse returned ${collection}(${key}) without an ETag.`);
      return { row, etag };
    } catch (err) {
      if (isDataverseError(err) && err.status === 404) return null;
      throw err;
    }
  }

  /**
   * One $batch: `build` queues operations on a fresh client (dynamics-web-api's batch mode is a
   * state of the instance, so the shared one must never be put in it while other requests are in
   * flight). Writes go in one change set: all or nothing. A 412 on any of them (a stale If-Match,
   * a create-only row that exists) is a ConcurrencyConflict naming that part; nothing was
   * written. Only a 429 is retried (service protection refuses before processing).
   */
  async batch(build: (api: DynamicsWebApi) => void): Promise<unknown[]> {
    return this.runBatch(build, false, async (api) => {
      try {
        return await api.executeBatch();
      } catch (err) {
        // A failed change set comes back as the list of its failed parts.
        const parts = Array.isArray(err) ? (err as unknown[]) : [err];
        const failed = parts.find((p) => isDataverseError(p)) ?? parts[0];
        if (!isDataverseError(failed)) throw failed;
        const detail = (failed as { error?: { code?: string; message?: string } }).error;
        if (failed.status === 412) throw new ConcurrencyConflict('$batch', 'change set', detail?.message ?? failed.message ?? '412');
        if ((failed as unknown) instanceof Error) throw failed;
        const part = failed as { status: number; headers?: unknown };
        throw Object.assign(new Error(detail?.message ?? `a $batch part failed with ${part.status}`), { status: part.status, code: detail?.code, headers: part.headers });
      }
    });
  }

  /** A $batch built by `build` on a fresh client and sent by `send`, under the retry policy. */
  private runBatch(build: (api: DynamicsWebApi) => void, idempotent: boolean, send: (api: DynamicsWebApi) => Promise<unknown[]>): Promise<unknown[]> {
    return withRetry(
      async () => {
        const api = this.api.initializeInstance();
        api.startBatch();
        build(api);
        return send(api);
      },
      { idempotent },
      this.policy,
      this.deps,
    );
  }

  /**
   * Reads in one $batch (outside any change set): one request against the service-protection
   * budget however many parts. Each part answers on its own: its result, or a failure
   * (`{ status, error }`, e.g. 404 for a row that does not exist). Retried as a whole: reads are
   * idempotent.
   */
  async readBatch(build: (api: DynamicsWebApi) => void): Promise<unknown[]> {
    return this.runBatch(build, true, async (api) => {
      try {
        return await api.executeBatch({ inChangeSet: false });
      } catch (err) {
        // A part failed: dynamics-web-api rejects with every part's answer, failures inline.
        if (!Array.isArray(err)) throw err;
        // Throttled or unavailable parts fail the whole read, so the retry policy applies.
        const retryable = (err as unknown[]).find((p) => isDataverseError(p) && (p.status === 429 || p.status >= 500));
        if (retryable) throw retryable;
        return err as unknown[];
      }
    });
  }

  // PATCH guarded by If-Match; a 412 (someone wrote in between) becomes ConcurrencyConflict.
  async updateIfMatch(collection: string, key: string, etag: string, data: Record<string, unknown>): Promise<void> {
    try {
      await this.execute((api) => api.update({ collection, key, data, ifmatch: etag }));
    } catch (err) {
      if (isDataverseError(err) && err.status === 412) throw new ConcurrencyConflict(collection, key, etag);
      throw err;
    }
  }
}

/** A part of readBatch's answer that failed: its HTTP status (404 for a missing row). */
export function failedPart(part: unknown): { status: number } | null {
  return isDataverseError(part) ? { status: part.status } : null;
}

export type ClaimDecision<P> = { patch: P } | { skip: string };

export type ClaimOutcome<T, P> =
  | { outcome: 'claimed'; row: T; patch: P; attempts: number }
  | { outcome: 'skipped'; row: T | null; reason: string; attempts: number };

// Read → decide → If-Match write, re-reading on a 412 so the decision is always made on the
// row as it is now. Many instances may race for the same row; exactly one write wins.
export async function claim<T extends object, P extends Record<string, unknown>>(
  client: DataverseClient,
  request: {
    collection: string;
    key: string;
    select?: string[];
    decide: (row: T) => ClaimDecision<P>;
    maxAttempts?: number;
  },
): Promise<ClaimOutcome<T, P>> {
  const maxAttempts = request.maxAttempts ?? 5;
  let lastConflict: ConcurrencyConflict | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await client.retrieveWithETag<T>(request.collection, request.key, request.select);
    if (!current) return { outcome: 'skipped', row: null, reason: 'not-found', attempts: attempt };
    const decision = request.decide(current.row);
    if ('skip' in decision) return { outcome: 'skipped', row: current.row, reason: decision.skip, attempts: attempt };
    try {
      await client.updateIfMatch(request.collection, request.key, current.etag, decision.patch);
      return { outcome: 'claimed', row: current.row, patch: decision.patch, attempts: attempt };
    } catch (err) {
      if (!(err instanceof ConcurrencyConflict)) throw err;
      lastConflict = err;
    }
  }
  throw lastConflict ?? new Error('claim: no attempts made');
}
