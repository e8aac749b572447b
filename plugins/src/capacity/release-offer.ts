// An offer that ended without being taken — declined by the agent, timed out (the routing
// worker's timer), or accepted too late — is forgotten by its conversation, which remembers who
// let it go (the decline limit, and not offering it to them again at once); the capacity it
// reserved goes back by recomputing the agent from their rows; and routing looks at the queue
// again. Idempotent: a retried webhook or a second timer finds the conversation no longer naming
// this agent, writes nothing twice, and the recompute agrees with the rows.
import { formatIdNumberMap, parseIdNumberMap } from '@switchboard/core';
import type { StepDeps } from '../ports';
import { recomputeAgent } from './recompute-agent';

export interface EndedOffer {
  offerId: string;
  conversationId: string;
  agentId: string;
  queueId: string | null;
  /** For logs: declined, timed out, stale accept. */
  why: string;
}

const MAX_ATTEMPTS = 5;

export async function releaseOffer(offer: EndedOffer, deps: StepDeps): Promise<string> {
  const agent = offer.agentId.toLowerCase();
  let forgot = false;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS && !forgot; attempt++) {
    const conv = await deps.data.getConversation(offer.conversationId);
    if (!conv || conv.row._swb_offeredto_value?.toLowerCase() !== agent) break;
    const declines = parseIdNumberMap(conv.row.swb_declinedby);
    declines[agent] = (declines[agent] ?? 0) + 1;
    const written = await deps.data.updateConversation(
      offer.conversationId,
      {
        // A null bind clears the lookup (Dataverse disassociates the single-valued navigation).
        'swb_offeredto@odata.bind': null,
        swb_declinedby: formatIdNumberMap(declines),
        swb_declinecount: Object.values(declines).reduce((n, k) => n + k, 0),
      },
      conv.etag,
    );
    forgot = written === 'updated';
  }
  const outcome = await recomputeAgent(offer.agentId, deps);
  if (offer.queueId) await deps.routingTrigger.enqueue({ kind: 'route-queue', queueId: offer.queueId, reason: `offer ${offer.offerId} ${offer.why}`, at: deps.clock.now() });
  return `offer ${offer.offerId} ${offer.why}${forgot ? '' : ' (already forgotten)'}; agent ${offer.agentId}: ${outcome.previousUnits}→${outcome.usedUnits} units`;
}
