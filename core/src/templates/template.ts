// Message templates and automated messages: placeholders filled from the conversation, the
// customer and the agent, with fallback text when a value is missing, and the closest
// available language (fr-CA → fr → en).

export type TemplateData = Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;

export interface RenderedTemplate {
  text: string;
  /** Placeholders that had no value and no fallback (shown as empty). */
  missing: string[];
}

const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)(?:\|([^{}]*))?\}/g;

function valueAt(data: TemplateData, path: string): string | null {
  const [root, ...rest] = path.split('.');
  let cur: unknown = data[root!];
  for (const k of rest) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return null;
    const rec = cur as Record<string, unknown>;
    cur = k in rec ? rec[k] : rec[Object.keys(rec).find((x) => x.toLowerCase() === k.toLowerCase()) ?? k];
  }
  if (cur === null || cur === undefined) return null;
  const s = cur instanceof Date ? cur.toISOString() : String(cur);
  return s.trim() === '' ? null : s;
}

/**
 * `{customer.firstname}`, `{agent.name|our team}` (text after '|' is the fallback),
 * `{{` and `}}` for literal braces. Unknown shapes are left as typed.
 */
export function renderTemplate(template: string, data: TemplateData): RenderedTemplate {
  const missing: string[] = [];
  const text = template.replace(PLACEHOLDER, (whole, path: string | undefined, fallback: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const v = valueAt(data, path!);
    if (v !== null) return v;
    if (fallback !== undefined) return fallback;
    missing.push(path!);
    return '';
  });
  return { text, missing };
}

/** 'fr-CA' → ['fr-CA', 'fr', 'en'] (no duplicates). */
export function localeChain(locale: string | null | undefined, defaultLocale = 'en'): string[] {
  const chain: string[] = [];
  if (locale) {
    const parts = locale.replace('_', '-').split('-');
    for (let i = parts.length; i > 0; i--) chain.push(parts.slice(0, i).join('-'));
  }
  chain.push(defaultLocale);
  return [...new Set(chain.map((l) => l.toLowerCase()))];
}

export function pickLocalized<T>(
  byLocale: Readonly<Record<string, T>>,
  locale: string | null | undefined,
  defaultLocale = 'en',
): { locale: string; value: T } | null {
  const keys = new Map(Object.keys(byLocale).map((k) => [k.toLowerCase().replace('_', '-'), k]));
  for (const l of localeChain(locale, defaultLocale)) {
    const k = keys.get(l);
    if (k !== undefined) return { locale: k, value: byLocale[k]! };
  }
  return null;
}

export function renderLocalizedTemplate(
  byLocale: Readonly<Record<string, string>>,
  locale: string | null | undefined,
  data: TemplateData,
  defaultLocale = 'en',
): (RenderedTemplate & { locale: string }) | null {
  const picked = pickLocalized(byLocale, locale, defaultLocale);
  if (!picked) return null;
  return { ...renderTemplate(picked.value, data), locale: picked.locale };
}
