import { randomUUID } from 'node:crypto';
import { AuthorKind, ConversationState, MessageDirection, Visibility } from '@switchboard/solution';
import { startStack, type Stack } from './stack.testing';
import { DataverseConversationStore } from '@switchboard/functions/dataverse/repositories/conversation.repository';
import { DataverseMessageStore } from '@switchboard/functions/dataverse/repositories/message.repository';
import { appendMessage, type TranscriptDeps } from '@switchboard/functions/conversations/transcript';
import { NO_PUSH } from '@switchboard/core';

let stack: Stack;
let deps: TranscriptDeps;

beforeAll(async () => {
  stack = await startStack();
  deps = { conversations: new DataverseConversationStore(stack.client), messages: new DataverseMessageStore(stack.client) };
});
afterAll(() => stack.stop());

async function conversation(): Promise<string> {
  const id = randomUUID();
  await stack.api.create({ collection: 'swb_conversations', data: { activityid: id, subject: 'test', swb_state: ConversationState.Active } });
  return id;
}

const customerText = (body: string) => ({ swb_body: body, swb_direction: MessageDirection.Inbound, swb_authorkind: AuthorKind.Customer, swb_visibility: Visibility.Public });

test('a message whose sequence number an agent pane already used is stored under the next free number', async () => {
  const id = await conversation();
  // The pane numbers without If-Match: it stored 1 and 2 while the counter still said 0.
  for (const sequence of [1, 2]) {
    await stack.api.create({
      collection: 'swb_messages',
      data: { swb_name: 'pane', swb_sequence: sequence, ...customerText(`pane ${sequence}`), 'swb_conversationid@odata.bind': `/swb_conversations(${id})` },
    });
  }
  const result = await appendMessage(deps, id, randomUUID(), customerText('from the customer'));
  expect(result.created).toBe(true);
  expect(result.message.swb_sequence).toBe(3);
});

test('a retried message is found, not stored twice, even when its first attempt lost a sequence race', async () => {
  const id = await conversation();
  const messageId = randomUUID();
  const first = await appendMessage(deps, id, messageId, customerText('hello'));
  const again = await appendMessage(deps, id, messageId, customerText('hello'), { precheck: false });
  expect(again).toMatchObject({ created: false, message: { swb_messageid: first.message.swb_messageid, swb_sequence: first.message.swb_sequence } });
  const rows = await stack.api.retrieveMultiple({ collection: 'swb_messages', filter: `_swb_conversationid_value eq ${id}` });
  expect(rows.value).toHaveLength(1);
});

test('a customer message is told to the conversation\'s group and to its primary agent by name, who may not have joined the group yet', async () => {
  const id = await conversation();
  const told: string[] = [];
  const push = { ...NO_PUSH, toGroup: async (group: string) => void told.push(`group ${group}`), toUser: async (user: string) => void told.push(`user ${user}`) };
  const agent = randomUUID().toUpperCase();
  await appendMessage({ ...deps, push }, id, randomUUID(), customerText('are you there?'), { primaryAgentId: agent });
  expect(told).toEqual([`group c.${id}`, `user ${agent.toLowerCase()}`]);
  // An agent's own message is told by the push-relay step, not here.
  told.length = 0;
  await appendMessage({ ...deps, push }, id, randomUUID(), { ...customerText('reply'), swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Agent }, { primaryAgentId: agent });
  expect(told).toEqual([]);
});
