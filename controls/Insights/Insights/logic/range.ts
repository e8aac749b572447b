// The periods a report covers. Buckets are UTC hours, days and months (the fold's periods); a
// range reads the coarsest grain that still draws a useful line: hours up to two days, days up
// to 92, months beyond (core's chooseGrain, as every reader of the buckets). "Today" starts at
// midnight in the user's time zone (Dataverse's user setting, minutes east of UTC), as the
// supervisor desk's "today" does; day and month ranges are whole UTC days and months, the
// periods the buckets hold.
import { chooseGrain, nextPeriod as coreNextPeriod, periodStart as corePeriodStart, type InsightsGrain } from '@switchboard/core';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export type Grain = InsightsGrain;

export const RANGE_PRESETS = ['today', '7d', '30d', '12m', '24m'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export function presetOf(value: string | null | undefined): RangePreset {
  return (RANGE_PRESETS as readonly string[]).includes(value ?? '') ? (value as RangePreset) : '7d';
}

export interface Range {
  preset: RangePreset;
  /** First instant included. */
  from: number;
  /** First instant after the range. */
  to: number;
  grain: Grain;
  /** The start of every period of the range, in order: the chart's x axis, zeros included. */
  periods: number[];
}

/** Hours up to 2 days, days up to 92 days, months beyond. */
export function grainFor(from: number, to: number): Grain {
  return chooseGrain({ from, to });
}

export const periodStart = (at: number, grain: Grain): number => corePeriodStart(grain, at);
export const nextPeriod = (start: number, grain: Grain): number => coreNextPeriod(grain, start);

/**
 * The periods that overlap [from, to): what core's insightsQuery reads (it widens the range to
 * whole periods, so a time zone half an hour off UTC gets the hour that holds its midnight).
 */
export function periodsOf(from: number, to: number, grain: Grain): number[] {
  const out: number[] = [];
  for (let p = periodStart(from, grain); p < to; p = nextPeriod(p, grain)) out.push(p);
  return out;
}

/** Start of today in the user's time zone, as an instant. */
export function startOfToday(now: number, offsetMinutes: number): number {
  const local = new Date(now + offsetMinutes * 60_000);
  local.setUTCHours(0, 0, 0, 0);
  return local.getTime() - offsetMinutes * 60_000;
}

export function rangeOf(preset: RangePreset, now: number, offsetMinutes: number): Range {
  let from: number;
  let to: number;
  if (preset === 'today') {
    from = startOfToday(now, offsetMinutes);
    to = periodStart(now, 'hour') + HOUR;
  } else if (preset === '7d' || preset === '30d') {
    to = periodStart(now, 'day') + DAY;
    from = to - (preset === '7d' ? 7 : 30) * DAY;
  } else {
    const d = new Date(now);
    const months = preset === '12m' ? 12 : 24;
    to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1 - months, 1);
  }
  const grain = grainFor(from, to);
  return { preset, from, to, grain, periods: periodsOf(from, to, grain) };
}
