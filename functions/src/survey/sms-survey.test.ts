import { parseExecutionContext } from '@switchboard/plugins';
import { ConversationState } from '@switchboard/solution';
import { executionContext, option, ref } from '@switchboard/plugins/testing/contexts';
import { servedConversationEnded } from './sms-survey';

const AGENT = 'aaaaaaaa-0000-4000-8000-000000000001';
const WS = 'bbbbbbbb-0000-4000-8000-00000000000B';

function update(pre: Record<string, unknown>, post: Record<string, unknown>) {
  const parsed = parseExecutionContext(
    executionContext({ message: 'Update', table: 'swb_conversation', id: 'c0000000-0000-4000-8000-000000000001', stage: 40, mode: 'async', preImages: { Image: pre as never }, postImages: { Image: post as never } }),
  );
  if (!parsed.ok) throw new Error(parsed.error.message);
  return servedConversationEnded(parsed.value);
}

const active = { swb_state: option(ConversationState.Active), swb_primaryagentid: ref('systemuser', AGENT), swb_workstreamid: ref('swb_workstream', WS) };

it('an agent ending a conversation they had (wrap-up, or straight to closed) is the moment to ask, for its workstream', () => {
  expect(update(active, { ...active, swb_state: option(ConversationState.WrapUp) })).toEqual({ workstreamId: WS.toLowerCase() });
  expect(update(active, { ...active, swb_state: option(ConversationState.Closed) })).toEqual({ workstreamId: WS.toLowerCase() });
});

it('closing a wrap-up, closing a conversation nobody took, and other changes are not', () => {
  expect(update({ ...active, swb_state: option(ConversationState.WrapUp) }, { ...active, swb_state: option(ConversationState.Closed) })).toBeNull();
  expect(update({ swb_state: option(ConversationState.Waiting) }, { swb_state: option(ConversationState.Closed) })).toBeNull();
  expect(update(active, { ...active, swb_state: option(ConversationState.Waiting) })).toBeNull();
  expect(update(active, active)).toBeNull();
});
