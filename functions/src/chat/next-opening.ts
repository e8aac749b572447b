import { type OperatingHours, isOpen } from '@switchboard/core';

// When closed hours open next, for the widget's "back at …" line. Coarse steps then a
// minute-by-minute refinement: schedules are in minutes, and DST shifts are handled by
// core's isOpen in the hours' own time zone. Null when nothing opens within 8 days.
export function nextOpening(hours: OperatingHours, now: number): number | null {
  const MINUTE = 60_000;
  const STEP = 15 * MINUTE;
  const start = Math.ceil(now / MINUTE) * MINUTE;
  if (isOpen(hours, start)) return start;
  for (let t = start + STEP; t <= start + 8 * 24 * 60 * MINUTE; t += STEP) {
    if (!isOpen(hours, t)) continue;
    let first = t;
    for (let m = t - MINUTE; m > t - STEP; m -= MINUTE) {
      if (!isOpen(hours, m)) break;
      first = m;
    }
    return first;
  }
  return null;
}
