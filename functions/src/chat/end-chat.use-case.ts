// POST end: the customer ends the chat. An assigned chat goes to wrap-up for its agent; an
// unassigned one simply closes. Claimed with If-Match, so it ends once however often it is sent.
import { ConversationState, type ConversationRow } from '@switchboard/solution';
import { claim, type DataverseClient } from '../dataverse/dataverse-client';
import { iso } from '../dataverse/repositories/odata';
import type { AutomatedMessenger } from '../outbound/automated-messages';

export interface EndChatDeps {
  client: DataverseClient;
  automated?: AutomatedMessenger;
  now: () => number;
}

export async function endChat(conversationId: string, deps: EndChatDeps): Promise<void> {
  const now = iso(deps.now());
  const result = await claim<ConversationRow, Record<string, unknown>>(deps.client, {
    collection: 'swb_conversations',
    key: conversationId,
    decide: (row) => {
      if (row.swb_state === ConversationState.WrapUp || row.swb_state === ConversationState.Closed) return { skip: 'already ended' };
      return row.swb_state === ConversationState.Active ? { patch: { swb_state: ConversationState.WrapUp, swb_wrapupon: now } } : { patch: { swb_state: ConversationState.Closed, swb_closedon: now } };
    },
  });
  if (result.outcome === 'claimed' && deps.automated && result.row) {
    await deps.automated.send('ended', result.row, {}).catch(() => undefined);
  }
}
