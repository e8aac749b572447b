// Appending a message to a conversation exactly once. The message id is chosen by the caller
// from what identifies the message outside (provider id, clientMessageId, trigger), so:
// - a retry finds the row and returns it (no second message);
// - two concurrent retries both reserve a sequence number, but only one create wins (412 for
//   the other); the loser's number is simply never used. Sequences stay strictly increasing,
//   with a possible gap, which is all readers (`after=N` polling) rely on.
import { conversationGroup, type PushPort } from '@switchboard/core';
import { MessageDirection, type MessageRow } from '@switchboard/solution';
import type { ConversationCursor, ConversationStore } from '../dataverse/repositories/conversation.repository';
import type { MessageStore } from '../dataverse/repositories/message.repository';
import { bind } from '../dataverse/repositories/odata';

const MAX_SEQUENCE_ATTEMPTS = 5;

export interface AppendResult {
  created: boolean;
  message: MessageRow;
}

export interface TranscriptDeps {
  conversations: ConversationStore;
  messages: MessageStore;
  /** The agents of the conversation hear of a customer's message at once (best effort). */
  push?: PushPort;
}

export interface AppendOptions {
  /** Look for the message before numbering it (saves a sequence number on retries; costs a read). */
  precheck?: boolean;
  /** Read the stored row back; callers that only need "stored" skip it. */
  readBack?: boolean;
  /**
   * The conversation as the caller last read or wrote it: the append is then one $batch (the
   * counter, If-Match, and the message), with no read. If either part conflicts, the slower
   * path below runs. The cursor is moved on when the batch wins.
   */
  cursor?: ConversationCursor;
  /** Conversation columns to write in the same request that numbers the message (no request of their own). */
  alsoSet?: Record<string, unknown>;
  /**
   * The conversation's primary agent, told by user id as well as through the conversation's group:
   * the agent who has just accepted joins the group from an async step, and a message in between
   * would otherwise reach their pane only at its slow safety poll.
   */
  primaryAgentId?: string | null;
}

export async function appendMessage(
  deps: TranscriptDeps,
  conversationId: string,
  messageId: string,
  fields: Record<string, unknown>,
  options: AppendOptions = {},
): Promise<AppendResult> {
  const appended = await appendOnce(deps, conversationId, messageId, fields, options);
  // A customer's message is told here, where it is stored, rather than by the push-relay step a
  // Dataverse async job later: that is the latency an agent feels. The step tells the rest.
  if (appended.created && deps.push && fields['swb_direction'] === MessageDirection.Inbound) {
    const sequence = appended.message.swb_sequence;
    const event = { kind: 'message' as const, conversationId, ...(typeof sequence === 'number' ? { sequence } : {}) };
    await deps.push.toGroup(conversationGroup(conversationId), event);
    if (options.primaryAgentId) await deps.push.toUser(options.primaryAgentId.toLowerCase(), event);
  }
  return appended;
}

async function appendOnce(
  deps: TranscriptDeps,
  conversationId: string,
  messageId: string,
  fields: Record<string, unknown>,
  options: AppendOptions,
): Promise<AppendResult> {
  const cursor = options.cursor;
  if (cursor) {
    const data = {
      swb_name: typeof fields['swb_body'] === 'string' ? (fields['swb_body'] as string).slice(0, 100) : 'Message',
      ...fields,
      'swb_conversationid@odata.bind': bind('swb_conversations', conversationId),
    };
    const stored = await deps.conversations.appendWithCounter(conversationId, cursor, messageId, data, options.alsoSet);
    if (stored !== 'conflict') return { created: true, message: stored };
  }
  if (options.precheck !== false || cursor) {
    const existing = await deps.messages.get(messageId);
    if (existing) return { created: false, message: existing.row };
  }
  // A conflict on create means either this message id exists (a retry: done) or the sequence
  // number was taken by a writer that numbers without If-Match (the agent's pane, whose PCF
  // webAPI cannot send it): then claim the next number and try again.
  let sequence = 0;
  let outcome: 'created' | 'exists' = 'exists';
  for (let attempt = 1; attempt <= MAX_SEQUENCE_ATTEMPTS; attempt++) {
    sequence = await deps.conversations.nextSequence(conversationId, fields, options.alsoSet);
    outcome = await deps.messages.createWithId(messageId, {
      swb_name: typeof fields['swb_body'] === 'string' ? (fields['swb_body'] as string).slice(0, 100) : 'Message',
      ...fields,
      swb_sequence: sequence,
      'swb_conversationid@odata.bind': bind('swb_conversations', conversationId),
    });
    if (outcome === 'created') break;
    const existing = await deps.messages.get(messageId);
    if (existing) return { created: false, message: existing.row };
  }
  if (outcome !== 'created') throw new Error(`No free sequence number for a message of conversation ${conversationId} after ${MAX_SEQUENCE_ATTEMPTS} attempts.`);
  if (options.readBack === false) return { created: true, message: { swb_messageid: messageId, ...fields, swb_sequence: sequence } as MessageRow };
  const stored = await deps.messages.get(messageId);
  if (!stored) throw new Error(`Message ${messageId} was created but cannot be read back.`);
  return { created: true, message: stored.row };
}
