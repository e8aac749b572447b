// Figures and periods as people read them, in the user's language (PCF gives the LCID). Hour
// periods show the user's clock (Dataverse's time zone setting); day and month periods are the
// UTC days and months the buckets hold, so they are labelled in UTC.
import { formatDuration } from '../../../shared/src';
import type { Grain } from './range';

export const DASH = '—';

export function localeOf(languageId: number): string {
  return languageId === 1036 ? 'fr-FR' : 'en-US';
}

export interface Formats {
  count(n: number): string;
  /** 0.853 → "85 %" (fr) / "85%" (en); null → an em dash. */
  percent(x: number | null): string;
  /** Milliseconds as m:ss or h:mm:ss; null → an em dash. */
  duration(ms: number | null): string;
  /** 1–5 with one decimal; null → an em dash. */
  rating(x: number | null): string;
  /** A period start as its axis label. */
  period(start: number, grain: Grain): string;
  /** A period start in full (tooltips, table rows). */
  periodLong(start: number, grain: Grain): string;
  /** An instant as date and time of day in the user's zone. */
  dateTime(at: number): string;
}

export function formats(languageId: number, offsetMinutes: number): Formats {
  const locale = localeOf(languageId);
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const rating = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const utc = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...o, timeZone: 'UTC' });
  const hour = utc({ hour: '2-digit', minute: '2-digit' });
  const hourLong = utc({ weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const day = utc({ day: 'numeric', month: 'short' });
  const dayLong = utc({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  const month = utc({ month: 'short', year: 'numeric' });
  const monthLong = utc({ month: 'long', year: 'numeric' });
  const local = (at: number) => at + offsetMinutes * 60_000;
  return {
    count: (n) => count.format(n),
    percent: (x) => (x === null ? DASH : percent.format(x)),
    duration: (ms) => (ms === null ? DASH : formatDuration(ms)),
    rating: (x) => (x === null ? DASH : rating.format(x)),
    period: (start, grain) => (grain === 'hour' ? hour.format(local(start)) : grain === 'day' ? day.format(start) : month.format(start)),
    periodLong: (start, grain) => (grain === 'hour' ? hourLong.format(local(start)) : grain === 'day' ? dayLong.format(start) : monthLong.format(start)),
    dateTime: (at) => hourLong.format(local(at)),
  };
}
