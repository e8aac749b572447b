// The transcript is kept sorted by swb_sequence. Polls return rows at or after a
// sequence; a row seen again replaces the old copy (its delivery status moved on).
import { DeliveryStatus, MessageDirection } from '../model/choices';
import type { MessageRow } from '../model/rows';

export function mergeMessages(current: readonly MessageRow[], incoming: readonly MessageRow[]): MessageRow[] {
  if (incoming.length === 0) return current as MessageRow[];
  const bySeq = new Map<number, MessageRow>();
  for (const m of current) bySeq.set(m.swb_sequence, m);
  let changed = false;
  for (const m of incoming) {
    const old = bySeq.get(m.swb_sequence);
    if (!old || old.swb_deliverystatus !== m.swb_deliverystatus || old.swb_body !== m.swb_body || old.swb_error !== m.swb_error) {
      bySeq.set(m.swb_sequence, m);
      changed = true;
    }
  }
  if (!changed) return current as MessageRow[];
  return [...bySeq.values()].sort((a, b) => a.swb_sequence - b.swb_sequence);
}

const SETTLED = new Set<number>([DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.Received]);

/**
 * Sequence the next poll starts from (inclusive). Normally one past the newest; but an
 * outbound message still on its way is fetched again so its delivery status updates.
 * Only the last `window` messages are considered, so an old stuck one cannot force
 * re-reading the whole transcript on every poll.
 */
export function pollFrom(messages: readonly MessageRow[], window = 50): number {
  if (messages.length === 0) return 1;
  let from = messages[messages.length - 1].swb_sequence + 1;
  for (let i = Math.max(0, messages.length - window); i < messages.length; i++) {
    const m = messages[i];
    const pending = m.swb_direction === MessageDirection.Outbound && m.swb_deliverystatus != null && !SETTLED.has(m.swb_deliverystatus);
    if (pending && m.swb_sequence < from) {
      from = m.swb_sequence;
      break;
    }
  }
  return from;
}

/** Messages in `next` whose sequence is beyond every sequence in `previous`. */
export function newArrivals(previous: readonly MessageRow[], next: readonly MessageRow[]): MessageRow[] {
  const last = previous.length ? previous[previous.length - 1].swb_sequence : 0;
  return next.filter((m) => m.swb_sequence > last);
}
