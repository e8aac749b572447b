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
