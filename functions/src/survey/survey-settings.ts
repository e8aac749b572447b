// Whether a workstream asks its customers for a rating when a conversation ends, and the
// question in the customer's language. The switch and the admin's wording (swb_surveytexts) are
// read with the routing configuration (routing-config.mapper.ts): the same cache, no request of
// their own, and a change is seen like any routing change.
import type { RoutingConfig } from '@switchboard/core';
import en from './resources/survey.en.json';
import fr from './resources/survey.fr.json';

export interface SurveySettings {
  workstreamId: string;
  /** The workstream's channel ('chat', 'sms'): the question is texted on SMS only. */
  channel: string;
  /** The admin's question by lower-case language tag ("en", "fr-ca"); empty: the built-in wording. */
  texts: Readonly<Record<string, string>>;
}

export interface SurveyLookup {
  /** The survey of a workstream, or null when it has none (off, unknown or no workstream). */
  of(workstreamId: string | null | undefined): Promise<SurveySettings | null>;
}

/** The surveys of the workstreams in the routing configuration `config` serves (cached there). */
export function surveysOf(config: { get(): Promise<RoutingConfig> }): SurveyLookup {
  return {
    async of(workstreamId) {
      if (!workstreamId) return null;
      const id = workstreamId.toLowerCase();
      const ws = (await config.get()).workstreams.find((w) => w.id.toLowerCase() === id);
      return ws?.survey ? { workstreamId: ws.id, channel: ws.channel, texts: ws.survey.texts } : null;
    },
  };
}

const MAX_QUESTION = 1000;

/** `{"en": "…", "fr": "…"}` → texts by lower-case tag; anything else (empty, not JSON, blank values) is left out. */
export function parseSurveyTexts(raw: string | null | undefined): Record<string, string> {
  if (!raw?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {};
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const texts: Record<string, string> = {};
  for (const [tag, text] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof text === 'string' && text.trim() && /^[a-z]{2,3}([-_][a-z0-9]{2,8})*$/i.test(tag)) texts[tag.toLowerCase().replace(/_/g, '-')] = text.trim().slice(0, MAX_QUESTION);
  }
  return texts;
}

function languageOf(locale: string | null | undefined): string {
  return (locale ?? '').toLowerCase().replace(/_/g, '-');
}

/** The admin's question for a customer's language: the exact tag ("fr-ca"), then the language ("fr"); null when there is none. */
export function adminQuestion(texts: Readonly<Record<string, string>>, locale: string | null | undefined): string | null {
  const tag = languageOf(locale);
  const primary = tag.split('-')[0]!;
  return texts[tag] ?? texts[primary] ?? null;
}

const BUILT_IN: Readonly<Record<string, Readonly<Record<string, string>>>> = { en, fr };

/**
 * The SMS question: the admin's in the customer's language, else ours in it (English, French),
 * else the admin's English, else ours in English. Language beats wording: a French customer is
 * asked in French even where the admin wrote only an English question.
 */
export function smsSurveyQuestion(texts: Readonly<Record<string, string>>, locale: string | null | undefined): string {
  const primary = languageOf(locale).split('-')[0]!;
  return adminQuestion(texts, locale) ?? BUILT_IN[primary]?.['question.sms'] ?? texts['en'] ?? en['question.sms'];
}
