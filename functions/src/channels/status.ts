// Providers retry and reorder callbacks: a "sent" can arrive after "delivered", a duplicate
// "failed" after the message was delivered. A stored status only ever moves forward.
import type { DeliveryStatus } from './channel';

const RANK: Readonly<Record<DeliveryStatus, number>> = { queued: 0, sent: 1, delivered: 2, failed: 2 };

/**
 * Whether a status callback should overwrite what is stored. Terminal states (delivered,
 * failed) are never replaced: carriers do send "failed" after "delivered" for multi-part
 * messages, and a late duplicate must not undo a final answer.
 */
export function shouldApplyStatus(current: DeliveryStatus | undefined, next: DeliveryStatus): boolean {
  if (current === undefined) return true;
  if (current === 'delivered' || current === 'failed') return false;
  return RANK[next] > RANK[current];
}

/**
 * The URL a provider signed: the public base the admin pasted into the console plus the
 * path and query as received. Behind Front Door or the Functions proxy the request's own
 * host is not what Twilio signed.
 */
export function publicUrlFor(publicBaseUrl: string, requestUrl: string): string {
  const parsed = new URL(requestUrl, 'http://placeholder.invalid');
  const base = publicBaseUrl.replace(/\/+$/, '');
  return `${base}${parsed.pathname}${parsed.search}`;
}
