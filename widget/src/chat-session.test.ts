import { randomUUID } from 'node:crypto';
import { createHttpChatApi } from './chat-api.adapter';
import { agentTypingMs, ChatSession, customerTypingEveryMs, defaultPolicy } from './chat-session';
import { ConversationStore } from './conversation-store';
import { demoConfig, fakeFetch, FakeChatBackend } from '../test-support/fake-chat-backend';
import { FakePush } from '../test-support/fake-push';
import { ManualTimers, MemoryStorage, settle } from '../test-support/manual-timers';

const answers = { name: 'Ada Lovelace', email: 'ada@example.com', topic: 'order' };

function harness(backend = new FakeChatBackend(), storage = new MemoryStorage()) {
  const net = fakeFetch(backend);
  const timers = new ManualTimers();
  const sessions: ChatSession[] = [];
  // Every session gets a push client; the backend's negotiate answers null (no push) unless a
  // test sets `backend.pushUrl`, so the polling tests run exactly as on a deployment without push.
  const pushes: FakePush[] = [];
  const open = () => {
    const session = new ChatSession({
      widgetId: 'demo-shop',
      locale: 'en-GB',
      api: createHttpChatApi(net.base, net.fetch),
      store: new ConversationStore('demo-shop', storage, () => timers.now),
      timers,
      now: () => timers.now,
      newId: randomUUID,
      random: () => 0.5,
      isOnline: () => true,
      pageUrl: () => 'https://shop.test/page-1',
      push: (negotiate) => {
        const push = new FakePush(negotiate);
        pushes.push(push);
        return push;
      },
    });
    sessions.push(session);
    return session;
  };
  const customerBodies = () =>
    backend.only().messages.filter((m) => m.authorKind === 'customer').map((m) => m.body);
  const requests = (method: string, route: string) =>
    backend.requests.filter((r) => r.method === method && new URL(r.path, 'http://x').pathname.endsWith(route)).length;
  const reads = () => requests('GET', '/messages');
  return { backend, net, timers, storage, open, sessions, customerBodies, pushes, requests, reads };
}

async function started(h: ReturnType<typeof harness>) {
  const session = h.open();
  await session.init();
  session.setContext({ orderId: '42' });
  await session.start(answers);
  await settle();
  return session;
}

describe('chat session', () => {
  it('loading the config leads to the pre-chat survey, or to the closed notice outside hours', async () => {
    const h = harness();
    const s = h.open();
    expect(s.snapshot.phase).toBe('loading');
    await s.init();
    expect(s.snapshot.phase).toBe('prechat');
    expect(s.snapshot.config?.preChatQuestions.map((q) => q.id)).toEqual(['name', 'email', 'phone', 'topic']);

    const closed = harness(
      new FakeChatBackend({ configs: { 'demo-shop': { ...demoConfig, hours: { open: false, nextOpenOn: '2026-11-25T08:00:00Z' } } } }),
    );
    const c = closed.open();
    await c.init();
    expect(c.snapshot.phase).toBe('closed');
  });

  it('invalid pre-chat answers are reported per question and nothing is sent to the server', async () => {
    const h = harness();
    const s = h.open();
    await s.init();
    await s.start({ name: ' ', email: 'not-an-email', phone: 'call me', topic: 'pizza' });
    expect(s.snapshot.formProblems).toEqual({
      name: 'required',
      email: 'invalidEmail',
      phone: 'invalidPhone',
      topic: 'invalidChoice',
    });
    expect(s.snapshot.phase).toBe('prechat');
    expect(h.backend.conversations.size).toBe(0);
  });

  it('starting sends the trimmed answers, the context variables and the locale, then polls the transcript', async () => {
    const h = harness();
    const s = await started(h);
    expect(s.snapshot.phase).toBe('chatting');
    const c = h.backend.only();
    expect(c.request.answers).toEqual(answers);
    expect(c.request.context).toEqual({ orderId: '42' });
    expect(c.request.locale).toBe('en-GB');
    expect(c.request.pageUrl).toBe('https://shop.test/page-1');
    expect(s.snapshot.messages.map((m) => m.body)).toEqual(['You are in the queue.']);
  });

  it('a sent message is stored once with the next sequence and leaves the outbox', async () => {
    const h = harness();
    const s = await started(h);
    expect(s.send('  Where is my parcel?  ')).toBe(true);
    expect(s.send('   ')).toBe(false);
    await settle();
    expect(h.customerBodies()).toEqual(['Where is my parcel?']);
    expect(s.snapshot.pending).toEqual([]);
    expect(s.snapshot.messages.map((m) => [m.sequence, m.body])).toEqual([
      [1, 'You are in the queue.'],
      [2, 'Where is my parcel?'],
    ]);
  });

  it('polling picks up agent messages, slows down while idle and speeds up when something arrives', async () => {
    const h = harness();
    const s = await started(h);
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      delays.push(h.timers.scheduled[0]);
      await h.timers.advance(h.timers.scheduled[0]);
    }
    expect(delays[0]).toBe(defaultPolicy.fastMs);
    expect(delays[delays.length - 1]).toBeGreaterThan(delays[0]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(defaultPolicy.idleMaxMs);

    h.backend.push(h.backend.only().id, 'agent', 'Hello, I am Sam.', 'Sam');
    await h.timers.advance(h.timers.scheduled[0]);
    expect(s.snapshot.messages.at(-1)).toMatchObject({ authorKind: 'agent', body: 'Hello, I am Sam.', authorName: 'Sam' });
    expect(s.snapshot.status).toBe('active');
    expect(h.timers.scheduled[0]).toBe(defaultPolicy.fastMs);
  });

  it('a long transcript is read page by page until the server has no more', async () => {
    const backend = new FakeChatBackend({ pageSize: 2 });
    const h = harness(backend);
    const s = await started(h);
    const id = backend.only().id;
    for (let i = 1; i <= 5; i++) backend.push(id, 'agent', `line ${i}`);
    await h.timers.advance(h.timers.scheduled[0]);
    await h.timers.advance(0);
    await h.timers.advance(0);
    expect(s.snapshot.messages.map((m) => m.body)).toEqual(['You are in the queue.', 'line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
  });

  it('while the network is down messages wait, retries back off, and after reconnecting each is delivered exactly once, in order', async () => {
    const h = harness();
    const s = await started(h);
    h.net.control.mode = 'down';
    s.send('first');
    s.send('second');
    await settle();
    expect(s.snapshot.connection).toBe('reconnecting');
    expect(s.snapshot.pending.map((p) => [p.body, p.state])).toEqual([
      ['first', 'waiting'],
      ['second', 'waiting'],
    ]);
    // Backoff doubles (jitter pinned to 1.0 by random() = 0.5).
    const before = h.timers.scheduled.length;
    await h.timers.advance(1000);
    await h.timers.advance(2000);
    expect(h.timers.scheduled.some((d) => d === 4000)).toBe(true);
    expect(before).toBeGreaterThan(0);

    h.net.control.mode = 'up';
    await h.timers.advance(30000);
    expect(h.customerBodies()).toEqual(['first', 'second']);
    expect(s.snapshot.pending).toEqual([]);
    expect(s.snapshot.connection).toBe('online');
  });

  it('a resend after a lost response reuses the clientMessageId, so the server keeps one copy', async () => {
    const h = harness();
    const s = await started(h);
    h.net.control.mode = 'drop-responses';
    s.send('only once please');
    await settle();
    expect(h.customerBodies()).toEqual(['only once please']);
    expect(s.snapshot.pending).toHaveLength(1);

    h.net.control.mode = 'up';
    await h.timers.advance(5000);
    expect(h.customerBodies()).toEqual(['only once please']);
    const sends = h.backend.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect(sends.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sends.map((r) => JSON.parse(r.body!).clientMessageId)).size).toBe(1);
    expect(s.snapshot.pending).toEqual([]);
    expect(s.snapshot.messages.filter((m) => m.body === 'only once please')).toHaveLength(1);
  });

  it('a send answered busy (503 with Retry-After) is retried with the same clientMessageId until it is stored, once', async () => {
    const h = harness();
    const s = await started(h);
    h.backend.busySends = 3;
    s.send('please keep trying');
    await settle();
    expect(h.customerBodies()).toEqual([]);
    expect(s.snapshot.pending.map((p) => p.state)).toEqual(['waiting']);
    for (let i = 0; i < 6 && h.customerBodies().length === 0; i++) await h.timers.advance(5000);
    expect(h.customerBodies()).toEqual(['please keep trying']);
    const sends = h.backend.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect(sends).toHaveLength(4);
    expect(new Set(sends.map((r) => JSON.parse(r.body!).clientMessageId)).size).toBe(1);
    expect(s.snapshot.pending).toEqual([]);
  });

  it('going offline stops all timers; coming back online polls and delivers at once', async () => {
    const h = harness();
    const s = await started(h);
    s.goOffline();
    expect(h.timers.scheduled).toEqual([]);
    s.send('typed while offline');
    await settle();
    expect(h.backend.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))).toHaveLength(0);
    expect(s.snapshot.connection).toBe('offline');

    h.backend.push(h.backend.only().id, 'agent', 'Are you still there?');
    s.goOnline();
    await settle();
    expect(h.customerBodies()).toEqual(['typed while offline']);
    expect(s.snapshot.messages.map((m) => m.body)).toContain('Are you still there?');
    expect(s.snapshot.connection).toBe('online');
  });

  it('a reload continues the same conversation with its transcript and resends the unsent outbox once', async () => {
    const h = harness();
    const first = await started(h);
    h.backend.push(h.backend.only().id, 'agent', 'Hi!', 'Sam');
    await h.timers.advance(h.timers.scheduled[0]);
    h.net.control.mode = 'drop-responses';
    first.send('sent just before leaving');
    await settle();
    first.dispose(); // the page navigates away

    h.net.control.mode = 'up';
    const second = h.open();
    await second.init();
    await settle();
    expect(second.snapshot.phase).toBe('chatting');
    expect(second.snapshot.conversationId).toBe(h.backend.only().id);
    expect(second.snapshot.messages.map((m) => m.body)).toEqual(['You are in the queue.', 'Hi!', 'sent just before leaving']);
    expect(second.snapshot.pending).toEqual([]);
    expect(h.customerBodies()).toEqual(['sent just before leaving']);
    expect(h.backend.conversations.size).toBe(1);
  });

  it('an outbox that never reached the server survives the reload and is delivered afterwards', async () => {
    const h = harness();
    const first = await started(h);
    h.net.control.mode = 'down';
    first.send('queued offline');
    await settle();
    first.dispose();

    h.net.control.mode = 'up';
    const second = h.open();
    await second.init();
    await settle();
    expect(h.customerBodies()).toEqual(['queued offline']);
    expect(second.snapshot.pending).toEqual([]);
  });

  it('a start retried after its response was lost joins the conversation already opened', async () => {
    const h = harness();
    const s = h.open();
    await s.init();
    h.net.control.mode = 'drop-responses';
    await s.start(answers);
    expect(s.snapshot.phase).toBe('prechat');
    expect(s.snapshot.startError).toBe('network');
    h.net.control.mode = 'up';
    await s.start(answers);
    expect(s.snapshot.phase).toBe('chatting');
    expect(h.backend.conversations.size).toBe(1);
    expect(s.snapshot.conversationId).toBe(h.backend.only().id);
  });

  it('after a refused start the next attempt uses a fresh request id; after a lost one it reuses it', async () => {
    const h = harness();
    const s = h.open();
    await s.init();
    const ids = () =>
      h.backend.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/conversations')).map((r) => JSON.parse(r.body!).clientRequestId);
    h.net.control.mode = 'down';
    await s.start(answers);
    h.net.control.mode = 'drop-responses';
    await s.start(answers);
    h.backend.configs['demo-shop'] = { ...demoConfig, hours: { open: false } };
    h.net.control.mode = 'up';
    await s.start(answers); // replay of the dropped start: same id, joins that conversation
    expect(s.snapshot.phase).toBe('chatting');
    expect(new Set(ids()).size).toBe(1);

    const refused = harness();
    const r = refused.open();
    await r.init();
    refused.backend.configs['demo-shop'] = { ...demoConfig, hours: { open: false } };
    await r.start(answers);
    expect(r.snapshot.startError).toBe('outside_hours');
    refused.backend.configs['demo-shop'] = demoConfig;
    await r.start(answers);
    expect(r.snapshot.phase).toBe('chatting');
    const refusedIds = refused.backend.requests
      .filter((q) => q.method === 'POST' && q.path.endsWith('/conversations'))
      .map((q) => JSON.parse(q.body!).clientRequestId);
    expect(refusedIds).toHaveLength(2);
    expect(new Set(refusedIds).size).toBe(2);
  });

  it('when the agent ends the chat the widget shows it ended and forgets the conversation', async () => {
    const h = harness();
    const s = await started(h);
    h.backend.endByAgent(h.backend.only().id);
    await h.timers.advance(h.timers.scheduled[0]);
    expect(s.snapshot.phase).toBe('ended');
    expect(h.storage.map.size).toBe(0);
    expect(h.timers.scheduled).toEqual([]);
    s.restart();
    expect(s.snapshot.phase).toBe('prechat');
    expect(s.snapshot.messages).toEqual([]);
  });

  it('the customer ending the chat tells the server and clears the stored conversation', async () => {
    const h = harness();
    const s = await started(h);
    await s.end();
    expect(s.snapshot.phase).toBe('ended');
    expect(h.backend.only().status).toBe('ended');
    expect(h.storage.map.size).toBe(0);
  });

  it('ending while the network is down ends at once for the customer and tells the server once it is back', async () => {
    const h = harness();
    const s = await started(h);
    h.net.control.mode = 'down';
    await s.end();
    expect(s.snapshot.phase).toBe('ended');
    expect(h.backend.only().status).toBe('waiting');
    h.net.control.mode = 'up';
    await h.timers.advance(2000);
    expect(h.backend.only().status).toBe('ended');
  });

  it('a refused token ends in the expired state instead of retrying forever', async () => {
    const h = harness();
    const s = await started(h);
    (h.backend.only() as { token: string }).token = 'rotated';
    await h.timers.advance(h.timers.scheduled[0]);
    expect(s.snapshot.phase).toBe('expired');
    expect(h.timers.scheduled).toEqual([]);
    expect(h.storage.map.size).toBe(0);
  });

  it('a hand-off ticket continues the conversation on a site with empty storage', async () => {
    const backend = new FakeChatBackend();
    const siteA = harness(backend);
    const a = await started(siteA);
    a.send('from site A');
    await settle();
    const ticket = a.ticket()!;
    expect(ticket.conversationId).toBe(backend.only().id);

    const siteB = harness(backend, new MemoryStorage());
    const b = siteB.open();
    await b.init(ticket);
    await settle();
    expect(b.snapshot.phase).toBe('chatting');
    expect(b.snapshot.messages.map((m) => m.body)).toEqual(['You are in the queue.', 'from site A']);
    expect(siteB.storage.map.size).toBe(1);
  });

  it('a hand-off ticket the page does not trust is ignored and the customer keeps their own chat', async () => {
    const backend = new FakeChatBackend();
    const attacker = harness(backend);
    const planted = (await started(attacker)).ticket()!;

    const victim = harness(backend);
    const own = await started(victim);
    const ownId = own.snapshot.conversationId;
    own.dispose();
    const next = victim.open();
    await next.init(planted, () => false);
    await settle();
    expect(next.snapshot.conversationId).toBe(ownId);
    expect(next.snapshot.conversationId).not.toBe(planted.conversationId);
  });

  it('a stored conversation goes on even when the config cannot be loaded', async () => {
    const h = harness();
    const first = await started(h);
    first.dispose();
    delete (h.backend.configs as Record<string, unknown>)['demo-shop'];
    const second = h.open();
    await second.init();
    await settle();
    expect(second.snapshot.phase).toBe('chatting');
    expect(second.snapshot.messages).toHaveLength(1);
  });

  it('with no config and no conversation the widget reports the failure and retries by itself', async () => {
    const h = harness();
    h.net.control.mode = 'down';
    const s = h.open();
    await s.init();
    expect(s.snapshot.phase).toBe('load_failed');
    h.net.control.mode = 'up';
    await h.timers.advance(defaultPolicy.errorBaseMs);
    expect(s.snapshot.phase).toBe('prechat');
  });
});

describe('chat session across tabs', () => {
  it('a tab still on the survey follows a chat started in another tab of the same site', async () => {
    const h = harness();
    const tabA = h.open();
    const tabB = h.open();
    await tabA.init();
    await tabB.init();
    await tabA.start(answers);
    await settle();
    expect(tabB.snapshot.phase).toBe('prechat');
    tabB.syncFromStore(); // what the browser's storage event triggers
    await settle();
    expect(tabB.snapshot.phase).toBe('chatting');
    expect(tabB.snapshot.conversationId).toBe(tabA.snapshot.conversationId);
    expect(h.backend.conversations.size).toBe(1);
  });
});

describe('chat session with push', () => {
  const pushUrl = 'wss://push.test/client/hubs/chat?access_token=t';

  /** A started chat whose push client has connected (and made its catch-up read). */
  async function connected(h: ReturnType<typeof harness>) {
    h.backend.pushUrl = pushUrl;
    const s = await started(h);
    const push = h.pushes.at(-1)!;
    expect(push.negotiated).toEqual([pushUrl]);
    push.connected();
    await settle();
    return { s, push, id: h.backend.only().id };
  }

  it('negotiates with the customer token, and while push is connected an idle widget makes no requests at all', async () => {
    const h = harness();
    const { s } = await connected(h);
    const negotiate = h.backend.requests.find((r) => r.path.endsWith('/negotiate'))!;
    expect(negotiate.method).toBe('POST');
    expect(negotiate.headers.authorization).toBe(`Bearer ${h.backend.only().token}`);
    const before = h.backend.requests.length;
    await h.timers.advance(30 * 60_000);
    s.becameVisible(); // switching back to the tab needs no look either
    await settle();
    expect(h.backend.requests.length).toBe(before);
    expect(h.timers.scheduled).toEqual([]);
  });

  it('a message event reads the transcript exactly once, and a burst of events costs one more read, not one each', async () => {
    const h = harness();
    const { s, push, id } = await connected(h);
    const reads = h.reads();
    const hello = h.backend.push(id, 'agent', 'Hello, I am Sam.', 'Sam');
    push.emit({ kind: 'message', conversationId: id, sequence: hello.sequence });
    await h.timers.advance(60_000);
    expect(h.reads() - reads).toBe(1);
    expect(s.snapshot.messages.at(-1)).toMatchObject({ body: 'Hello, I am Sam.', authorName: 'Sam' });

    const burst = h.reads();
    for (const line of ['one', 'two', 'three']) {
      const m = h.backend.push(id, 'agent', line, 'Sam');
      push.emit({ kind: 'message', conversationId: id, sequence: m.sequence });
    }
    await h.timers.advance(60_000);
    expect(h.reads() - burst).toBe(2);
    expect(s.snapshot.messages.slice(-3).map((m) => m.body)).toEqual(['one', 'two', 'three']);

    // Already read, or about another conversation: nothing to fetch.
    const quiet = h.reads();
    push.emit({ kind: 'message', conversationId: id, sequence: hello.sequence });
    push.emit({ kind: 'message', conversationId: '11111111-2222-4333-8444-555555555555', sequence: 99 });
    await h.timers.advance(60_000);
    expect(h.reads()).toBe(quiet);
  });

  it('a read a push event asked for says so (told=1), so no server memory answers it "nothing new"; a catch-up read does not', async () => {
    const h = harness();
    const { push, id } = await connected(h);
    const catchUp = h.backend.requests.filter((r) => r.method === 'GET' && r.path.includes('/messages'));
    expect(catchUp.at(-1)!.path).not.toContain('told=1');
    const hello = h.backend.push(id, 'agent', 'Hello', 'Sam');
    push.emit({ kind: 'message', conversationId: id, sequence: hello.sequence });
    await h.timers.advance(1_000);
    const reads = h.backend.requests.filter((r) => r.method === 'GET' && r.path.includes('/messages'));
    expect(reads.at(-1)!.path).toMatch(/[?&]told=1(&|$)/);
    push.emit({ kind: 'conversation', conversationId: id });
    await h.timers.advance(1_000);
    expect(h.backend.requests.filter((r) => r.method === 'GET' && r.path.includes('/messages')).at(-1)!.path).toMatch(/[?&]told=1(&|$)/);
  });

  it('after the customer sends, one read picks up what came meanwhile, then the widget is quiet again', async () => {
    const h = harness();
    const { s } = await connected(h);
    const reads = h.reads();
    s.send('Where is my parcel?');
    await h.timers.advance(30 * 60_000);
    expect(h.customerBodies()).toEqual(['Where is my parcel?']);
    expect(h.reads() - reads).toBe(1);
    expect(h.timers.scheduled).toEqual([]);
  });

  it('a reconnect reads once to catch up on what was missed while push was away', async () => {
    const h = harness();
    const { s, push, id } = await connected(h);
    push.drop();
    await settle(); // the fallback's first look, before the agent writes
    h.backend.push(id, 'agent', 'Sent while the socket was away', 'Sam');
    const reads = h.reads();
    push.connected();
    await settle();
    expect(h.reads() - reads).toBe(1);
    expect(s.snapshot.messages.at(-1)?.body).toBe('Sent while the socket was away');
    const after = h.reads();
    await h.timers.advance(30 * 60_000);
    expect(h.reads()).toBe(after);
  });

  it('when push goes down the widget polls again with the adaptive policy, and stops once push is back', async () => {
    const h = harness();
    const { s, push, id } = await connected(h);
    const reads = h.reads();
    push.drop();
    await settle();
    expect(h.reads() - reads).toBe(1); // a look at once
    expect(h.timers.scheduled).toEqual([defaultPolicy.fastMs]);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      delays.push(h.timers.scheduled[0]);
      await h.timers.advance(h.timers.scheduled[0]);
    }
    expect(delays[0]).toBe(defaultPolicy.fastMs);
    expect(delays[3]).toBeGreaterThan(delays[0]);
    h.backend.push(id, 'agent', 'Found by polling', 'Sam');
    await h.timers.advance(h.timers.scheduled[0]);
    expect(s.snapshot.messages.at(-1)?.body).toBe('Found by polling');

    push.connected();
    await settle();
    expect(h.timers.scheduled).toEqual([]);
  });

  it('a deployment without push (negotiate answers null) polls exactly as before and sends no typing notices', async () => {
    const h = harness();
    const s = await started(h);
    const push = h.pushes[0];
    expect(push.negotiated).toEqual([null]);
    expect(push.state).toBe('off');
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      delays.push(h.timers.scheduled[0]);
      await h.timers.advance(h.timers.scheduled[0]);
    }
    // 1.5 s after the first read brought the queue notice, then ×1.5 per idle read up to 10 s.
    expect(delays).toEqual([1500, 1500, 2250, 3375, 5062.5, 7593.75]);
    s.typing();
    await settle();
    expect(h.requests('POST', '/typing')).toBe(0);
  });

  it('an agent typing shows for 6 s after their last typing event and goes at once when their message arrives', async () => {
    const h = harness();
    const { s, push, id } = await connected(h);
    push.emit({ kind: 'typing', conversationId: id, by: 'customer' });
    expect(s.snapshot.agentTyping).toBeUndefined();
    push.emit({ kind: 'typing', conversationId: id, by: 'agent', name: 'Sam' });
    expect(s.snapshot.agentTyping).toEqual({ name: 'Sam' });
    await h.timers.advance(agentTypingMs - 1000);
    push.emit({ kind: 'typing', conversationId: id, by: 'agent', name: 'Sam' });
    await h.timers.advance(agentTypingMs - 1000);
    expect(s.snapshot.agentTyping).toEqual({ name: 'Sam' });
    await h.timers.advance(1000);
    expect(s.snapshot.agentTyping).toBeUndefined();

    push.emit({ kind: 'typing', conversationId: id, by: 'agent' });
    expect(s.snapshot.agentTyping).toEqual({});
    const m = h.backend.push(id, 'agent', 'Your tent ships today.', 'Sam');
    push.emit({ kind: 'message', conversationId: id, sequence: m.sequence });
    await settle();
    expect(s.snapshot.agentTyping).toBeUndefined();
    expect(h.timers.scheduled).toEqual([]);
  });

  it('the chat ending clears the typing indicator and stops push; a new chat gets a new push client', async () => {
    const h = harness();
    const { s, push, id } = await connected(h);
    push.emit({ kind: 'typing', conversationId: id, by: 'agent', name: 'Sam' });
    h.backend.endByAgent(id);
    push.emit({ kind: 'conversation', conversationId: id, state: 1 });
    await settle();
    expect(s.snapshot.phase).toBe('ended');
    expect(s.snapshot.agentTyping).toBeUndefined();
    expect(push.state).toBe('off');
    expect(push.stopped).toBe(1);
    expect(push.listening).toBe(0);
    expect(h.timers.scheduled).toEqual([]);

    s.restart();
    await s.start({ ...answers, topic: 'returns' });
    await settle();
    expect(h.pushes).toHaveLength(2);
    expect(h.pushes[1].negotiated).toEqual([pushUrl]);
    const newId = s.snapshot.conversationId!;
    expect(newId).not.toBe(id);
    expect(h.backend.requests.filter((r) => r.path.endsWith('/negotiate')).at(-1)?.path).toContain(newId);
  });

  it('the customer ending, an expired token and leaving the page each stop push', async () => {
    const ended = harness();
    const a = await connected(ended);
    await a.s.end();
    expect(a.push.state).toBe('off');

    const expired = harness();
    const b = await connected(expired);
    (expired.backend.only() as { token: string }).token = 'rotated';
    b.push.emit({ kind: 'delivery', conversationId: b.id, sequence: 1 });
    await settle();
    expect(b.s.snapshot.phase).toBe('expired');
    expect(b.push.state).toBe('off');

    const left = harness();
    const c = await connected(left);
    c.s.dispose();
    expect(c.push.state).toBe('off');
    expect(c.push.listening).toBe(0);
  });

  it('customer typing tells the agents at most once every 3 s, ignores refusals and stops when the chat ends', async () => {
    const h = harness();
    const { s } = await connected(h);
    for (let i = 0; i < 5; i++) s.typing();
    await settle();
    expect(h.requests('POST', '/typing')).toBe(1);
    const sent = h.backend.requests.find((r) => r.path.endsWith('/typing'))!;
    expect(sent.headers.authorization).toBe(`Bearer ${h.backend.only().token}`);
    expect(sent.body).toBeUndefined();

    await h.timers.advance(customerTypingEveryMs - 1);
    s.typing();
    await h.timers.advance(1);
    s.typing();
    await settle();
    expect(h.requests('POST', '/typing')).toBe(2);

    // "Too often" and a lost network are nobody's business but the server's.
    h.backend.throttleTyping = true;
    await h.timers.advance(customerTypingEveryMs);
    s.typing();
    h.net.control.mode = 'down';
    await h.timers.advance(customerTypingEveryMs);
    s.typing();
    await settle();
    h.net.control.mode = 'up';
    expect(h.requests('POST', '/typing')).toBe(3);
    expect(s.snapshot.phase).toBe('chatting');

    await s.end();
    await h.timers.advance(customerTypingEveryMs);
    s.typing();
    await settle();
    expect(h.requests('POST', '/typing')).toBe(3);
  });

  it('an agent message written just before the customer\'s own is still read, though the send answered a higher sequence', async () => {
    const h = harness();
    const s = await started(h);
    const id = h.backend.only().id;
    h.backend.push(id, 'agent', 'Crossed in the post', 'Sam'); // sequence 2, not read yet
    s.send('Anyone there?'); // sequence 3, known from the send's answer
    await settle();
    await h.timers.advance(h.timers.scheduled[0]);
    expect(s.snapshot.messages.map((m) => m.body)).toEqual(['You are in the queue.', 'Crossed in the post', 'Anyone there?']);
  });
});

describe('post-chat survey', () => {
  const surveyed = (survey: { question?: string } = {}) => new FakeChatBackend({ configs: { 'demo-shop': { ...demoConfig, survey } } });

  /** A chat an agent answered, then ended by the agent. */
  async function answeredAndEnded(h: ReturnType<typeof harness>) {
    const s = await started(h);
    const id = h.backend.only().id;
    h.backend.push(id, 'agent', 'Your tent ships tomorrow.', 'Sam');
    h.backend.endByAgent(id);
    await h.timers.advance(h.timers.scheduled[0]);
    return { s, id };
  }

  it('when the agent ends a chat they answered, the survey is asked, and the rating and comment reach the server, then thanks', async () => {
    const h = harness(surveyed({ question: 'Did we help?' }));
    const { s, id } = await answeredAndEnded(h);
    expect(s.snapshot.phase).toBe('ended');
    expect(s.snapshot.survey).toEqual({ step: 'asking', question: 'Did we help?' });
    await s.rate(4, '  Quick and kind.  ');
    expect(h.backend.conversations.get(id)!.survey).toEqual({ rating: 4, comment: 'Quick and kind.' });
    const sent = h.backend.requests.find((r) => r.path.endsWith('/csat'))!;
    expect(sent.headers.authorization).toBe(`Bearer ${h.backend.only().token}`);
    expect(s.snapshot.survey).toEqual({ step: 'thanks', question: 'Did we help?' });
    // Answered: nothing is asked again, and nothing of the chat is left in storage.
    await s.rate(5, '');
    expect(h.requests('POST', '/csat')).toBe(1);
    expect(h.storage.map.size).toBe(0);
  });

  it('the customer ending a chat a bot answered is asked too; a rating without a comment sends none', async () => {
    const h = harness(surveyed());
    const s = await started(h);
    h.backend.push(h.backend.only().id, 'bot', 'Our opening hours are 9 to 5.');
    await h.timers.advance(h.timers.scheduled[0]);
    await s.end();
    expect(s.snapshot.survey).toEqual({ step: 'asking' });
    await s.rate(5, '   ');
    expect(h.backend.only().survey).toEqual({ rating: 5 });
  });

  it('no survey after a chat nobody answered, nor where the workstream does not ask for one', async () => {
    const nobody = harness(surveyed());
    const a = await started(nobody);
    await a.end();
    expect(a.snapshot.phase).toBe('ended');
    expect(a.snapshot.survey).toBeUndefined();

    const off = harness();
    const { s } = await answeredAndEnded(off);
    expect(s.snapshot.survey).toBeUndefined();
    expect(off.storage.map.size).toBe(0);
  });

  it('a reload after the end asks again until the rating is sent, and never once it is', async () => {
    const h = harness(surveyed());
    const { s, id } = await answeredAndEnded(h);
    s.dispose();
    const reloaded = h.open();
    await reloaded.init();
    expect(reloaded.snapshot).toMatchObject({ phase: 'ended', conversationId: id, survey: { step: 'asking' } });
    await reloaded.rate(3, 'ok');
    expect(h.backend.only().survey).toEqual({ rating: 3, comment: 'ok' });
    reloaded.dispose();
    const again = h.open();
    await again.init();
    expect(again.snapshot.phase).toBe('prechat');
    expect(again.snapshot.survey).toBeUndefined();
  });

  it('a day after the end, or once the workstream stopped asking, a reload goes back to the pre-chat form', async () => {
    const h = harness(surveyed());
    const { s } = await answeredAndEnded(h);
    s.dispose();
    await h.timers.advance(24 * 3600_000 + 1000);
    const late = h.open();
    await late.init();
    expect(late.snapshot.phase).toBe('prechat');
    expect(late.snapshot.survey).toBeUndefined();

    const off = harness(surveyed());
    const ended = await answeredAndEnded(off);
    ended.s.dispose();
    delete (off.backend.configs['demo-shop'] as { survey?: unknown }).survey;
    const after = off.open();
    await after.init();
    expect(after.snapshot.phase).toBe('prechat');
    expect(off.storage.map.size).toBe(0);
  });

  it('a rating lost on the way can be sent again; one the server refuses for good is not asked again', async () => {
    const h = harness(surveyed());
    const { s } = await answeredAndEnded(h);
    h.net.control.mode = 'down';
    await s.rate(2, 'slow');
    expect(s.snapshot.survey?.step).toBe('failed');
    h.net.control.mode = 'up';
    await s.rate(2, 'slow');
    expect(s.snapshot.survey?.step).toBe('thanks');
    expect(h.backend.only().survey).toEqual({ rating: 2, comment: 'slow' });

    const refused = harness(surveyed());
    const r = await answeredAndEnded(refused);
    delete (refused.backend.configs['demo-shop'] as { survey?: unknown }).survey;
    await r.s.rate(5, '');
    expect(r.s.snapshot.survey?.step).toBe('unavailable');
    expect(refused.storage.map.size).toBe(0);
  });

  it('starting a new chat leaves the survey unanswered and forgets it', async () => {
    const h = harness(surveyed());
    const { s } = await answeredAndEnded(h);
    s.restart();
    expect(s.snapshot.phase).toBe('prechat');
    expect(s.snapshot.survey).toBeUndefined();
    expect(h.storage.map.size).toBe(0);
    await s.rate(4, '');
    expect(h.requests('POST', '/csat')).toBe(0);
  });
});
