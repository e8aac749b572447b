import fc from 'fast-check';
import {
  formatProfileUsage,
  hasCapacityFor,
  parseProfileUsage,
  profileLimit,
  profileLimitsOf,
  releaseCapacity,
  remainingCapacity,
  reserveCapacity,
  usageOf,
  wrapUpReleaseAt,
} from './capacity';

const profiles = new Map([['voice', 1], ['chat', 3]]);

describe('capacity', () => {
  test('active and wrap-up items both count against the maximum', () => {
    const usage = usageOf([
      { conversationId: 'a', units: 2, phase: 'active' },
      { conversationId: 'b', units: 2, phase: 'wrapup' },
    ]);
    expect(usage.usedUnits).toBe(4);
    expect(hasCapacityFor({ maxUnits: 5 }, usage, { units: 1 }, profiles)).toBe(true);
    expect(hasCapacityFor({ maxUnits: 5 }, usage, { units: 2 }, profiles)).toBe(false);
  });

  test('a capacity profile limits how many of its conversations an agent holds at once', () => {
    const usage = usageOf([{ conversationId: 'a', units: 1, profileId: 'voice', phase: 'active' }]);
    expect(hasCapacityFor({ maxUnits: 100 }, usage, { units: 1, profileId: 'voice' }, profiles)).toBe(false);
    expect(hasCapacityFor({ maxUnits: 100 }, usage, { units: 1, profileId: 'chat' }, profiles)).toBe(true);
  });

  test("a per-agent limit overrides the profile's default", () => {
    const agent = { maxUnits: 100, profileLimits: { voice: 2 } };
    expect(profileLimit(agent, 'voice', profiles)).toBe(2);
    const usage = usageOf([{ conversationId: 'a', units: 1, profileId: 'voice', phase: 'active' }]);
    expect(hasCapacityFor(agent, usage, { units: 1, profileId: 'voice' }, profiles)).toBe(true);
  });

  test('wrap-up blocking: always holds until close, never releases at once, N seconds releases after N seconds', () => {
    expect(wrapUpReleaseAt({ kind: 'always' }, 1000)).toBeNull();
    expect(wrapUpReleaseAt({ kind: 'never' }, 1000)).toBe(1000);
    expect(wrapUpReleaseAt({ kind: 'seconds', seconds: 30 }, 1000)).toBe(31_000);
  });

  test('profile usage reads back what it writes, keeps keys sorted, and treats anything unreadable as nothing held', () => {
    const text = formatProfileUsage(new Map([['B-Profile', 2], ['a-profile', 1], ['empty', 0]]));
    expect(text).toBe('{"a-profile":1,"b-profile":2}');
    expect(parseProfileUsage(text)).toEqual({ 'a-profile': 1, 'b-profile': 2 });
    for (const bad of [null, '', 'not json', '[1,2]', '{"x":"two"}', '{"x":-1}']) expect(parseProfileUsage(bad)).toEqual({});
  });
});

describe('capacity stored on the status row', () => {
  const limits = profileLimitsOf([{ id: 'Voice', defaultMaxItems: 1 }, { id: 'chat', defaultMaxItems: 3 }, { id: 'VOICE', defaultMaxItems: 9 }]);

  test('profile limits are found in any case, the first profile of an id winning', () => {
    expect([...limits]).toEqual([['voice', 1], ['chat', 3]]);
  });

  test('the engine is shown what is left: the units left and what is left of each profile in use', () => {
    expect(remainingCapacity({ usedUnits: 2, maxUnits: 5, profileUsed: {} }, limits)).toEqual({ maxUnits: 3 });
    expect(remainingCapacity({ usedUnits: 6, maxUnits: 5, profileUsed: { chat: 1, voice: 2, gone: 1 } }, limits)).toEqual({ maxUnits: 0, profileLimits: { chat: 2, voice: 0 } });
  });

  test('a reservation takes units and one of its profile, and is refused past either limit', () => {
    const stored = { usedUnits: 1, maxUnits: 3, profileUsed: { chat: 2 } };
    expect(reserveCapacity(stored, { units: 2, profileId: 'Chat' }, limits)).toEqual({ usedUnits: 3, maxUnits: 3, profileUsed: { chat: 3 } });
    expect(reserveCapacity(stored, { units: 3 }, limits)).toBeNull();
    expect(reserveCapacity({ ...stored, profileUsed: { chat: 3 } }, { units: 1, profileId: 'chat' }, limits)).toBeNull();
    expect(reserveCapacity(stored, { units: 1, profileId: 'voice' }, limits)).toEqual({ usedUnits: 2, maxUnits: 3, profileUsed: { chat: 2, voice: 1 } });
    expect(reserveCapacity(stored, { units: 1, profileId: 'unknown' }, limits)).toEqual({ usedUnits: 2, maxUnits: 3, profileUsed: { chat: 2, unknown: 1 } });
  });

  test('a release gives the units and the profile count back, never below nothing held', () => {
    expect(releaseCapacity({ usedUnits: 3, maxUnits: 3, profileUsed: { chat: 3 } }, { units: 2, profileId: 'CHAT' })).toEqual({ usedUnits: 1, maxUnits: 3, profileUsed: { chat: 2 } });
    expect(releaseCapacity({ usedUnits: 0, maxUnits: 3, profileUsed: {} }, { units: 2, profileId: 'chat' })).toEqual({ usedUnits: 0, maxUnits: 3, profileUsed: { chat: 0 } });
  });

  test('reserving on the row decides exactly as the engine decides on what it was shown', () => {
    fc.assert(
      fc.property(fc.nat(8), fc.nat(8), fc.nat(4), fc.option(fc.constantFrom('voice', 'chat', 'other'), { nil: undefined }), fc.nat(4), (used, max, units, profileId, count) => {
        const stored = { usedUnits: used, maxUnits: max, profileUsed: profileId ? { [profileId]: count } : {} };
        const demand = profileId ? { units, profileId } : { units };
        const engine = hasCapacityFor(remainingCapacity(stored, limits), { usedUnits: 0, profileUsed: new Map() }, demand, limits);
        return (reserveCapacity(stored, demand, limits) !== null) === engine;
      }),
    );
  });
});
