import fc from 'fast-check';
import { nextOccurrence, parseSchedule } from './ncrontab';

const at = (iso: string) => new Date(iso);
const next = (expr: string, iso: string) => nextOccurrence(parseSchedule(expr), at(iso)).toISOString();

test('every-N-seconds, daily and weekday schedules fire at the expected instants', () => {
  expect(next('*/15 * * * * *', '2026-01-01T10:00:07.500Z')).toBe('2026-01-01T10:00:15.000Z');
  expect(next('*/15 * * * * *', '2026-01-01T10:00:45Z')).toBe('2026-01-01T10:01:00.000Z');
  expect(next('0 5 * * * *', '2026-01-01T10:05:00Z')).toBe('2026-01-01T11:05:00.000Z');
  expect(next('0 30 9 * * 1-5', '2026-01-02T10:00:00Z')).toBe('2026-01-05T09:30:00.000Z'); // Fri → Mon
  expect(next('0 0 0 1 Jan *', '2026-03-01T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
  expect(next('0 0 12 * * Sun,Sat', '2026-01-01T00:00:00Z')).toBe('2026-01-03T12:00:00.000Z');
  expect(next('0 0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
});

test('day-of-month and day-of-week must both match, as in NCrontab', () => {
  // The 13th that is a Friday.
  expect(next('0 0 0 13 * 5', '2026-01-01T00:00:00Z')).toBe('2026-02-13T00:00:00.000Z');
});

test('the TimeSpan form is an interval', () => {
  expect(next('00:05:00', '2026-01-01T00:00:01Z')).toBe('2026-01-01T00:05:01.000Z');
});

test('malformed schedules are refused with the reason', () => {
  expect(() => parseSchedule('* * * * *')).toThrow(/6 fields/);
  expect(() => parseSchedule('61 * * * * *')).toThrow(/outside 0-59/);
  expect(() => parseSchedule('*/0 * * * * *')).toThrow(/bad step/);
});

test('the next occurrence is always later, matches every field, and no occurrence is skipped', () => {
  const field = (min: number, max: number) =>
    fc.oneof(fc.constant('*'), fc.integer({ min, max }).map(String), fc.integer({ min: 1, max: 20 }).map((s) => `*/${s}`));
  fc.assert(
    fc.property(field(0, 59), field(0, 59), field(0, 23), fc.integer({ min: 0, max: 400 * 86_400 }), (s, m, h, offset) => {
      const schedule = parseSchedule(`${s} ${m} ${h} * * *`);
      const after = new Date(Date.UTC(2026, 0, 1) + offset * 1000);
      const n = nextOccurrence(schedule, after);
      if (schedule.kind !== 'cron') return false;
      const matches = (d: Date) => schedule.seconds.has(d.getUTCSeconds()) && schedule.minutes.has(d.getUTCMinutes()) && schedule.hours.has(d.getUTCHours());
      if (n.getTime() <= after.getTime() || !matches(n)) return false;
      // Nothing in between matched (walk back up to an hour, second by second).
      for (let t = n.getTime() - 1000; t > after.getTime() && t > n.getTime() - 3_600_000; t -= 1000) {
        if (matches(new Date(t))) return false;
      }
      return true;
    }),
    { numRuns: 150 },
  );
});
