import { ConversationState, SessionRole, SessionState } from '@switchboard/solution';
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
