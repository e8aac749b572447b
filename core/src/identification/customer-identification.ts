import { type PhoneOptions, normalizePhoneNumber } from './phone-number';

export type CustomerEntity = 'contact' | 'account';

export interface CustomerRecord {
  entity: CustomerEntity;
  id: string;
  /** Column values by logical name (mobilephone, telephone1, emailaddress1...). */
  fields: Readonly<Record<string, unknown>>;
}

export type IdentificationResult =
  | { kind: 'matched'; record: CustomerRecord }
  | { kind: 'ambiguous'; records: CustomerRecord[] }
  | { kind: 'none'; reason: 'noMatch' | 'invalidPhone' | 'noAnswers'; message?: string };

/** The columns a phone number is matched on, as the commercial product does. */
export const PHONE_MATCH_COLUMNS: Readonly<Record<CustomerEntity, string>> = { contact: 'mobilephone', account: 'telephone1' };

function resultOf(records: CustomerRecord[]): IdentificationResult {
  const unique = [...new Map(records.map((r) => [`${r.entity}:${r.id}`, r])).values()];
  if (unique.length === 0) return { kind: 'none', reason: 'noMatch' };
  if (unique.length === 1) return { kind: 'matched', record: unique[0]! };
  return { kind: 'ambiguous', records: unique };
}

/**
 * Matches an SMS sender against candidate contacts (mobilephone) and accounts (telephone1).
 * Candidates come from a query on the normalised number; they are compared again here
 * because rows saved before normalisation may hold any format.
 */
export function identifyByPhone(phone: string, candidates: readonly CustomerRecord[], options: PhoneOptions = {}): IdentificationResult {
  const n = normalizePhoneNumber(phone, options);
  if (!n.ok) return { kind: 'none', reason: 'invalidPhone', message: n.error.message };
  return resultOf(
    candidates.filter((c) => {
      const v = c.fields[PHONE_MATCH_COLUMNS[c.entity]];
      if (typeof v !== 'string' || v.trim() === '') return false;
      const m = normalizePhoneNumber(v, options);
      return m.ok && m.value === n.value;
    }),
  );
}

export type AnswerKind = 'text' | 'email' | 'phone';

export interface PreChatAnswer {
  /** Column on the customer record the answer is compared with. */
  field: string;
  value: string;
  kind: AnswerKind;
}

function normaliseText(v: string): string {
  return v.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
}

export function answerMatches(answer: PreChatAnswer, recordValue: unknown, options: PhoneOptions = {}): boolean {
  if (recordValue === null || recordValue === undefined) return false;
  const rv = String(recordValue);
  switch (answer.kind) {
    case 'phone': {
      const a = normalizePhoneNumber(answer.value, options);
      const b = normalizePhoneNumber(rv, options);
      return a.ok && b.ok && a.value === b.value;
    }
    case 'email':
      return answer.value.trim().toLowerCase() === rv.trim().toLowerCase();
    case 'text':
      return normaliseText(answer.value) !== '' && normaliseText(answer.value) === normaliseText(rv);
  }
}

/** Chat identification: a record matches only when every identifying answer matches it. */
export function identifyByPreChat(
  answers: readonly PreChatAnswer[],
  candidates: readonly CustomerRecord[],
  options: PhoneOptions = {},
): IdentificationResult {
  const given = answers.filter((a) => a.value.trim() !== '');
  if (given.length === 0) return { kind: 'none', reason: 'noAnswers' };
  return resultOf(candidates.filter((c) => given.every((a) => answerMatches(a, c.fields[a.field], options))));
}
