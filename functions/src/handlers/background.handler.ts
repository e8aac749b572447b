import type { StorageQueueHandler, TimerHandler } from '@azure/functions';
import type { InsightsFoldService } from '../insights/insights-fold.service';
import type { RoutingWorker } from '../routing/routing-worker';

// Queue triggers rethrow: for a queue that is what makes the host retry the item
// and finally move it to <queue>-poison; swallowing would silently lose work.
export function routingQueueHandler(worker: RoutingWorker): StorageQueueHandler<unknown> {
  return async (item, context) => {
    const meta = context.triggerMetadata ?? {};
    await worker.process(item, { dequeueCount: Number(meta['dequeueCount'] ?? 1), messageId: String(meta['id'] ?? '') }, context);
  };
}

// A timer rethrows too: the host logs the failure, and the next tick starts over from the
// watermark (a run that dies midway leaves nothing half-counted: see insights-fold.service.ts).
export function insightsFoldTimerHandler(fold: InsightsFoldService): TimerHandler {
  return async (_timer, context) => {
    const r = await fold.run();
    const per = r.conversationsFolded > 0 ? (r.requests / r.conversationsFolded).toFixed(2) : '-';
    context.log(`insights fold: ${r.conversationsFolded} folded of ${r.conversationsRead} read, ${r.bucketsWritten} buckets, ${r.requests} requests (${per} per folded conversation), ${r.conflicts} conflicts, through ${r.foldedThrough ?? '-'}${r.complete ? '' : ' (bounded: more next run)'}`);
  };
}
