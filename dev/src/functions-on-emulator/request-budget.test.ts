// Dataverse requests per unit of work, counted by the emulator (a $batch is one request, as
// service protection counts it). Counts, not times: deterministic on any machine. The whole
// deployment's figures, plugin steps included, are the budget benchmark's
// (bench/api-budget); this holds the functions app's own paths to their budget, so a change
// that spends more fails here.
import { AuthorKind, ChannelType, ConversationState, MessageDirection, Provider, Visibility } from '@switchboard/solution';
import { executionContext, ref } from '@switchboard/plugins/testing/contexts';
import { diffStats } from '../dataverse/request-stats';
import { postSignedTwilio, seedRouting, startStack, twilioInbound, type Stack } from './stack.testing';

const APP = 'switchboard-app@switchboard.dev';
const ORIGIN = 'https://shop.example';

let stack: Stack;
let channelId: string;
let widgetId: string;

beforeAll(async () => {
  // Caches and the chat's "nothing new" memos on, as deployed (the shared stack turns both off: it has no
  // plugin webhooks to tell it about writes made behind its back — here the test tells it).
  stack = await startStack({ graph: { cacheTtlMs: 30_000, chat: { startRate: { burst: 1000, perSecond: 100 }, cursorTrustMs: 30_000 } } });
  const sms = await seedRouting(stack.api, ChannelType.Sms, [{ name: 'Budget Agent', queue: 'main', max: 5 }]);
  channelId = (await stack.api.create({
    collection: 'swb_channels',
    data: { swb_name: 'Budget SMS', swb_provider: Provider.Twilio, swb_phonenumber: '+13175550000', swb_accountid: 'AC00000000000000000000000000000001', swb_secretsettingname: 'SWB_TWILIO_TOKEN', 'swb_workstreamid@odata.bind': `/swb_workstreams(${sms.workstreamId})` },
  })) as string;
  const chat = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: 'Budget Chat Agent', queue: 'main', max: 5 }]);
  widgetId = (await stack.api.create({
    collection: 'swb_chatwidgets',
    data: { swb_name: 'budget', swb_allowedorigins: ORIGIN, swb_prechatquestions: '[]', 'swb_workstreamid@odata.bind': `/swb_workstreams(${chat.workstreamId})`, swb_isenabled: true },
  })) as string;
});
afterAll(() => stack.stop());

/** Runs the queued items of one kind only. */
async function drainKind(kind: string): Promise<void> {
  for (const item of stack.queue.items.filter((i) => i.body.kind === kind)) {
    stack.queue.items.splice(stack.queue.items.indexOf(item), 1);
    await stack.graph.routingWorker.process(item.body, { dequeueCount: 1, messageId: item.id }, stack.context);
  }
}

/** The application user's requests while `work` runs. */
async function appRequests(work: () => Promise<unknown>): Promise<number> {
  const before = stack.emulator.stats();
  await work();
  return diffStats(before, stack.emulator.stats()).callers[APP]?.requests ?? 0;
}

async function sms(from: string, body: string, sid: string): Promise<void> {
  const res = await postSignedTwilio(stack, `/api/sms/twilio/${channelId}`, twilioInbound(sid, from, body, '+13175550000'));
  expect(res.status).toBe(200);
}

async function chatCall(method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${stack.baseUrl}/api/chat${path}`, {
    method,
    headers: { origin: ORIGIN, ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

it("a first text from a number costs at most 4 requests to store (caches warm), routing its queue 3: members, the head of the line, one change set, and scoring its sentiment 2", async () => {
  await sms('+13175550901', 'warming the caches', 'SM00000000000000000000000000budget0');
  await stack.drain();
  const stored = await appRequests(() => sms('+13175550902', 'Hello', 'SM00000000000000000000000000budget1'));
  // the number's open conversations; its customers and opt-out (one $batch); the conversation created with its message
  expect(stored).toBeLessThanOrEqual(4);
  // The text's sentiment (offline by default) waits for the worker too: one $batch read, one change set.
  const scored = await appRequests(() => drainKind('score-sentiment'));
  expect(scored).toBe(2);
  const routed = await appRequests(() => stack.drain());
  expect(routed).toBe(3);
});

it('a further text in an open conversation costs 2 requests: its conversation, then counter and message in one change set', async () => {
  await sms('+13175550903', 'first', 'SM00000000000000000000000000budget2');
  await stack.drain();
  const before = Date.now() - 1000;
  expect(await appRequests(() => sms('+13175550903', 'second', 'SM00000000000000000000000000budget3'))).toBe(2);
  // ...and nothing for routing: the conversation is already in its queue (only offers' timers and the text's sentiment wait there).
  expect(stack.queue.items.filter((i) => i.body.kind !== 'offer-expired' && i.body.kind !== 'score-sentiment')).toHaveLength(0);
  const texts = await stack.api.retrieveMultiple<{ swb_sequence: number }>({ collection: 'swb_messages', filter: `swb_body eq 'second'`, select: ['swb_sequence'] });
  expect(texts.value.map((m) => m.swb_sequence)).toEqual([2]);
  // The supervisor desk's "customer's last message" rides in the same change set as the counter.
  const [conversation] = (await stack.api.retrieveMultiple<{ swb_lastcustomermessageon: string | null }>({ collection: 'swb_conversations', filter: `swb_customerphone eq '+13175550903'`, select: ['swb_lastcustomermessageon'] })).value;
  expect(Date.parse(conversation!.swb_lastcustomermessageon ?? '')).toBeGreaterThanOrEqual(before);
});

it("a chat's start costs at most 2 requests (caches warm), a message 2, and an idle poll none until something happens in the conversation", async () => {
  const begin = (n: number) => chatCall('POST', `/${widgetId}/conversations`, { answers: {}, context: {}, locale: 'en', clientRequestId: `budget-start-${n}-abcdef` });
  await begin(0);
  let started!: { status: number; body: Record<string, any> };
  expect(await appRequests(async () => (started = await begin(1)))).toBeLessThanOrEqual(2);
  expect(started.status).toBe(201);
  const { conversationId, token } = started.body as { conversationId: string; token: string };
  expect(await appRequests(() => chatCall('POST', `/conversations/${conversationId}/messages`, { clientMessageId: 'budget-msg-1', body: 'Hi' }, token))).toBe(2);
  const poll = async () => (await chatCall('GET', `/conversations/${conversationId}/messages?after=1`, undefined, token)).body;
  // The first poll reads; the ones after it are answered from memory.
  expect(await appRequests(poll)).toBe(2);
  expect(await appRequests(async () => { for (let i = 0; i < 10; i++) await poll(); })).toBe(0);
  // A revoked or foreign token is still refused from memory.
  expect((await chatCall('GET', `/conversations/${conversationId}/messages?after=1`, undefined, 'not-a-token')).status).toBe(401);
  // An agent writes (their own token); the message-created step's webhook reaches this app, and the next poll reads it.
  const agentMessage = (await stack.api.create({
    collection: 'swb_messages',
    data: { swb_name: 'reply', swb_body: 'Hello from us', swb_sequence: 2, swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Agent, swb_visibility: Visibility.Public, 'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})` },
  })) as string;
  const webhook = executionContext({ message: 'Create', table: 'swb_message', id: agentMessage, stage: 40, mode: 'async', target: { swb_conversationid: ref('swb_conversation', conversationId), swb_sequence: 2 } });
  await stack.graph.pluginWebhooks.handle('message-created', webhook, stack.context);
  const after = await poll();
  expect(after['messages'].map((m: { body: string }) => m.body)).toEqual(['Hello from us']);
  expect(after['status']).toBe('waiting');
  // The conversation ends (the state step's webhook): the memo goes, and the widget learns it.
  await stack.api.update({ collection: 'swb_conversations', key: conversationId, data: { swb_state: ConversationState.Closed } });
  const closed = executionContext({ message: 'Update', table: 'swb_conversation', id: conversationId, stage: 40, mode: 'async', target: {} });
  await stack.graph.pluginWebhooks.handle('conversation-state', closed, stack.context);
  expect((await chatCall('GET', `/conversations/${conversationId}/messages?after=2`, undefined, token)).body['status']).toBe('ended');
});
