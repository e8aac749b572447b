import { parseExecutionContext } from '@switchboard/plugins';
import { ConversationState } from '@switchboard/solution';
import { executionContext, option, ref } from '@switchboard/plugins/testing/contexts';
import { lifecycleEventOf } from './lifecycle-messages';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

function update(pre: Record<string, unknown>, post: Record<string, unknown>) {
  const parsed = parseExecutionContext(
    executionContext({ message: 'Update', table: 'swb_conversation', id: 'c0000000-0000-4000-8000-000000000001', stage: 40, mode: 'async', preImages: { Image: pre as never }, postImages: { Image: post as never } }),
  );
  if (!parsed.ok) throw new Error(parsed.error.message);
  return lifecycleEventOf(parsed.value);
}

it('accepting a waiting conversation is "assigned" to the agent who took it', () => {
  expect(update({ swb_state: option(ConversationState.Waiting) }, { swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', A, 'Sam Agent') })).toMatchObject({
    event: 'assigned',
    agentId: A,
    agentName: 'Sam Agent',
  });
});

it('a transfer to another agent is "assigned" again, for the new agent', () => {
  const e = update(
    { swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', A) },
    { swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', B) },
  );
  expect(e).toMatchObject({ event: 'assigned', agentId: B });
});

it('the primary agent leaving without an end is "agent left"; wrap-up or close is "ended"', () => {
  expect(update({ swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', A) }, { swb_state: option(ConversationState.Waiting) })).toMatchObject({ event: 'agent-left', agentId: A });
  expect(update({ swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', A) }, { swb_state: option(ConversationState.WrapUp), swb_primaryagentid: ref('systemuser', A) })).toMatchObject({ event: 'ended' });
  expect(update({ swb_state: option(ConversationState.WrapUp) }, { swb_state: option(ConversationState.Closed) })).toBeNull();
});

it('an update that changes neither state nor agent says nothing', () => {
  expect(update({ swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', A) }, { swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', A) })).toBeNull();
});
