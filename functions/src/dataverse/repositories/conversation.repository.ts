import type { ConversationRow } from '@switchboard/solution';
import { claim, type DataverseClient, type RowWithETag } from '../dataverse-client';
import { KeyedSerializer } from '../../conversations/keyed-serializer';
import { ConcurrencyConflict } from '../errors';
import { isStatus, literal } from './odata';

export type CreateOutcome = 'created' | 'exists';

const SET = 'swb_conversations';

export interface ConversationStore {
  get(id: string): Promise<RowWithETag<ConversationRow> | null>;
  /** Creates under a chosen id; 'exists' when someone (a concurrent retry) created it first. */
  createWithId(id: string, data: Record<string, unknown>): Promise<CreateOutcome>;
  update(id: string, patch: Record<string, unknown>, etag?: string): Promise<void>;
  /** The SMS conversations of one number on one channel, newest first (at most `top`). */
  listForNumber(channelId: string, phone: string, top: number): Promise<ConversationRow[]>;
  /** Reserves the next message sequence number (If-Match on the conversation, retried on 412). */
  nextSequence(id: string): Promise<number>;
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
          '_swb_channelid_value', '_swb_workstreamid_value', 'swb_customerphone', 'swb_language',
        ],
        filter: `_swb_channelid_value eq ${channelId} and swb_customerphone eq ${literal(phone)}`,
        orderBy: ['createdon desc'],
        top,
      }),
    );
    return result.value;
  }

  nextSequence(id: string): Promise<number> {
    return this.numbering.run(id, () => this.claimSequence(id));
  }

  private async claimSequence(id: string): Promise<number> {
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
          decide: (row) => ({ patch: { swb_lastmessagesequence: (row.swb_lastmessagesequence ?? 0) + 1 } }),
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

