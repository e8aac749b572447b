import { AuthorKind, MessageDirection, type ConversationRow, type MessageRow } from '@switchboard/solution';
import { claim, type DataverseClient, type RowWithETag } from '../dataverse-client';
import { KeyedSerializer } from '../../conversations/keyed-serializer';
import { ConcurrencyConflict } from '../errors';
import { isStatus, literal } from './odata';

export type CreateOutcome = 'created' | 'exists';

const SET = 'swb_conversations';
const MESSAGES = 'swb_messages';
// The conversation's 1:N navigation to its messages (swb_message.swb_conversationid).
const MESSAGES_NAV = 'swb_conversation_message_conversationid';

/**
 * What a writer knows of a conversation it just read or wrote: its ETag and message counter.
 * With it a message is appended in one request (see appendWithCounter); each append moves it on.
 */
export interface ConversationCursor {
  etag: string;
  lastSequence: number;
}

export function cursorOf(row: ConversationRow & { '@odata.etag'?: string }): ConversationCursor | undefined {
  const etag = row['@odata.etag'];
  return etag ? { etag, lastSequence: row.swb_lastmessagesequence ?? 0 } : undefined;
}

/**
 * The conversation columns a message's arrival moves besides its counter: when the customer last
 * wrote (the supervisor desk reads it). Stamped in the write that numbers the message, so the
 * floor-stamps step has nothing to read or write for the app's own messages.
 */
function arrivalStamps(message: Record<string, unknown>, at: number): Record<string, unknown> {
  return message['swb_direction'] === MessageDirection.Inbound && message['swb_authorkind'] === AuthorKind.Customer
    ? { swb_lastcustomermessageon: new Date(at).toISOString() }
    : {};
}

/** A message created with its conversation (deep insert), under an id the caller chose. */
export interface InlineMessage {
  id: string;
  data: Record<string, unknown>;
}

export interface ConversationStore {
  get(id: string): Promise<RowWithETag<ConversationRow> | null>;
  /** Creates under a chosen id; 'exists' when someone (a concurrent retry) created it first. */
  createWithId(id: string, data: Record<string, unknown>): Promise<CreateOutcome>;
  update(id: string, patch: Record<string, unknown>, etag?: string): Promise<void>;
  /** The SMS conversations of one number on one channel, newest first (at most `top`). */
  listForNumber(channelId: string, phone: string, top: number): Promise<ConversationRow[]>;
  /** Reserves the next message sequence number (If-Match on the conversation, retried on 412). */
  /** `message`: the row being numbered, whose arrival stamps ride in the same claim (see arrivalStamps). */
  /** `also`: conversation columns written in the same claim (a bot's activity stamp). */
  nextSequence(id: string, message?: Record<string, unknown>, also?: Record<string, unknown>): Promise<number>;
  /**
   * One $batch change set: the counter moved to cursor.lastSequence + 1 (If-Match cursor.etag)
   * and the message created under `messageId` with that number. 'conflict' when either failed
   * (the conversation moved on, or the message exists): nothing was written, and the caller
   * takes the slower path. On success the cursor is moved on.
   */
  appendWithCounter(id: string, cursor: ConversationCursor, messageId: string, data: Record<string, unknown>, also?: Record<string, unknown>): Promise<MessageRow | 'conflict'>;
  /**
   * Creates the conversation and its first messages in one request (deep insert), numbered 1..n,
   * and returns the stored row with its ETag; 'exists' when a concurrent twin created it first.
   */
  createWithMessages(id: string, data: Record<string, unknown>, messages: readonly InlineMessage[], select: readonly string[]): Promise<RowWithETag<ConversationRow> | 'exists'>;
  findByTokenHash(hash: string): Promise<ConversationRow | null>;
}

const SEQUENCE_DEADLINE_MS = 10_000;

export class DataverseConversationStore implements ConversationStore {
  constructor(
    private readonly client: DataverseClient,
    private readonly clock: () => number = Date.now,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** One claim at a time per conversation in this process (see KeyedSerializer). */
  private readonly numbering = new KeyedSerializer();

  get(id: string) {
    return this.client.retrieveWithETag<ConversationRow>(SET, id);
  }

  async createWithId(id: string, data: Record<string, unknown>): Promise<CreateOutcome> {
    try {
      // If-None-Match: * makes the upsert a create-only: a second caller gets 412, never an update.
      await this.client.execute((api) => api.upsert({ collection: SET, key: id, data, ifnonematch: '*' }));
      return 'created';
    } catch (err) {
      if (isStatus(err, 412)) return 'exists';
      throw err;
    }
  }

  async update(id: string, patch: Record<string, unknown>, etag?: string): Promise<void> {
    if (etag) return this.client.updateIfMatch(SET, id, etag, patch);
    await this.client.execute((api) => api.update({ collection: SET, key: id, data: patch }));
  }

  async listForNumber(channelId: string, phone: string, top: number): Promise<ConversationRow[]> {
    const result = await this.client.execute((api) =>
      api.retrieveMultiple<ConversationRow>({
        collection: SET,
        // Everything the SMS path needs from an open conversation, so it need not read it again.
        select: [
          'activityid', 'swb_state', 'swb_openedon', 'createdon', '_swb_primaryagentid_value', '_swb_queueid_value', 'swb_channeltype',
          '_swb_channelid_value', '_swb_workstreamid_value', 'swb_customerphone', 'swb_language', 'swb_lastmessagesequence', '_swb_offeredto_value',
          // A bot holding it gets the customer's text instead of routing.
          '_swb_botid_value', 'swb_botstate',
          // The survey asked when it ended: the next text may be the answer.
          'swb_csatrequestedon', 'swb_csatrespondedon',
        ],
        filter: `_swb_channelid_value eq ${channelId} and swb_customerphone eq ${literal(phone)}`,
        orderBy: ['createdon desc'],
        top,
      }),
    );
    return result.value;
  }

  async appendWithCounter(id: string, cursor: ConversationCursor, messageId: string, data: Record<string, unknown>, also: Record<string, unknown> = {}): Promise<MessageRow | 'conflict'> {
    const sequence = cursor.lastSequence + 1;
    try {
      const parts = await this.client.batch((api) => {
        api.update({ collection: SET, key: id, data: { ...also, swb_lastmessagesequence: sequence, ...arrivalStamps(data, this.clock()) }, ifmatch: cursor.etag, returnRepresentation: true, select: ['activityid'] });
        api.upsert({ collection: MESSAGES, key: messageId, data: { ...data, swb_sequence: sequence }, ifnonematch: '*', returnRepresentation: true });
      });
      const etag = (parts[0] as { '@odata.etag'?: string } | undefined)?.['@odata.etag'];
      cursor.lastSequence = sequence;
      if (etag) cursor.etag = etag;
      const stored = parts[1] as MessageRow | undefined;
      return stored && typeof stored === 'object' ? stored : ({ swb_messageid: messageId, ...data, swb_sequence: sequence } as MessageRow);
    } catch (err) {
      if (err instanceof ConcurrencyConflict || isStatus(err, 412, 409)) return 'conflict';
      throw err;
    }
  }

  async createWithMessages(id: string, data: Record<string, unknown>, messages: readonly InlineMessage[], select: readonly string[]): Promise<RowWithETag<ConversationRow> | 'exists'> {
    const inline = messages.map((m, i) => ({ ...m.data, swb_messageid: m.id, swb_sequence: i + 1 }));
    const stamps = Object.assign({}, ...inline.map((m) => arrivalStamps(m, this.clock()))) as Record<string, unknown>;
    try {
      const row = await this.client.execute(
        (api) =>
          api.create<ConversationRow & { '@odata.etag'?: string }>({
            collection: SET,
            data: { ...data, ...stamps, activityid: id, swb_lastmessagesequence: inline.length, ...(inline.length > 0 ? { [MESSAGES_NAV]: inline } : {}) },
            returnRepresentation: true,
            select: [...select],
          }),
        { idempotent: false },
      );
      const etag = row['@odata.etag'];
      if (!etag) throw new Error(`Dataverse returned the new conversation ${id} without an ETag.`);
      return { row, etag };
    } catch (err) {
      if (isStatus(err, 412, 409)) return 'exists';
      throw err;
    }
  }

  nextSequence(id: string, message: Record<string, unknown> = {}, also: Record<string, unknown> = {}): Promise<number> {
    return this.numbering.run(id, () => this.claimSequence(id, { ...also, ...arrivalStamps(message, this.clock()) }));
  }

  private async claimSequence(id: string, also: Record<string, unknown>): Promise<number> {
    // Contention on one conversation's counter is expected (a customer sending a burst, an
    // agent replying, instances racing), and losing it is never the customer's fault: keep
    // claiming, with a growing random pause between rounds, until the deadline; only then give
    // up with an error the caller turns into a retryable answer.
    const deadline = this.clock() + SEQUENCE_DEADLINE_MS;
    for (let round = 0; ; round++) {
      try {
        const outcome = await claim<ConversationRow, { swb_lastmessagesequence: number }>(this.client, {
          collection: SET,
          key: id,
          select: ['swb_lastmessagesequence'],
          maxAttempts: 5,
          decide: (row) => ({ patch: { ...also, swb_lastmessagesequence: (row.swb_lastmessagesequence ?? 0) + 1 } }),
        });
        if (outcome.outcome !== 'claimed') throw new Error(`Conversation ${id} disappeared while numbering a message.`);
        return outcome.patch.swb_lastmessagesequence;
      } catch (err) {
        if (!(err instanceof ConcurrencyConflict) || this.clock() >= deadline) throw err;
        await this.pause(Math.random() * Math.min(200, 10 * 2 ** round));
      }
    }
  }

  async findByTokenHash(hash: string): Promise<ConversationRow | null> {
    const result = await this.client.execute((api) =>
      api.retrieveMultiple<ConversationRow>({ collection: SET, filter: `swb_customertokenhash eq ${literal(hash)}`, top: 1 }),
    );
    return result.value[0] ?? null;
  }
}

