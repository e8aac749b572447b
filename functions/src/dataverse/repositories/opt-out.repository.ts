import type { OptOutRow } from '@switchboard/solution';
import type { OptOutLookup } from '../../channels';
import type { DataverseClient } from '../dataverse-client';
import { ConcurrencyConflict } from '../errors';
import { bind, isStatus, literal } from './odata';

/** One STOP or START as the provider reported it. */
export interface KeywordEvent {
  channelId: string;
  number: string;
  optedOut: boolean;
  keyword: string;
  /** The provider's id of the message: a retry or a replay carries the same one. */
  providerMessageId: string;
  /** When the customer sent it: the provider's time when it gives one, else when we received it. */
  at: Date;
}

export interface KeywordOutcome {
  /** The number's state before this keyword (undefined when the number had no row). */
  before: boolean | undefined;
  /** The number's state now. */
  after: boolean;
  /** This provider message id had been recorded already: a retry or a replay, nothing changed. */
  duplicate: boolean;
}

export interface OptOutStore extends OptOutLookup {
  record(event: KeywordEvent): Promise<KeywordOutcome>;
}

interface LogEntry {
  id: string;
  at: string;
  optedOut: boolean;
}

// Enough to recognise any replay a provider or an attacker can still send with a valid
// signature in practice; older keywords lose to the stored time anyway.
const LOG_SIZE = 50;
const MAX_ATTEMPTS = 8;

function parseLog(text: string | null | undefined): LogEntry[] {
  try {
    const parsed: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((e): e is LogEntry => typeof e?.id === 'string') : [];
  } catch {
    return [];
  }
}

// Rows are keyed by (number, channel), the table's alternate key. A keyword is applied exactly
// once (idempotent by the provider's message id, kept in the row's keyword log) and in the
// customer's order, not ours: a STOP sent after a START wins even if the START's webhook
// arrives last or is replayed later. Every write is If-Match (or create-only) on the row read,
// so two keywords racing each other are decided one after the other.
/** The row of a number on a channel, by the table's alternate key. */
export function optOutKey(channelId: string, number: string): string {
  return `swb_phonenumber=${literal(number)},swb_channelid=${channelId}`;
}

export class DataverseOptOutStore implements OptOutStore {
  constructor(private readonly client: DataverseClient) {}

  private key(channelId: string, number: string): string {
    return optOutKey(channelId, number);
  }

  async isOptedOut(channelId: string, number: string): Promise<boolean> {
    try {
      const row = await this.client.execute((api) =>
        api.retrieve<OptOutRow>({ collection: 'swb_optouts', key: this.key(channelId, number), select: ['swb_isoptedout'] }),
      );
      return row.swb_isoptedout === true;
    } catch (err) {
      if (isStatus(err, 404)) return false;
      throw err;
    }
  }

  async record(event: KeywordEvent): Promise<KeywordOutcome> {
    const key = this.key(event.channelId, event.number);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await this.client.retrieveWithETag<OptOutRow>('swb_optouts', key, ['swb_isoptedout', 'swb_changedon', 'swb_keywordlog']);
      const before = current ? current.row.swb_isoptedout === true : undefined;
      const log = parseLog(current?.row.swb_keywordlog);
      if (log.some((e) => e.id === event.providerMessageId)) return { before, after: before ?? false, duplicate: true };
      const decidedAt = current?.row.swb_changedon ? Date.parse(current.row.swb_changedon) : Number.NEGATIVE_INFINITY;
      const newest = event.at.getTime() >= decidedAt;
      const data: Record<string, unknown> = {
        swb_keywordlog: JSON.stringify([...log, { id: event.providerMessageId, at: event.at.toISOString(), optedOut: event.optedOut }].slice(-LOG_SIZE)),
      };
      if (newest) {
        Object.assign(data, {
          swb_name: `${event.number} ${event.optedOut ? 'STOP' : 'START'}`,
          swb_isoptedout: event.optedOut,
          swb_keyword: event.keyword.slice(0, 50),
          swb_changedon: event.at.toISOString(),
        });
      }
      const after = newest ? event.optedOut : before ?? false;
      try {
        if (current) await this.client.updateIfMatch('swb_optouts', key, current.etag, data);
        else {
          await this.client.execute((api) =>
            api.upsert({
              collection: 'swb_optouts',
              key,
              ifnonematch: '*',
              data: { ...data, swb_phonenumber: event.number, 'swb_channelid@odata.bind': bind('swb_channels', event.channelId) },
            }),
          );
        }
        return { before, after, duplicate: false };
      } catch (err) {
        // Someone wrote the row between our read and our write: read again and decide again.
        if (err instanceof ConcurrencyConflict || isStatus(err, 412)) continue;
        throw err;
      }
    }
    throw new Error(`The opt-out of ${event.number} on ${event.channelId} kept changing while recording ${event.providerMessageId}.`);
  }
}
