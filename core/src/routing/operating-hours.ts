import type { EpochMs } from '../time';

export interface OpeningSlot {
  /** 0 = Sunday ... 6 = Saturday, in the hours' own time zone. */
  day: number;
  /** 'HH:MM', inclusive. */
  from: string;
  /** 'HH:MM', exclusive; '24:00' closes at midnight. */
  to: string;
}

export interface OperatingHours {
  id: string;
  /** IANA zone, e.g. 'America/Toronto'. */
  timeZone: string;
  weekly: OpeningSlot[];
  /** Local dates 'YYYY-MM-DD' when closed all day (holidays). */
  closedDates?: string[];
}

// Intl formatters are costly to build and are pure functions of the zone: safe to reuse.
const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export interface LocalTime {
  day: number;
  minutes: number;
  date: string;
}

export function localTime(timeZone: string, at: EpochMs): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(at))) parts[p.type] = p.value;
  return {
    day: WEEKDAYS[parts.weekday!] ?? 0,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

function toMinutes(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) return NaN;
  return Number(m[1]) * 60 + Number(m[2]);
}

// Opening slots have minute resolution, so the answer is a pure function of (hours object,
// minute). Configuration objects are immutable by contract; a changed schedule is a new object.
const lastAnswer = new WeakMap<OperatingHours, { minute: number; open: boolean }>();

export function isOpen(hours: OperatingHours, at: EpochMs): boolean {
  const minute = Math.floor(at / 60_000);
  const hit = lastAnswer.get(hours);
  if (hit && hit.minute === minute) return hit.open;
  const open = computeOpen(hours, at);
  lastAnswer.set(hours, { minute, open });
  return open;
}

function computeOpen(hours: OperatingHours, at: EpochMs): boolean {
  const t = localTime(hours.timeZone, at);
  if (hours.closedDates?.includes(t.date)) return false;
  return hours.weekly.some((s) => s.day === t.day && t.minutes >= toMinutes(s.from) && t.minutes < toMinutes(s.to));
}
