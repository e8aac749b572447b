// Events to the application, received by the real @azure/web-pubsub-express handler (its
// middleware mounted on a plain node:http server: it reads only req.baseUrl + req.path, method,
// headers and body, so express itself is not needed).
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebPubSubClient } from '@azure/web-pubsub-client';
import { WebPubSubEventHandler, type WebPubSubEventHandlerOptions } from '@azure/web-pubsub-express';
import WebSocket from 'ws';
import { Harness, waitUntil } from './stand-in.testing';

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

class AppServer {
  readonly seen: Seen[] = [];
  server!: http.Server;
  url = '';

  async start(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
      handle(req, res);
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  static express(handler: WebPubSubEventHandler): (req: http.IncomingMessage, res: http.ServerResponse) => void {
    const middleware = handler.getMiddleware();
    return (req, res) => {
      Object.assign(req, { baseUrl: '', path: new URL(req.url ?? '/', 'http://app').pathname });
      void middleware(req as never, res as never, () => {
        res.statusCode = 404;
        res.end();
      });
    };
  }

  posts(type: string): Seen[] {
    return this.seen.filter((s) => s.method === 'POST' && s.headers['ce-type'] === type);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

let h: Harness;
let app: AppServer;

async function setUp(options: WebPubSubEventHandlerOptions, systemEvents: ('connect' | 'connected' | 'disconnected')[], userEvents: '*' | string[] = []): Promise<void> {
  app = await new AppServer().start(AppServer.express(new WebPubSubEventHandler('chat', { path: '/eventhandler', ...options })));
  h = await new Harness().start({ eventHandlers: { chat: { urlTemplate: `${app.url}/eventhandler/{event}`, systemEvents, userEvents } } });
}

afterEach(async () => {
  await h?.stop();
  await app?.close();
});

const signature = (key: string, connectionId: string) => `sha256=${createHmac('sha256', key).update(connectionId).digest('hex')}`;

test('connected and disconnected reach the handler as CloudEvents carrying a valid ce-signature, after the abuse-protection handshake', async () => {
  const connected: { connectionId: string; userId?: string; signature?: string; hub: string }[] = [];
  const disconnected: { connectionId: string; reason?: string }[] = [];
  await setUp({
    onConnected: (req) => void connected.push({ connectionId: req.context.connectionId, userId: req.context.userId, signature: req.context.signature, hub: req.context.hub }),
    onDisconnected: (req) => void disconnected.push({ connectionId: req.context.connectionId, reason: req.reason }),
  }, ['connected', 'disconnected']);
  const c = h.client({ userId: 'alice' });
  await c.client.start();
  const { connectionId } = await c.connected();
  await waitUntil(() => connected.length === 1, 5000, 'the connected event');
  expect(connected[0]).toEqual({ connectionId, userId: 'alice', signature: signature(h.standIn.accessKey, connectionId), hub: 'chat' });

  // The first request to the URL was the handshake; the handler allowed every origin.
  const origin = h.listening.url.replace('http://', '');
  expect(app.seen[0]).toMatchObject({ method: 'OPTIONS', path: '/eventhandler/connected', headers: { 'webhook-request-origin': origin, 'ce-awpsversion': '1.0' } });
  const [post] = app.posts('azure.webpubsub.sys.connected');
  expect(post!.headers).toMatchObject({
    'ce-specversion': '1.0', 'ce-source': `/hubs/chat/client/${connectionId}`, 'ce-hub': 'chat', 'ce-connectionid': connectionId,
    'ce-userid': 'alice', 'ce-eventname': 'connected', 'ce-subprotocol': 'json.reliable.webpubsub.azure.v1', 'webhook-request-origin': origin,
    'content-type': 'application/json; charset=utf-8',
  });
  expect(Date.parse(post!.headers['ce-time'] as string)).toBeGreaterThan(Date.now() - 60_000);

  await h.service().closeConnection(connectionId, { reason: 'agent signed out' });
  await waitUntil(() => disconnected.length === 1, 5000, 'the disconnected event');
  expect(disconnected[0]).toEqual({ connectionId, reason: 'agent signed out' });
  // The handler answers before it reads the body, so the stand-in may count the delivery a moment later.
  await waitUntil(() => h.standIn.stats().upstream.delivered === 2, 5000, 'the deliveries to be counted');
  expect(h.standIn.stats().upstream).toMatchObject({ failed: 0, validations: 2 });
});

test('a handler restricted to allowed endpoints accepts the stand-in when its origin is listed', async () => {
  const connected: string[] = [];
  let delegate: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  app = await new AppServer().start((req, res) => delegate(req, res));
  h = await new Harness().start({ eventHandlers: { chat: { urlTemplate: `${app.url}/eventhandler/{event}`, systemEvents: ['connected'] } } });
  // The stand-in's address is known once it listens: only then can the handler list it.
  delegate = AppServer.express(new WebPubSubEventHandler('chat', { path: '/eventhandler', allowedEndpoints: [h.listening.url], onConnected: (req) => void connected.push(req.context.connectionId) }));
  const c = h.client({ userId: 'alice' });
  await c.client.start();
  const { connectionId } = await c.connected();
  await waitUntil(() => connected.length === 1, 5000, 'the connected event');
  expect(connected).toEqual([connectionId]);
  expect(app.seen[0]!.method).toBe('OPTIONS');
});

test('a handler that does not answer the handshake with an allowed origin gets no events, and a connect it cannot receive refuses the client', async () => {
  app = await new AppServer().start((_req, res) => {
    res.statusCode = 200;
    res.end();
  });
  h = await new Harness().start({ eventHandlers: { chat: { urlTemplate: `${app.url}/hooks/{hub}/{event}`, systemEvents: ['connected'] } } });
  const c = h.client({ userId: 'alice' });
  await c.client.start();
  await c.connected();
  await waitUntil(() => h.standIn.stats().upstream.failed === 1, 5000, 'the refused delivery');
  expect(app.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['OPTIONS /hooks/chat/connected']);

  await h.stop();
  h = await new Harness().start({ eventHandlers: { chat: { urlTemplate: `${app.url}/hooks/{hub}/{event}`, systemEvents: ['connect'] } } });
  const { url } = await h.service().getClientAccessToken({ userId: 'alice' });
  const status = await new Promise<number>((resolve) => new WebSocket(url).on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0)));
  expect(status).toBe(500);
});

test('the blocking connect event can set the user id, groups and roles, or refuse the client with its own status', async () => {
  const connects: { claims?: Record<string, string[]>; query?: Record<string, string[]>; subprotocols?: string[]; userId?: string }[] = [];
  await setUp({
    handleConnect: (req, res) => {
      connects.push({ claims: req.claims, query: req.queries, subprotocols: req.subprotocols, userId: req.context.userId });
      if (req.queries?.deny) return res.fail(401, 'not you');
      res.setState('tenant', 'contoso');
      res.success({ userId: 'agent-from-dataverse', groups: ['queue-web'], roles: ['webpubsub.joinLeaveGroup.conversation-1'] });
    },
  }, ['connect']);
  const service = h.service();
  const { url } = await service.getClientAccessToken({ roles: ['webpubsub.joinLeaveGroup'] });
  const c = h.record(new WebPubSubClient(`${url}&agent=7`, { keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0, messageRetryOptions: { maxRetries: 0 } }));
  await c.client.start();
  expect(await c.connected()).toMatchObject({ userId: 'agent-from-dataverse' });
  expect(await service.groupExists('queue-web')).toBe(true);
  // The handler's roles replaced the token's: only conversation-1 may be joined now.
  await c.client.joinGroup('conversation-1');
  await expect(c.client.joinGroup('conversation-2')).rejects.toMatchObject({ errorDetail: { name: 'Forbidden' } });
  expect(connects[0]!.query).toEqual({ agent: ['7'] });
  expect(connects[0]!.claims).toMatchObject({ role: ['webpubsub.joinLeaveGroup'], aud: [`${h.listening.url}/client/hubs/chat`] });
  expect(connects[0]!.subprotocols).toEqual(['json.reliable.webpubsub.azure.v1']);
  expect(app.posts('azure.webpubsub.sys.connect')[0]!.headers['ce-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);

  const denied = await new Promise<number>((resolve) => new WebSocket(`${url}&deny=1`, 'json.webpubsub.azure.v1').on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0)));
  expect(denied).toBe(401);
  expect(h.standIn.stats().connections.open).toBe(1);
});

test('a client event goes upstream as a user event; the handler\'s answer comes back to that client and the ack succeeds', async () => {
  const events: { name: string; data: unknown; dataType: string; states: Record<string, unknown> }[] = [];
  await setUp({
    handleConnect: (_req, res) => {
      res.setState('agent', 'alice');
      res.success();
    },
    handleUserEvent: (req, res) => {
      events.push({ name: req.context.eventName, data: req.data, dataType: req.dataType, states: req.context.states });
      res.success(`seen ${req.context.eventName}`, 'text');
    },
  }, ['connect'], ['typing']);
  const c = h.client({ userId: 'alice' });
  await c.client.start();
  await c.connected();
  await c.client.sendEvent('typing', { conversationId: 'c-1' }, 'json');
  await c.waitFor((m) => m.data === 'seen typing');
  expect(events).toEqual([{ name: 'typing', data: { conversationId: 'c-1' }, dataType: 'json', states: { agent: 'alice' } }]);
  // No handler takes `other`: the ack says so.
  await expect(c.client.sendEvent('other', 'x', 'text')).rejects.toMatchObject({ errorDetail: { name: 'InternalServerError' } });
});

test('a simple WebSocket client\'s frames are the user event `message`; the handler\'s answer comes back as a bare frame', async () => {
  const seen: { data: unknown; dataType: string }[] = [];
  await setUp({
    handleUserEvent: (req, res) => {
      seen.push({ data: req.data instanceof Buffer ? [...req.data] : req.data, dataType: req.dataType });
      res.success(req.dataType === 'text' ? `echo ${req.data as string}` : (req.data as ArrayBuffer), req.dataType === 'text' ? 'text' : 'binary');
    },
  }, [], ['message']);
  const { url } = await h.service().getClientAccessToken({ userId: 'kiosk' });
  const ws = new WebSocket(url);
  const frames: string[] = [];
  ws.on('message', (d, isBinary) => frames.push(isBinary ? `binary ${[...(d as Buffer)].join(',')}` : `text ${d.toString()}`));
  await new Promise((r) => ws.on('open', r));
  ws.send('hello');
  await waitUntil(() => frames.length === 1);
  ws.send(Buffer.from([1, 2, 3]));
  await waitUntil(() => frames.length === 2);
  expect(frames).toEqual(['text echo hello', 'binary 1,2,3']);
  expect(seen).toEqual([{ data: 'hello', dataType: 'text' }, { data: [1, 2, 3], dataType: 'binary' }]);
  ws.close();
});
