import { PRESENCE_BASES } from './presence';
import { PRESENCE_CHOICE, presenceBaseOf, presenceChoiceOf } from './presence-choice';

describe('presence choice values', () => {
  test('every base presence has its own stored value, and reads back as itself', () => {
    expect(new Set(PRESENCE_BASES.map(presenceChoiceOf)).size).toBe(PRESENCE_BASES.length);
    for (const base of PRESENCE_BASES) expect(presenceBaseOf(presenceChoiceOf(base))).toBe(base);
    expect(Object.keys(PRESENCE_CHOICE)).toEqual([...PRESENCE_BASES]);
  });

  test('an empty or unknown stored value names no presence', () => {
    expect(presenceBaseOf(null)).toBeUndefined();
    expect(presenceBaseOf(undefined)).toBeUndefined();
    expect(presenceBaseOf(-1)).toBeUndefined();
  });
});
