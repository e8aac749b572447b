// An agent's (or a bot's) public reply is handed to the conversation's SMS channel. Post-operation, async:
// the agent's save never waits on a provider, and Dataverse's async service retries us.
//
// Exactly-once towards the customer rests on the message's delivery status, claimed with
// If-Match before the provider is called: Pending → Queued. A retried webhook (Dataverse
// retries async steps; two instances may get the same job) finds Queued/Sent and stops. If we
// die between the claim and the provider's answer the row stays Queued and the agent sees it —
// at most once, because a duplicated text to a customer cannot be taken back.
import { shouldDeliverToCustomer } from '@switchboard/core';
import { AuthorKind, ChannelType, DeliveryStatus, MessageDirection, Visibility, type MessageRow } from '@switchboard/solution';
import { numberValue, refId } from '../context/execution-context';
import type { StepDeps } from '../ports';
import type { StepDefinition, StepResult } from '../step';
import { ok } from '../step';
import { isTrusted } from './caller';

const AUTHOR: Record<number, 'customer' | 'agent' | 'bot' | 'system'> = {
  [AuthorKind.Customer]: 'customer',
  [AuthorKind.Agent]: 'agent',
  [AuthorKind.Bot]: 'bot',
  [AuthorKind.System]: 'system',
};

const STATUS: Record<'queued' | 'sent' | 'delivered' | 'failed', DeliveryStatus> = {
  queued: DeliveryStatus.Queued,
  sent: DeliveryStatus.Sent,
  delivered: DeliveryStatus.Delivered,
  failed: DeliveryStatus.Failed,
};

/**
 * Agent and bot replies are ours to send (a bot's author kind is the app's to set: column
 * security); customer messages came from the channel, system ones are transcript markers.
 */
export function isReplyToSend(row: Pick<MessageRow, 'swb_visibility' | 'swb_direction' | 'swb_authorkind'>): boolean {
  const authorKind = AUTHOR[row.swb_authorkind ?? -1];
  if (authorKind !== 'agent' && authorKind !== 'bot') return false;
  return shouldDeliverToCustomer({
    visibility: row.swb_visibility === Visibility.Internal ? 'internal' : 'public',
    direction: row.swb_direction === MessageDirection.Outbound ? 'outbound' : 'inbound',
    authorKind,
  });
}

async function deliver(messageId: string, deps: StepDeps): Promise<StepResult> {
  // The message and its conversation's channel and number, in one read.
  const current = await deps.data.getMessageForDelivery(messageId);
  if (!current) return ok('message no longer exists');
  const message = current.row;
  // Re-read rather than trusting the webhook's Target: visibility may have been edited since.
  if (!isReplyToSend(message)) return ok('not a public agent or bot reply: never sent');
  const status = message.swb_deliverystatus ?? DeliveryStatus.Pending;
  if (status !== DeliveryStatus.Pending) return ok(`already handled (delivery status ${status})`);

  const conversation = current.conversation;
  if (!conversation) return ok('conversation not found');
  if (conversation.swb_channeltype !== ChannelType.Sms) {
    // Chat customers read public messages from the chat API; nothing to push.
    return ok('live chat: the widget reads it');
  }
  const channelId = message._swb_channelid_value ?? conversation._swb_channelid_value;
  const to = conversation.swb_customerphone;
  if (!channelId || !to) {
    await deps.data.updateMessage(messageId, { swb_deliverystatus: DeliveryStatus.Failed, swb_error: 'The conversation has no SMS channel or customer number.' });
    return ok('no channel or number: marked failed');
  }

  const claim = await deps.data.updateMessage(messageId, { swb_deliverystatus: DeliveryStatus.Queued }, current.etag);
  if (claim === 'conflict') return ok('another delivery claimed the message');

  let result;
  try {
    result = await deps.delivery.deliver(channelId, to, message.swb_body ?? '', { clientReference: messageId });
  } catch (e) {
    // Unknown outcome: the provider may have sent it. Leave it Queued (never resend blindly).
    await deps.data.updateMessage(messageId, { swb_error: `Delivery outcome unknown: ${(e as Error).message}`.slice(0, 2000) });
    return ok('delivery threw: left queued');
  }
  const now = new Date(deps.clock.now()).toISOString();
  if (result.ok) {
    await deps.data.updateMessage(messageId, {
      swb_deliverystatus: STATUS[result.status],
      swb_providermessageid: result.providerMessageId,
      // The provider's status callbacks find the row by (channel, provider message id).
      'swb_channelid@odata.bind': `/swb_channels(${channelId})`,
      swb_senton: now,
      swb_error: null,
    });
    return ok(`sent (${result.status})`);
  }
  if (result.failure.retryable) {
    // The provider refused before sending (throttled, unreachable): release the claim so
    // Dataverse's retry of this job can send it.
    await deps.data.updateMessage(messageId, { swb_deliverystatus: DeliveryStatus.Pending, swb_error: result.failure.message.slice(0, 2000) });
    return { kind: 'retry', message: `provider refused for now: ${result.failure.code}` };
  }
  // "code: message", as the app's own delivery records it: the pane says a known code in the agent's words.
  await deps.data.updateMessage(messageId, { swb_deliverystatus: DeliveryStatus.Failed, swb_error: `${result.failure.code}: ${result.failure.message}`.slice(0, 2000) });
  return ok(`failed: ${result.failure.code}`);
}

/**
 * People number their own messages from the rows (PCF's webAPI has no If-Match, and a
 * consultant may not write the conversation); the counter is caught up here, as the app, so
 * the app's writers — which claim it with If-Match — do not pick a number a person used. One
 * write without a read: if an app message got a higher number in between (rare: this runs
 * moments after the person's save), the counter steps back, and the app's next append, finding
 * its number taken, claims the next one (transcript.ts) — never a lost or duplicated message.
 */
async function catchUpCounter(conversationId: string | null, sequence: number | null, deps: StepDeps): Promise<void> {
  if (!conversationId || sequence === null) return;
  await deps.data.updateConversation(conversationId, { swb_lastmessagesequence: sequence });
}

export const outboundDeliveryStep: StepDefinition = {
  name: 'message-created',
  description: "Sends an agent's or a bot's public reply through the conversation's SMS channel.",
  triggers: [
    {
      message: 'Create',
      table: 'swb_message',
      stage: 40,
      mode: 'async',
      rank: 1,
      description: 'swb_message Create: deliver agent and bot replies',
    },
  ],
  async handler(ctx, deps) {
    const t = ctx.target?.attributes ?? {};
    if (!isTrusted(ctx, deps)) await catchUpCounter(refId(t['swb_conversationid']), numberValue(t['swb_sequence']), deps);
    // Cheap filter on the Target before any read: most messages are inbound.
    const preview = {
      swb_visibility: (t['swb_visibility'] as number | undefined) ?? Visibility.Public,
      swb_direction: t['swb_direction'] as number | undefined,
      swb_authorkind: t['swb_authorkind'] as number | undefined,
    };
    if (!isReplyToSend(preview)) return ok('not a public agent or bot reply: never sent');
    return deliver(ctx.primaryEntityId, deps);
  },
};
