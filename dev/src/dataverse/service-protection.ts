// Dataverse's service protection limits, per user: requests within a sliding window and
// concurrent requests ("Service protection API limits"). Off unless a budget is configured;
// the defaults Dataverse documents are 6,000 requests per 300 seconds and 52 at once.
import { DataverseError, ErrorCodes } from './errors';

export interface Budget {
  /** requests one user may send within the window (a $batch counts once) */
  requests: number;
  windowSeconds: number;
  /** requests one user may have in flight at once */
  concurrent?: number;
}

/** `requests:6000,window:300,concurrent:52` (concurrent optional) */
export function parseBudget(spec: string | undefined): Budget | undefined {
  if (!spec) return undefined;
  const values: Record<string, number> = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(requests|window|concurrent)\s*:\s*(\d+)$/.exec(part);
    if (!m || Number(m[2]) < 1) throw new Error(`Invalid budget '${part}': expected requests:<n>,window:<seconds>[,concurrent:<n>] with whole numbers above 0`);
    if (m[1] in values) throw new Error(`Budget '${m[1]}' given twice`);
    values[m[1]] = Number(m[2]);
  }
  if (values.requests === undefined || values.window === undefined) throw new Error(`Invalid budget '${spec}': requests and window are required`);
  return { requests: values.requests, windowSeconds: values.window, ...(values.concurrent !== undefined ? { concurrent: values.concurrent } : {}) };
}

export interface Admission {
  /** call when the request has been answered (frees its concurrency slot) */
  release(): void;
  /** requests left in the window after this one, for x-ms-ratelimit-burst-remaining-xrm-requests */
  remaining: number;
}

export class ServiceProtection {
  private readonly recent = new Map<string, number[]>();
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly budget: Budget,
    private readonly now: () => number,
  ) {}

  /** Admits one request of a user, or throws Dataverse's 429 with Retry-After. */
  admit(userId: string): Admission {
    const { requests, windowSeconds, concurrent } = this.budget;
    const now = this.now();
    const windowMs = windowSeconds * 1000;
    const times = (this.recent.get(userId) ?? []).filter((t) => t > now - windowMs);
    this.recent.set(userId, times);
    const running = this.inFlight.get(userId) ?? 0;
    if (concurrent !== undefined && running >= concurrent) {
      // "exceeding the number of concurrent requests will immediately return an error"
      throw new DataverseError(429, ErrorCodes.concurrentRequestsExceeded, `Number of concurrent requests exceeded the limit of ${concurrent}.`, { 'Retry-After': '1' });
    }
    if (times.length >= requests) {
      const retryAfter = Math.max(1, Math.ceil((times[0] + windowMs - now) / 1000));
      throw new DataverseError(429, ErrorCodes.requestLimitExceeded,
        `Number of requests exceeded the limit of ${requests} over time window of ${windowSeconds} seconds.`, { 'Retry-After': String(retryAfter) });
    }
    times.push(now);
    this.inFlight.set(userId, running + 1);
    let released = false;
    return {
      remaining: requests - times.length,
      release: () => {
        if (released) return;
        released = true;
        const n = (this.inFlight.get(userId) ?? 1) - 1;
        if (n <= 0) this.inFlight.delete(userId);
        else this.inFlight.set(userId, n);
      },
    };
  }
}
