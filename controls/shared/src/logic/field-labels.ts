// Pre-chat answers and context variables are stored under keys (`firstname`, `pageUrl`, `to`):
// an agent reads labels. A pre-chat answer takes its question's label from the widget
// definition, in the agent's language; otherwise a key the control knows is translated from its
// resources, and any other key is written out as words ("loyaltyTier" → "Loyalty tier").
import { displayValue } from './json-field';
import { localisedText, type PreChatQuestion } from './pre-chat';

export interface LabelledValue {
  key: string;
  label: string;
  value: string;
}

/** A translation for a known key (or a known value of a key), or undefined. */
export type KnownText = (key: string, value?: string) => string | undefined;

const ACRONYMS = new Set(['id', 'url', 'sms', 'ip', 'vat', 'crm']);

export function humanise(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w.toLowerCase()));
  if (words.length === 0) return key;
  const first = words[0]!;
  words[0] = first === first.toUpperCase() ? first : first.charAt(0).toUpperCase() + first.slice(1);
  return words.join(' ');
}

export function preChatRows(answers: Record<string, unknown>, questions: readonly PreChatQuestion[], language: string, known: KnownText): LabelledValue[] {
  return Object.entries(answers).map(([key, raw]) => {
    const question = questions.find((q) => q.id === key);
    const value = displayValue(raw);
    const choice = question?.choices?.find((c) => c.value === value);
    return {
      key,
      label: localisedText(question?.label, language) || known(key) || humanise(key),
      value: (choice && localisedText(choice.label, language)) || known(key, value) || value,
    };
  });
}

export function contextRows(context: Record<string, unknown>, known: KnownText): LabelledValue[] {
  return Object.entries(context).map(([key, raw]) => {
    const value = displayValue(raw);
    return { key, label: known(key) || humanise(key), value: known(key, value) || value };
  });
}
