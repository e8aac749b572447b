import { AuthorKind, AutomatedMessageTrigger, ChannelType, ContextVariableType, ConversationState, DeliveryStatus, MessageDirection, Visibility } from '@switchboard/solution';
import { seedRouting, startStack, type Stack } from './stack.testing';

// Two hundred sends at once through the emulator take a few seconds on a busy machine: the bound
// is for a hang, not a speed test.
jest.setTimeout(60_000);

let stack: Stack;
let widgetId: string;
const ORIGIN = 'https://shop.example';

beforeAll(async () => {
  stack = await startStack();
  const seed = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: 'Chat Agent', queue: 'main' }]);
  widgetId = (await stack.api.create({
    collection: 'swb_chatwidgets',
    data: {
      swb_name: 'shop',
      swb_allowedorigins: `${ORIGIN}\nhttps://partner.example`,
      swb_prechatquestions: JSON.stringify([
        { id: 'name', label: { 1033: 'Your name', 1036: 'Votre nom' }, type: 'text', required: true, contactField: 'lastname' },
        { id: 'email', label: { 1033: 'Email', 1036: 'Courriel' }, type: 'email', required: true, contactField: 'emailaddress1' },
        { id: 'topic', label: 'Topic', type: 'choice', required: false, choices: [{ value: 'orders', label: { 1033: 'Orders', 1036: 'Commandes' } }] },
      ]),
      'swb_workstreamid@odata.bind': `/swb_workstreams(${seed.workstreamId})`,
      swb_isenabled: true,
    },
  })) as string;
  await stack.api.create({ collection: 'swb_contextvariables', data: { swb_name: 'cartTotal', swb_type: ContextVariableType.Number, 'swb_chatwidgetid@odata.bind': `/swb_chatwidgets(${widgetId})` } });
  await stack.api.create({ collection: 'swb_contextvariables', data: { swb_name: 'vip', swb_type: ContextVariableType.Boolean, 'swb_chatwidgetid@odata.bind': `/swb_chatwidgets(${widgetId})` } });
  await stack.api.create({ collection: 'contacts', data: { firstname: 'Ana', lastname: 'Lopez', emailaddress1: 'ana@example.test' } });
});
afterAll(() => stack.stop());

const api = (path: string) => `${stack.baseUrl}/api/chat${path}`;

async function call(method: string, path: string, options: { body?: unknown; token?: string; origin?: string | null } = {}) {
  const headers: Record<string, string> = {};
  if (options.origin !== null) headers['origin'] = options.origin ?? ORIGIN;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  const res = await fetch(api(path), { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

let counter = 0;
async function start(extra: Record<string, unknown> = {}) {
  const res = await call('POST', `/${widgetId}/conversations`, {
    body: { answers: { name: 'Lopez', email: 'ana@example.test' }, context: { cartTotal: 42.5, vip: true, injected: 'dropped' }, locale: 'fr-CA', pageUrl: `${ORIGIN}/cart`, clientRequestId: `req-start-${++counter}-abcdef`, ...extra },
  });
  return res;
}

it('config answers the widget in the asked language, with CORS for an allowed origin only', async () => {
  const res = await call('GET', `/${widgetId}/config?locale=fr-CA`);
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  expect(res.headers.get('vary')).toContain('Origin');
  expect(res.body!.preChatQuestions.map((q: { label: string }) => q.label)).toEqual(['Votre nom', 'Courriel', 'Topic']);
  expect(res.body!.preChatQuestions[2].choices).toEqual([{ value: 'orders', label: 'Commandes' }]);
  expect(res.body!.hours).toEqual({ open: true });
  expect(res.body!.contextVariables).toEqual(expect.arrayContaining(['cartTotal', 'vip']));
  const evil = await call('GET', `/${widgetId}/config`, { origin: 'https://evil.example' });
  expect(evil.status).toBe(403);
  expect(evil.body!.error.code).toBe('origin_not_allowed');
  expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  expect((await call('GET', '/6a1f4c7e-0000-4000-8000-000000000000/config')).body!.error.code).toBe('unknown_widget');
});

it('preflight is answered for allowed origins, on widget and conversation routes, and refused for others', async () => {
  const ok = await fetch(api(`/${widgetId}/conversations`), { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
  expect(ok.status).toBe(204);
  expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  expect(ok.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
  const started = await start();
  const conv = await fetch(api(`/conversations/${started.body!.conversationId}/messages`), { method: 'OPTIONS', headers: { origin: 'https://partner.example', 'access-control-request-method': 'GET' } });
  expect(conv.status).toBe(204);
  const evil = await fetch(api(`/${widgetId}/conversations`), { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
  expect(evil.status).toBe(403);
});

it('start validates pre-chat answers and context variables against their definitions', async () => {
  const bad = await call('POST', `/${widgetId}/conversations`, {
    body: { answers: { name: '', email: 'not-an-email', topic: 'weather' }, context: { cartTotal: 'lots' }, locale: 'en', pageUrl: '', clientRequestId: 'req-bad-000001' },
  });
  expect(bad.status).toBe(400);
  expect(bad.body!.error.code).toBe('validation_failed');
  expect(bad.body!.error.fields).toMatchObject({ name: 'required', email: expect.any(String), topic: expect.any(String) });
  const badContext = await call('POST', `/${widgetId}/conversations`, {
    body: { answers: { name: 'X', email: 'x@example.test' }, context: { cartTotal: 'lots' }, locale: 'en', pageUrl: '', clientRequestId: 'req-bad-000002' },
  });
  expect(badContext.body!.error.fields).toEqual({ cartTotal: 'must be a number' });
});

it('start identifies the customer when every mapped answer matches, stores only a token hash, and creates the chat waiting in its queue, which is routed', async () => {
  stack.queue.items.splice(0);
  const res = await start();
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ conversationId: expect.any(String), token: expect.any(String), status: 'waiting' });
  expect(Date.parse(res.body!.expiresOn)).toBeGreaterThan(Date.now() + 3600_000);
  const conv = await stack.api.retrieve<Record<string, any>>({ collection: 'swb_conversations', key: res.body!.conversationId });
  expect(conv['swb_channeltype']).toBe(ChannelType.LiveChat);
  expect(conv['_swb_customerid_value']).toBeTruthy();
  expect(JSON.parse(conv['swb_context'])).toEqual({ cartTotal: 42.5, vip: true, pageUrl: `${ORIGIN}/cart` });
  expect(conv['swb_customertokenhash']).toMatch(/^[0-9a-f]{64}$/);
  expect(JSON.stringify(conv)).not.toContain(res.body!.token);
  // Placed where it was created: waiting in the widget workstream's queue, which is routed.
  expect(conv['swb_state']).toBe(ConversationState.Waiting);
  expect(stack.queue.items.map((i) => i.body)).toContainEqual(expect.objectContaining({ kind: 'route-queue', queueId: conv['_swb_queueid_value'] }));
  await stack.drain();
  const offers = await stack.api.retrieveMultiple({ collection: 'swb_offers', filter: `_swb_conversationid_value eq ${res.body!.conversationId}` });
  expect(offers.value).toHaveLength(1);
});

it('an answer that matches nobody leaves the chat unidentified', async () => {
  const res = await start({ answers: { name: 'Lopez', email: 'someone-else@example.test' } });
  const conv = await stack.api.retrieve<Record<string, any>>({ collection: 'swb_conversations', key: res.body!.conversationId });
  expect(conv['_swb_customerid_value'] ?? null).toBeNull();
});

it('a retried start with the same clientRequestId returns the same conversation, never a second one', async () => {
  const body = { answers: { name: 'Lopez', email: 'ana@example.test' }, context: {}, locale: 'en', pageUrl: '', clientRequestId: 'req-retry-0000001' };
  const first = await call('POST', `/${widgetId}/conversations`, { body });
  const second = await call('POST', `/${widgetId}/conversations`, { body });
  expect(first.status).toBe(201);
  expect(second.status).toBe(200);
  expect(second.body!.conversationId).toBe(first.body!.conversationId);
  // The latest token is the valid one.
  expect((await call('GET', `/conversations/${first.body!.conversationId}/messages?after=0`, { token: second.body!.token })).status).toBe(200);
});

it('a start replayed with the same clientRequestId but other answers is refused and the customer keeps the conversation', async () => {
  const body = { answers: { name: 'Lopez', email: 'ana@example.test' }, context: {}, locale: 'en', pageUrl: '', clientRequestId: 'req-hijack-000001' };
  const first = await call('POST', `/${widgetId}/conversations`, { body });
  expect(first.status).toBe(201);
  const hijack = await call('POST', `/${widgetId}/conversations`, { body: { ...body, answers: { name: 'Mallory', email: 'mallory@example.test' } } });
  expect(hijack.status).toBe(400);
  expect(hijack.body!.token).toBeUndefined();
  const otherContext = await call('POST', `/${widgetId}/conversations`, { body: { ...body, context: { vip: true } } });
  expect(otherContext.status).toBe(400);
  // The customer's token was not revoked by either attempt.
  expect((await call('GET', `/conversations/${first.body!.conversationId}/messages?after=0`, { token: first.body!.token })).status).toBe(200);
});

it('twenty messages posted at once to each of ten conversations are all stored, once each, with distinct numbers: never a 409', async () => {
  const chats = await Promise.all(Array.from({ length: 10 }, () => start()));
  const results = await Promise.all(chats.flatMap(({ body }, c) =>
    Array.from({ length: 20 }, (_, i) => call('POST', `/conversations/${body!.conversationId}/messages`, { token: body!.token, body: { body: `burst ${c}-${i}`, clientMessageId: `burst-${c}-${String(i).padStart(4, '0')}` } })),
  ));
  expect(results.filter((r) => r.status !== 201).map((r) => [r.status, r.body])).toEqual([]);
  for (const { body } of chats) {
    const stored = await stack.api.retrieveMultiple<{ swb_sequence: number; swb_body: string }>({
      collection: 'swb_messages', filter: `_swb_conversationid_value eq ${body!.conversationId} and swb_direction eq ${MessageDirection.Inbound}`, select: ['swb_sequence', 'swb_body'],
    });
    expect(stored.value).toHaveLength(20);
    expect(new Set(stored.value.map((m) => m.swb_sequence)).size).toBe(20);
  }
});

it('send is idempotent by clientMessageId; read returns public messages after a sequence and never internal notes', async () => {
  const { conversationId, token } = (await start()).body!;
  const sent = await call('POST', `/conversations/${conversationId}/messages`, { token, body: { body: 'Where is my parcel?', clientMessageId: 'msg-0000000001' } });
  expect(sent.status).toBe(201);
  expect(sent.body!.message).toMatchObject({ authorKind: 'customer', body: 'Where is my parcel?', clientMessageId: 'msg-0000000001' });
  const resent = await call('POST', `/conversations/${conversationId}/messages`, { token, body: { body: 'Where is my parcel?', clientMessageId: 'msg-0000000001' } });
  expect(resent.status).toBe(200);
  expect(resent.body!.message.sequence).toBe(sent.body!.message.sequence);
  // An agent's internal note and a public reply, written as the agent workspace writes them.
  const seq = async () => (await stack.api.retrieve<Record<string, number>>({ collection: 'swb_conversations', key: conversationId, select: ['swb_lastmessagesequence'] })).swb_lastmessagesequence!;
  for (const [visibility, body] of [[Visibility.Internal, 'customer seems upset'], [Visibility.Public, 'It ships today.']] as const) {
    const next = (await seq()) + 1;
    await stack.api.update({ collection: 'swb_conversations', key: conversationId, data: { swb_lastmessagesequence: next } });
    await stack.api.create({
      collection: 'swb_messages',
      data: { swb_body: body, swb_sequence: next, swb_visibility: visibility, swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Agent, swb_authorname: 'Sam', 'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})` },
    });
  }
  const all = await call('GET', `/conversations/${conversationId}/messages?after=0`, { token });
  expect(all.status).toBe(200);
  expect(all.body!.messages.map((m: { body: string }) => m.body)).toEqual(['Where is my parcel?', 'It ships today.']);
  expect(JSON.stringify(all.body)).not.toContain('upset');
  expect(all.body!.messages[1]).toMatchObject({ authorKind: 'agent', authorName: 'Sam' });
  const after = await call('GET', `/conversations/${conversationId}/messages?after=${sent.body!.message.sequence}`, { token });
  expect(after.body!.messages.map((m: { body: string }) => m.body)).toEqual(['It ships today.']);
  const long = await call('POST', `/conversations/${conversationId}/messages`, { token, body: { body: 'x'.repeat(4001), clientMessageId: 'msg-0000000002' } });
  expect(long.status).toBe(400);
  expect(long.body!.error.code).toBe('message_too_long');
});

it("an agent's reply is marked delivered, with its time, once the widget has read it; the internal note is left alone", async () => {
  const { conversationId, token } = (await start()).body!;
  const seq = async () => (await stack.api.retrieve<Record<string, number>>({ collection: 'swb_conversations', key: conversationId, select: ['swb_lastmessagesequence'] })).swb_lastmessagesequence ?? 0;
  const ids: string[] = [];
  for (const [visibility, body] of [[Visibility.Public, 'On its way.'], [Visibility.Internal, 'checked the warehouse']] as const) {
    const next = (await seq()) + 1;
    await stack.api.update({ collection: 'swb_conversations', key: conversationId, data: { swb_lastmessagesequence: next } });
    ids.push(
      (await stack.api.create({
        collection: 'swb_messages',
        data: {
          swb_body: body, swb_sequence: next, swb_visibility: visibility, swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Agent,
          ...(visibility === Visibility.Public ? { swb_deliverystatus: DeliveryStatus.Pending } : {}),
          'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})`,
        },
      })) as string,
    );
  }
  const status = async (id: string) => stack.api.retrieve<{ swb_deliverystatus: number | null; swb_deliveredon: Date | null }>({ collection: 'swb_messages', key: id, select: ['swb_deliverystatus', 'swb_deliveredon'] });
  expect((await status(ids[0]!)).swb_deliverystatus).toBe(DeliveryStatus.Pending);
  const read = await call('GET', `/conversations/${conversationId}/messages?after=0`, { token });
  expect(read.body!.messages.map((m: { body: string }) => m.body)).toContain('On its way.');
  expect(await status(ids[0]!)).toMatchObject({ swb_deliverystatus: DeliveryStatus.Delivered, swb_deliveredon: expect.any(Date) });
  expect((await status(ids[1]!)).swb_deliverystatus).toBeNull();
});

it("another conversation's token, a forged token and no token are all refused", async () => {
  const a = (await start()).body!;
  const b = (await start()).body!;
  const cross = await call('GET', `/conversations/${a.conversationId}/messages?after=0`, { token: b.token });
  expect(cross.status).toBe(401);
  expect(cross.body!.error.code).toBe('unauthorized');
  const crossSend = await call('POST', `/conversations/${a.conversationId}/messages`, { token: b.token, body: { body: 'hi', clientMessageId: 'msg-cross-00001' } });
  expect(crossSend.status).toBe(401);
  const forged = `${a.token.split('.')[0]}.${Buffer.from('x'.repeat(32)).toString('base64url')}`;
  expect((await call('GET', `/conversations/${a.conversationId}/messages?after=0`, { token: forged })).status).toBe(401);
  expect((await call('GET', `/conversations/${a.conversationId}/messages?after=0`)).status).toBe(401);
  // Errors still carry CORS headers, or the browser would hide them from the widget.
  expect(cross.headers.get('access-control-allow-origin')).toBe(ORIGIN);
});

it('end closes an unassigned chat once; sending afterwards is 409 conversation_ended', async () => {
  const { conversationId, token } = (await start()).body!;
  const ended = await call('POST', `/conversations/${conversationId}/end`, { token, body: { reason: 'customer_ended' } });
  expect(ended).toMatchObject({ status: 200, body: { status: 'ended' } });
  expect((await call('POST', `/conversations/${conversationId}/end`, { token })).status).toBe(200);
  const conv = await stack.api.retrieve<Record<string, any>>({ collection: 'swb_conversations', key: conversationId });
  expect(conv['swb_state']).toBe(ConversationState.Closed);
  const late = await call('POST', `/conversations/${conversationId}/messages`, { token, body: { body: 'one more thing', clientMessageId: 'msg-late-000001' } });
  expect(late.status).toBe(409);
  expect(late.body!.error.code).toBe('conversation_ended');
  expect((await call('GET', `/conversations/${conversationId}/messages?after=0`, { token })).body!.status).toBe('ended');
});

it('sending faster than the per-conversation limit is answered 429 with Retry-After', async () => {
  const { conversationId, token } = (await start()).body!;
  const results: number[] = [];
  for (let i = 0; i < 24; i++) {
    results.push((await call('POST', `/conversations/${conversationId}/messages`, { token, body: { body: `m${i}`, clientMessageId: `msg-rate-${String(i).padStart(6, '0')}` } })).status);
  }
  expect(results.filter((s) => s === 201).length).toBeGreaterThanOrEqual(20);
  const limited = await call('POST', `/conversations/${conversationId}/messages`, { token, body: { body: 'again', clientMessageId: 'msg-rate-limited' } });
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
});


it('outside operating hours the config says closed with the configured message, and a start is 409 outside_hours', async () => {
  const hoursId = (await stack.api.create({ collection: 'swb_operatinghourses', data: { swb_name: 'never', swb_timezone: 'Europe/Paris', swb_weeklyschedule: '{}' } })) as string;
  const closed = (await stack.api.create({
    collection: 'swb_chatwidgets',
    data: { swb_name: 'closed-shop', swb_allowedorigins: ORIGIN, swb_prechatquestions: '[]', 'swb_operatinghoursid@odata.bind': `/swb_operatinghourses(${hoursId})`, swb_isenabled: true },
  })) as string;
  await stack.api.create({ collection: 'swb_automatedmessages', data: { swb_name: 'closed fr', swb_trigger: AutomatedMessageTrigger.OutsideOperatingHours, swb_channeltype: ChannelType.LiveChat, swb_locale: 'fr', swb_text: 'Nous sommes fermés, revenez demain.', swb_isenabled: true } });
  const config = await call('GET', `/${closed}/config?locale=fr-FR`);
  expect(config.body!.hours).toEqual({ open: false, closedMessage: 'Nous sommes fermés, revenez demain.' });
  const start = await call('POST', `/${closed}/conversations`, { body: { answers: {}, context: {}, locale: 'fr-FR', pageUrl: '', clientRequestId: 'req-closed-000001' } });
  expect(start.status).toBe(409);
  expect(start.body!.error).toEqual({ code: 'outside_hours', message: 'Nous sommes fermés, revenez demain.' });
});
