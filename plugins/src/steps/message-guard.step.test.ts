import { AuthorKind, ConversationState, DeliveryStatus, MessageDirection, SessionRole, SessionState, Visibility } from '@switchboard/solution';
import { handleStepWebhook } from '../service';
import { type Wire, date, executionContext, option, ref } from '../testing/contexts';
import { TEST_CONFIG, fakeDeps } from '../testing/fakes';

const PRIMARY = '22222222-2222-4222-8222-222222222222';
const CONSULTANT = '33333333-3333-4333-8333-333333333333';
const STRANGER = '44444444-4444-4444-8444-444444444444';
const CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const MSG = 'aa000000-0000-4000-8000-000000000001';

function setup(state = ConversationState.Active) {
  const f = fakeDeps();
  f.data.seed(f.data.conversations, CONV, { activityid: CONV, swb_state: state, _swb_primaryagentid_value: PRIMARY });
  f.data.seed(f.data.sessions, 'b0000000-0000-4000-8000-000000000002', {
    activityid: 'b0000000-0000-4000-8000-000000000002', _swb_conversationid_value: CONV, _swb_agentid_value: CONSULTANT, swb_role: SessionRole.Consult, swb_state: SessionState.Active,
  });
  return f;
}

/** What the pane sends: an outbound agent message signed by the caller. */
function write(by: string, extra: Record<string, Wire> = {}) {
  return executionContext({
    message: 'Create', table: 'swb_message', id: MSG, stage: 10, mode: 'sync', userId: by,
    target: {
      swb_conversationid: ref('swb_conversation', CONV), swb_authoragentid: ref('systemuser', by), swb_sequence: 7, swb_body: 'Hello',
      swb_direction: option(MessageDirection.Outbound), swb_authorkind: option(AuthorKind.Agent), swb_visibility: option(Visibility.Public),
      swb_deliverystatus: option(DeliveryStatus.Pending), ...extra,
    },
  });
}

const codeOf = (res: { body: unknown }) => (res.body as { error?: { code: string } }).error?.code;

describe('message guard step', () => {
  it('the primary agent replies to the customer', async () => {
    const { deps } = setup();
    expect((await handleStepWebhook('message-guard', write(PRIMARY), deps)).status).toBe(200);
  });

  it('an agent with no session in the conversation can neither reply nor add a note', async () => {
    const { deps } = setup();
    const reply = await handleStepWebhook('message-guard', write(STRANGER), deps);
    expect([reply.status, codeOf(reply)]).toEqual([403, 'message.notParticipant']);
    const note = await handleStepWebhook('message-guard', write(STRANGER, { swb_visibility: option(Visibility.Internal) }), deps);
    expect([note.status, codeOf(note)]).toEqual([403, 'message.notParticipant']);
  });

  it('a consultant writes internal notes but is told only the primary agent replies to the customer', async () => {
    const { deps } = setup();
    expect((await handleStepWebhook('message-guard', write(CONSULTANT, { swb_visibility: option(Visibility.Internal), swb_deliverystatus: null }), deps)).status).toBe(200);
    const reply = await handleStepWebhook('message-guard', write(CONSULTANT), deps);
    expect(reply.status).toBe(403);
    expect((reply.body as { error: { message: string } }).error.message).toBe(
      'You are consulting on this conversation: what you write is an internal note. Only the primary agent replies to the customer.',
    );
  });

  it('a message claiming to come from the customer, or from another agent, is refused even from the primary agent', async () => {
    const { deps } = setup();
    const lies: Record<string, Wire>[] = [
      { swb_direction: option(MessageDirection.Inbound), swb_authorkind: option(AuthorKind.Customer) },
      { swb_authorkind: option(AuthorKind.System) },
      { swb_authoragentid: ref('systemuser', CONSULTANT) },
      { swb_providermessageid: 'SM123' },
      { swb_senton: date('2026-11-24T10:00:00Z') },
      { swb_deliverystatus: option(DeliveryStatus.Delivered) },
    ];
    for (const lie of lies) {
      const res = await handleStepWebhook('message-guard', write(PRIMARY, lie), deps);
      expect([JSON.stringify(lie), res.status, codeOf(res)]).toEqual([JSON.stringify(lie), 403, 'message.forged']);
    }
  });

  it('in wrap-up the primary agent may still note, but nothing goes to the customer; a closed conversation takes nothing', async () => {
    const wrapUp = setup(ConversationState.WrapUp);
    expect((await handleStepWebhook('message-guard', write(PRIMARY, { swb_visibility: option(Visibility.Internal) }), wrapUp.deps)).status).toBe(200);
    expect(codeOf(await handleStepWebhook('message-guard', write(PRIMARY), wrapUp.deps))).toBe('message.notActive');
    const closed = setup(ConversationState.Closed);
    expect(codeOf(await handleStepWebhook('message-guard', write(PRIMARY, { swb_visibility: option(Visibility.Internal) }), closed.deps))).toBe('message.closed');
  });

  it('the refusal is in French for a French agent', async () => {
    const { deps, data } = setup();
    data.languages.set(STRANGER, 1036);
    const res = await handleStepWebhook('message-guard', write(STRANGER), deps);
    expect((res.body as { error: { message: string } }).error.message).toBe('Vous ne participez pas à cette conversation : vous ne pouvez pas y écrire.');
  });

  it('the application user writes inbound, bot and system messages freely', async () => {
    const { deps } = setup();
    const res = await handleStepWebhook('message-guard', write(TEST_CONFIG.trustedUserIds[0]!, { swb_direction: option(MessageDirection.Inbound), swb_authorkind: option(AuthorKind.Customer), swb_providermessageid: 'SM1' }), deps);
    expect(res.status).toBe(200);
  });
});
