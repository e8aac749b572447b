import type { EpochMs } from '../time';
import type { OverflowAction, QueueConfig } from './routing-config';

export type OverflowReason = 'item-limit' | 'wait-time' | 'outside-hours';

/** Which overflow (if any) applies to a conversation about to join `queue`. */
export function overflowOnArrival(
  queue: QueueConfig,
  waitingCount: number,
  queueOpen: boolean,
): { reason: OverflowReason; action: OverflowAction } | null {
  const o = queue.overflow;
  if (!o) return null;
  if (o.outsideHours && !queueOpen) return { reason: 'outside-hours', action: o.outsideHours.action };
  if (o.itemLimit && waitingCount >= o.itemLimit.limit) return { reason: 'item-limit', action: o.itemLimit.action };
  return null;
}

export function waitTimeExceeded(queue: QueueConfig, enqueuedAt: EpochMs, now: EpochMs): boolean {
  const w = queue.overflow?.waitTime;
  return !!w && now - enqueuedAt >= w.seconds * 1000;
}
