// Figures as people read them, in the user's language (PCF gives the LCID).
import { formatDuration } from '../../../shared/src';

export function localeOf(languageId: number): string {
  return languageId === 1036 ? 'fr-FR' : 'en-US';
}

export interface Formats {
  /** 0.853 → "85 %" (fr) / "85%" (en); null → an em dash. */
  percent(x: number | null): string;
  /** Milliseconds as m:ss or h:mm:ss; null → an em dash. */
  duration(ms: number | null): string;
  /** An instant as the time of day, hh:mm. */
  clock(at: number | null): string;
  /** An instant as the time of day with seconds. */
  clockSeconds(at: number): string;
}

export const DASH = '—';

export function formats(languageId: number): Formats {
  const locale = localeOf(languageId);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const hm = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const hms = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return {
    percent: (x) => (x === null ? DASH : percent.format(x)),
    duration: (ms) => (ms === null ? DASH : formatDuration(ms)),
    clock: (at) => (at === null ? DASH : hm.format(at)),
    clockSeconds: (at) => hms.format(at),
  };
}
