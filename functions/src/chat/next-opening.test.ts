import { nextOpening } from './next-opening';

const paris = { id: 'h', timeZone: 'Europe/Paris', weekly: [{ day: 1, from: '09:07', to: '17:00' }] };

it('finds the first open minute of the next slot, in the hours own time zone', () => {
  // Sunday 2026-11-22 20:00 UTC → Monday 09:07 Paris = 08:07 UTC.
  expect(new Date(nextOpening(paris, Date.parse('2026-11-22T20:00:00Z'))!).toISOString()).toBe('2026-11-23T08:07:00.000Z');
});

it('is now when already open, and skips closed dates', () => {
  expect(nextOpening(paris, Date.parse('2026-11-23T10:00:00Z'))).toBe(Date.parse('2026-11-23T10:00:00Z'));
  const holiday = { ...paris, closedDates: ['2026-11-23'] };
  expect(new Date(nextOpening(holiday, Date.parse('2026-11-22T20:00:00Z'))!).toISOString()).toBe('2026-11-30T08:07:00.000Z');
});

it('is null for hours that never open', () => {
  expect(nextOpening({ id: 'h', timeZone: 'UTC', weekly: [] }, 0)).toBeNull();
});
