// POST messages: the customer writes in their conversation. Idempotent by clientMessageId:
// the message row's id is derived from it, so a retried send returns the stored message.
import { AuthorKind, ConversationState, MessageDirection, Visibility, type ConversationRow, type MessageRow } from '@switchboard/solution';
import type { ConversationCursor } from '../dataverse/repositories/conversation.repository';
import { appendMessage, type TranscriptDeps } from '../conversations/transcript';
import { deterministicId } from '../dataverse/repositories/deterministic-id';
import { ChatError } from './chat-error';
import type { SendRequest } from './chat-request.validator';

export async function sendMessage(
  conversationId: string,
  conversation: ConversationRow,
  send: SendRequest,
  deps: TranscriptDeps,
  cursor?: ConversationCursor,
): Promise<{ created: boolean; message: MessageRow }> {
  const messageId = deterministicId('chat-message', conversationId, send.clientMessageId);
  if (conversation.swb_state === ConversationState.WrapUp || conversation.swb_state === ConversationState.Closed) {
    // A send retried after the conversation ended still gets its stored message back.
    const existing = await deps.messages.get(messageId);
    if (existing) return { created: false, message: existing.row };
    throw new ChatError(409, 'conversation_ended', 'The conversation has ended.');
  }
  // With the cursor, one $batch (a retried send conflicts on the message id and is found below).
  const appended = await appendMessage(
    deps,
    conversationId,
    messageId,
    {
      swb_body: send.text,
      swb_direction: MessageDirection.Inbound,
      swb_authorkind: AuthorKind.Customer,
      swb_visibility: Visibility.Public,
      swb_providermessageid: send.clientMessageId,
    },
    { primaryAgentId: conversation._swb_primaryagentid_value ?? null, ...(cursor ? { cursor } : {}) },
  );
  return { created: appended.created, message: appended.message };
}
