// Time and randomness are passed in so that every decision is reproducible in tests and
// in the durable worker's replays: nothing in core reads Date.now() or Math.random().

/** Milliseconds since the Unix epoch. */
export type EpochMs = number;

export interface Clock {
  now(): EpochMs;
}

/** Returns a number in [0, 1). */
export interface Rng {
  next(): number;
}

export function fixedClock(start: EpochMs): Clock & { set(t: EpochMs): void; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    set: (v) => {
      t = v;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** The edge (functions, PCF) builds this; core never calls it itself. */
export const systemClock: Clock = { now: () => Date.now() };

/** mulberry32: small, fast and good enough for traffic splitting; seeded for replays. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
