import type { RoutingConfig } from '@switchboard/core';
import { RoutingConfigCache } from './routing-config.cache';

const config = (n: number) => ({ queues: [], workstreams: [], rules: [], capacityProfiles: [], n }) as unknown as RoutingConfig;

test('the configuration is read once, then served from memory until it is invalidated or ages out', async () => {
  let now = 0;
  let loads = 0;
  const cache = new RoutingConfigCache(async () => config(++loads), { ttlMs: 30_000, now: () => now });
  await Promise.all([cache.get(), cache.get()]);
  now = 29_000;
  await cache.get();
  expect(loads).toBe(1);
  cache.invalidate();
  expect(((await cache.get()) as unknown as { n: number }).n).toBe(2);
  now = 60_000;
  await cache.get();
  expect(loads).toBe(3);
});

test('a failed read is not kept: the next decision reads again', async () => {
  let fail = true;
  const cache = new RoutingConfigCache(async () => {
    if (fail) throw new Error('Dataverse down');
    return config(1);
  }, { ttlMs: 30_000, now: () => 0 });
  await expect(cache.get()).rejects.toThrow('Dataverse down');
  fail = false;
  await expect(cache.get()).resolves.toBeDefined();
});
