import { OfferResponse } from '@switchboard/solution';
import { handleStepWebhook } from '../service';
import { type Wire, date, executionContext, option, ref } from '../testing/contexts';
import { TEST_CONFIG, fakeDeps } from '../testing/fakes';

const AGENT = '22222222-2222-4222-8222-222222222222';
const OTHER = '33333333-3333-4333-8333-333333333333';
const OFFER = '0f000000-0000-4000-8000-000000000001';
const NOW = Date.parse('2026-11-24T10:00:05Z');

function answer(by: string, target: Record<string, Wire>, stored: { response?: OfferResponse; expiresOn?: string } = {}) {
  return executionContext({
    message: 'Update', table: 'swb_offer', id: OFFER, stage: 10, mode: 'sync', userId: by, target,
    preImages: {
      PreImage: {
        swb_agentid: ref('systemuser', AGENT), swb_response: option(stored.response ?? OfferResponse.Pending),
        swb_expireson: date(stored.expiresOn ?? '2026-11-24T10:00:30Z'),
      },
    },
  });
}

const codeOf = (res: { body: unknown }) => (res.body as { error?: { code: string } }).error?.code;

describe('offer guard step', () => {
  it('the offered agent accepts or declines a live offer', async () => {
    const { deps } = fakeDeps(NOW);
    expect((await handleStepWebhook('offer-guard', answer(AGENT, { swb_response: option(OfferResponse.Accepted) }), deps)).status).toBe(200);
    expect((await handleStepWebhook('offer-guard', answer(AGENT, { swb_response: option(OfferResponse.Declined) }), deps)).status).toBe(200);
  });

  it('an accept sent with a rewritten expiry is refused: only the answer may change', async () => {
    const { deps } = fakeDeps(NOW);
    const res = await handleStepWebhook('offer-guard', answer(AGENT, { swb_response: option(OfferResponse.Accepted), swb_expireson: date('2027-11-24T10:00:00Z') }), deps);
    expect([res.status, codeOf(res)]).toEqual([403, 'offer.onlyResponse']);
    const expiryAlone = await handleStepWebhook('offer-guard', answer(AGENT, { swb_expireson: date('2027-11-24T10:00:00Z') }), deps);
    expect(codeOf(expiryAlone)).toBe('offer.onlyResponse');
  });

  it('an offer whose stored expiry has passed cannot be accepted', async () => {
    const { deps } = fakeDeps(NOW);
    const res = await handleStepWebhook('offer-guard', answer(AGENT, { swb_response: option(OfferResponse.Accepted) }, { expiresOn: '2026-11-24T09:59:00Z' }), deps);
    expect(res.status).toBe(403);
    expect((res.body as { error: { message: string } }).error.message).toBe('This offer has expired; the conversation goes to someone else.');
  });

  it('an offer answered once, or timed out, cannot be answered again', async () => {
    const { deps } = fakeDeps(NOW);
    for (const before of [OfferResponse.Accepted, OfferResponse.Declined, OfferResponse.TimedOut]) {
      expect(codeOf(await handleStepWebhook('offer-guard', answer(AGENT, { swb_response: option(OfferResponse.Accepted) }, { response: before }), deps))).toBe('offer.notPending');
    }
  });

  it("an agent cannot answer another agent's offer, nor mark an offer timed out", async () => {
    const { deps } = fakeDeps(NOW);
    expect(codeOf(await handleStepWebhook('offer-guard', answer(OTHER, { swb_response: option(OfferResponse.Accepted) }), deps))).toBe('offer.notYours');
    expect(codeOf(await handleStepWebhook('offer-guard', answer(AGENT, { swb_response: option(OfferResponse.TimedOut) }), deps))).toBe('offer.onlyResponse');
  });

  it('the application user (the sweeper, routing) changes offers freely', async () => {
    const { deps } = fakeDeps(NOW);
    const res = await handleStepWebhook('offer-guard', answer(TEST_CONFIG.trustedUserIds[0]!, { swb_response: option(OfferResponse.TimedOut), swb_respondedon: date('2026-11-24T10:00:05Z') }, { expiresOn: '2026-11-24T09:59:00Z' }), deps);
    expect(res.status).toBe(200);
  });
});
