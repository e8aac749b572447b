import { InMemoryRateLimiter } from './rate-limiter';

it('a burst is allowed up to the bucket size, then refused with the seconds until the next token', () => {
  let now = 0;
  const limiter = new InMemoryRateLimiter({ now: () => now });
  const rule = { burst: 5, perSecond: 5 / 60 };
  const results = Array.from({ length: 7 }, () => limiter.take('203.0.113.9', rule));
  expect(results.slice(0, 5).every((r) => r.ok)).toBe(true);
  expect(results[5]).toEqual({ ok: false, retryAfterSeconds: 12 });
  // Another address has its own bucket.
  expect(limiter.take('198.51.100.1', rule).ok).toBe(true);
  now += 12_000;
  expect(limiter.take('203.0.113.9', rule).ok).toBe(true);
  expect(limiter.take('203.0.113.9', rule).ok).toBe(false);
});

it('the number of remembered keys is bounded, dropping the idlest', () => {
  const limiter = new InMemoryRateLimiter({ now: () => 0, maxKeys: 2 });
  const rule = { burst: 1, perSecond: 0.001 };
  expect(limiter.take('a', rule).ok).toBe(true);
  expect(limiter.take('b', rule).ok).toBe(true);
  expect(limiter.take('c', rule).ok).toBe(true);
  // 'a' was forgotten, so it starts with a full bucket again; 'c' was not.
  expect(limiter.take('a', rule).ok).toBe(true);
  expect(limiter.take('c', rule).ok).toBe(false);
});
