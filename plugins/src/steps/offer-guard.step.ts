// An offer belongs to the agent it was made to, so the Agent role may write it — but the only
// thing an agent decides about an offer is the answer. Everything else (when it expires, its
// rank, its attempt number) is routing's: those columns are also secured, and this step refuses
// any other column outright, refuses answering twice, and judges expiry from the stored row
// (the pre-image), never from what the request says.
import { OfferResponse } from '@switchboard/solution';
import { type StepContext, dateValue, numberValue, refId } from '../context/execution-context';
import type { StepDeps } from '../ports';
import type { StepDefinition, StepResult } from '../step';
import { ok } from '../step';
import { isTrusted, refuse, sentColumns } from './caller';

const PRE_IMAGE = 'PreImage';
const ANSWERS = new Set<number>([OfferResponse.Accepted, OfferResponse.Declined]);

async function guard(ctx: StepContext, deps: StepDeps): Promise<StepResult> {
  if (isTrusted(ctx, deps)) return ok('trusted service user');
  if (sentColumns(ctx, 'swb_offerid').some((c) => c !== 'swb_response')) return refuse(ctx, deps, 'offer.onlyResponse', 'offer.onlyResponse');
  const answer = numberValue(ctx.target?.attributes['swb_response']);
  if (answer === null || !ANSWERS.has(answer)) return refuse(ctx, deps, 'offer.onlyResponse', 'offer.onlyResponse');
  const stored = ctx.preImages[PRE_IMAGE]?.attributes;
  if (!stored) return refuse(ctx, deps, 'offer.notPending', 'offer.notPending'); // misregistered without its image: refuse rather than trust the request
  if (refId(stored['swb_agentid']) !== ctx.initiatingUserId) return refuse(ctx, deps, 'offer.notYours', 'offer.notYours');
  if (numberValue(stored['swb_response']) !== OfferResponse.Pending) return refuse(ctx, deps, 'offer.notPending', 'offer.notPending');
  const expires = dateValue(stored['swb_expireson']);
  if (expires && expires.getTime() <= deps.clock.now()) return refuse(ctx, deps, 'offer.expired', 'offer.expired');
  return ok(answer === OfferResponse.Accepted ? 'live offer accepted by its agent' : 'live offer declined by its agent');
}

export const offerGuardStep: StepDefinition = {
  name: 'offer-guard',
  description: "Lets an agent change only the answer of their own live offer; expiry is read from the stored row.",
  triggers: [
    {
      message: 'Update',
      table: 'swb_offer',
      stage: 10,
      mode: 'sync',
      rank: 1,
      images: [{ alias: PRE_IMAGE, type: 'pre', attributes: ['swb_response', 'swb_agentid', 'swb_expireson'] }],
      description: 'swb_offer Update: an agent answers only their own live offer, and changes nothing else',
    },
  ],
  handler: guard,
};
