// A token bucket per key (customer token or client IP), in this instance's memory. With one
// instance that is the real limit; with N instances a client gets at most N times the rate —
// acceptable for abuse control, and the README says so. A shared limiter (Redis, API
// Management's rate-limit-by-key) replaces this class behind the same interface.
export interface RateLimiter {
  take(key: string, rule: RateRule): { ok: true } | { ok: false; retryAfterSeconds: number };
}

export interface RateRule {
  /** Bucket size: how many requests may come at once. */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
}

export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly options: { now?: () => number; maxKeys?: number } = {}) {}

  take(key: string, rule: RateRule): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = (this.options.now ?? Date.now)();
    const b = this.buckets.get(key) ?? { tokens: rule.burst, at: now };
    b.tokens = Math.min(rule.burst, b.tokens + ((now - b.at) / 1000) * rule.perSecond);
    b.at = now;
    // Map keeps insertion order: re-inserting makes this the newest, so pruning drops the idlest.
    this.buckets.delete(key);
    this.buckets.set(key, b);
    if (this.buckets.size > (this.options.maxKeys ?? 50_000)) this.buckets.delete(this.buckets.keys().next().value!);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / rule.perSecond)) };
  }
}
