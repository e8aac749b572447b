// A configuration snapshot indexed for decisions: queues by id and in priority order,
// workstreams, profile limits and operating hours by id. Prepared once per snapshot object.
import type { OperatingHours } from './operating-hours';
import { isOpen } from './operating-hours';
import type { QueueConfig, RoutingConfig, WorkstreamConfig } from './routing-config';
import type { EpochMs } from '../time';

export interface PreparedConfig {
  config: RoutingConfig;
  queues: Map<string, QueueConfig>;
  byPriority: QueueConfig[];
  workstreams: Map<string, WorkstreamConfig>;
  profileDefaults: Map<string, number>;
  hours: Map<string, OperatingHours>;
  lookahead: number;
  maxHops: number;
}

// Keyed by the snapshot object itself: a new configuration is a new object and is prepared
// afresh on its first use.
const preparedConfigs = new WeakMap<RoutingConfig, PreparedConfig>();

export function prepareConfig(config: RoutingConfig): PreparedConfig {
  let p = preparedConfigs.get(config);
  if (!p) {
    p = {
      config,
      queues: new Map(config.queues.map((q) => [q.id, q])),
      byPriority: [...config.queues].sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      workstreams: new Map(config.workstreams.map((w) => [w.id, w])),
      profileDefaults: new Map(config.capacityProfiles.map((c) => [c.id, c.defaultMaxItems])),
      hours: new Map(config.operatingHours.map((h) => [h.id, h])),
      lookahead: config.lookahead ?? 16,
      maxHops: config.maxOverflowHops ?? 5,
    };
    preparedConfigs.set(config, p);
  }
  return p;
}

export function hoursOpen(cfg: PreparedConfig, hoursId: string, now: EpochMs): boolean {
  const h = cfg.hours.get(hoursId);
  // Unknown hours are treated as always open: a typo must not silently stop all routing.
  return !h || isOpen(h, now);
}
