// Candidate customers for identification. The query only narrows; core's identifyByPhone /
// identifyByPreChat decide, so rows typed in any format are compared in E.164 there.
import { type CustomerRecord, PHONE_MATCH_COLUMNS, type PreChatAnswer } from '@switchboard/core';
import parsePhoneNumber from 'libphonenumber-js';
import type { DataverseClient } from '../dataverse-client';
import { literal } from './odata';

export interface CustomerFinder {
  byPhone(e164: string): Promise<CustomerRecord[]>;
  byAnswers(answers: readonly PreChatAnswer[]): Promise<CustomerRecord[]>;
}

const MAX_CANDIDATES = 50;

/** The ways people type one number: E.164, international, national, bare digits. */
export function phoneVariants(e164: string): string[] {
  const out = new Set<string>([e164]);
  const parsed = parsePhoneNumber(e164);
  if (parsed) {
    out.add(parsed.formatInternational());
    out.add(parsed.formatNational());
    out.add(String(parsed.nationalNumber));
    out.add(parsed.formatNational().replace(/\D/g, ''));
    out.add(e164.slice(1));
    out.add(`00${e164.slice(1)}`);
  }
  return [...out];
}

export class DataverseCustomerFinder implements CustomerFinder {
  constructor(private readonly client: DataverseClient) {}

  async byPhone(e164: string): Promise<CustomerRecord[]> {
    const variants = phoneVariants(e164);
    const digits = e164.replace(/\D/g, '');
    const tail = digits.slice(-4);
    const filter = (column: string) =>
      `(${[...variants.map((v) => `${column} eq ${literal(v)}`), `endswith(${column},${literal(tail)})`].join(' or ')})`;
    const [contacts, accounts] = await Promise.all([
      this.query('contacts', 'contact', 'contactid', PHONE_MATCH_COLUMNS.contact, filter(PHONE_MATCH_COLUMNS.contact), ['fullname', 'firstname', 'lastname', 'emailaddress1']),
      this.query('accounts', 'account', 'accountid', PHONE_MATCH_COLUMNS.account, filter(PHONE_MATCH_COLUMNS.account), ['name', 'emailaddress1']),
    ]);
    return [...contacts, ...accounts];
  }

  // Pre-chat answers match contacts (the widget's mapping names contact columns). Candidates
  // are narrowed on the first exact-comparable answer (email, else any text); core then
  // requires every answer to match.
  async byAnswers(answers: readonly PreChatAnswer[]): Promise<CustomerRecord[]> {
    const given = answers.filter((a) => a.value.trim() !== '');
    if (given.length === 0) return [];
    const email = given.find((a) => a.kind === 'email');
    const phone = given.find((a) => a.kind === 'phone');
    let filter: string;
    if (email) filter = `${email.field} eq ${literal(email.value.trim())}`;
    else if (phone) {
      const p = parsePhoneNumber(phone.value);
      const variants = p ? phoneVariants(p.number) : [phone.value.trim()];
      filter = `(${variants.map((v) => `${phone.field} eq ${literal(v)}`).join(' or ')})`;
    } else filter = given.map((a) => `${a.field} eq ${literal(a.value.trim())}`).join(' and ');
    const fields = [...new Set(given.map((a) => a.field))];
    return this.query('contacts', 'contact', 'contactid', fields[0]!, filter, [...fields.slice(1), 'fullname', 'firstname', 'lastname']);
  }

  private async query(collection: string, entity: 'contact' | 'account', idColumn: string, column: string, filter: string, extra: string[]): Promise<CustomerRecord[]> {
    const select = [...new Set([idColumn, column, ...extra])];
    const result = await this.client.execute((api) => api.retrieveMultiple<Record<string, unknown>>({ collection, select, filter, top: MAX_CANDIDATES }));
    return result.value.map((row) => ({ entity, id: String(row[idColumn]), fields: row }));
  }
}
