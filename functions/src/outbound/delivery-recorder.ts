// Sends one stored outbound message on its SMS channel and writes the outcome back on the
// row: swb_deliverystatus, swb_providermessageid (so status callbacks find it), swb_senton,
// swb_error. The Pending → Queued claim (If-Match) before calling the provider makes a retry
// or a second instance stop instead of texting the customer twice; a crash between claim and
// answer leaves the row Queued — at most once, because a text cannot be taken back.
import { DeliveryStatus as DeliveryStatusValue } from '@switchboard/solution';
import type { ChannelDelivery, DeliveryStatus, SendResult } from '../channels';
import { ConcurrencyConflict } from '../dataverse/errors';
import type { MessageStore } from '../dataverse/repositories/message.repository';
import { bind } from '../dataverse/repositories/odata';

export const STATUS_VALUES: Readonly<Record<DeliveryStatus, DeliveryStatusValue>> = {
  queued: DeliveryStatusValue.Queued,
  sent: DeliveryStatusValue.Sent,
  delivered: DeliveryStatusValue.Delivered,
  failed: DeliveryStatusValue.Failed,
};

export type RecordedDelivery = { outcome: 'sent'; result: SendResult } | { outcome: 'failed'; result: SendResult } | { outcome: 'skipped'; reason: string };

export interface DeliveryRecorderDeps {
  messages: MessageStore;
  delivery: ChannelDelivery;
  now: () => number;
}

/**
 * Sends a message this very call created (with its conversation, or appended just now): no
 * other delivery can know it yet, so there is no claim and no read — one write for the outcome.
 * `optedOut` is the number's opt-out state when the caller read it already.
 */
export async function deliverFreshMessage(deps: DeliveryRecorderDeps, messageId: string, body: string, channelId: string, to: string, options: { optedOut?: boolean } = {}): Promise<RecordedDelivery> {
  const result = await deps.delivery.deliver(channelId, to, body, { clientReference: messageId, ...(options.optedOut !== undefined ? { knownOptOut: options.optedOut } : {}) });
  return recordOutcome(deps, messageId, channelId, result);
}

async function recordOutcome(deps: DeliveryRecorderDeps, messageId: string, channelId: string, result: SendResult): Promise<RecordedDelivery> {
  if (result.ok) {
    await deps.messages.update(messageId, {
      swb_deliverystatus: STATUS_VALUES[result.status],
      swb_providermessageid: result.providerMessageId,
      'swb_channelid@odata.bind': bind('swb_channels', channelId),
      swb_senton: new Date(deps.now()).toISOString(),
      swb_error: null,
    });
    return { outcome: 'sent', result };
  }
  await deps.messages.update(messageId, { swb_deliverystatus: DeliveryStatusValue.Failed, swb_error: `${result.failure.code}: ${result.failure.message}`.slice(0, 2000) });
  return { outcome: 'failed', result };
}

export async function deliverStoredMessage(deps: DeliveryRecorderDeps, messageId: string, channelId: string, to: string): Promise<RecordedDelivery> {
  const current = await deps.messages.get(messageId);
  if (!current) return { outcome: 'skipped', reason: 'message not found' };
  const status = current.row.swb_deliverystatus ?? DeliveryStatusValue.Pending;
  if (status !== DeliveryStatusValue.Pending) return { outcome: 'skipped', reason: `already handled (${status})` };
  try {
    await deps.messages.update(messageId, { swb_deliverystatus: DeliveryStatusValue.Queued }, current.etag);
  } catch (err) {
    if (err instanceof ConcurrencyConflict) return { outcome: 'skipped', reason: 'claimed by another delivery' };
    throw err;
  }
  const result = await deps.delivery.deliver(channelId, to, current.row.swb_body ?? '', { clientReference: messageId });
  return recordOutcome(deps, messageId, channelId, result);
}
