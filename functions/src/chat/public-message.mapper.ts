// What the customer sees of the conversation (widget/src/contract.ts): public messages with
// who wrote them, and the conversation's status in the widget's three words.
import { AuthorKind, ConversationState, type MessageRow } from '@switchboard/solution';
import { ms } from '../dataverse/repositories/odata';

const AUTHOR_NAMES: Record<number, 'customer' | 'agent' | 'bot' | 'system'> = {
  [AuthorKind.Customer]: 'customer',
  [AuthorKind.Agent]: 'agent',
  [AuthorKind.Bot]: 'bot',
  [AuthorKind.System]: 'system',
};

/**
 * `botHolding`: a bot is answering. The customer is in a conversation, not waiting for an
 * agent — the widget's "an agent will join shortly" would be wrong until the bot hands off.
 */
export function publicStatus(state: ConversationState | null | undefined, botHolding = false): 'waiting' | 'active' | 'ended' {
  if (state === ConversationState.Active) return 'active';
  if (botHolding && (state === ConversationState.Open || state == null)) return 'active';
  if (state === ConversationState.WrapUp || state === ConversationState.Closed) return 'ended';
  return 'waiting';
}

export function toPublicMessage(row: MessageRow) {
  const authorKind = AUTHOR_NAMES[row.swb_authorkind ?? -1] ?? 'system';
  return {
    sequence: row.swb_sequence ?? 0,
    authorKind,
    body: row.swb_body ?? '',
    createdOn: new Date(ms(row.createdon) ?? 0).toISOString(),
    ...((authorKind === 'agent' || authorKind === 'bot') && row.swb_authorname ? { authorName: row.swb_authorname } : {}),
    ...(authorKind === 'customer' && row.swb_providermessageid ? { clientMessageId: row.swb_providermessageid } : {}),
  };
}
