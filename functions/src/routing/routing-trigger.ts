import type { RoutingTriggerPort, RoutingWork } from '@switchboard/core';
import type { WorkQueue } from '../queue/work-queue';

// Routing work goes through the durable queue: an instance dying after the enqueue loses
// nothing, and the worker is idempotent, so a duplicate item costs a read, never a second offer.
export function queueRoutingTrigger(queue: WorkQueue): RoutingTriggerPort {
  return {
    async enqueue(work: RoutingWork, options?: { delaySeconds?: number }) {
      await queue.send(work, options?.delaySeconds ? { delaySeconds: options.delaySeconds } : undefined);
    },
  };
}
