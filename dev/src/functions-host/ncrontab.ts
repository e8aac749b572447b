// Six-field NCRONTAB as the Functions timer trigger uses it:
//   second minute hour day month day-of-week   (evaluated in UTC here)
// Also the TimeSpan form "hh:mm:ss" (an interval), which the host accepts on App Service plans.
// Like NCrontab, day-of-month and day-of-week must BOTH match when both are restricted
// (classic Vixie cron would OR them).

export type Schedule =
  | { kind: 'cron'; seconds: Set<number>; minutes: Set<number>; hours: Set<number>; days: Set<number>; months: Set<number>; weekdays: Set<number> }
  | { kind: 'interval'; ms: number };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parseField(text: string, min: number, max: number, names: string[] = [], nameBase = 0): Set<number> {
  const out = new Set<number>();
  const value = (token: string): number => {
    const idx = names.indexOf(token.toLowerCase());
    if (idx >= 0) return idx + nameBase;
    if (!/^\d+$/.test(token)) throw new Error(`"${token}" is not a number`);
    return Number(token);
  };
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = min;
      hi = max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      lo = value(a);
      hi = value(b);
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`"${part}" is outside ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseSchedule(expression: string): Schedule {
  const trimmed = expression.trim();
  const span = /^(\d+):(\d{2}):(\d{2})$/.exec(trimmed);
  if (span) {
    const ms = ((Number(span[1]) * 60 + Number(span[2])) * 60 + Number(span[3])) * 1000;
    if (ms <= 0) throw new Error(`Schedule "${expression}": interval must be positive`);
    return { kind: 'interval', ms };
  }
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 6) throw new Error(`Schedule "${expression}": NCRONTAB needs 6 fields (second minute hour day month day-of-week), got ${fields.length}`);
  const [s = '', mi = '', h = '', d = '', mo = '', dw = ''] = fields;
  try {
    const weekdays = parseField(dw, 0, 7, WEEKDAYS);
    // 7 is an alias for Sunday.
    if (weekdays.delete(7)) weekdays.add(0);
    return {
      kind: 'cron',
      seconds: parseField(s, 0, 59),
      minutes: parseField(mi, 0, 59),
      hours: parseField(h, 0, 23),
      days: parseField(d, 1, 31),
      months: parseField(mo, 1, 12, MONTHS, 1),
      weekdays,
    };
  } catch (err) {
    throw new Error(`Schedule "${expression}": ${(err as Error).message}`);
  }
}

// The first occurrence strictly after `after`.
export function nextOccurrence(schedule: Schedule, after: Date): Date {
  if (schedule.kind === 'interval') return new Date(after.getTime() + schedule.ms);
  const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const limit = after.getTime() + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!schedule.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!schedule.days.has(t.getUTCDate()) || !schedule.weekdays.has(t.getUTCDay())) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!schedule.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!schedule.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    if (!schedule.seconds.has(t.getUTCSeconds())) {
      t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
      continue;
    }
    return t;
  }
  throw new Error('Schedule never fires within five years');
}
