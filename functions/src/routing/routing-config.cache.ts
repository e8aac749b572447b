// Routing configuration (queues, workstreams, rules, capacity profiles, operating hours) read
// once and kept, instead of five collection reads on every routing pass. A change is seen:
// - at once by the instance that handles the change's `config-changed` work item (the
//   routing-config step sends one for every change, and that instance re-routes what waits);
// - within `ttlMs` by every other instance (each functions instance holds its own copy).
// Decisions made meanwhile on the previous configuration stay safe — capacity and single
// assignment are guarded by If-Match claims, not by the configuration.
import type { RoutingConfig } from '@switchboard/core';

export class RoutingConfigCache {
  private current: { at: number; config: Promise<RoutingConfig> } | null = null;

  constructor(
    private readonly load: () => Promise<RoutingConfig>,
    private readonly options: { ttlMs: number; now: () => number },
  ) {}

  get(): Promise<RoutingConfig> {
    const now = this.options.now();
    if (this.current && now - this.current.at < this.options.ttlMs) return this.current.config;
    const config = this.load();
    const entry = { at: now, config };
    this.current = entry;
    // A failed read is not kept: the next decision reads again.
    config.catch(() => {
      if (this.current === entry) this.current = null;
    });
    return config;
  }

  invalidate(): void {
    this.current = null;
  }
}
