import { headerValue, isDataverseError, parseRetryAfter, RetriesExhausted } from './errors';

export interface RetryPolicy {
  maxAttempts: number;
  // Waits longer than this are not slept through: the caller gets the error instead,
  // because a function invocation should not hang for minutes on service protection limits.
  maxDelayMs: number;
  maxTotalDelayMs: number;
  baseBackoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  maxDelayMs: 30_000,
  maxTotalDelayMs: 60_000,
  baseBackoffMs: 500,
};

export interface RetryDeps {
  sleep(ms: number): Promise<void>;
  random(): number;
  now(): number;
}

export const realRetryDeps: RetryDeps = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
};

export interface RetryOptions {
  // POST-create and actions are not idempotent: a 503 may have been processed, so only a 429
  // (rejected before processing by service protection limits) is retried for them.
  idempotent: boolean;
}

export async function withRetry<T>(
  op: () => Promise<T>,
  options: RetryOptions,
  policy: RetryPolicy = defaultRetryPolicy,
  deps: RetryDeps = realRetryDeps,
): Promise<T> {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (!isDataverseError(err)) {
        // After a dropped connection the request may or may not have been processed, so only
        // idempotent calls are replayed, with the same backoff as a 503.
        if (!options.idempotent || !isTransientNetworkError(err)) throw err;
        const delay = backoffMs(policy, attempt, deps);
        if (attempt >= policy.maxAttempts || waited + delay > policy.maxTotalDelayMs) throw err;
        waited += delay;
        await deps.sleep(delay);
        continue;
      }
      const retryable = err.status === 429 || (err.status === 503 && options.idempotent);
      if (!retryable) throw err;
      const retryAfter = parseRetryAfter(headerValue(err, 'retry-after'), deps.now());
      const backoff = backoffMs(policy, attempt, deps);
      const delay = retryAfter ?? backoff;
      const retryAfterSeconds = retryAfter !== undefined ? Math.ceil(retryAfter / 1000) : undefined;
      if (attempt >= policy.maxAttempts || delay > policy.maxDelayMs || waited + delay > policy.maxTotalDelayMs) {
        throw new RetriesExhausted(attempt, err, retryAfterSeconds);
      }
      waited += delay;
      await deps.sleep(delay);
    }
  }
}

function backoffMs(policy: RetryPolicy, attempt: number, deps: RetryDeps): number {
  return Math.round(policy.baseBackoffMs * 2 ** (attempt - 1) * (0.5 + deps.random() / 2));
}

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export function isTransientNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}
