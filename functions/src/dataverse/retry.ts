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
      if (!isDataverseError(err)) throw err;
      const retryable = err.status === 429 || (err.status === 503 && options.idempotent);
      if (!retryable) throw err;
      const retryAfter = parseRetryAfter(headerValue(err, 'retry-after'), deps.now());
      const backoff = Math.round(policy.baseBackoffMs * 2 ** (attempt - 1) * (0.5 + deps.random() / 2));
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
