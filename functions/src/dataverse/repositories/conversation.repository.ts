import type { ConversationRow } from '@switchboard/solution';
import { claim, type DataverseClient, type RowWithETag } from '../dataverse-client';
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

export class DataverseConversationStore implements ConversationStore {
  constructor(private readonly client: DataverseClient) {}

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

  async nextSequence(id: string): Promise<number> {
    const outcome = await claim<ConversationRow, { swb_lastmessagesequence: number }>(this.client, {
      collection: SET,
      key: id,
      select: ['swb_lastmessagesequence'],
      maxAttempts: 20,
      decide: (row) => ({ patch: { swb_lastmessagesequence: (row.swb_lastmessagesequence ?? 0) + 1 } }),
    });
    if (outcome.outcome !== 'claimed') throw new Error(`Conversation ${id} disappeared while numbering a message.`);
    return outcome.patch.swb_lastmessagesequence;
  }

  async findByTokenHash(hash: string): Promise<ConversationRow | null> {
    const result = await this.client.execute((api) =>
      api.retrieveMultiple<ConversationRow>({ collection: SET, filter: `swb_customertokenhash eq ${literal(hash)}`, top: 1 }),
    );
    return result.value[0] ?? null;
  }
}

