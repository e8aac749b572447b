import type { StorageQueueHandler, TimerHandler } from '@azure/functions';
import type { OfferTimeoutSweeper } from '../routing/offer-timeout.sweeper';
import type { RoutingWorker } from '../routing/routing-worker';

// Queue and timer triggers rethrow: for a queue that is what makes the host retry the item
// and finally move it to <queue>-poison; swallowing would silently lose work.
export function routingQueueHandler(worker: RoutingWorker): StorageQueueHandler<unknown> {
  return async (item, context) => {
    const meta = context.triggerMetadata ?? {};
    await worker.process(item, { dequeueCount: Number(meta['dequeueCount'] ?? 1), messageId: String(meta['id'] ?? '') }, context);
  };
}

export function offerTimeoutHandler(sweeper: OfferTimeoutSweeper, now: () => Date = () => new Date()): TimerHandler {
  return async (_timer, context) => {
    await sweeper.sweep(now(), context);
  };
}
