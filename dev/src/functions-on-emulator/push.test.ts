// Live updates end to end: the functions table on the Dataverse emulator, pushing through the
// real server SDK (@azure/web-pubsub) to the local Web PubSub stand-in, whose event handler is
// the app's own push-events route. Clients are core's PushClient over a real socket (ws), as
// the widget and the agents' controls run it; agents get their URLs from the server SDK with
// the user id and groups the product gives them.
import { ChannelType, ConversationState, OfferResponse, Provider } from '@switchboard/solution';
import { conversationGroup, customerPushUser, PushClient, type PushEvent, type SocketLike } from '@switchboard/core';
import { buildServiceGraph } from '@switchboard/functions/composition';
import { WebPubSubPush } from '@switchboard/functions/push/web-pubsub.adapter';
import type { MemoryWorkQueue } from '@switchboard/functions/testing/memory-work-queue';
import type { WebPubSubServiceClient } from '@azure/web-pubsub';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { diffStats } from '../dataverse/request-stats';
import { Harness, waitUntil } from '../webpubsub/stand-in.testing';
import { ADMIN_KEY, CHAT_KEY, PUBLIC_BASE, TWILIO_TOKEN, postSignedTwilio, seedRouting, startStack, twilioInbound, type Stack } from './stack.testing';

const HUB = 'switchboard';
const ORIGIN = 'https://shop.example';
const APP = 'switchboard-app@switchboard.dev';
const SMS_NUMBER = '+13175550400';
// The stand-in is created before the stack listens: its event handler URL names this
// placeholder, which its fetch replaces with the stack's address.
const STACK_PLACEHOLDER = 'http://functions.stack.invalid';

let h: Harness;
let service: WebPubSubServiceClient;
let stack: Stack;
let widgetId: string;
let channelId: string;
let sms: Awaited<ReturnType<typeof seedRouting>>;
/** What the stand-in sent the app's event handler, and how it was answered. */
const upstream: { method: string; type: string | null; userId: string | null; status: number; allowedOrigin: string | null }[] = [];
const answered = (type: string, userId: string) => upstream.find((u) => u.type === type && u.userId === userId);

/** The stack's settings with push configured: the push port, and the event handler (pushUpstream) built from them. */
function pushStack(chat?: { cursorTrustMs: number }): Promise<Stack> {
  const connectionString = h.listening.connectionString;
  return startStack({
    graph: {
      push: new WebPubSubPush({ connectionString, hub: HUB }),
      settings: { SWB_TWILIO_TOKEN: TWILIO_TOKEN, CHAT_TOKEN_KEY: CHAT_KEY, SWITCHBOARD_ADMIN_KEY: ADMIN_KEY, SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING: connectionString, SWITCHBOARD_WEBPUBSUB_HUB: HUB },
      ...(chat ? { chat: { startRate: { burst: 1000, perSecond: 100 }, ...chat } } : {}),
    },
  });
}

async function seedWidget(s: Stack): Promise<string> {
  const seed = await seedRouting(s.api, ChannelType.LiveChat, [{ name: 'Push Chat Agent', queue: 'main' }]);
  return (await s.api.create({
    collection: 'swb_chatwidgets',
    data: { swb_name: 'push', swb_allowedorigins: ORIGIN, swb_prechatquestions: '[]', 'swb_workstreamid@odata.bind': `/swb_workstreams(${seed.workstreamId})`, swb_isenabled: true },
  })) as string;
}

beforeAll(async () => {
  h = await new Harness().start({
    eventHandlers: { [HUB]: { urlTemplate: `${STACK_PLACEHOLDER}/api/push/events`, userEvents: ['typing'], systemEvents: ['disconnected'] } },
    fetch: async (url, init) => {
      const res = await fetch(String(url).replace(STACK_PLACEHOLDER, stack.baseUrl), init);
      const headers = new Headers(init?.headers);
      upstream.push({ method: init?.method ?? 'GET', type: headers.get('ce-type'), userId: headers.get('ce-userid'), status: res.status, allowedOrigin: res.headers.get('webhook-allowed-origin') });
      return res;
    },
  });
  service = h.service(HUB);
  stack = await pushStack();
  widgetId = await seedWidget(stack);
  sms = await seedRouting(stack.api, ChannelType.Sms, [
    { name: 'Offered Agent', queue: 'main', max: 10 },
    { name: 'Billing Agent', queue: 'other', max: 10 },
  ]);
  channelId = (await stack.api.create({
    collection: 'swb_channels',
    data: { swb_name: 'Push SMS', swb_provider: Provider.Twilio, swb_phonenumber: SMS_NUMBER, swb_accountid: 'AC00000000000000000000000000000001', swb_secretsettingname: 'SWB_TWILIO_TOKEN', 'swb_workstreamid@odata.bind': `/swb_workstreams(${sms.workstreamId})` },
  })) as string;
});

const running: PushClient[] = [];
afterEach(() => {
  for (const c of running.splice(0)) c.stop();
});
afterAll(async () => {
  // The stand-in first: no event for a closing client is then sent to a stack that is gone.
  await h?.stop();
  await stack?.stop();
});

// ---- clients ------------------------------------------------------------------------------

interface Listener {
  client: PushClient;
  events: PushEvent[];
  waitFor(predicate: (e: PushEvent) => boolean, what: string): Promise<PushEvent>;
  /** Sends a marker to `userId` and waits for it: everything sent before it has arrived by then. */
  settle(userId: string): Promise<void>;
}

async function listen(negotiate: () => Promise<string | null>, options: { connect?: boolean } = {}): Promise<Listener> {
  const events: PushEvent[] = [];
  const client = new PushClient(
    {
      negotiate,
      openSocket: (url, protocol) => new WebSocket(url, protocol) as unknown as SocketLike,
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) },
      random: Math.random,
    },
    { minBackoffMs: 20, maxBackoffMs: 200 },
  );
  client.onEvent((e) => events.push(e));
  running.push(client);
  client.start();
  if (options.connect !== false) await waitUntil(() => client.state === 'connected', 5000, 'the push client to connect');
  return {
    client,
    events,
    async waitFor(predicate, what) {
      await waitUntil(() => events.some(predicate), 5000, what);
      return events.find(predicate)!;
    },
    async settle(userId) {
      const marker = randomUUID();
      await service.sendToUser(userId, { kind: 'agent', agentId: marker });
      await waitUntil(() => events.some((e) => e.kind === 'agent' && e.agentId === marker), 5000, 'the marker');
      events.splice(events.findIndex((e) => e.kind === 'agent' && e.agentId === marker), 1);
    },
  };
}

/** An agent's client, placed by its token as the product places agents: its user id, its conversations' groups. */
function agent(userId: string, groups: string[] = []): Promise<Listener> {
  return listen(async () => (await service.getClientAccessToken({ userId, groups })).url);
}

// ---- the chat API -------------------------------------------------------------------------

async function call(s: Stack, method: string, path: string, options: { body?: unknown; token?: string } = {}) {
  const res = await fetch(`${s.baseUrl}/api/chat${path}`, {
    method,
    headers: { origin: ORIGIN, ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

let started = 0;
async function startChat(s: Stack = stack, widget: string = widgetId): Promise<{ conversationId: string; token: string }> {
  const res = await call(s, 'POST', `/${widget}/conversations`, { body: { answers: {}, context: {}, locale: 'en', clientRequestId: `push-start-${++started}-abcdef` } });
  expect(res.status).toBe(201);
  return { conversationId: res.body!['conversationId'] as string, token: res.body!['token'] as string };
}

const negotiateUrl = async (s: Stack, conversationId: string, token: string) => {
  const res = await call(s, 'POST', `/conversations/${conversationId}/negotiate`, { token });
  if (res.status !== 200) throw new Error(`negotiate answered ${res.status}`);
  return res.body!['url'] as string | null;
};

/** The application user's Dataverse requests while `work` runs. */
async function appRequests(s: Stack, work: () => Promise<unknown>): Promise<number> {
  const before = s.emulator.stats();
  await work();
  return diffStats(before, s.emulator.stats()).callers[APP]?.requests ?? 0;
}

async function smsConversation(from: string): Promise<string> {
  const r = await stack.api.retrieveMultiple<{ activityid: string }>({ collection: 'swb_conversations', filter: `swb_customerphone eq '${from}' and _swb_channelid_value eq ${channelId}`, select: ['activityid'] });
  expect(r.value).toHaveLength(1);
  return r.value[0]!.activityid;
}

async function text(from: string, body: string, sid: string): Promise<void> {
  const res = await postSignedTwilio(stack, `/api/sms/twilio/${channelId}`, twilioInbound(sid, from, body, SMS_NUMBER));
  expect(res.status).toBe(200);
}

// ---- negotiate ----------------------------------------------------------------------------

describe('negotiate', () => {
  it("answers the customer's token with a URL on which a push client connects as customer.<conversationId>, in no group", async () => {
    const { conversationId, token } = await startChat();
    const url = await negotiateUrl(stack, conversationId, token);
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/client\/hubs\/switchboard\?access_token=/);
    expect((await call(stack, 'POST', `/conversations/${conversationId}/negotiate`, { token })).headers.get('cache-control')).toBe('no-store');
    const customer = await listen(() => negotiateUrl(stack, conversationId, token));
    const user = customerPushUser(conversationId);
    expect(await service.userExists(user)).toBe(true);
    // What is sent to the customer's user reaches it...
    await service.sendToUser(user, { kind: 'message', conversationId, sequence: 7 });
    await customer.waitFor((e) => e.kind === 'message', 'a message to the customer');
    // ...what the conversation's agents hear (internal notes too) does not: the token named no group.
    await service.group(conversationGroup(conversationId)).sendToAll({ kind: 'message', conversationId, sequence: 8, internal: true });
    await customer.settle(user);
    expect(customer.events).toEqual([{ kind: 'message', conversationId, sequence: 7 }]);
  });

  it("refuses a request without a token, with a forged one, or with another conversation's token with 401 and no URL", async () => {
    const mine = await startChat();
    const theirs = await startChat();
    for (const token of [undefined, 'not-a-token', theirs.token]) {
      const res = await call(stack, 'POST', `/conversations/${mine.conversationId}/negotiate`, token ? { token } : {});
      expect(res.status).toBe(401);
      expect(res.body!['url']).toBeUndefined();
    }
  });
});

describe('without push configured (the default stack)', () => {
  let plain: Stack;
  beforeAll(async () => {
    plain = await startStack();
  });
  afterAll(() => plain.stop());

  it('negotiate answers { url: null }, a push client stays off, and typing is accepted and goes nowhere', async () => {
    const plainWidget = await seedWidget(plain);
    const { conversationId, token } = await startChat(plain, plainWidget);
    const res = await call(plain, 'POST', `/conversations/${conversationId}/negotiate`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ url: null });
    const client = await listen(() => negotiateUrl(plain, conversationId, token), { connect: false });
    await waitUntil(() => client.client.state === 'off', 5000, 'the client to give up');
    expect((await call(plain, 'POST', `/conversations/${conversationId}/typing`, { token })).status).toBe(204);
    // Its event handler route refuses: nothing is configured to sign events.
    expect((await fetch(`${plain.baseUrl}/api/push/events`, { method: 'POST', headers: { 'ce-type': 'azure.webpubsub.sys.disconnected' } })).status).toBe(501);
  });
});

// ---- what reaches the conversation's agents -----------------------------------------------

describe("the conversation's group", () => {
  it("hears the customer typing as { kind: 'typing', by: 'customer' }; an agent of another conversation does not", async () => {
    const { conversationId, token } = await startChat();
    const agentId = randomUUID();
    const elsewhere = randomUUID();
    const inGroup = await agent(agentId, [conversationGroup(conversationId)]);
    const other = await agent(elsewhere, [conversationGroup(randomUUID())]);
    const res = await call(stack, 'POST', `/conversations/${conversationId}/typing`, { token });
    expect(res.status).toBe(204);
    expect(await inGroup.waitFor((e) => e.kind === 'typing', 'the typing event')).toEqual({ kind: 'typing', conversationId, by: 'customer' });
    await other.settle(elsewhere);
    expect(other.events).toEqual([]);
    // Without the conversation's token nothing is told.
    expect((await call(stack, 'POST', `/conversations/${conversationId}/typing`, { token: (await startChat()).token })).status).toBe(401);
    await inGroup.settle(agentId);
    expect(inGroup.events).toHaveLength(1);
  });

  it('typing hammered by one conversation is rate-limited with 429 and a retry-after, and the agents hear only what was accepted', async () => {
    const { conversationId, token } = await startChat();
    const agentId = randomUUID();
    const inGroup = await agent(agentId, [conversationGroup(conversationId)]);
    const statuses: number[] = [];
    let limited: Headers | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await call(stack, 'POST', `/conversations/${conversationId}/typing`, { token });
      statuses.push(res.status);
      if (res.status === 429) limited ??= res.headers;
    }
    // The bucket holds three (chat-settings.ts typingRate), refilled at one per 2 s: on a slow
    // machine a late call may find a token again, so only the first four are certain.
    expect(statuses.slice(0, 4)).toEqual([204, 204, 204, 429]);
    expect(statuses.every((s) => s === 204 || s === 429)).toBe(true);
    expect(Number(limited!.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await inGroup.settle(agentId);
    expect(inGroup.events.filter((e) => e.kind === 'typing')).toHaveLength(statuses.filter((s) => s === 204).length);
    // Another conversation has its own bucket.
    const next = await startChat();
    expect((await call(stack, 'POST', `/conversations/${next.conversationId}/typing`, { token: next.token })).status).toBe(204);
  });

  it("hears a customer's chat message as { kind: 'message', sequence } with the stored message's number", async () => {
    const { conversationId, token } = await startChat();
    const agentId = randomUUID();
    const inGroup = await agent(agentId, [conversationGroup(conversationId)]);
    const sent = await call(stack, 'POST', `/conversations/${conversationId}/messages`, { token, body: { body: 'Where is my parcel?', clientMessageId: 'push-msg-000001' } });
    expect(sent.status).toBe(201);
    const sequence = sent.body!['message']['sequence'] as number;
    expect(sequence).toBeGreaterThanOrEqual(1);
    expect(await inGroup.waitFor((e) => e.kind === 'message', 'the message event')).toEqual({ kind: 'message', conversationId, sequence });
    // A retried send stores nothing new and tells nobody again.
    expect((await call(stack, 'POST', `/conversations/${conversationId}/messages`, { token, body: { body: 'Where is my parcel?', clientMessageId: 'push-msg-000001' } })).status).toBe(200);
    await inGroup.settle(agentId);
    expect(inGroup.events.filter((e) => e.kind === 'message')).toHaveLength(1);
  });

  it("hears an inbound SMS in an open conversation as { kind: 'message', sequence }", async () => {
    const from = '+13175550401';
    await text(from, 'My order is late', 'SM000000000000000000000000push0001');
    const conversationId = await smsConversation(from);
    const state = (await stack.api.retrieve<{ swb_state: number }>({ collection: 'swb_conversations', key: conversationId, select: ['swb_state'] })).swb_state;
    expect(state).not.toBe(ConversationState.Closed);
    const agentId = randomUUID();
    const inGroup = await agent(agentId, [conversationGroup(conversationId)]);
    await text(from, 'Any news?', 'SM000000000000000000000000push0002');
    const [stored] = (await stack.api.retrieveMultiple<{ swb_sequence: number }>({ collection: 'swb_messages', filter: `_swb_conversationid_value eq ${conversationId} and swb_body eq 'Any news?'`, select: ['swb_sequence'] })).value;
    expect(await inGroup.waitFor((e) => e.kind === 'message', 'the SMS message event')).toEqual({ kind: 'message', conversationId, sequence: stored!.swb_sequence });
    // The provider's retry of the same webhook is the same message: told once.
    await text(from, 'Any news?', 'SM000000000000000000000000push0002');
    await inGroup.settle(agentId);
    expect(inGroup.events.filter((e) => e.kind === 'message')).toHaveLength(1);
    await stack.drain();
  });
});

// ---- offers -------------------------------------------------------------------------------

describe('routing', () => {
  it("making an offer tells { kind: 'offer', change: 'made' } to that agent's user and nothing to another agent; its timeout tells 'withdrawn'", async () => {
    await stack.drain();
    const [offered, billing] = sms.agents;
    const offeredClient = await agent(offered!.id);
    const billingClient = await agent(billing!.id);
    const from = '+13175550402';
    await text(from, 'I need help', 'SM000000000000000000000000push0003');
    const conversationId = await smsConversation(from);
    await stack.drain();
    const [offer] = (await stack.api.retrieveMultiple<Record<string, any>>({ collection: 'swb_offers', filter: `_swb_conversationid_value eq ${conversationId}` })).value;
    expect(offer!['_swb_agentid_value']).toBe(offered!.id);
    expect(await offeredClient.waitFor((e) => e.kind === 'offer', 'the offer')).toEqual({ kind: 'offer', conversationId, change: 'made' });
    await billingClient.settle(billing!.id);
    expect(billingClient.events).toEqual([]);

    // The offer's own timer, delivered once it has expired, on an instance whose clock says so.
    const timer = stack.queue.items.find((i) => i.body.kind === 'offer-expired' && i.body.offerId === offer!['swb_offerid']);
    expect(timer).toBeDefined();
    stack.queue.items.splice(stack.queue.items.indexOf(timer!), 1);
    const later = buildServiceGraph({ client: stack.client, routingQueue: stack.queue as MemoryWorkQueue<unknown>, settings: {}, publicBaseUrl: PUBLIC_BASE, cacheTtlMs: 0, push: stack.graph.push, now: () => Date.parse(offer!['swb_expireson']) + 1000 });
    await later.routingWorker.run(timer!.body);
    expect((await stack.api.retrieve<{ swb_response: number }>({ collection: 'swb_offers', key: offer!['swb_offerid'], select: ['swb_response'] })).swb_response).toBe(OfferResponse.TimedOut);
    await offeredClient.waitFor((e) => e.kind === 'offer' && e.change === 'withdrawn', 'the withdrawal');
    await billingClient.settle(billing!.id);
    expect(billingClient.events).toEqual([]);
  });
});

// ---- the app's event handler, driven by the stand-in ----------------------------------------

describe("the push service's events", () => {
  it("an agent's last connection closing reaches the app (handshake, signature) and schedules agent-disconnected after the 150 s grace", async () => {
    const agentId = randomUUID();
    const client = await agent(agentId);
    const closedAt = Date.now();
    client.client.stop();
    // (Agents of earlier tests, stopped after each, are scheduled too: this one is looked for.)
    const mine = () => stack.queue.items.filter((i) => i.body.kind === 'agent-disconnected' && i.body.agentId === agentId);
    // Answered after it enqueued: by then the item is there.
    await waitUntil(() => answered('azure.webpubsub.sys.disconnected', agentId) !== undefined, 5000, 'the disconnected event to be answered');
    expect(mine()).toHaveLength(1);
    const item = mine()[0]!;
    expect(item.body).toMatchObject({ kind: 'agent-disconnected', agentId, reason: expect.any(String) });
    const since = (item.body as { since: number }).since;
    expect(since).toBeGreaterThanOrEqual(closedAt);
    // Due when the grace ends: the queue's clock may read a millisecond or two after `since` was taken.
    expect(item.nextVisibleOn!.getTime() - since).toBeGreaterThanOrEqual(150_000);
    expect(item.nextVisibleOn!.getTime() - since).toBeLessThan(151_000);
    // The stand-in asked first (the abuse-protection handshake) and was allowed its own origin only.
    expect(upstream.filter((u) => u.method === 'OPTIONS')).toEqual([{ method: 'OPTIONS', type: null, userId: null, status: 200, allowedOrigin: new URL(h.listening.url).host }]);
    expect(answered('azure.webpubsub.sys.disconnected', agentId)?.status).toBe(204);
    expect(h.standIn.stats().upstream.failed).toBe(0);
  });

  it("a customer's connection closing schedules nothing", async () => {
    const { conversationId, token } = await startChat();
    const customer = await listen(() => negotiateUrl(stack, conversationId, token));
    const user = customerPushUser(conversationId);
    customer.client.stop();
    await waitUntil(() => answered('azure.webpubsub.sys.disconnected', user) !== undefined, 5000, 'the disconnected event to be answered');
    expect(answered('azure.webpubsub.sys.disconnected', user)?.status).toBe(204);
    expect(stack.queue.items.filter((i) => i.body.kind === 'agent-disconnected' && i.body.agentId.startsWith('customer'))).toEqual([]);
    expect(stack.queue.items.filter((i) => i.body.kind === 'agent-disconnected' && i.body.agentId === conversationId)).toEqual([]);
  });

  it("the primary agent's typing event reaches the customer as { kind: 'typing', by: 'agent' }; another agent's is dropped", async () => {
    const { conversationId, token } = await startChat();
    const [primary, bystander] = (await seedRouting(stack.api, ChannelType.LiveChat, [{ name: 'Primary', queue: 'main' }, { name: 'Bystander', queue: 'main' }])).agents;
    await stack.api.update({ collection: 'swb_conversations', key: conversationId, data: { 'swb_primaryagentid@odata.bind': `/systemusers(${primary!.id})` } });
    const customer = await listen(() => negotiateUrl(stack, conversationId, token));
    const primaryClient = await agent(primary!.id, [conversationGroup(conversationId)]);
    const bystanderClient = await agent(bystander!.id, [conversationGroup(conversationId)]);

    expect(bystanderClient.client.sendEvent('typing', { conversationId })).toBe(true);
    await waitUntil(() => answered('azure.webpubsub.user.typing', bystander!.id) !== undefined, 5000, "the bystander's event to be answered");
    expect(answered('azure.webpubsub.user.typing', bystander!.id)?.status).toBe(204);
    await customer.settle(customerPushUser(conversationId));
    expect(customer.events).toEqual([]);

    expect(primaryClient.client.sendEvent('typing', { conversationId })).toBe(true);
    expect(await customer.waitFor((e) => e.kind === 'typing', "the agent's typing")).toEqual({ kind: 'typing', conversationId, by: 'agent' });
    // The agents in the group hear nothing of it: it was meant for the customer.
    await primaryClient.settle(primary!.id);
    expect(primaryClient.events).toEqual([]);
  });
});

// ---- what a typing signal costs in Dataverse requests ----------------------------------------

describe('the Dataverse requests a typing signal costs', () => {
  it('with chat memos off (the shared stack: cursorTrustMs 0), every typing call reads the conversation once', async () => {
    const { conversationId, token } = await startChat();
    const typing = async () => expect((await call(stack, 'POST', `/conversations/${conversationId}/typing`, { token })).status).toBe(204);
    // The widget is cached (30 s) since the start; the conversation is read for the token's hash.
    expect(await appRequests(stack, typing)).toBe(1);
    expect(await appRequests(stack, typing)).toBe(1);
  });

  describe('with chat memos on (cursorTrustMs 30 s, as deployed)', () => {
    let memo: Stack;
    let memoWidget: string;
    beforeAll(async () => {
      memo = await pushStack({ cursorTrustMs: 30_000 });
      memoWidget = await seedWidget(memo);
    });
    afterAll(() => memo.stop());

    it('a typing call costs one read until a poll leaves a memo (typing leaves none); within the trust after a poll it costs none', async () => {
      const { conversationId, token } = await startChat(memo, memoWidget);
      const typing = async () => expect((await call(memo, 'POST', `/conversations/${conversationId}/typing`, { token })).status).toBe(204);
      const first = await appRequests(memo, typing);
      const second = await appRequests(memo, typing);
      const poll = await appRequests(memo, async () => expect((await call(memo, 'GET', `/conversations/${conversationId}/messages?after=0`, { token })).status).toBe(200));
      const afterPoll = await appRequests(memo, typing);
      expect({ first, second, poll, afterPoll }).toEqual({ first: 1, second: 1, poll: 2, afterPoll: 0 });
    });

    it('a read a push event asked for (told=1) goes to Dataverse even when this instance remembers "nothing new"', async () => {
      const { conversationId, token } = await startChat(memo, memoWidget);
      const read = (query: string) => appRequests(memo, async () => expect((await call(memo, 'GET', `/conversations/${conversationId}/messages?${query}`, { token })).status).toBe(200));
      await read('after=0');
      // An agent's message written behind this instance's back (another instance, or before the
      // step's webhook came here): the memo still says nothing is new after what was read.
      const last = await memo.api.retrieve<{ swb_lastmessagesequence?: number }>({ collection: 'swb_conversations', key: conversationId, select: ['swb_lastmessagesequence'] });
      expect(await read(`after=${last.swb_lastmessagesequence ?? 0}`)).toBe(0);
      expect(await read(`after=${last.swb_lastmessagesequence ?? 0}&told=1`)).toBeGreaterThan(0);
    });
  });
});
