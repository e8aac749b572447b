// Counts of what reached the emulator, by caller, so a benchmark can report "Dataverse requests
// per unit of work" the way the API budget is spent in production (per user: 6,000 requests per
// 5 minutes, 52 at once). Snapshots are plain JSON; diffStats(before, after) gives what one unit
// of work cost.

export interface CallerStats {
  /** systemuserid, or null for requests that did not authenticate */
  userId: string | null;
  kind: 'app' | 'user' | 'anonymous';
  /** HTTP requests to the Web API; a $batch is one request (that is how service protection counts) */
  requests: number;
  /** operations executed: one per request, one per part of a $batch (entitlement limits count these) */
  operations: number;
  /** requests answered 429 (the budget, or an injected fault) */
  throttled: number;
  /** operations by HTTP method */
  byMethod: Record<string, number>;
  /** operations by entity set (or function: WhoAmI, EntityDefinitions) */
  byEntitySet: Record<string, number>;
  /** operations by HTTP status of their answer */
  byStatus: Record<string, number>;
}

export interface WebhookStats {
  /** plugin-step webhook calls the emulator made for this step */
  deliveries: number;
  /** calls that failed (non-2xx, unreachable, timeout) */
  failures: number;
  sync: number;
  async: number;
  /** by message: Create, Update, Delete, Associate, Disassociate */
  byMessage: Record<string, number>;
}

export interface EmulatorStats {
  /** when counting started (emulator start or last reset), ISO 8601 */
  since: string;
  totals: { requests: number; operations: number; throttled: number; webhookDeliveries: number; webhookFailures: number };
  /** by caller: the user's domain name (the app user is switchboard-app@switchboard.dev), or "(anonymous)" */
  callers: Record<string, CallerStats>;
  /** by plugin step name */
  webhooks: Record<string, WebhookStats>;
}

export interface CallerIdentity {
  key: string;
  userId: string | null;
  kind: CallerStats['kind'];
}

export const ANONYMOUS: CallerIdentity = { key: '(anonymous)', userId: null, kind: 'anonymous' };

const bump = (map: Record<string, number>, key: string, by = 1): void => {
  map[key] = (map[key] ?? 0) + by;
};

export class RequestStats {
  private state!: EmulatorStats;

  constructor(private readonly now: () => number) {
    this.reset();
  }

  reset(): void {
    this.state = {
      since: new Date(this.now()).toISOString(),
      totals: { requests: 0, operations: 0, throttled: 0, webhookDeliveries: 0, webhookFailures: 0 },
      callers: {},
      webhooks: {},
    };
  }

  private caller(who: CallerIdentity): CallerStats {
    return (this.state.callers[who.key] ??= {
      userId: who.userId, kind: who.kind, requests: 0, operations: 0, throttled: 0, byMethod: {}, byEntitySet: {}, byStatus: {},
    });
  }

  /** One HTTP request to the Web API (a $batch envelope included), with the status it got. */
  request(who: CallerIdentity, status: number): void {
    const c = this.caller(who);
    c.requests++;
    this.state.totals.requests++;
    if (status === 429) {
      c.throttled++;
      this.state.totals.throttled++;
    }
  }

  /** One operation: a request that is not a $batch, or one part of a $batch. */
  operation(who: CallerIdentity, method: string, entitySet: string, status: number): void {
    const c = this.caller(who);
    c.operations++;
    this.state.totals.operations++;
    bump(c.byMethod, method.toUpperCase());
    bump(c.byEntitySet, entitySet);
    bump(c.byStatus, String(status));
  }

  webhook(step: string, message: string, mode: 'sync' | 'async', ok: boolean): void {
    const w = (this.state.webhooks[step] ??= { deliveries: 0, failures: 0, sync: 0, async: 0, byMessage: {} });
    w.deliveries++;
    w[mode]++;
    bump(w.byMessage, message);
    this.state.totals.webhookDeliveries++;
    if (!ok) {
      w.failures++;
      this.state.totals.webhookFailures++;
    }
  }

  snapshot(): EmulatorStats {
    return structuredClone(this.state);
  }
}

function subtract(after: unknown, before: unknown): unknown {
  if (typeof after === 'number') return after - (typeof before === 'number' ? before : 0);
  if (after && typeof after === 'object' && !Array.isArray(after)) {
    const out: Record<string, unknown> = {};
    const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(after as Record<string, unknown>)) {
      if (typeof v === 'number' || (v && typeof v === 'object')) out[k] = subtract(v, b[k]);
      else out[k] = v;
    }
    return out;
  }
  return after;
}

function prune(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const p = prune(v);
    if (p === 0) continue;
    if (p && typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0) continue;
    out[k] = p;
  }
  return out;
}

/**
 * What happened between two snapshots of one emulator: every count is after − before; callers,
 * steps and keys that did not move are left out (totals always stay). `since` is before's.
 */
export function diffStats(before: EmulatorStats, after: EmulatorStats): EmulatorStats {
  const callers: Record<string, CallerStats> = {};
  for (const [key, c] of Object.entries(after.callers)) {
    const d = subtract(c, before.callers[key]) as CallerStats;
    if (d.requests || d.operations || d.throttled) {
      callers[key] = { ...d, byMethod: prune(d.byMethod) as Record<string, number>, byEntitySet: prune(d.byEntitySet) as Record<string, number>, byStatus: prune(d.byStatus) as Record<string, number> };
    }
  }
  const webhooks: Record<string, WebhookStats> = {};
  for (const [key, w] of Object.entries(after.webhooks)) {
    const d = subtract(w, before.webhooks[key]) as WebhookStats;
    if (d.deliveries) webhooks[key] = { ...d, byMessage: prune(d.byMessage) as Record<string, number> };
  }
  return { since: before.since, totals: subtract(after.totals, before.totals) as EmulatorStats['totals'], callers, webhooks };
}
