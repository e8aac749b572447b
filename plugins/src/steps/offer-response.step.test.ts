import { AgentConnectionState, BasePresence, ChannelType, ConversationState, OfferResponse, SessionRole, SessionState, WaitOutcome } from '@switchboard/solution';
import { handleStepWebhook } from '../service';
import { date, executionContext, option, ref } from '../testing/contexts';
import { RecordingPush, fakeDeps } from '../testing/fakes';

const AGENT = '22222222-2222-4222-8222-222222222222';
const OTHER_AGENT = '33333333-3333-4333-8333-333333333333';
const CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OFFER = '0f000000-0000-4000-8000-000000000001';
const WS = '4b000000-0000-4000-8000-000000000001';
const QUEUE = '9a000000-0000-4000-8000-000000000001';
const STATUS = '5c000000-0000-4000-8000-000000000001';
const OPERATION_AT = new Date('2026-11-24T10:00:00Z');

function setup(conversation: { state?: ConversationState; primary?: string } = {}) {
  const f = fakeDeps(Date.parse('2026-11-24T10:00:05Z'));
  f.data.workstreams.set(WS, { swb_workstreamid: WS, swb_capacityunits: 1, swb_channeltype: ChannelType.Sms });
  f.data.seed(f.data.conversations, CONV, {
    activityid: CONV, swb_state: conversation.state ?? ConversationState.Waiting, _swb_workstreamid_value: WS, _swb_queueid_value: QUEUE,
    _swb_primaryagentid_value: conversation.primary ?? null, swb_queuedon: '2026-11-24T09:59:00Z',
    // Routing's claim: the conversation names who holds its live offer.
    _swb_offeredto_value: conversation.primary ? null : AGENT, swb_offerattempt: 1,
  });
  // The routing worker reserved one unit for the offer.
  f.data.seed(f.data.agentStatuses, STATUS, {
    swb_agentstatusid: STATUS, _swb_agentid_value: AGENT, swb_basepresence: BasePresence.Available, swb_manualoverride: false,
    swb_connectionstate: AgentConnectionState.Connected, swb_capacityused: 1, swb_capacitymax: 2,
  });
  return f;
}

/** The agent's own save of its offer: the fake's offer row is updated and the webhook body built. */
function answer(f: ReturnType<typeof setup>, response: OfferResponse, opts: { before?: OfferResponse; expiresOn?: string } = {}) {
  f.data.offers = [{
    swb_offerid: OFFER, _swb_conversationid_value: CONV, _swb_agentid_value: AGENT, _swb_queueid_value: QUEUE,
    swb_response: response, swb_expireson: opts.expiresOn ?? '2026-11-24T10:00:30Z',
  }];
  const columns = {
    swb_conversationid: ref('swb_conversation', CONV), swb_agentid: ref('systemuser', AGENT), swb_queueid: ref('queue', QUEUE),
    swb_expireson: date(opts.expiresOn ?? '2026-11-24T10:00:30Z'),
  };
  return executionContext({
    message: 'Update', table: 'swb_offer', id: OFFER, stage: 40, mode: 'async', userId: AGENT, operationCreatedOn: OPERATION_AT,
    target: { swb_response: option(response) },
    preImages: { Image: { ...columns, swb_response: option(opts.before ?? OfferResponse.Pending) } },
    postImages: { Image: { ...columns, swb_response: option(response) } },
  });
}

describe('offer response step', () => {
  it('an accepted live offer makes the conversation Active with that agent as primary and owner', async () => {
    const f = setup();
    const res = await handleStepWebhook('offer-response', answer(f, OfferResponse.Accepted), f.deps);
    expect(res.status).toBe(200);
    expect(f.data.conversations.get(CONV)!.row).toMatchObject({
      swb_state: ConversationState.Active, _swb_primaryagentid_value: AGENT, _ownerid_value: AGENT,
      swb_activeon: '2026-11-24T10:00:00.000Z', swb_firstassignedon: '2026-11-24T10:00:00.000Z',
      // How the first wait ended (queued 09:59:00, answered 10:00:00), in the same write: the
      // supervisor desk's figures need no further request.
      swb_waitseconds: 60, swb_waitoutcome: WaitOutcome.AnsweredWithin60s, swb_waitendedon: '2026-11-24T10:00:00.000Z',
    });
    // In the same change set: the server's time of the answer on the offer, and the agent's
    // primary session (its timer starts). Capacity stays reserved: nothing to recompute or route.
    expect(f.data.writes.filter((w) => w.table !== 'swb_conversation')).toEqual([
      { table: 'swb_offer', id: OFFER, patch: { swb_respondedon: '2026-11-24T10:00:00.000Z' } },
      { table: 'swb_session', id: expect.any(String), patch: { created: true } },
    ]);
    expect([...f.data.sessions.values()].map((e) => e.row)).toEqual([
      expect.objectContaining({ _swb_conversationid_value: CONV, _swb_agentid_value: AGENT, swb_role: SessionRole.Primary, swb_state: SessionState.Active, swb_joinedon: '2026-11-24T10:00:00.000Z' }),
    ]);
    expect(f.routingTrigger.items).toEqual([]);
  });

  it('an accept that lost the race for the conversation writes nothing of the change set: no session, no assignment', async () => {
    const f = setup();
    // Routing (or another answer) wrote the conversation between the step's read and its write.
    f.data.beforeConditionalWrite = (table) => {
      if (table === 'swb_conversation') f.data.touch(f.data.conversations, CONV, { subject: 'moved' });
    };
    await handleStepWebhook('offer-response', answer(f, OfferResponse.Accepted), f.deps);
    expect(f.data.conversations.get(CONV)!.row).toMatchObject({ swb_state: ConversationState.Waiting, _swb_primaryagentid_value: null });
    expect(f.data.sessions.size).toBe(0);
  });

  it('an accept after the offer expired assigns nothing and gives the reserved capacity back', async () => {
    const f = setup();
    await handleStepWebhook('offer-response', answer(f, OfferResponse.Accepted, { expiresOn: '2026-11-24T09:59:50Z' }), f.deps);
    expect(f.data.conversations.get(CONV)!.row).toMatchObject({ swb_state: ConversationState.Waiting, _swb_primaryagentid_value: null });
    expect(f.data.agentStatuses.get(STATUS)!.row.swb_capacityused).toBe(0);
  });

  it('an accept that rewrote its own expiry is judged on the stored expiry and assigns nothing', async () => {
    const f = setup();
    const body = answer(f, OfferResponse.Accepted, { expiresOn: '2026-11-24T09:59:50Z' });
    // The request pushed the expiry a year out: the post-image carries it, the pre-image does not.
    const post = (body.PostEntityImages as { value: { Attributes: { key: string; value: unknown }[] } }[])[0]!.value.Attributes;
    post.find((a) => a.key === 'swb_expireson')!.value = `/Date(${Date.parse('2027-11-24T10:00:00Z')})/`;
    await handleStepWebhook('offer-response', body, f.deps);
    expect(f.data.conversations.get(CONV)!.row).toMatchObject({ swb_state: ConversationState.Waiting, _swb_primaryagentid_value: null });
  });

  it('an accept of an offer that had already timed out assigns nothing', async () => {
    const f = setup();
    await handleStepWebhook('offer-response', answer(f, OfferResponse.Accepted, { before: OfferResponse.TimedOut }), f.deps);
    expect(f.data.conversations.get(CONV)!.row.swb_state).toBe(ConversationState.Waiting);
  });

  it('an accept of a conversation another agent already has changes nothing on it', async () => {
    const f = setup({ state: ConversationState.Active, primary: OTHER_AGENT });
    await handleStepWebhook('offer-response', answer(f, OfferResponse.Accepted), f.deps);
    expect(f.data.conversations.get(CONV)!.row._swb_primaryagentid_value).toBe(OTHER_AGENT);
    expect(f.data.writes.some((w) => w.table === 'swb_conversation')).toBe(false);
  });

  it('an accept loses to a write that changed the conversation since it was read (If-Match)', async () => {
    const f = setup();
    f.data.beforeConditionalWrite = (table) => {
      if (table === 'swb_conversation') f.data.touch(f.data.conversations, CONV, { swb_state: ConversationState.Closed });
    };
    await handleStepWebhook('offer-response', answer(f, OfferResponse.Accepted), f.deps);
    expect(f.data.conversations.get(CONV)!.row).toMatchObject({ swb_state: ConversationState.Closed, _swb_primaryagentid_value: null });
  });

  it('a decline: the conversation forgets the offer and remembers who declined, the capacity goes back, and its queue is routed again, once', async () => {
    const f = setup();
    const res = await handleStepWebhook('offer-response', answer(f, OfferResponse.Declined), f.deps);
    expect(res.status).toBe(200);
    expect(f.data.conversations.get(CONV)!.row).toMatchObject({
      swb_state: ConversationState.Waiting, _swb_offeredto_value: null, swb_declinedby: `{"${AGENT}":1}`, swb_declinecount: 1,
    });
    expect(f.data.agentStatuses.get(STATUS)!.row.swb_capacityused).toBe(0);
    expect(f.routingTrigger.items.map((i) => i.work)).toEqual([expect.objectContaining({ kind: 'route-queue', queueId: QUEUE })]);
    // Dataverse retries the webhook: nothing is counted twice.
    await handleStepWebhook('offer-response', answer(f, OfferResponse.Declined), f.deps);
    expect(f.data.conversations.get(CONV)!.row).toMatchObject({ swb_declinedby: `{"${AGENT}":1}`, swb_declinecount: 1 });
  });
  it("an accepted offer puts the agent in the conversation's push group at once, so the customer's next words reach their desk", async () => {
    const f = setup();
    const push = new RecordingPush();
    f.deps.push = push;
    await handleStepWebhook('offer-response', answer(f, OfferResponse.Accepted), f.deps);
    expect(push.calls).toEqual([{ op: 'join', target: AGENT, group: `c.${CONV}` }]);
  });

  it('an accept that assigns nothing puts nobody in the push group', async () => {
    const f = setup();
    const push = new RecordingPush();
    f.deps.push = push;
    await handleStepWebhook('offer-response', answer(f, OfferResponse.Accepted, { expiresOn: '2026-11-24T09:59:50Z' }), f.deps);
    expect(push.of('join')).toEqual([]);
  });
});
