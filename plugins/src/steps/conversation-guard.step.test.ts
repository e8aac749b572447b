import { ConversationState, OfferResponse, SessionRole, SessionState, metadata } from '@switchboard/solution';
import { handleStepWebhook } from '../service';
import { executionContext, option, ref } from '../testing/contexts';
import { TEST_CONFIG, fakeDeps } from '../testing/fakes';

const PRIMARY = '22222222-2222-4222-8222-222222222222';
const OTHER_AGENT = '33333333-3333-4333-8333-333333333333';
const THIRD = '44444444-4444-4444-8444-444444444444';
const CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const QUEUE = '9a000000-0000-4000-8000-000000000001';
const QUEUE2 = '9a000000-0000-4000-8000-000000000002';
const SESSION = 'b0000000-0000-4000-8000-000000000001';

function transfer(by: string, target: Parameters<typeof executionContext>[0]['target'], state = ConversationState.Active) {
  return executionContext({
    message: 'Update', table: 'swb_conversation', id: CONV, stage: 20, mode: 'sync', userId: by, target,
    preImages: { PreImage: { swb_state: option(state), swb_primaryagentid: ref('systemuser', PRIMARY, 'Ana Agent'), swb_queueid: ref('queue', QUEUE) } },
  });
}

function consult(by: string, consultant: string, role = SessionRole.Consult) {
  return executionContext({
    message: 'Create', table: 'swb_session', id: SESSION, stage: 20, mode: 'sync', userId: by,
    target: { swb_conversationid: ref('swb_conversation', CONV), swb_agentid: ref('systemuser', consultant), swb_role: option(role), swb_state: option(SessionState.Active) },
  });
}

function setup(state = ConversationState.Active) {
  const f = fakeDeps();
  f.data.seed(f.data.conversations, CONV, { activityid: CONV, swb_state: state, _swb_primaryagentid_value: PRIMARY, _swb_queueid_value: QUEUE });
  return f;
}

describe('conversation guard step', () => {
  it('the primary agent may transfer to another agent', async () => {
    const { deps } = setup();
    const res = await handleStepWebhook('conversation-guard', transfer(PRIMARY, { swb_primaryagentid: ref('systemuser', OTHER_AGENT) }), deps);
    expect(res.status).toBe(200);
  });

  it("anyone else's transfer is refused with a message naming the primary agent", async () => {
    const { deps } = setup();
    const res = await handleStepWebhook('conversation-guard', transfer(OTHER_AGENT, { swb_primaryagentid: ref('systemuser', OTHER_AGENT) }), deps);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: { code: 'lifecycle.notPrimary', message: 'Only the primary agent of this conversation (Ana Agent) can transfer it.' },
    });
  });

  it('the refusal is in French for an agent whose Dataverse language is French', async () => {
    const { deps, data } = setup();
    data.languages.set(OTHER_AGENT, 1036);
    const res = await handleStepWebhook('conversation-guard', transfer(OTHER_AGENT, { swb_primaryagentid: ref('systemuser', THIRD) }), deps);
    expect((res.body as { error: { message: string } }).error.message).toBe(
      "Seul l'agent principal de cette conversation (Ana Agent) peut la transférer.",
    );
  });

  it('a transfer to a queue by someone else is refused too', async () => {
    const { deps } = setup();
    const res = await handleStepWebhook('conversation-guard', transfer(OTHER_AGENT, { swb_queueid: ref('queue', QUEUE2), swb_state: option(ConversationState.Open) }), deps);
    expect(res.status).toBe(403);
  });

  it('a conversation in wrap-up cannot be transferred, even by its primary agent', async () => {
    const { deps } = setup(ConversationState.WrapUp);
    const res = await handleStepWebhook('conversation-guard', transfer(PRIMARY, { swb_primaryagentid: ref('systemuser', OTHER_AGENT) }, ConversationState.WrapUp), deps);
    expect(res.status).toBe(403);
    expect((res.body as { error: { message: string } }).error.message).toBe('This conversation is not active, so it cannot be transferred.');
  });

  it('the application user (routing, offer acceptance) may reassign freely', async () => {
    const { deps } = setup();
    const res = await handleStepWebhook('conversation-guard', transfer(TEST_CONFIG.trustedUserIds[0]!, { swb_primaryagentid: ref('systemuser', OTHER_AGENT) }), deps);
    expect(res.status).toBe(200);
  });

  it('a waiting conversation is assigned by routing only: an agent who still owns it cannot grab or close it', async () => {
    const { deps } = setup();
    const waiting = (user: string, target: Parameters<typeof executionContext>[0]['target']) => executionContext({
      message: 'Update', table: 'swb_conversation', id: CONV, stage: 20, mode: 'sync', userId: user, target,
      preImages: { PreImage: { swb_state: option(ConversationState.Waiting), swb_primaryagentid: null } },
    });
    const grab = await handleStepWebhook('conversation-guard', waiting(OTHER_AGENT, { swb_primaryagentid: ref('systemuser', OTHER_AGENT) }), deps);
    expect([grab.status, (grab.body as { error: { code: string } }).error.code]).toEqual([403, 'lifecycle.unassigned']);
    expect((await handleStepWebhook('conversation-guard', waiting(OTHER_AGENT, { swb_state: option(ConversationState.Closed) }), deps)).status).toBe(403);
    expect((await handleStepWebhook('conversation-guard', waiting(TEST_CONFIG.trustedUserIds[0]!, { swb_primaryagentid: ref('systemuser', OTHER_AGENT) }), deps)).status).toBe(200);
  });

  it('the primary agent may invite a consult; anyone else is refused', async () => {
    const { deps } = setup();
    expect((await handleStepWebhook('conversation-guard', consult(PRIMARY, OTHER_AGENT), deps)).status).toBe(200);
    const refused = await handleStepWebhook('conversation-guard', consult(OTHER_AGENT, THIRD), deps);
    expect(refused.status).toBe(403);
    expect((refused.body as { error: { message: string } }).error.message).toBe('Only the primary agent of this conversation can invite someone to consult.');
  });

  it('an agent already consulting cannot be invited twice', async () => {
    const { deps, data } = setup();
    data.seed(data.sessions, 'b0000000-0000-4000-8000-000000000009', {
      activityid: 'b0000000-0000-4000-8000-000000000009', _swb_conversationid_value: CONV, _swb_agentid_value: OTHER_AGENT, swb_role: SessionRole.Consult, swb_state: SessionState.Active,
    });
    const res = await handleStepWebhook('conversation-guard', consult(PRIMARY, OTHER_AGENT), deps);
    expect((res.body as { error: { code: string } }).error.code).toBe('lifecycle.alreadyParticipant');
  });

  it('a person cannot create a primary session: only the app opens one, when it assigns the conversation', async () => {
    const { deps } = setup();
    const refused = await handleStepWebhook('conversation-guard', consult(OTHER_AGENT, OTHER_AGENT, SessionRole.Primary), deps);
    expect(refused.status).toBe(403);
    expect((refused.body as { error: { code: string } }).error.code).toBe('consult.onlyConsult');
    expect((await handleStepWebhook('conversation-guard', consult(TEST_CONFIG.trustedUserIds[0]!, OTHER_AGENT, SessionRole.Primary), deps)).status).toBe(200);
  });

  it('the primary agent ends and closes; a consultant or anyone else cannot', async () => {
    const { deps } = setup();
    expect((await handleStepWebhook('conversation-guard', transfer(PRIMARY, { swb_state: option(ConversationState.WrapUp) }), deps)).status).toBe(200);
    expect((await handleStepWebhook('conversation-guard', transfer(PRIMARY, { swb_state: option(ConversationState.Closed) }, ConversationState.WrapUp), deps)).status).toBe(200);
    const refused = await handleStepWebhook('conversation-guard', transfer(OTHER_AGENT, { swb_state: option(ConversationState.Closed) }), deps);
    expect(refused.status).toBe(403);
    expect((refused.body as { error: { message: string } }).error.message).toBe('Only the primary agent of this conversation can end or close it.');
  });

  it('a conversation moves only along its lifecycle: a closed one cannot be made active again by its agent', async () => {
    const { deps } = setup(ConversationState.Closed);
    const res = await handleStepWebhook('conversation-guard', transfer(PRIMARY, { swb_state: option(ConversationState.Active) }, ConversationState.Closed), deps);
    expect(res.status).toBe(403);
    expect((res.body as { error: { code: string } }).error.code).toBe('lifecycle.badTransition');
    const wrapUpBack = await handleStepWebhook('conversation-guard', transfer(PRIMARY, { swb_state: option(ConversationState.Active) }, ConversationState.WrapUp), deps);
    expect(wrapUpBack.status).toBe(403);
  });

  it('a close cannot ride along with a transfer to an agent', async () => {
    const { deps } = setup();
    const res = await handleStepWebhook('conversation-guard', transfer(PRIMARY, { swb_primaryagentid: ref('systemuser', OTHER_AGENT), swb_state: option(ConversationState.Closed) }), deps);
    expect(res.status).toBe(403);
  });

  it('the primary agent may send the conversation back to its own queue', async () => {
    const { deps } = setup();
    const res = await handleStepWebhook('conversation-guard', transfer(PRIMARY, { swb_queueid: ref('queue', QUEUE), swb_state: option(ConversationState.Open) }), deps);
    expect(res.status).toBe(200);
  });
});

describe('conversation guard step: a supervisor of the queue', () => {
  const SUPERVISOR = '55555555-5555-4555-8555-555555555555';
  const OTHER_SUPERVISOR = '66666666-6666-4666-8666-666666666666';
  const WORKSTREAM = '7a000000-0000-4000-8000-000000000001';
  const PROFILE = '7b000000-0000-4000-8000-000000000001';
  const SUPERVISOR_ROLE = metadata.roles.find((r) => r.name === 'Switchboard Supervisor')!.id;
  const AGENT_ROLE = metadata.roles.find((r) => r.name === 'Switchboard Agent')!.id;

  /** A conversation of QUEUE in `state`; OTHER_AGENT (queue member, capacity 2, using `used`) and THIRD (not a member). */
  function floor(state: ConversationState, options: { primary?: string | null; used?: number; offeredTo?: string } = {}) {
    const f = fakeDeps();
    const primary = options.primary === undefined ? PRIMARY : options.primary;
    f.data.seed(f.data.conversations, CONV, { activityid: CONV, swb_state: state, _swb_primaryagentid_value: primary, _swb_queueid_value: QUEUE, _swb_workstreamid_value: WORKSTREAM } as never);
    if (options.offeredTo) f.data.offers.push({ swb_offerid: 'of000000-0000-4000-8000-000000000001', _swb_conversationid_value: CONV, _swb_agentid_value: options.offeredTo, swb_response: OfferResponse.Pending } as never);
    f.data.workstreams.set(WORKSTREAM, { swb_workstreamid: WORKSTREAM, swb_capacityunits: 1 } as never);
    f.data.userRoles.set(SUPERVISOR, [SUPERVISOR_ROLE]);
    f.data.userQueues.set(SUPERVISOR, [QUEUE]);
    f.data.userRoles.set(OTHER_SUPERVISOR, [SUPERVISOR_ROLE]);
    f.data.userQueues.set(OTHER_SUPERVISOR, [QUEUE2]);
    f.data.userRoles.set(OTHER_AGENT, [AGENT_ROLE]);
    f.data.userQueues.set(OTHER_AGENT, [QUEUE]);
    f.data.userQueues.set(PRIMARY, [QUEUE]);
    f.data.userQueues.set(THIRD, [QUEUE2]);
    f.data.seed(f.data.agentStatuses, 'a5000000-0000-4000-8000-000000000001', { swb_agentstatusid: 'a5000000-0000-4000-8000-000000000001', _swb_agentid_value: OTHER_AGENT, swb_capacitymax: 2, swb_capacityused: options.used ?? 0 } as never);
    f.data.seed(f.data.rows, `systemuser:${OTHER_AGENT}`, { fullname: 'Olga Other' });
    return f;
  }

  function write(by: string, target: Parameters<typeof executionContext>[0]['target'], state: ConversationState, primary: string | null = PRIMARY) {
    return executionContext({
      message: 'Update', table: 'swb_conversation', id: CONV, stage: 20, mode: 'sync', userId: by, target,
      preImages: { PreImage: { swb_state: option(state), swb_primaryagentid: primary ? ref('systemuser', primary) : null, swb_queueid: ref('queue', QUEUE) } },
    });
  }
  const assign = (agent: string, forced?: boolean) => ({
    swb_primaryagentid: ref('systemuser', agent), swb_state: option(ConversationState.Active), ...(forced === undefined ? {} : { swb_forcedassignment: forced }),
  });
  const answer = async (ctx: Record<string, unknown>, deps: ReturnType<typeof fakeDeps>['deps']) => {
    const res = await handleStepWebhook('conversation-guard', ctx, deps);
    return res.status === 200 ? 'allowed' : (res.body as { error: { code: string; message: string } }).error;
  };

  it('assigns a waiting conversation to an agent of the queue who has capacity left', async () => {
    const { deps } = floor(ConversationState.Waiting, { primary: null });
    expect(await answer(write(SUPERVISOR, assign(OTHER_AGENT), ConversationState.Waiting, null), deps)).toBe('allowed');
  });

  it('refuses an agent who is full, naming them, unless the same write says to go over capacity', async () => {
    const { deps } = floor(ConversationState.Waiting, { primary: null, used: 2 });
    expect(await answer(write(SUPERVISOR, assign(OTHER_AGENT), ConversationState.Waiting, null), deps)).toEqual({
      code: 'supervisor.agentFull', message: 'Olga Other has no capacity left for this conversation. Assign it anyway to go over their capacity.',
    });
    expect(await answer(write(SUPERVISOR, assign(OTHER_AGENT, false), ConversationState.Waiting, null), deps)).toMatchObject({ code: 'supervisor.agentFull' });
    expect(await answer(write(SUPERVISOR, assign(OTHER_AGENT, true), ConversationState.Waiting, null), deps)).toBe('allowed');
  });

  it("counts a capacity profile's limit as routing does", async () => {
    const { deps, data } = floor(ConversationState.Waiting, { primary: null, used: 0 });
    data.workstreams.set(WORKSTREAM, { swb_workstreamid: WORKSTREAM, swb_capacityunits: 1, _swb_capacityprofileid_value: PROFILE } as never);
    data.seed(data.rows, `swb_capacityprofile:${PROFILE}`, { swb_maxunits: 1 });
    data.touch(data.agentStatuses, 'a5000000-0000-4000-8000-000000000001', { swb_profileusage: JSON.stringify({ [PROFILE]: 1 }) });
    expect(await answer(write(SUPERVISOR, assign(OTHER_AGENT), ConversationState.Waiting, null), deps)).toMatchObject({ code: 'supervisor.agentFull' });
  });

  it('lets the agent a conversation is offered to take it: the offer already holds their capacity', async () => {
    const { deps } = floor(ConversationState.Waiting, { primary: null, used: 2, offeredTo: OTHER_AGENT });
    expect(await answer(write(SUPERVISOR, assign(OTHER_AGENT), ConversationState.Waiting, null), deps)).toBe('allowed');
  });

  it('never gives a conversation to someone outside its queue, even when forced', async () => {
    const { deps } = floor(ConversationState.Waiting, { primary: null });
    expect(await answer(write(SUPERVISOR, assign(THIRD, true), ConversationState.Waiting, null), deps)).toMatchObject({ code: 'supervisor.agentNotInQueue' });
  });

  it('refuses an agent with no status row (capacity unknown) unless forced', async () => {
    const { deps, data } = floor(ConversationState.Waiting, { primary: null });
    data.userQueues.set(THIRD, [QUEUE]);
    expect(await answer(write(SUPERVISOR, assign(THIRD), ConversationState.Waiting, null), deps)).toMatchObject({ code: 'supervisor.agentNoStatus' });
    expect(await answer(write(SUPERVISOR, assign(THIRD, true), ConversationState.Waiting, null), deps)).toBe('allowed');
  });

  it('an assignment makes the conversation active in the same write: an agent with the conversation left waiting is refused', async () => {
    const { deps } = floor(ConversationState.Waiting, { primary: null });
    expect(await answer(write(SUPERVISOR, { swb_primaryagentid: ref('systemuser', OTHER_AGENT) }, ConversationState.Waiting, null), deps)).toMatchObject({ code: 'lifecycle.badTransition' });
  });

  it('transfers an active conversation to another agent of the queue, or back to a queue', async () => {
    const { deps } = floor(ConversationState.Active);
    expect(await answer(write(SUPERVISOR, { swb_primaryagentid: ref('systemuser', OTHER_AGENT) }, ConversationState.Active), deps)).toBe('allowed');
    expect(await answer(write(SUPERVISOR, { swb_queueid: ref('queue', QUEUE2), swb_state: option(ConversationState.Open) }, ConversationState.Active), deps)).toBe('allowed');
    expect(await answer(write(SUPERVISOR, { swb_state: option(ConversationState.Open) }, ConversationState.Active), deps)).toBe('allowed');
  });

  it('moves a waiting conversation to another queue without assigning it', async () => {
    const { deps } = floor(ConversationState.Waiting, { primary: null });
    expect(await answer(write(SUPERVISOR, { swb_queueid: ref('queue', QUEUE2) }, ConversationState.Waiting, null), deps)).toBe('allowed');
  });

  it('force-closes a waiting or active conversation, its own or not, but nothing may ride along with the close', async () => {
    for (const state of [ConversationState.Waiting, ConversationState.Active, ConversationState.WrapUp]) {
      const { deps } = floor(state, { primary: state === ConversationState.Waiting ? null : PRIMARY });
      expect([state, await answer(write(SUPERVISOR, { swb_state: option(ConversationState.Closed) }, state, state === ConversationState.Waiting ? null : PRIMARY), deps)]).toEqual([state, 'allowed']);
    }
    const { deps } = floor(ConversationState.Active);
    expect(await answer(write(SUPERVISOR, { swb_state: option(ConversationState.Closed), swb_primaryagentid: ref('systemuser', OTHER_AGENT) }, ConversationState.Active), deps)).toMatchObject({ code: 'supervisor.closeOnly' });
    expect(await answer(write(SUPERVISOR, { swb_state: option(ConversationState.Closed), swb_queueid: ref('queue', QUEUE2) }, ConversationState.Active), deps)).toMatchObject({ code: 'supervisor.closeOnly' });
  });

  it('leaves ending (wrap-up) to the primary agent and does not reopen a closed conversation', async () => {
    const active = floor(ConversationState.Active);
    expect(await answer(write(SUPERVISOR, { swb_state: option(ConversationState.WrapUp) }, ConversationState.Active), active.deps)).toMatchObject({ code: 'supervisor.notAMove' });
    const closed = floor(ConversationState.Closed);
    expect(await answer(write(SUPERVISOR, assign(OTHER_AGENT), ConversationState.Closed), closed.deps)).toMatchObject({ code: 'lifecycle.badTransition' });
  });

  it('a supervisor of another queue, or an agent of this one, is refused every supervisor move', async () => {
    for (const who of [OTHER_SUPERVISOR, OTHER_AGENT]) {
      const waiting = floor(ConversationState.Waiting, { primary: null });
      expect([who, await answer(write(who, assign(OTHER_AGENT), ConversationState.Waiting, null), waiting.deps)]).toEqual([who, expect.objectContaining({ code: 'lifecycle.unassigned' })]);
      expect([who, await answer(write(who, { swb_state: option(ConversationState.Closed) }, ConversationState.Waiting, null), waiting.deps)]).toEqual([who, expect.objectContaining({ code: 'lifecycle.unassigned' })]);
      const active = floor(ConversationState.Active);
      expect([who, await answer(write(who, { swb_primaryagentid: ref('systemuser', THIRD) }, ConversationState.Active), active.deps)]).toEqual([who, expect.objectContaining({ code: 'lifecycle.notPrimary' })]);
      expect([who, await answer(write(who, { swb_state: option(ConversationState.Closed) }, ConversationState.Active), active.deps)]).toEqual([who, expect.objectContaining({ code: 'lifecycle.notPrimary' })]);
    }
  });

  it('only a supervisor sets the over-capacity flag, and only with an assignment or transfer to an agent', async () => {
    const { deps } = floor(ConversationState.Active);
    expect(await answer(write(PRIMARY, { swb_primaryagentid: ref('systemuser', OTHER_AGENT), swb_forcedassignment: true }, ConversationState.Active), deps)).toMatchObject({ code: 'supervisor.forceOnlySupervisor' });
    expect(await answer(write(SUPERVISOR, { swb_forcedassignment: true }, ConversationState.Active), deps)).toMatchObject({ code: 'supervisor.forceWithAssignment' });
    expect(await answer(write(SUPERVISOR, { swb_state: option(ConversationState.Closed), swb_forcedassignment: true }, ConversationState.Active), deps)).toMatchObject({ code: 'supervisor.forceWithAssignment' });
  });

  it('joins an active conversation of the queue as a consultant, once; not a waiting one; and invites nobody else', async () => {
    const join = (by: string, consultant: string) => executionContext({
      message: 'Create', table: 'swb_session', id: SESSION, stage: 20, mode: 'sync', userId: by,
      target: { swb_conversationid: ref('swb_conversation', CONV), swb_agentid: ref('systemuser', consultant), swb_role: option(SessionRole.Consult), swb_state: option(SessionState.Active) },
    });
    const active = floor(ConversationState.Active);
    expect(await answer(join(SUPERVISOR, SUPERVISOR), active.deps)).toBe('allowed');
    expect(await answer(join(SUPERVISOR, OTHER_AGENT), active.deps)).toMatchObject({ code: 'lifecycle.notPrimary' });
    expect(await answer(join(OTHER_SUPERVISOR, OTHER_SUPERVISOR), active.deps)).toMatchObject({ code: 'lifecycle.notPrimary' });
    active.data.seed(active.data.sessions, 'b0000000-0000-4000-8000-000000000007', {
      activityid: 'b0000000-0000-4000-8000-000000000007', _swb_conversationid_value: CONV, _swb_agentid_value: SUPERVISOR, swb_role: SessionRole.Consult, swb_state: SessionState.Active,
    });
    expect(await answer(join(SUPERVISOR, SUPERVISOR), active.deps)).toMatchObject({ code: 'lifecycle.alreadyParticipant' });
    const waiting = floor(ConversationState.Waiting, { primary: null });
    expect(await answer(join(SUPERVISOR, SUPERVISOR), waiting.deps)).toEqual({ code: 'lifecycle.notActive', message: 'Only an active conversation can be joined.' });
  });
});
