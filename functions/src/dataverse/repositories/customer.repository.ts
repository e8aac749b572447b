// Candidate customers for identification. The query only narrows; core's identifyByPhone /
// identifyByPreChat decide, so rows typed in any format are compared in E.164 there.
import { type CustomerRecord, PHONE_MATCH_COLUMNS, type PreChatAnswer } from '@switchboard/core';
import parsePhoneNumber from 'libphonenumber-js';
import { failedPart, type DataverseClient } from '../dataverse-client';
import { literal } from './odata';
import { optOutKey } from './opt-out.repository';

export interface CustomerFinder {
  byPhone(e164: string): Promise<CustomerRecord[]>;
  byAnswers(answers: readonly PreChatAnswer[]): Promise<CustomerRecord[]>;
  /**
   * What a first text from a number needs to know, in one request: the customers it may be
   * (only for phone numbers; short codes and alphanumeric senders match nobody) and whether
   * the number has opted out on this channel (the welcome text must respect it).
   */
  newSmsSender(from: string, channelId: string): Promise<{ candidates: CustomerRecord[]; optedOut: boolean }>;
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
    const parts = await this.client.readBatch((api) => {
      for (const q of phoneQueries(e164)) api.retrieveMultiple({ collection: q.collection, select: q.select, filter: q.filter, top: MAX_CANDIDATES });
    });
    return phoneQueries(e164).flatMap((q, i) => recordsOf(parts[i], q));
  }

  async newSmsSender(from: string, channelId: string): Promise<{ candidates: CustomerRecord[]; optedOut: boolean }> {
    const queries = from.startsWith('+') ? phoneQueries(from) : [];
    const parts = await this.client.readBatch((api) => {
      for (const q of queries) api.retrieveMultiple({ collection: q.collection, select: q.select, filter: q.filter, top: MAX_CANDIDATES });
      api.retrieve({ collection: 'swb_optouts', key: optOutKey(channelId, from), select: ['swb_isoptedout'] });
    });
    const optOut = parts[queries.length];
    const missing = failedPart(optOut);
    if (missing && missing.status !== 404) throw Object.assign(new Error(`Reading the opt-out of ${from} failed with ${missing.status}.`), missing);
    return { candidates: queries.flatMap((q, i) => recordsOf(parts[i], q)), optedOut: !missing && (optOut as { swb_isoptedout?: boolean }).swb_isoptedout === true };
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

interface PhoneQuery {
  collection: string;
  entity: 'contact' | 'account';
  idColumn: string;
  select: string[];
  filter: string;
}

/** The contact and account queries for one E.164 number: every way it may be typed, and its last four digits. */
function phoneQueries(e164: string): PhoneQuery[] {
  const variants = phoneVariants(e164);
  const tail = e164.replace(/\D/g, '').slice(-4);
  const filter = (column: string) => `(${[...variants.map((v) => `${column} eq ${literal(v)}`), `endswith(${column},${literal(tail)})`].join(' or ')})`;
  const contact = PHONE_MATCH_COLUMNS.contact;
  const account = PHONE_MATCH_COLUMNS.account;
  return [
    { collection: 'contacts', entity: 'contact', idColumn: 'contactid', select: [...new Set(['contactid', contact, 'fullname', 'firstname', 'lastname', 'emailaddress1'])], filter: filter(contact) },
    { collection: 'accounts', entity: 'account', idColumn: 'accountid', select: [...new Set(['accountid', account, 'name', 'emailaddress1'])], filter: filter(account) },
  ];
}

function recordsOf(part: unknown, q: PhoneQuery): CustomerRecord[] {
  const failed = failedPart(part);
  if (failed) throw Object.assign(new Error(`Looking up ${q.collection} by phone failed with ${failed.status}.`), failed);
  return ((part as { value?: Record<string, unknown>[] }).value ?? []).map((row) => ({ entity: q.entity, id: String(row[q.idColumn]), fields: row }));
}
