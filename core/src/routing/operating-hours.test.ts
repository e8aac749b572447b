import { isOpen, localTime } from './operating-hours';

const hours = {
  id: 'h',
  timeZone: 'America/Toronto',
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, from: '09:00', to: '17:00' })),
  closedDates: ['2026-12-25'],
};

describe('operating hours', () => {
  test('open inside the weekly slot in the hours’ own time zone', () => {
    // Tuesday 2026-11-24 14:30 UTC = 09:30 in Toronto (EST, UTC-5).
    expect(localTime('America/Toronto', Date.UTC(2026, 10, 24, 14, 30))).toEqual({ day: 2, minutes: 570, date: '2026-11-24' });
    expect(isOpen(hours, Date.UTC(2026, 10, 24, 14, 30))).toBe(true);
    expect(isOpen(hours, Date.UTC(2026, 10, 24, 13, 59))).toBe(false);
    expect(isOpen(hours, Date.UTC(2026, 10, 24, 22, 0))).toBe(false);
  });

  test('closed at weekends and on closed dates', () => {
    expect(isOpen(hours, Date.UTC(2026, 10, 28, 15, 0))).toBe(false);
    expect(isOpen(hours, Date.UTC(2026, 11, 25, 15, 0))).toBe(false);
  });
});
