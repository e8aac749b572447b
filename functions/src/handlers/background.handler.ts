import type { StorageQueueHandler } from '@azure/functions';
import type { RoutingWorker } from '../routing/routing-worker';

// Queue triggers rethrow: for a queue that is what makes the host retry the item
// and finally move it to <queue>-poison; swallowing would silently lose work.
export function routingQueueHandler(worker: RoutingWorker): StorageQueueHandler<unknown> {
  return async (item, context) => {
    const meta = context.triggerMetadata ?? {};
    await worker.process(item, { dequeueCount: Number(meta['dequeueCount'] ?? 1), messageId: String(meta['id'] ?? '') }, context);
  };
}
