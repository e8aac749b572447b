import type { PublicMessage, WidgetLocale, WidgetStrings } from './contract';
import en from './locales/en.json';
import fr from './locales/fr.json';

const bundles: Record<WidgetLocale, WidgetStrings> = { en, fr };

// navigator.languages is the user's ordered preference; the first tag whose
// primary language we ship wins, so "de-CH, fr-CH" gets French, not English.
export function pickLocale(languages: readonly string[] | undefined, fallback?: string): WidgetLocale {
  const tags = [...(languages ?? []), ...(fallback ? [fallback] : [])];
  for (const tag of tags) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (primary === 'fr' || primary === 'en') return primary;
  }
  return 'en';
}

// Admin overrides from the config win key by key; a blank or non-string
// override is ignored so a half-filled admin form cannot blank the UI.
export function resolveStrings(locale: WidgetLocale, overrides?: Partial<WidgetStrings>): WidgetStrings {
  const base: Record<string, string> = { ...bundles[locale] };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (key in base && typeof value === 'string' && value.trim() !== '') base[key] = value;
  }
  return base as unknown as WidgetStrings;
}

export function format(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * The sentence a screen reader hears when a message arrives: who wrote what, in the customer's
 * language. An automated line is a notice, not somebody "saying" it.
 */
export function announcementOf(message: Pick<PublicMessage, 'authorKind' | 'authorName' | 'body'>, s: WidgetStrings): string {
  if (message.authorKind === 'system') return format(s.announceNotice, { text: message.body });
  const name = message.authorName || (message.authorKind === 'bot' ? s.bot : s.agent);
  return format(s.announceMessage, { name, text: message.body });
}
