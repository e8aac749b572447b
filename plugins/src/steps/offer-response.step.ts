// An agent answers an offer (the AgentInbox control sets swb_response on its own offer row).
//
// Accepted: the conversation becomes Active with that agent as primary and owner (the Agent
// role writes only what it owns) and forgets the offer (swb_offeredto); the answer's time is
// stamped on the offer and the primary session opened (its timer starts) — one change set, one
// request. The capacity the offer reserved simply stays: it now holds the conversation. Only the live offer counts: it was Pending before this save, had not
// expired when the agent saved it, and the conversation still names this agent as holding its
// offer. The conversation write is If-Match on the version we checked, so two agents accepting
// offers for the same conversation (or routing moving it meanwhile) cannot both win.
// Declined, or a stale accept: releaseOffer — the conversation forgets the offer and remembers
// the decline, the capacity goes back, routing looks again. Timed out: the routing worker's
// timer wrote it and released it already (it is the app's own write).
//
// Post-operation, async: the agent's click must not wait for this; Dataverse retries failures.
import { conversationGroup } from '@switchboard/core';
import { randomUUID } from 'node:crypto';
import { ConversationState, OfferResponse, SessionRole, SessionState } from '@switchboard/solution';
import { type StepContext, dateValue, numberValue, refId } from '../context/execution-context';
import { releaseOffer } from '../capacity/release-offer';
import type { RowPatch, RowWrite, StepDeps } from '../ports';
import type { StepDefinition, StepResult } from '../step';
import { ok } from '../step';
import { waitOutcome } from './floor-stamps.step';

const IMAGE = 'Image';
const IMAGE_COLUMNS = ['swb_response', 'swb_conversationid', 'swb_agentid', 'swb_queueid', 'swb_expireson', 'swb_respondedon'];
const WAITING = new Set<number>([ConversationState.Open, ConversationState.Waiting]);

async function accept(ctx: StepContext, deps: StepDeps, agentId: string, conversationId: string, stamped: boolean): Promise<string | null> {
  const pre = ctx.preImages[IMAGE]?.attributes ?? {};
  const at = answeredAt(ctx, deps);
  if (numberValue(pre['swb_response']) !== OfferResponse.Pending) return 'offer was no longer pending';
  // The stored expiry, before this write: an accept cannot bring its own offer back to life.
  const expires = dateValue(pre['swb_expireson']);
  if (expires && expires.getTime() < at.getTime()) return 'offer had expired';
  const conv = await deps.data.getConversation(conversationId);
  if (!conv) return 'conversation not found';
  if (!WAITING.has(conv.row.swb_state ?? -1) || conv.row._swb_primaryagentid_value) return 'conversation no longer waiting';
  if (conv.row._swb_offeredto_value?.toLowerCase() !== agentId.toLowerCase()) return 'conversation no longer offered to this agent';
  const iso = at.toISOString();
  const patch: RowPatch = {
    swb_state: ConversationState.Active,
    'swb_primaryagentid@odata.bind': `/systemusers(${agentId})`,
    'ownerid@odata.bind': `/systemusers(${agentId})`,
    swb_activeon: iso,
    'swb_offeredto@odata.bind': null,
  };
  if (!conv.row.swb_firstassignedon) patch['swb_firstassignedon'] = iso;
  // How the first wait ended, in the same write (the floor-stamps step then finds it there).
  const queuedOn = Date.parse(conv.row.swb_queuedon ?? conv.row.swb_openedon ?? '');
  const queuedAt = Number.isNaN(queuedOn) ? null : new Date(queuedOn);
  if (!conv.row.swb_firstassignedon && conv.row.swb_waitoutcome == null && queuedAt) {
    const { seconds, outcome } = waitOutcome(queuedAt, at, true);
    Object.assign(patch, { swb_waitoutcome: outcome, swb_waitseconds: seconds, swb_waitendedon: iso });
  }
  const writes: RowWrite[] = [{ table: 'swb_conversation', id: conversationId, patch, ifMatch: conv.etag }];
  if (!stamped) writes.push({ table: 'swb_offer', id: ctx.primaryEntityId, patch: { swb_respondedon: iso } });
  writes.push({
    table: 'swb_session',
    id: randomUUID(),
    create: true,
    patch: {
      'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})`,
      'swb_agentid@odata.bind': `/systemusers(${agentId})`,
      swb_role: SessionRole.Primary,
      swb_state: SessionState.Active,
      swb_joinedon: iso,
    },
  });
  const written = await deps.data.writeTogether(writes);
  return written === 'updated' ? null : 'conversation changed meanwhile';
}

/** When the agent answered: the operation's own time, not when this async job happens to run. */
function answeredAt(ctx: StepContext, deps: StepDeps): Date {
  return ctx.operationCreatedOn ?? new Date(deps.clock.now());
}

async function handle(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  const post = ctx.postImages[IMAGE]?.attributes ?? {};
  const response = numberValue(ctx.target?.attributes['swb_response'] ?? post['swb_response']);
  const agentId = refId(post['swb_agentid']);
  const conversationId = refId(post['swb_conversationid']);
  const queueId = refId(post['swb_queueid']);
  if (response !== OfferResponse.Accepted && response !== OfferResponse.Declined) return ok('not an answer');
  if (!agentId || !conversationId) return ok('offer without agent or conversation');
  const offer = ctx.primaryEntityId;
  // The server stamps the answer's time; the agent sends only the answer (see offer-guard).
  const stamped = dateValue(post['swb_respondedon']) !== null;
  const stamp = async () => {
    if (!stamped) await deps.data.updateRow('swb_offer', offer, { swb_respondedon: answeredAt(ctx, deps).toISOString() });
  };

  if (response === OfferResponse.Accepted) {
    const refused = await accept(ctx, deps, agentId, conversationId, stamped);
    if (refused === null) {
      // Their open desks hear the conversation from now on (the push-relay step would too, one
      // async job later: the customer's first words after the accept must not fall in between).
      await deps.push?.join(agentId, conversationGroup(conversationId));
      return ok(`offer ${offer} accepted: ${conversationId} Active with ${agentId}`);
    }
    await stamp();
    // A stale accept assigns nothing, but the offer no longer reserves capacity either.
    return ok(`accept ignored (${refused}); ${await releaseOffer({ offerId: offer, conversationId, agentId, queueId, why: 'accepted too late' }, deps)}`);
  }
  await stamp();
  return ok(await releaseOffer({ offerId: offer, conversationId, agentId, queueId, why: `declined by ${agentId}` }, deps));
}

export const offerResponseStep: StepDefinition = {
  name: 'offer-response',
  description: 'Assigns the conversation when an agent accepts its live offer; releases the reservation and re-routes on a decline.',
  triggers: [
    {
      message: 'Update',
      table: 'swb_offer',
      stage: 40,
      mode: 'async',
      rank: 1,
      filteringAttributes: ['swb_response'],
      images: [{ alias: IMAGE, type: 'both', attributes: IMAGE_COLUMNS }],
      description: 'swb_offer Update (response): accept assigns the conversation, decline re-routes it',
    },
  ],
  handler: handle,
};
