// A widget's pre-chat questions (swb_prechatquestions, admin-authored JSON) in the asked
// language. Lenient: a question the admin got wrong is skipped or given defaults, so one typo
// does not take the chat down.
export interface Question {
  id: string;
  kind: 'text' | 'email' | 'phone' | 'choice';
  label: string;
  required: boolean;
  maxLength: number;
  choices?: { value: string; label: string }[];
  hint?: string;
  /** The contact column the answer is matched on for identification. */
  contactField?: string;
}

const FIELD = /^[a-z][a-z0-9_]{0,99}$/;

/** Picks an admin-authored text for a locale: keys may be LCIDs ("1036") or tags ("fr", "fr-CA"). */
export function localised(value: unknown, locale: string): string {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return '';
  const map = value as Record<string, unknown>;
  const lang = locale.toLowerCase().split('-')[0];
  const lcid = lang === 'fr' ? '1036' : '1033';
  for (const k of [locale, locale.toLowerCase(), lang ?? '', lcid, 'en', '1033']) {
    const v = map[k];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  const first = Object.values(map).find((v) => typeof v === 'string');
  return typeof first === 'string' ? first : '';
}

export function parseQuestions(text: string | null | undefined, locale: string): Question[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: Question[] = [];
  for (const q of raw as Record<string, unknown>[]) {
    if (!q || typeof q.id !== 'string') continue;
    const type = String(q.type ?? q.kind ?? 'text');
    const kind = (['text', 'email', 'phone', 'choice'] as const).find((k) => k === type) ?? 'text';
    const question: Question = {
      id: q.id,
      kind,
      label: localised(q.label, locale) || q.id,
      required: q.required === true,
      maxLength: typeof q.maxLength === 'number' ? q.maxLength : 200,
    };
    if (kind === 'choice' && Array.isArray(q.choices)) {
      question.choices = (q.choices as Record<string, unknown>[]).filter((c) => c && typeof c.value === 'string').map((c) => ({ value: String(c.value), label: localised(c.label, locale) || String(c.value) }));
    }
    const hint = localised(q.hint, locale);
    if (hint) question.hint = hint;
    if (typeof q.contactField === 'string' && FIELD.test(q.contactField)) question.contactField = q.contactField;
    out.push(question);
  }
  return out;
}
