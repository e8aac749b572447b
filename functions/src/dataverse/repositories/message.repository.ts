import { Visibility, type MessageRow } from '@switchboard/solution';
import type { DataverseClient, RowWithETag } from '../dataverse-client';
import type { CreateOutcome } from './conversation.repository';
import { isStatus, literal } from './odata';

const SET = 'swb_messages';

export interface MessageStore {
  get(id: string): Promise<RowWithETag<MessageRow> | null>;
  createWithId(id: string, data: Record<string, unknown>): Promise<CreateOutcome>;
  byProviderId(channelId: string, providerMessageId: string): Promise<RowWithETag<MessageRow> | null>;
  /** Public messages after a sequence number, ascending; internal notes are filtered by the query itself. */
  listPublicAfter(conversationId: string, after: number, top: number): Promise<MessageRow[]>;
  update(id: string, patch: Record<string, unknown>, etag?: string): Promise<void>;
}

export class DataverseMessageStore implements MessageStore {
  constructor(private readonly client: DataverseClient) {}

  get(id: string) {
    return this.client.retrieveWithETag<MessageRow>(SET, id);
  }

  async createWithId(id: string, data: Record<string, unknown>): Promise<CreateOutcome> {
    try {
      await this.client.execute((api) => api.upsert({ collection: SET, key: id, data, ifnonematch: '*' }));
      return 'created';
    } catch (err) {
      // 412: this id exists. A duplicate on the alternate keys (channel + provider id) is also
      // "someone stored it first" — the emulator and Dataverse both answer it as a conflict.
      if (isStatus(err, 412, 409)) return 'exists';
      throw err;
    }
  }

  async byProviderId(channelId: string, providerMessageId: string) {
    return this.client.retrieveWithETag<MessageRow>(SET, `swb_channelid=${channelId},swb_providermessageid=${literal(providerMessageId)}`);
  }

  async listPublicAfter(conversationId: string, after: number, top: number): Promise<MessageRow[]> {
    const result = await this.client.execute((api) =>
      api.retrieveMultiple<MessageRow>({
        collection: SET,
        select: ['swb_messageid', 'swb_sequence', 'swb_authorkind', 'swb_body', 'createdon', 'swb_authorname', 'swb_providermessageid', 'swb_direction', 'swb_visibility', 'swb_deliverystatus'],
        filter: `_swb_conversationid_value eq ${conversationId} and swb_sequence gt ${Math.floor(after)} and swb_visibility eq ${Visibility.Public}`,
        orderBy: ['swb_sequence asc'],
        top,
      }),
    );
    return result.value;
  }

  async update(id: string, patch: Record<string, unknown>, etag?: string): Promise<void> {
    if (etag) return this.client.updateIfMatch(SET, id, etag, patch);
    await this.client.execute((api) => api.update({ collection: SET, key: id, data: patch }));
  }
}
