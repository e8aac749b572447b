// The app's Web PubSub event handler on its own: requests shaped as the service (and the local
// stand-in, dev/src/webpubsub/upstream-dispatcher.ts) sends them — binary-mode CloudEvents with
// ce-* headers, which the HTTP edge hands over lower-cased — a fake push port and a recorder for
// the routing work.
import { createHmac } from 'node:crypto';
import type { PushEvent, PushPort, RoutingTriggerPort, RoutingWork } from '@switchboard/core';
import type { ApiRequest } from '../hosting/http';
import { parseConnectionString, WebPubSubUpstream, type PushUpstreamDeps } from './push-upstream.service';

const ACCESS_KEY = 'upstream-test-access-key-0123456789abcdef';
const SERVICE_HOST = 'swb-push.webpubsub.azure.com';
const HUB = 'switchboard';
const NOW = Date.UTC(2025, 0, 2, 3, 4, 5);
const AGENT = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const OTHER_AGENT = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const CONVERSATION = 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e';

const sign = (key: string, connectionId: string) => `sha256=${createHmac('sha256', key).update(connectionId).digest('hex')}`;

function setup(overrides: Partial<PushUpstreamDeps> = {}) {
  const sent: { to: string; event: PushEvent }[] = [];
  const enqueued: { work: RoutingWork; options?: { delaySeconds?: number } }[] = [];
  const primaryAsked: [string, string][] = [];
  const lines: string[] = [];
  const push: PushPort = {
    toUser: async (to, event) => void sent.push({ to, event }),
    toGroup: async (to, event) => void sent.push({ to: `group:${to}`, event }),
    join: async () => {},
    leave: async () => {},
    clientUrl: async () => null,
    isConnected: async () => undefined,
  };
  const routing: RoutingTriggerPort = { enqueue: async (work, options) => void enqueued.push({ work, ...(options ? { options } : {}) }) };
  const upstream = new WebPubSubUpstream({
    serviceHost: SERVICE_HOST,
    accessKey: ACCESS_KEY,
    hub: HUB,
    push,
    routing,
    isPrimary: async (userId, conversationId) => {
      primaryAsked.push([userId, conversationId]);
      return userId === AGENT && conversationId.toLowerCase() === CONVERSATION;
    },
    graceSeconds: 150,
    now: () => NOW,
    log: (line) => lines.push(line),
    ...overrides,
  });
  return { upstream, sent, enqueued, primaryAsked, lines };
}

/** An event as the service posts it: its CloudEvents headers, lower-cased as ApiRequest keeps them. */
function event(
  type: string,
  options: { userId?: string; connectionId?: string; hub?: string; signature?: string | null; body?: unknown } = {},
): ApiRequest {
  const connectionId = options.connectionId ?? 'conn-Abc123_xyz';
  const hub = options.hub ?? HUB;
  const eventName = type.split('.').pop()!;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'webhook-request-origin': SERVICE_HOST,
    'ce-specversion': '1.0',
    'ce-awpsversion': '1.0',
    'ce-type': type,
    'ce-source': `/hubs/${hub}/client/${connectionId}`,
    'ce-id': '1',
    'ce-time': new Date(NOW).toISOString(),
    'ce-hub': hub,
    'ce-connectionid': connectionId,
    'ce-eventname': eventName,
  };
  if (options.signature !== null) headers['ce-signature'] = options.signature ?? sign(ACCESS_KEY, connectionId);
  if (options.userId !== undefined) headers['ce-userid'] = options.userId;
  return { method: 'POST', url: 'https://swb.example.test/api/push/events', params: {}, query: new URLSearchParams(), headers, body: options.body ?? {} };
}

const handshake = (origin: string | null): ApiRequest => ({
  method: 'OPTIONS',
  url: 'https://swb.example.test/api/push/events',
  params: {},
  query: new URLSearchParams(),
  headers: { 'ce-awpsversion': '1.0', ...(origin !== null ? { 'webhook-request-origin': origin } : {}) },
  body: undefined,
});

describe('the abuse-protection handshake', () => {
  it('answers the configured push service origin with WebHook-Allowed-Origin', async () => {
    const { upstream } = setup();
    const res = await upstream.handle(handshake(SERVICE_HOST));
    expect(res.status).toBe(200);
    expect(res.headers).toEqual({ 'WebHook-Allowed-Origin': SERVICE_HOST });
  });

  it('refuses any other origin, and a request naming none, without allowing an origin', async () => {
    const { upstream } = setup();
    for (const origin of ['evil.webpubsub.azure.com', `${SERVICE_HOST}.evil.example`, '*', '', null]) {
      const res = await upstream.handle(handshake(origin));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers?.['WebHook-Allowed-Origin']).toBeUndefined();
    }
  });
});

describe('the event signature', () => {
  it('refuses an event without ce-signature, signed under another key, or signed for another connection with 401, and acts on none of them', async () => {
    const { upstream, enqueued } = setup();
    const cases = [
      event('azure.webpubsub.sys.disconnected', { userId: AGENT, signature: null }),
      event('azure.webpubsub.sys.disconnected', { userId: AGENT, signature: sign('another-key', 'conn-Abc123_xyz') }),
      event('azure.webpubsub.sys.disconnected', { userId: AGENT, signature: sign(ACCESS_KEY, 'another-connection') }),
      event('azure.webpubsub.sys.disconnected', { userId: AGENT, signature: 'sha256=' }),
      event('azure.webpubsub.sys.disconnected', { userId: AGENT, signature: sign(ACCESS_KEY, 'conn-Abc123_xyz').toUpperCase() }),
    ];
    for (const request of cases) expect((await upstream.handle(request)).status).toBe(401);
    expect(enqueued).toEqual([]);
  });

  it('accepts an event whose valid signature is one of several comma-separated ones (a key being rotated)', async () => {
    const { upstream, enqueued } = setup();
    const signatures = `${sign('the-old-key', 'conn-Abc123_xyz')}, ${sign(ACCESS_KEY, 'conn-Abc123_xyz')},${sign('the-next-key', 'conn-Abc123_xyz')}`;
    const res = await upstream.handle(event('azure.webpubsub.sys.disconnected', { userId: AGENT, signature: signatures }));
    expect(res.status).toBe(204);
    expect(enqueued).toHaveLength(1);
  });

  it('refuses a list of signatures none of which is valid', async () => {
    const { upstream } = setup();
    const signatures = `${sign('the-old-key', 'conn-Abc123_xyz')},${sign('the-next-key', 'conn-Abc123_xyz')}`;
    expect((await upstream.handle(event('azure.webpubsub.sys.disconnected', { userId: AGENT, signature: signatures }))).status).toBe(401);
  });
});

it('refuses a signed event of another hub with 400 and acts on nothing', async () => {
  const { upstream, enqueued, sent } = setup();
  expect((await upstream.handle(event('azure.webpubsub.sys.disconnected', { userId: AGENT, hub: 'otherhub' }))).status).toBe(400);
  expect((await upstream.handle(event('azure.webpubsub.user.typing', { userId: AGENT, hub: 'otherhub', body: { conversationId: CONVERSATION } }))).status).toBe(400);
  expect(enqueued).toEqual([]);
  expect(sent).toEqual([]);
  // The hub name is matched as the service does: without regard to case.
  expect((await upstream.handle(event('azure.webpubsub.sys.disconnected', { userId: AGENT, hub: 'SwitchBoard' }))).status).toBe(204);
});

describe('a closed connection', () => {
  it("of an agent enqueues agent-disconnected since now, delayed by the grace, for the agent's lower-cased id", async () => {
    const { upstream, enqueued } = setup();
    const res = await upstream.handle(event('azure.webpubsub.sys.disconnected', { userId: AGENT.toUpperCase(), body: { reason: 'network' } }));
    expect(res.status).toBe(204);
    expect(enqueued).toEqual([{ work: { kind: 'agent-disconnected', agentId: AGENT, since: NOW, reason: expect.any(String), at: NOW }, options: { delaySeconds: 150 } }]);
  });

  it('of an agent waits at least a whole second, however short the grace', async () => {
    const { upstream, enqueued } = setup({ graceSeconds: 0.2 });
    await upstream.handle(event('azure.webpubsub.sys.disconnected', { userId: AGENT }));
    expect(enqueued[0]!.options).toEqual({ delaySeconds: 1 });
  });

  it("of a chat's customer (customer.<id>), or of a connection with no user, enqueues nothing", async () => {
    const { upstream, enqueued } = setup();
    expect((await upstream.handle(event('azure.webpubsub.sys.disconnected', { userId: `customer.${CONVERSATION}` }))).status).toBe(204);
    expect((await upstream.handle(event('azure.webpubsub.sys.disconnected', {}))).status).toBe(204);
    expect(enqueued).toEqual([]);
  });

  it('of an agent is acknowledged but not acted on when it is another system event (connected)', async () => {
    const { upstream, enqueued } = setup();
    expect((await upstream.handle(event('azure.webpubsub.sys.connected', { userId: AGENT }))).status).toBe(204);
    expect(enqueued).toEqual([]);
  });
});

describe("an agent's reply just stored (sent)", () => {
  it('from the primary agent is told to the customer and the conversation group at once, with its sequence', async () => {
    const { upstream, sent } = setup();
    const res = await upstream.handle(event('azure.webpubsub.user.sent', { userId: AGENT, body: { conversationId: CONVERSATION, sequence: 7 } }));
    expect(res.status).toBe(204);
    expect(sent).toEqual([
      { to: `customer.${CONVERSATION}`, event: { kind: 'message', conversationId: CONVERSATION, sequence: 7 } },
      { to: `group:c.${CONVERSATION}`, event: { kind: 'message', conversationId: CONVERSATION, sequence: 7 } },
    ]);
  });

  it('from another agent tells nobody; a sequence that is not a positive whole number is left out', async () => {
    const { upstream, sent } = setup();
    await upstream.handle(event('azure.webpubsub.user.sent', { userId: OTHER_AGENT, body: { conversationId: CONVERSATION, sequence: 7 } }));
    expect(sent).toEqual([]);
    await upstream.handle(event('azure.webpubsub.user.sent', { userId: AGENT, body: { conversationId: CONVERSATION, sequence: -1 } }));
    expect(sent[0]).toEqual({ to: `customer.${CONVERSATION}`, event: { kind: 'message', conversationId: CONVERSATION } });
  });
});

describe('an agent typing', () => {
  it("in a conversation where they are primary is told to the conversation's customer, and primacy is asked", async () => {
    const { upstream, sent, primaryAsked } = setup();
    const res = await upstream.handle(event('azure.webpubsub.user.typing', { userId: AGENT, body: { conversationId: CONVERSATION.toUpperCase() } }));
    expect(res.status).toBe(204);
    expect(primaryAsked).toEqual([[AGENT, CONVERSATION.toUpperCase()]]);
    expect(sent).toEqual([{ to: `customer.${CONVERSATION}`, event: { kind: 'typing', conversationId: CONVERSATION, by: 'agent' } }]);
  });

  it('in a conversation where another agent is primary is ignored (after asking)', async () => {
    const { upstream, sent, primaryAsked, lines } = setup();
    const res = await upstream.handle(event('azure.webpubsub.user.typing', { userId: OTHER_AGENT, body: { conversationId: CONVERSATION } }));
    expect(res.status).toBe(204);
    expect(primaryAsked).toEqual([[OTHER_AGENT, CONVERSATION]]);
    expect(sent).toEqual([]);
    expect(lines.join('\n')).toContain('not its primary agent');
  });

  it('with a malformed or missing conversation id is ignored without asking anyone', async () => {
    const { upstream, sent, primaryAsked } = setup();
    for (const body of [{ conversationId: 'not-a-guid' }, { conversationId: `${CONVERSATION}x` }, { conversationId: 42 }, {}, null, 'text'] as unknown[]) {
      expect((await upstream.handle(event('azure.webpubsub.user.typing', { userId: AGENT, body }))).status).toBe(204);
    }
    expect(primaryAsked).toEqual([]);
    expect(sent).toEqual([]);
  });

  it("from a customer's connection is never relayed (customers signal typing through the chat API)", async () => {
    const { upstream, sent, primaryAsked } = setup();
    await upstream.handle(event('azure.webpubsub.user.typing', { userId: `customer.${CONVERSATION}`, body: { conversationId: CONVERSATION } }));
    expect(primaryAsked).toEqual([]);
    expect(sent).toEqual([]);
  });
});

describe('parseConnectionString', () => {
  it('reads the endpoint (with a Port= override) and the access key', () => {
    const parsed = parseConnectionString(`Endpoint=https://${SERVICE_HOST};AccessKey=${ACCESS_KEY};Version=1.0;`);
    expect(parsed.endpoint.host).toBe(SERVICE_HOST);
    expect(parsed.accessKey).toBe(ACCESS_KEY);
    expect(parseConnectionString('Endpoint=http://127.0.0.1;Port=7074;AccessKey=k=with=equals;').endpoint.host).toBe('127.0.0.1:7074');
    expect(parseConnectionString('Endpoint=http://127.0.0.1;Port=7074;AccessKey=k=with=equals;').accessKey).toBe('k=with=equals');
  });

  it('refuses a connection string without an endpoint or an access key', () => {
    expect(() => parseConnectionString(`AccessKey=${ACCESS_KEY}`)).toThrow(/Endpoint=/);
    expect(() => parseConnectionString(`Endpoint=https://${SERVICE_HOST}`)).toThrow(/AccessKey=/);
  });
});
