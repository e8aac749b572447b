// The rows scoring one customer message touches, in two requests: one $batch read (the
// conversation's sentiment columns with its ETag, and whether the message already has a score)
// and one $batch change set (the message's score, and the conversation's under If-Match).
import { Sentiment, type ConversationRow, type MessageRow } from '@switchboard/solution';
import type { DataverseClient, RowWithETag } from '../dataverse/dataverse-client';
import { failedPart } from '../dataverse/dataverse-client';

export const SENTIMENT_CONVERSATION_COLUMNS = [
  'activityid', 'swb_state', '_swb_workstreamid_value', '_swb_queueid_value',
  'swb_sentiment', 'swb_sentimentscore', 'swb_sentimenttrend', 'swb_sentimentalerton',
] as const;

export type SentimentConversation = Pick<
  ConversationRow,
  'activityid' | 'swb_state' | '_swb_workstreamid_value' | '_swb_queueid_value' | 'swb_sentiment' | 'swb_sentimentscore' | 'swb_sentimenttrend' | 'swb_sentimentalerton'
>;

export interface SentimentRows {
  conversation: RowWithETag<SentimentConversation> | null;
  /** null: the message does not exist (deleted since it was queued). */
  message: Pick<MessageRow, 'swb_messageid' | 'swb_sentiment'> | null;
}

export interface SentimentWrite {
  conversationId: string;
  /** The conversation as read: a write in between (another message's score, an agent) makes this a ConcurrencyConflict. */
  etag: string;
  messageId: string;
  message: { swb_sentiment: Sentiment; swb_sentimentscore: number };
  conversation: Record<string, unknown>;
}

/** Where the sentiment service reads and writes (Dataverse here, memory in unit tests). */
export interface SentimentStore {
  load(conversationId: string, messageId: string): Promise<SentimentRows>;
  /** All or nothing; throws ConcurrencyConflict when the conversation changed since it was read. */
  write(w: SentimentWrite): Promise<void>;
}

export class DataverseSentimentStore implements SentimentStore {
  constructor(private readonly client: DataverseClient) {}

  async load(conversationId: string, messageId: string): Promise<SentimentRows> {
    const [conversation, message] = await this.client.readBatch((api) => {
      api.retrieve({ collection: 'swb_conversations', key: conversationId, select: [...SENTIMENT_CONVERSATION_COLUMNS] });
      api.retrieve({ collection: 'swb_messages', key: messageId, select: ['swb_messageid', 'swb_sentiment'] });
    });
    return { conversation: withETag<SentimentConversation>(conversation, 'swb_conversations', conversationId), message: found(message, 'swb_messages', messageId) };
  }

  async write(w: SentimentWrite): Promise<void> {
    await this.client.batch((api) => {
      api.update({ collection: 'swb_messages', key: w.messageId, data: w.message });
      api.update({ collection: 'swb_conversations', key: w.conversationId, data: w.conversation, ifmatch: w.etag });
    });
  }
}

function found<T>(part: unknown, collection: string, key: string): T | null {
  const failed = failedPart(part);
  if (failed?.status === 404) return null;
  if (failed) throw Object.assign(new Error(`Reading ${collection}(${key}) failed with ${failed.status}.`), failed);
  return (part ?? null) as T | null;
}

function withETag<T>(part: unknown, collection: string, key: string): RowWithETag<T> | null {
  const row = found<T & { '@odata.etag'?: string }>(part, collection, key);
  if (!row) return null;
  const etag = row['@odata.etag'];
  if (!etag) throw new Error(`Dataverse returned ${collection}(${key}) without an ETag.`);
  return { row, etag };
}
