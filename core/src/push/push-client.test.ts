import { PushClient, type PushClientDeps, type PushClientOptions, type PushState, type SocketLike } from './push-client';
import type { PushEvent } from './push-events';

const CONVERSATION = '0f8fad5b-d9cb-469f-a165-70867728950e';
const AGENT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

/** Timers that only move when a test says so; each fired callback gets its promises settled. */
class HandCrankedTimers {
  now = 0;
  readonly delays: number[] = [];
  private next = 0;
  private due: { id: number; at: number; fn: () => void }[] = [];

  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.next;
    this.due.push({ id, at: this.now + ms, fn });
    this.delays.push(ms);
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.due = this.due.filter((t) => t.id !== handle);
  };

  get pending(): number {
    return this.due.length;
  }

  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      const first = [...this.due].sort((a, b) => a.at - b.at)[0];
      if (!first || first.at > end) break;
      this.due = this.due.filter((t) => t !== first);
      this.now = first.at;
      first.fn();
      await settle();
    }
    this.now = end;
  }
}

class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  closedWith: number | undefined | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(
    readonly url: string,
    readonly protocol: string,
  ) {}

  send(data: string): void {
    this.sent.push(data);
  }

  // Real sockets report their close later; reporting it at once is the harder case for the client.
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.onclose?.({ code: code ?? 1005 });
  }

  connected(connectionId = 'conn-1'): void {
    this.readyState = 1;
    this.onopen?.({});
    this.frame({ type: 'system', event: 'connected', userId: AGENT, connectionId });
  }

  frame(value: unknown): void {
    this.onmessage?.({ data: JSON.stringify(value) });
  }

  /** The network goes away. */
  lost(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function setup(options: PushClientOptions = {}, overrides: Partial<PushClientDeps> = {}) {
  const timers = new HandCrankedTimers();
  const sockets: FakeSocket[] = [];
  const lines: string[] = [];
  let tokens = 0;
  const negotiate = jest.fn(async (): Promise<string | null> => `wss://push.example/client/hubs/chat?access_token=t${++tokens}`);
  const deps: PushClientDeps = {
    negotiate,
    openSocket: (url, protocol) => {
      const socket = new FakeSocket(url, protocol);
      sockets.push(socket);
      return socket;
    },
    timers,
    random: () => 0.5,
    log: (line) => lines.push(line),
    ...overrides,
  };
  const client = new PushClient(deps, options);
  const states: PushState[] = [];
  const events: PushEvent[] = [];
  client.onState((s) => states.push(s));
  client.onEvent((e) => events.push(e));
  return { client, deps, negotiate, timers, sockets, lines, states, events, socket: () => sockets[sockets.length - 1]! };
}

test('connects with the plain JSON subprotocol and hands server and group events to every listener, even when one throws', async () => {
  const t = setup();
  const second: PushEvent[] = [];
  t.client.onEvent(() => {
    throw new Error('a broken listener');
  });
  t.client.onEvent((e) => second.push(e));
  t.client.start();
  expect(t.client.state).toBe('connecting');
  await settle();
  expect(t.socket().protocol).toBe('json.webpubsub.azure.v1');
  expect(t.socket().url).toContain('access_token=t1');
  t.socket().connected();
  expect(t.states).toEqual(['connecting', 'connected']);

  t.socket().frame({ type: 'message', from: 'server', dataType: 'json', data: { kind: 'offer', conversationId: CONVERSATION, change: 'made' } });
  t.socket().frame({ type: 'message', from: 'group', group: `c.${CONVERSATION}`, dataType: 'json', data: { kind: 'message', conversationId: CONVERSATION, sequence: 4 } });
  const expected = [
    { kind: 'offer', conversationId: CONVERSATION, change: 'made' },
    { kind: 'message', conversationId: CONVERSATION, sequence: 4 },
  ];
  expect(t.events).toEqual(expected);
  expect(second).toEqual(expected);
  expect(t.client.state).toBe('connected');
  expect(t.lines.some((l) => l.includes('a broken listener'))).toBe(true);
});

test('frames it cannot read are ignored: acks, text data, unknown events, malformed JSON, binary', async () => {
  const t = setup();
  t.client.start();
  await settle();
  const socket = t.socket();
  socket.connected();
  socket.frame({ type: 'ack', ackId: 1, success: true });
  socket.frame({ type: 'message', from: 'server', dataType: 'text', data: '{"kind":"agent"}' });
  socket.frame({ type: 'message', from: 'server', dataType: 'json', data: { kind: 'weather', sunny: true } });
  socket.frame({ type: 'message', from: 'server', dataType: 'json', data: { kind: 'agent', agentId: 'not-a-guid' } });
  socket.frame({ type: 'pong' });
  socket.frame(null);
  socket.frame([1, 2]);
  socket.onmessage?.({ data: '{"type":"message",' });
  socket.onmessage?.({ data: new Uint8Array([1, 2, 3]) });
  socket.frame({ type: 'message', from: 'server', dataType: 'json', data: { kind: 'agent', agentId: AGENT } });
  expect(t.events).toEqual([{ kind: 'agent', agentId: AGENT }]);
  expect(t.states).toEqual(['connecting', 'connected']);
});

test('a negotiate answering null turns push off and never retries', async () => {
  const t = setup({}, { negotiate: jest.fn(async () => null) });
  t.client.start();
  await settle();
  expect(t.states).toEqual(['connecting', 'off']);
  expect(t.sockets).toHaveLength(0);
  expect(t.timers.pending).toBe(0);
  await t.timers.advance(10 * 60_000);
  expect(t.deps.negotiate).toHaveBeenCalledTimes(1);

  t.client.start();
  await settle();
  expect(t.deps.negotiate).toHaveBeenCalledTimes(2);
});

test('a throwing negotiate is retried after doubling delays, capped at the maximum and jittered by up to 20 %', async () => {
  const random = [0.5, 0.5, 0.5, 0.5, 0.5, 0, 0.999999, 0.5];
  let fail = true;
  const negotiate = jest.fn(async () => {
    if (fail) throw new Error('503 from negotiate');
    return 'wss://push.example/client/hubs/chat?access_token=t';
  });
  const t = setup({ minBackoffMs: 1000, maxBackoffMs: 8000 }, { negotiate, random: () => random.shift() ?? 0.5 });
  t.client.start();
  await settle();
  for (let i = 0; i < 6; i++) await t.timers.advance(t.timers.delays[t.timers.delays.length - 1]!);
  expect(t.timers.delays).toEqual([1000, 2000, 4000, 8000, 8000, 6400, 9600]);
  expect(negotiate).toHaveBeenCalledTimes(7);
  expect(t.states).toEqual(['connecting', 'down']);
  expect(t.lines[0]).toMatch(/503 from negotiate; reconnecting in 1000 ms/);

  fail = false;
  await t.timers.advance(9600);
  t.socket().connected();
  expect(t.states).toEqual(['connecting', 'down', 'connected']);
  t.socket().lost();
  expect(t.timers.delays[t.timers.delays.length - 1]).toBe(1000);
});

test('a closed socket reports down, then reconnects with a freshly negotiated URL and reports connected again', async () => {
  const t = setup();
  t.client.start();
  await settle();
  t.socket().connected('conn-1');
  const first = t.socket();
  first.frame({ type: 'system', event: 'disconnected', message: 'The connection was lost.' });
  first.lost(1006);
  expect(t.states).toEqual(['connecting', 'connected', 'down']);
  expect(t.lines.some((l) => l.includes('closed (1006: The connection was lost.)'))).toBe(true);

  await t.timers.advance(999);
  expect(t.sockets).toHaveLength(1);
  await t.timers.advance(1);
  expect(t.deps.negotiate).toHaveBeenCalledTimes(2);
  expect(t.socket().url).toContain('access_token=t2');
  t.socket().connected('conn-2');
  expect(t.states).toEqual(['connecting', 'connected', 'down', 'connected']);

  // An error followed by its close is one failure, not two reconnects.
  t.socket().onerror?.({});
  t.socket().lost();
  expect(t.timers.pending).toBe(1);
  await t.timers.advance(1000);
  expect(t.deps.negotiate).toHaveBeenCalledTimes(3);
  expect(t.sockets).toHaveLength(3);
});

test('a socket without its connected message within 15 s is closed and counts as a failure', async () => {
  const t = setup();
  t.client.start();
  await settle();
  const silent = t.socket();
  silent.readyState = 1;
  await t.timers.advance(14_999);
  expect(t.client.state).toBe('connecting');
  expect(silent.closedWith).toBeNull();
  await t.timers.advance(1);
  expect(silent.readyState).toBe(3);
  expect(t.states).toEqual(['connecting', 'down']);

  silent.connected('too-late');
  expect(t.client.state).toBe('down');
  await t.timers.advance(1000);
  expect(t.sockets).toHaveLength(2);
  t.socket().connected();
  expect(t.states).toEqual(['connecting', 'down', 'connected']);
});

test('stop() closes the socket with 1000, turns off and stops reconnecting; start() begins again, and twice is once', async () => {
  const t = setup();
  t.client.start();
  t.client.start();
  await settle();
  expect(t.deps.negotiate).toHaveBeenCalledTimes(1);
  const socket = t.socket();
  socket.connected();
  t.client.stop();
  expect(socket.closedWith).toBe(1000);
  expect(t.states).toEqual(['connecting', 'connected', 'off']);
  expect(t.timers.pending).toBe(0);
  socket.onerror?.({});
  socket.lost();
  expect(t.client.state).toBe('off');
  expect(t.timers.pending).toBe(0);

  t.client.start();
  await settle();
  t.socket().lost();
  expect(t.timers.pending).toBe(1);
  t.client.stop();
  expect(t.timers.pending).toBe(0);
  await t.timers.advance(120_000);
  expect(t.deps.negotiate).toHaveBeenCalledTimes(2);

  // A negotiate still in flight when stop() lands opens nothing.
  let answer!: (url: string) => void;
  t.deps.negotiate = () => new Promise((resolve) => (answer = resolve));
  t.client.start();
  t.client.stop();
  answer('wss://push.example/late');
  await settle();
  expect(t.sockets).toHaveLength(2);
  expect(t.client.state).toBe('off');
});

test('sendEvent sends a JSON user event only while connected', async () => {
  const t = setup();
  expect(t.client.sendEvent('typing', { conversationId: CONVERSATION })).toBe(false);
  t.client.start();
  await settle();
  expect(t.client.sendEvent('typing', { conversationId: CONVERSATION })).toBe(false);
  t.socket().connected();
  expect(t.client.sendEvent('typing', { conversationId: CONVERSATION })).toBe(true);
  expect(t.socket().sent.map((s) => JSON.parse(s))).toEqual([{ type: 'event', event: 'typing', dataType: 'json', data: { conversationId: CONVERSATION } }]);
  t.socket().lost();
  expect(t.client.sendEvent('typing', {})).toBe(false);
});

test('a state listener that unsubscribes hears nothing more', async () => {
  const t = setup();
  const heard: PushState[] = [];
  const unsubscribe = t.client.onState((s) => heard.push(s));
  t.client.start();
  await settle();
  unsubscribe();
  t.socket().connected();
  expect(heard).toEqual(['connecting']);
  expect(t.states).toEqual(['connecting', 'connected']);
});
