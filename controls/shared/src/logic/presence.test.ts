import { DEFAULT_PRESENCE_SETTINGS, presenceBase, reducePresence, signedOutPresence, type CapacityLoad } from '@switchboard/core';
import { Presence } from '../model/choices';
import { automaticPresence, presenceReason } from './presence';

type Status = Parameters<typeof presenceReason>[0];
const status = (presence: number, manual: boolean, used: number, max: number): Status => ({
  swb_basepresence: presence as Status['swb_basepresence'],
  swb_manualoverride: manual,
  swb_capacityused: used,
  swb_capacitymax: max,
});

describe('why the presence is what it is', () => {
  test('a presence the agent picked is theirs, whatever capacity says', () => {
    expect(presenceReason(status(Presence.DoNotDisturb, true, 0, 3))).toEqual({ kind: 'manual', presence: 'DoNotDisturb' });
  });

  test('Available, Busy and Do not disturb not picked by hand come from capacity, with what is in use', () => {
    expect(presenceReason(status(Presence.Busy, false, 2, 3))).toEqual({ kind: 'capacity', presence: 'Busy', used: 2, max: 3 });
    expect(presenceReason(status(Presence.DoNotDisturb, false, 3, 3))).toEqual({ kind: 'capacity', presence: 'DoNotDisturb', used: 3, max: 3 });
  });

  test('Away or Offline not picked by hand is the system\'s doing (inactivity, sign-out, the admin default)', () => {
    expect(presenceReason(status(Presence.Away, false, 0, 3))).toEqual({ kind: 'automatic', presence: 'Away' });
  });
});

test('returning to automatic gives the presence capacity gives: free, partly used, full', () => {
  expect(automaticPresence(status(Presence.Away, true, 0, 3))).toBe('Available');
  expect(automaticPresence(status(Presence.Away, true, 2, 3))).toBe('Busy');
  expect(automaticPresence(status(Presence.Available, true, 3, 3))).toBe('DoNotDisturb');
});

test('it is the answer core\'s presence reducer gives when a manual choice is handed back (picking Available), whatever was chosen', () => {
  const cases: [number, number, CapacityLoad][] = [[0, 3, 'none'], [1, 3, 'partial'], [3, 3, 'full'], [0, 0, 'none'], [2, 0, 'full']];
  for (const [used, max, load] of cases) {
    for (const chosen of ['Busy', 'DoNotDisturb', 'Away', 'Offline'] as const) {
      const manual = { ...signedOutPresence(), statusId: chosen, signedIn: true, manualStatusId: chosen, load };
      const core = presenceBase(reducePresence(manual, { type: 'setStatus', statusId: 'Available', at: 0 }, DEFAULT_PRESENCE_SETTINGS), DEFAULT_PRESENCE_SETTINGS);
      expect({ used, max, chosen, presence: automaticPresence({ swb_capacityused: used, swb_capacitymax: max }) }).toEqual({ used, max, chosen, presence: core });
    }
  }
});
