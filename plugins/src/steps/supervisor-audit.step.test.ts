import { AgentConnectionState, AuthorKind, BasePresence, ConversationState, OfferResponse, SessionRole, SessionState, SupervisorAction, Visibility } from '@switchboard/solution';
import { handleStepWebhook } from '../service';
import { executionContext, option, ref } from '../testing/contexts';
import { RecordingPush, TEST_CONFIG, fakeDeps } from '../testing/fakes';

const SUPERVISOR = '55555555-5555-4555-8555-555555555555';
const PRIMARY = '22222222-2222-4222-8222-222222222222';
const AGENT = '33333333-3333-4333-8333-333333333333';
const OFFERED = '44444444-4444-4444-8444-444444444444';
const CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const QUEUE = '9a000000-0000-4000-8000-000000000001';
const QUEUE2 = '9a000000-0000-4000-8000-000000000002';
const OFFER = '0f000000-0000-4000-8000-000000000001';
const STATUS = 'a5000000-0000-4000-8000-000000000001';

function floor(state = ConversationState.Waiting) {
  const f = fakeDeps();
  f.data.seed(f.data.conversations, CONV, {
    activityid: CONV, swb_state: state, _swb_primaryagentid_value: state === ConversationState.Waiting ? null : PRIMARY, _swb_queueid_value: QUEUE, swb_lastmessagesequence: 4,
  });
  f.data.seed(f.data.messages, 'e0000000-0000-4000-8000-000000000005', { swb_messageid: 'e0000000-0000-4000-8000-000000000005', _swb_conversationid_value: CONV, swb_sequence: 5 } as never);
  f.data.seed(f.data.rows, `systemuser:${SUPERVISOR}`, { fullname: 'Sam Leroy' });
  f.data.seed(f.data.rows, `systemuser:${AGENT}`, { fullname: 'Bruno Petit' });
  f.data.seed(f.data.rows, `queue:${QUEUE2}`, { name: 'Billing' });
  return f;
}

function move(by: string, from: ConversationState, after: Record<string, unknown>, opts: { primary?: string | null; owner?: string } = {}) {
  const primary = opts.primary === undefined ? (from === ConversationState.Waiting ? null : PRIMARY) : opts.primary;
  const pre = { swb_state: option(from), swb_primaryagentid: primary ? ref('systemuser', primary) : null, swb_queueid: ref('queue', QUEUE), ownerid: ref('systemuser', opts.owner ?? TEST_CONFIG.trustedUserIds[0]!) };
  return executionContext({
    message: 'Update', table: 'swb_conversation', id: CONV, stage: 40, mode: 'async', userId: by,
    target: after as never,
    preImages: { Image: pre },
    postImages: { Image: { ...pre, ...(after as object) } as never },
  });
}

const audits = (data: ReturnType<typeof fakeDeps>['data']) => data.created.filter((c) => c.table === 'swb_supervisoraction').map((c) => c.data);
const notes = (data: ReturnType<typeof fakeDeps>['data']) =>
  [...data.messages.values()].map((e) => e.row).filter((m) => m.swb_authorkind === AuthorKind.System).map((m) => ({ sequence: m.swb_sequence, visibility: m.swb_visibility, body: m.swb_body }));

describe('supervisor audit step', () => {
  it("records a supervisor's assignment: an audit row, an internal note numbered after the transcript, the agent as owner", async () => {
    const { deps, data } = floor();
    const res = await handleStepWebhook('supervisor-audit', move(SUPERVISOR, ConversationState.Waiting, { swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', AGENT), swb_forcedassignment: true }), deps);
    expect(res.status).toBe(200);
    expect(audits(data)).toEqual([expect.objectContaining({
      swb_action: SupervisorAction.Assign, swb_forced: true, swb_name: 'Sam Leroy (supervisor) assigned this conversation to Bruno Petit, over their capacity.',
      'swb_supervisorid@odata.bind': `/systemusers(${SUPERVISOR})`, 'swb_agentid@odata.bind': `/systemusers(${AGENT})`, 'swb_conversationid@odata.bind': `/swb_conversations(${CONV})`,
      swb_occurredon: '2026-11-24T10:00:00.000Z',
    })]);
    expect(notes(data)).toEqual([{ sequence: 6, visibility: Visibility.Internal, body: 'Sam Leroy (supervisor) assigned this conversation to Bruno Petit, over their capacity.' }]);
    expect(data.conversations.get(CONV)!.row).toMatchObject({ _ownerid_value: AGENT, swb_lastmessagesequence: 6 });
  });

  it('a retried job records nothing twice', async () => {
    const { deps, data } = floor();
    const ctx = move(SUPERVISOR, ConversationState.Waiting, { swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', AGENT) });
    await handleStepWebhook('supervisor-audit', ctx, deps);
    await handleStepWebhook('supervisor-audit', ctx, deps);
    expect(audits(data)).toHaveLength(1);
    expect(notes(data)).toHaveLength(1);
  });

  it('takes the next number when an agent wrote a message the counter does not know of yet', async () => {
    const { deps, data } = floor(ConversationState.Active);
    data.seed(data.messages, 'e0000000-0000-4000-8000-000000000006', { swb_messageid: 'e0000000-0000-4000-8000-000000000006', _swb_conversationid_value: CONV, swb_sequence: 6 } as never);
    await handleStepWebhook('supervisor-audit', move(SUPERVISOR, ConversationState.Active, { swb_state: option(ConversationState.Closed) }), deps);
    expect(notes(data)).toEqual([{ sequence: 7, visibility: Visibility.Internal, body: 'Sam Leroy (supervisor) closed this conversation.' }]);
    expect(audits(data)[0]).toMatchObject({ swb_action: SupervisorAction.ForceClose });
  });

  it("withdraws the live offer of a waiting conversation a supervisor assigned elsewhere, and releases the offered agent's reservation", async () => {
    const { deps, data, routingTrigger } = floor();
    data.offers.push({ swb_offerid: OFFER, _swb_conversationid_value: CONV, _swb_agentid_value: OFFERED, swb_response: OfferResponse.Pending } as never);
    data.seed(data.agentStatuses, STATUS, { swb_agentstatusid: STATUS, _swb_agentid_value: OFFERED, swb_capacitymax: 2, swb_capacityused: 1 } as never);
    await handleStepWebhook('supervisor-audit', move(SUPERVISOR, ConversationState.Waiting, { swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', AGENT) }), deps);
    expect(data.offers[0]).toMatchObject({ swb_response: OfferResponse.Withdrawn, swb_respondedon: '2026-11-24T10:00:00.000Z' });
    expect(data.agentStatuses.get(STATUS)!.row.swb_capacityused).toBe(0);
    expect(routingTrigger.items.map((i) => i.work)).toContainEqual(expect.objectContaining({ kind: 'route-agent', agentId: OFFERED }));
  });

  it('tells the agent whose offer a supervisor withdrew, at once, so the offer leaves their inbox', async () => {
    const { deps, data } = floor();
    const push = new RecordingPush();
    deps.push = push;
    data.offers.push({ swb_offerid: OFFER, _swb_conversationid_value: CONV, _swb_agentid_value: OFFERED, swb_response: OfferResponse.Pending } as never);
    await handleStepWebhook('supervisor-audit', move(SUPERVISOR, ConversationState.Waiting, { swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', AGENT) }), deps);
    expect(push.calls).toEqual([{ op: 'toUser', target: OFFERED, event: { kind: 'offer', conversationId: CONV, change: 'withdrawn' } }]);
  });

  it('records a transfer to another queue and wakes routing for a waiting conversation that keeps its state', async () => {
    const { deps, data, routingTrigger } = floor();
    await handleStepWebhook('supervisor-audit', move(SUPERVISOR, ConversationState.Waiting, { swb_queueid: ref('queue', QUEUE2) }), deps);
    expect(audits(data)[0]).toMatchObject({ swb_action: SupervisorAction.Transfer, swb_name: 'Sam Leroy (supervisor) transferred this conversation to the queue Billing.', 'swb_queueid@odata.bind': `/queues(${QUEUE2})` });
    expect(routingTrigger.items.map((i) => i.work)).toEqual([expect.objectContaining({ kind: 'route-conversation', conversationId: CONV, queueId: QUEUE2 })]);
  });

  it("ignores the primary agent's own transfer and close, and the app's routing", async () => {
    const { deps, data } = floor(ConversationState.Active);
    await handleStepWebhook('supervisor-audit', move(PRIMARY, ConversationState.Active, { swb_primaryagentid: ref('systemuser', AGENT) }), deps);
    await handleStepWebhook('supervisor-audit', move(PRIMARY, ConversationState.Active, { swb_state: option(ConversationState.Closed) }), deps);
    await handleStepWebhook('supervisor-audit', move(TEST_CONFIG.trustedUserIds[0]!, ConversationState.Waiting, { swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', AGENT) }, { primary: null }), deps);
    expect(data.created).toEqual([]);
  });

  it("records a supervisor's join with a note the agents see, and not the primary agent inviting a colleague", async () => {
    const { deps, data } = floor(ConversationState.Active);
    const session = (by: string, agent: string) => executionContext({
      message: 'Create', table: 'swb_session', id: 'b0000000-0000-4000-8000-000000000001', stage: 40, mode: 'async', userId: by,
      target: { swb_conversationid: ref('swb_conversation', CONV), swb_agentid: ref('systemuser', agent), swb_role: option(SessionRole.Consult), swb_state: option(SessionState.Active) },
    });
    await handleStepWebhook('supervisor-audit', session(PRIMARY, AGENT), deps);
    expect(data.created).toEqual([]);
    await handleStepWebhook('supervisor-audit', session(SUPERVISOR, SUPERVISOR), deps);
    expect(audits(data)).toEqual([expect.objectContaining({ swb_action: SupervisorAction.Join, 'swb_queueid@odata.bind': `/queues(${QUEUE})` })]);
    expect(notes(data).map((n) => n.body)).toEqual(['Sam Leroy (supervisor) joined the conversation.']);
  });

  it("records a supervisor setting an agent's presence or signing them out, but not the agent's own change", async () => {
    const { deps, data } = floor();
    let second = 0;
    // Each change is its own operation (its own time): the audit row's id comes from it.
    const status = (by: string, pre: Record<string, number>, post: Record<string, number>) => executionContext({
      message: 'Update', table: 'swb_agentstatus', id: STATUS, stage: 40, mode: 'async', userId: by, target: {}, operationCreatedOn: new Date(Date.UTC(2026, 10, 24, 10, 0, ++second)),
      preImages: { Image: { swb_agentid: ref('systemuser', AGENT), swb_basepresence: option(pre.p!), swb_connectionstate: option(pre.c!) } },
      postImages: { Image: { swb_agentid: ref('systemuser', AGENT), swb_basepresence: option(post.p!), swb_connectionstate: option(post.c!) } },
    });
    const connected = AgentConnectionState.Connected;
    await handleStepWebhook('supervisor-audit', status(AGENT, { p: BasePresence.Available, c: connected }, { p: BasePresence.Away, c: connected }), deps);
    await handleStepWebhook('supervisor-audit', status(SUPERVISOR, { p: BasePresence.Available, c: connected }, { p: BasePresence.Away, c: connected }), deps);
    await handleStepWebhook('supervisor-audit', status(SUPERVISOR, { p: BasePresence.Away, c: connected }, { p: BasePresence.Offline, c: AgentConnectionState.SignedOut }), deps);
    expect(audits(data).map((a) => [a['swb_action'], a['swb_name']])).toEqual([
      [SupervisorAction.SetPresence, 'Sam Leroy set the presence of Bruno Petit to Away.'],
      [SupervisorAction.SignOut, 'Sam Leroy signed Bruno Petit out.'],
    ]);
  });
});
