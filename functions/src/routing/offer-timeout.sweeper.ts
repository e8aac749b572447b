// Timer: pending offers past their expiry become TimedOut (claimed with If-Match, so two
// instances sweeping at once time an offer out once), the agent's capacity is recomputed from
// what they hold and are offered, and the queue is routed again so the conversation is
// re-offered to someone else. Recomputing rather than subtracting leaves the agent holding
// exactly what the rows say, which also clears any reservation an instance made and then
// died before creating its offer.
import type { InvocationContext } from '@azure/functions';
import type { RoutingTriggerPort } from '@switchboard/core';
import { OfferResponse, type ConversationRow, type OfferRow } from '@switchboard/solution';
import { claim, type DataverseClient } from '../dataverse/dataverse-client';
import { iso } from '../dataverse/repositories/odata';
import type { RoutingRepository } from './routing.repository';

export interface OfferTimeoutSweeper {
  sweep(now: Date, context: InvocationContext): Promise<void>;
}

export interface OfferSweeperDeps {
  repo: RoutingRepository;
  client: DataverseClient;
  /** The plugins' recomputeAgent: capacity in use (units and profiles) and presence, from the rows. */
  recomputeAgent: (agentId: string) => Promise<unknown>;
  routing: RoutingTriggerPort;
}

export class DataverseOfferTimeoutSweeper implements OfferTimeoutSweeper {
  constructor(private readonly deps: OfferSweeperDeps) {}

  async sweep(now: Date, context: InvocationContext): Promise<void> {
    await this.run(now, context);
  }

  /** Returns how many offers timed out. */
  async run(now: Date, context?: InvocationContext): Promise<number> {
    const expired = await this.deps.repo.expiredOffers(iso(now.getTime()));
    let timedOut = 0;
    const queues = new Set<string>();
    for (const offer of expired) {
      const result = await claim<OfferRow, Record<string, unknown>>(this.deps.client, {
        collection: 'swb_offers',
        key: offer.swb_offerid,
        decide: (row) => (row.swb_response === OfferResponse.Pending ? { patch: { swb_response: OfferResponse.TimedOut, swb_respondedon: now.toISOString() } } : { skip: 'answered' }),
      });
      if (result.outcome !== 'claimed') continue;
      timedOut++;
      const agentId = offer._swb_agentid_value;
      if (agentId) await this.deps.recomputeAgent(agentId);
      if (offer._swb_conversationid_value) {
        await claim<ConversationRow, Record<string, unknown>>(this.deps.client, {
          collection: 'swb_conversations',
          key: offer._swb_conversationid_value,
          decide: (row) => ({ patch: { swb_declinecount: (row.swb_declinecount ?? 0) + 1 } }),
        });
      }
      if (offer._swb_queueid_value) queues.add(offer._swb_queueid_value);
    }
    for (const queueId of queues) await this.deps.routing.enqueue({ kind: 'route-queue', queueId, reason: 'offer timed out' });
    if (timedOut > 0) context?.log(`offers: ${timedOut} timed out; re-routing ${queues.size} queue(s)`);
    return timedOut;
  }
}
