// Timer, every five minutes: the safety net under the offers' own timers. Each offer enqueues
// an `offer-expired` work item, delayed to its expiry, before it is written; that item is what
// times offers out. Should one be lost (poisoned after the queue's retries while Dataverse was
// down), the offer would hold its conversation and a unit of the agent's capacity for ever.
// The sweep asks for pending offers a minute past their expiry — one request, normally an
// empty answer — and handles each exactly as its timer would have (If-Match: an answer or a
// timer landing at the same moment wins). Every 15 s this cost 240 requests an hour; every
// five minutes it costs 12.
import type { InvocationContext } from '@azure/functions';
import type { RoutingWork } from '@switchboard/core';
import { iso } from '../dataverse/repositories/odata';
import type { RoutingRepository } from './routing.repository';

export interface OfferTimeoutSweeper {
  sweep(now: Date, context: InvocationContext): Promise<void>;
}

export interface OfferSweeperDeps {
  repo: Pick<RoutingRepository, 'overdueOffers'>;
  /** The routing worker: runs `offer-expired` as the offer's own timer would. */
  worker: { run(work: RoutingWork, context?: InvocationContext): Promise<unknown> };
  /** How long past its expiry an offer must be before the sweep steps in for its timer. */
  graceMs?: number;
}

export const OFFER_SWEEP_GRACE_MS = 60_000;

export class DataverseOfferTimeoutSweeper implements OfferTimeoutSweeper {
  constructor(private readonly deps: OfferSweeperDeps) {}

  async sweep(now: Date, context: InvocationContext): Promise<void> {
    await this.run(now, context);
  }

  /** Returns how many overdue offers it handed to the worker. */
  async run(now: Date, context?: InvocationContext): Promise<number> {
    const before = iso(now.getTime() - (this.deps.graceMs ?? OFFER_SWEEP_GRACE_MS));
    const overdue = await this.deps.repo.overdueOffers(before);
    for (const offer of overdue) {
      const conversationId = offer._swb_conversationid_value;
      const agentId = offer._swb_agentid_value;
      const queueId = offer._swb_queueid_value;
      if (!conversationId || !agentId || !queueId) continue;
      await this.deps.worker.run({ kind: 'offer-expired', offerId: offer.swb_offerid, conversationId, agentId, queueId, reason: 'offer sweep', at: now.getTime() }, context);
    }
    if (overdue.length > 0) context?.log(`offers: ${overdue.length} overdue offer(s) found by the sweep (their timers were lost)`);
    return overdue.length;
  }
}
