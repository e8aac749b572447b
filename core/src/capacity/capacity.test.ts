import { hasCapacityFor, profileLimit, usageOf, wrapUpReleaseAt } from './capacity';

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
});
