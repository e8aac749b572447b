import { randomUUID } from 'node:crypto';
import { createHttpChatApi } from './chat-api.adapter';
import { ChatSession, defaultPolicy } from './chat-session';
import { ConversationStore } from './conversation-store';
import { demoConfig, fakeFetch, FakeChatBackend } from '../test-support/fake-chat-backend';
import { ManualTimers, MemoryStorage, settle } from '../test-support/manual-timers';

const answers = { name: 'Ada Lovelace', email: 'ada@example.com', topic: 'order' };

function harness(backend = new FakeChatBackend(), storage = new MemoryStorage()) {
  const net = fakeFetch(backend);
  const timers = new ManualTimers();
  const sessions: ChatSession[] = [];
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
    });
    sessions.push(session);
    return session;
  };
  const customerBodies = () =>
    backend.only().messages.filter((m) => m.authorKind === 'customer').map((m) => m.body);
  return { backend, net, timers, storage, open, sessions, customerBodies };
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
