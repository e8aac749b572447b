// A chat widget's pre-chat questions (swb_chatwidget.swb_prechatquestions, written by admins) as
// the agent's controls need them: the label of each answer in the agent's language, choice
// labels for choice answers, and which answers carry the customer's name. Lenient like the
// widget: a malformed definition reads as no questions, and the caller falls back to the keys.
import { parseJsonArray } from './json-field';

/** Admin-authored text: a plain string, or keyed by language tag ("fr", "fr-CA") or LCID ("1036"). */
export type Localised = string | Record<string, string>;

export interface PreChatQuestion {
  id: string;
  label?: Localised;
  contactField?: string;
  choices?: { value: string; label?: Localised }[];
}

const LCID_OF: Record<string, string> = { en: '1033', fr: '1036' };

/** The text for a language ("fr" or "fr-FR"), else English, else whatever is there. */
export function localisedText(value: Localised | undefined, language: string): string {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return '';
  const tag = language.toLowerCase();
  const lang = tag.split('-')[0] ?? tag;
  for (const key of [language, tag, lang, LCID_OF[lang] ?? '', 'en', '1033']) {
    const v = value[key];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return Object.values(value).find((v) => typeof v === 'string' && v.trim()) ?? '';
}

export function parsePreChatQuestions(raw: string | null | undefined): PreChatQuestion[] {
  return parseJsonArray(raw).flatMap((q): PreChatQuestion[] => {
    if (!q || typeof q !== 'object' || typeof (q as PreChatQuestion).id !== 'string') return [];
    const { id, label, contactField, choices } = q as PreChatQuestion;
    return [
      {
        id,
        ...(label !== undefined ? { label } : {}),
        ...(typeof contactField === 'string' ? { contactField } : {}),
        ...(Array.isArray(choices) ? { choices: choices.filter((c) => c && typeof c.value === 'string') } : {}),
      },
    ];
  });
}

// Answers that hold a name, by the contact column they map to or, without a definition, by the
// usual question ids.
const FULL_NAME = new Set(['fullname', 'name', 'customername']);
const FIRST_NAME = new Set(['firstname', 'givenname']);
const LAST_NAME = new Set(['lastname', 'familyname', 'surname']);

/** The name a customer typed before the chat ("Camille", "Camille Bernard"), or ''. */
export function nameFromAnswers(answers: Record<string, unknown>, questions: readonly PreChatQuestion[]): string {
  const fieldOf = (key: string) => (questions.find((q) => q.id === key)?.contactField ?? key).toLowerCase();
  const pick = (names: Set<string>) =>
    Object.entries(answers)
      .filter(([k, v]) => names.has(fieldOf(k)) && typeof v === 'string' && v.trim())
      .map(([, v]) => (v as string).trim())[0] ?? '';
  return pick(FULL_NAME) || [pick(FIRST_NAME), pick(LAST_NAME)].filter(Boolean).join(' ');
}
