// GET messages: the customer reads the public messages after a sequence number, a page at a
// time; reading is what marks the agent's replies delivered on the chat channel.
import { BotState, DeliveryStatus, MessageDirection, Visibility, type ConversationRow, type MessageRow } from '@switchboard/solution';
import type { MessageStore } from '../dataverse/repositories/message.repository';
import { iso } from '../dataverse/repositories/odata';
import { publicStatus, toPublicMessage } from './public-message.mapper';

export interface ReadMessagesDeps {
  messages: MessageStore;
  now: () => number;
  pageSize: number;
}

export async function readMessages(conversationId: string, conversation: ConversationRow, after: number, deps: ReadMessagesDeps, log?: (line: string) => void) {
  const rows = await deps.messages.listPublicAfter(conversationId, after, deps.pageSize + 1);
  const page = rows.slice(0, deps.pageSize);
  await markDelivered(page, deps, log);
  return {
    // The query already asked for public rows only; filtering again costs nothing and keeps
    // an internal note out even if the query were ever changed.
    messages: page.filter((r) => r.swb_visibility === Visibility.Public).map(toPublicMessage),
    status: publicStatus(conversation.swb_state, conversation.swb_botstate === BotState.Holding),
    ...(rows.length > page.length ? { hasMore: true } : {}),
  };
}

/**
 * A chat reply is delivered when the widget reads it: the agent's "Sending…" becomes
 * "Delivered". Once per message (a later read starts after it, and a re-read finds it
 * Delivered already). A failed status write is logged and left: the customer still gets
 * their messages, the agent keeps seeing the earlier status.
 */
async function markDelivered(page: readonly MessageRow[], deps: ReadMessagesDeps, log?: (line: string) => void): Promise<void> {
  const unconfirmed = new Set<number>([DeliveryStatus.Pending, DeliveryStatus.Queued, DeliveryStatus.Sent]);
  const arrived = page.filter((r) => r.swb_direction === MessageDirection.Outbound && r.swb_deliverystatus != null && unconfirmed.has(r.swb_deliverystatus));
  if (arrived.length === 0) return;
  const at = iso(deps.now());
  const results = await Promise.allSettled(arrived.map((r) => deps.messages.update(r.swb_messageid, { swb_deliverystatus: DeliveryStatus.Delivered, swb_deliveredon: at })));
  const failed = results.filter((r) => r.status === 'rejected').length;
  if (failed > 0) log?.(`chat: ${failed} delivery status write(s) failed; those messages keep their earlier status`);
}
