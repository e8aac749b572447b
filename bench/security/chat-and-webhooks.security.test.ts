// The chat API is called from any browser on the internet, the Dataverse webhook route from
// anywhere that knows its URL. A customer token opens exactly one conversation and never an
// internal note; CORS answers only the widget's allowed origins; rate limits hold; the webhook
// route refuses a missing or wrong key; malformed input is a 4xx that writes nothing.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { stepRegistry } from '@switchboard/plugins';
import { executionContext } from '@switchboard/plugins/testing/contexts';
import { ChannelType, ConversationState } from '@switchboard/solution';
import { TokenSigner } from '@switchboard/functions/chat/customer-token';
import { call, contentTypes, expectRefused, guid, ipv4, junkBody, wrongSecret } from './attack.testing';
import { ALLOWED_ORIGIN, SECRETS, seedAgentMessages, startSecurityStack, type SecurityStack, type WriteCounts } from './security-stack';

let stack: SecurityStack;
let before: WriteCounts;
let ip = 0;
// The start limit is per client IP: the entry the CDN the suite plays (two trusted hops) appends.
const freshIp = () => `10.${(++ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;

interface Started {
  conversationId: string;
  token: string;
}

async function startChat(extraHeaders: Record<string, string> = {}): Promise<Started> {
  const reply = await call(stack.baseUrl, 'POST', `/api/chat/${stack.seeded.widget}/conversations`, {
    headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp(), ...extraHeaders },
    body: JSON.stringify({ clientRequestId: randomUUID(), answers: { firstname: 'Camille', email: 'camille@example.com' } }),
  });
  if (reply.status !== 201) throw new Error(`start failed: ${reply.status} ${reply.text}`);
  return JSON.parse(reply.text) as Started;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let a: Started;
let b: Started;

beforeAll(async () => {
  stack = await startSecurityStack();
  a = await startChat();
  b = await startChat();
  await seedAgentMessages(stack.api, a.conversationId, 'INTERNAL: customer was rude last time', 'Hello, how can I help?');
  await seedAgentMessages(stack.api, b.conversationId, 'INTERNAL: note on B', 'Reply on B');
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  before = stack.counts();
});

describe('customer tokens', () => {
  test('the right token reads the public transcript and never an internal note', async () => {
    const reply = await call(stack.baseUrl, 'GET', `/api/chat/conversations/${a.conversationId}/messages?after=0`, { headers: bearer(a.token) });
    expect(reply.status).toBe(200);
    const bodies = (JSON.parse(reply.text) as { messages: { body: string }[] }).messages.map((m) => m.body);
    expect(bodies).toContain('Hello, how can I help?');
    expect(bodies.some((t) => t.includes('INTERNAL'))).toBe(false);
    expect(reply.text).not.toContain('INTERNAL');
  });

  test("another conversation's token reads, sends and ends nothing", async () => {
    const path = `/api/chat/conversations/${a.conversationId}`;
    const read = await call(stack.baseUrl, 'GET', `${path}/messages?after=0`, { headers: bearer(b.token) });
    expect(read.status).toBe(401);
    expectRefused(read);
    expect(read.text).not.toContain('INTERNAL');
    expect(read.text).not.toContain('Hello, how can I help?');
    const send = await call(stack.baseUrl, 'POST', `${path}/messages`, { headers: { ...bearer(b.token), 'content-type': 'application/json' }, body: JSON.stringify({ clientMessageId: randomUUID(), body: 'injected' }) });
    expect(send.status).toBe(401);
    expectRefused(send);
    const end = await call(stack.baseUrl, 'POST', `${path}/end`, { headers: bearer(b.token) });
    expect(end.status).toBe(401);
    expectRefused(end);
    expect(stack.counts()).toEqual(before);
  });

  test('forged, expired, replaced and malformed tokens open nothing', async () => {
    const signer = new TokenSigner(SECRETS.CHAT_TOKEN_KEY);
    const otherKey = new TokenSigner('another-key-that-is-long-enough-0123456789');
    const token = fc.oneof(
      fc.string({ maxLength: 120 }).filter((s) => !/[\r\n]/.test(s)),
      fc.base64String({ maxLength: 120 }).map((s) => `${s}.${s}`),
      // Right conversation, signed with another key.
      fc.constant(otherKey.issue(a.conversationId, Date.now() + 3600_000, 'n')),
      // Right key, but expired.
      fc.integer({ min: 1, max: 10 ** 9 }).map((ago) => signer.issue(a.conversationId, Date.now() - ago, 'n')),
      // Right key and conversation, but not the token whose hash the row stores (e.g. replaced by a retried start).
      fc.uuid().map((nonce) => signer.issue(a.conversationId, Date.now() + 3600_000, nonce)),
      // The real token with its payload or signature altered.
      fc.integer({ min: 0, max: a.token.length - 1 }).map((i) => a.token.slice(0, i) + (a.token[i] === 'A' ? 'B' : 'A') + a.token.slice(i + 1)),
    );
    const route = fc.constantFrom('read', 'send', 'end');
    await fc.assert(
      fc.asyncProperty(token, route, fc.constantFrom('Bearer ', 'bearer ', 'Basic ', ''), async (t, r, scheme) => {
        fc.pre(t !== a.token);
        const headers: Record<string, string> = { authorization: `${scheme}${t}`, 'content-type': 'application/json' };
        const path = `/api/chat/conversations/${a.conversationId}`;
        const reply =
          r === 'read'
            ? await call(stack.baseUrl, 'GET', `${path}/messages?after=0`, { headers })
            : r === 'send'
              ? await call(stack.baseUrl, 'POST', `${path}/messages`, { headers, body: JSON.stringify({ clientMessageId: randomUUID(), body: 'forged' }) })
              : await call(stack.baseUrl, 'POST', `${path}/end`, { headers });
        expect(reply.status).toBe(401);
        expectRefused(reply);
      }),
      { numRuns: 120 },
    );
    expect(stack.counts()).toEqual(before);
  });
});

describe('chat routes under malformed input', () => {
  test('config and start refuse unknown widgets and malformed bodies with 4xx and write nothing', async () => {
    const widgetId = fc.oneof(guid, fc.string({ minLength: 1, maxLength: 60 }).map(encodeURIComponent), fc.constant('__real__'));
    await fc.assert(
      fc.asyncProperty(widgetId, fc.constantFrom('config', 'start'), junkBody, contentTypes, ipv4, async (w, route, body, contentType, clientIp) => {
        const id = w === '__real__' ? stack.seeded.widget : w;
        // The real widget's config is public and fine; only hostile starts are checked on it.
        fc.pre(!(w === '__real__' && route === 'config'));
        // A widget may be addressed by name; random names must simply not exist.
        fc.pre(id !== 'Security%20widget');
        const headers = { 'content-type': contentType, 'x-forwarded-for': clientIp };
        const reply = route === 'config' ? await call(stack.baseUrl, 'GET', `/api/chat/${id}/config`, { headers }) : await call(stack.baseUrl, 'POST', `/api/chat/${id}/conversations`, { headers, body });
        expectRefused(reply, { hostMayAnswer: true });
      }),
      { numRuns: 120 },
    );
    expect(stack.counts()).toEqual(before);
  });

  test('messages and end refuse malformed ids, cursors and bodies with 4xx and write nothing', async () => {
    const id = fc.oneof(guid, fc.string({ minLength: 1, maxLength: 60 }).map(encodeURIComponent), fc.constant(a.conversationId));
    const after = fc.oneof(fc.string({ maxLength: 20 }).map(encodeURIComponent), fc.integer().map(String), fc.constant('1e3'), fc.constant('-1'), fc.constant('99999999999999999999'));
    await fc.assert(
      fc.asyncProperty(id, fc.constantFrom('read', 'send', 'end'), after, junkBody, contentTypes, fc.boolean(), async (conv, route, cursor, body, contentType, rightToken) => {
        // The right token is only ever paired with input that must still be refused.
        const token = rightToken && conv === a.conversationId ? a.token : b.token;
        if (token === a.token && route === 'read') fc.pre(!/^\d{1,15}$/.test(decodeURIComponent(cursor)));
        if (token === a.token) fc.pre(route === 'read' || route === 'send');
        const headers = { ...bearer(token), 'content-type': contentType };
        const path = `/api/chat/conversations/${conv}`;
        const reply =
          route === 'read'
            ? await call(stack.baseUrl, 'GET', `${path}/messages?after=${cursor}`, { headers })
            : route === 'send'
              ? await call(stack.baseUrl, 'POST', `${path}/messages`, { headers, body })
              : await call(stack.baseUrl, 'POST', `${path}/end`, { headers, body });
        expectRefused(reply, { hostMayAnswer: true });
      }),
      { numRuns: 150 },
    );
    expect(stack.counts()).toEqual(before);
  });

  test('oversized chat bodies are refused with 413 and write nothing', async () => {
    const start = await call(stack.baseUrl, 'POST', `/api/chat/${stack.seeded.widget}/conversations`, {
      headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp() },
      body: JSON.stringify({ clientRequestId: randomUUID(), answers: { firstname: 'x'.repeat(40 * 1024), email: 'a@b.cd' } }),
    });
    expect(start.status).toBe(413);
    expectRefused(start);
    const send = await call(stack.baseUrl, 'POST', `/api/chat/conversations/${a.conversationId}/messages`, {
      headers: { ...bearer(a.token), 'content-type': 'application/json' },
      body: JSON.stringify({ clientMessageId: randomUUID(), body: 'y'.repeat(20 * 1024) }),
    });
    expect(send.status).toBe(413);
    expectRefused(send);
    // Under the byte limit but over the character limit.
    const long = await call(stack.baseUrl, 'POST', `/api/chat/conversations/${a.conversationId}/messages`, {
      headers: { ...bearer(a.token), 'content-type': 'application/json' },
      body: JSON.stringify({ clientMessageId: randomUUID(), body: 'z'.repeat(4001) }),
    });
    expect(long.status).toBe(400);
    expectRefused(long);
    expect(stack.counts()).toEqual(before);
  });
});

describe('widget script', () => {
  test('any other method is refused, and GET with any query or headers never fails on our side nor writes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.string({ maxLength: 40 }).map(encodeURIComponent),
        fc.string({ maxLength: 60 }).filter((v) => !/[\r\n]/.test(v)),
        async (method, query, etag) => {
          const reply = await call(stack.baseUrl, method, `/api/chat/widget.js?v=${query}`, { headers: { 'if-none-match': etag, 'accept-encoding': 'gzip, br' }, body: 'x' });
          if (method === 'GET') expect([200, 304, 404]).toContain(reply.status);
          else expectRefused(reply, { hostMayAnswer: true });
        },
      ),
      { numRuns: 40 },
    );
    expect(stack.counts()).toEqual(before);
  });
});

describe('CORS', () => {
  const origins = fc.oneof(
    fc.webUrl({ withQueryParameters: false, withFragments: false }).map((u) => new URL(u).origin),
    fc.constantFrom('https://shop.example.test.evil.test', 'http://shop.example.test', 'https://shop.example.test:8443', 'https://evil.test', 'null', 'https://sub.shop.example.test'),
  );

  test('a non-allowed origin gets no Access-Control-Allow-Origin on preflights or on requests, and its start writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(origins, fc.constantFrom('config', 'start', 'messages', 'end'), fc.boolean(), async (origin, route, preflight) => {
        fc.pre(origin.toLowerCase() !== ALLOWED_ORIGIN);
        const path = {
          config: `/api/chat/${stack.seeded.widget}/config`,
          start: `/api/chat/${stack.seeded.widget}/conversations`,
          messages: `/api/chat/conversations/${a.conversationId}/messages?after=0`,
          end: `/api/chat/conversations/${a.conversationId}/end`,
        }[route];
        const reply = preflight
          ? await call(stack.baseUrl, 'OPTIONS', path, { headers: { origin, 'access-control-request-method': route === 'config' ? 'GET' : 'POST', 'access-control-request-headers': 'authorization,content-type' } })
          : route === 'start'
            ? await call(stack.baseUrl, 'POST', path, {
                headers: { origin, 'content-type': 'application/json', 'x-forwarded-for': freshIp() },
                body: JSON.stringify({ clientRequestId: randomUUID(), answers: { firstname: 'Eve', email: 'eve@evil.test' } }),
              })
            : await call(stack.baseUrl, route === 'config' ? 'GET' : route === 'messages' ? 'GET' : 'POST', path, { headers: { origin, ...bearer(a.token) } });
        expect(reply.headers.get('access-control-allow-origin')).toBeNull();
        expectRefused(reply);
      }),
      { numRuns: 80 },
    );
    expect(stack.counts()).toEqual(before);
  });

  test('the allowed origin gets its own origin back, on preflights and on requests', async () => {
    for (const path of [`/api/chat/${stack.seeded.widget}/config`, `/api/chat/${stack.seeded.widget}/conversations`, `/api/chat/conversations/${a.conversationId}/messages`]) {
      const pre = await call(stack.baseUrl, 'OPTIONS', path, { headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST' } });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(pre.headers.get('access-control-allow-origin')).not.toBe('*');
    }
    const config = await call(stack.baseUrl, 'GET', `/api/chat/${stack.seeded.widget}/config`, { headers: { origin: ALLOWED_ORIGIN } });
    expect(config.status).toBe(200);
    expect(config.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const read = await call(stack.baseUrl, 'GET', `/api/chat/conversations/${a.conversationId}/messages?after=0`, { headers: { origin: ALLOWED_ORIGIN, ...bearer(a.token) } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    // Errors carry CORS too, so the widget can read them; but only for the allowed origin.
    const denied = await call(stack.baseUrl, 'GET', `/api/chat/conversations/${a.conversationId}/messages?after=0`, { headers: { origin: ALLOWED_ORIGIN, ...bearer(b.token) } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });
});

describe('rate limits', () => {
  test('a burst of starts from one client is cut with 429 and Retry-After, and the refused ones write nothing', async () => {
    const client = freshIp();
    const replies = [];
    for (let i = 0; i < 12; i++) {
      replies.push(
        await call(stack.baseUrl, 'POST', `/api/chat/${stack.seeded.widget}/conversations`, {
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.7, ${client}` },
          body: JSON.stringify({ clientRequestId: randomUUID(), answers: { firstname: 'Burst', email: 'burst@example.com' } }),
        }),
      );
    }
    const created = replies.filter((r) => r.status === 201).length;
    const limited = replies.filter((r) => r.status === 429);
    expect(created).toBeGreaterThan(0);
    expect(limited.length).toBeGreaterThan(0);
    expect(created + limited.length).toBe(12);
    for (const r of limited) {
      expectRefused(r);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(stack.counts().swb_conversation).toBe(before.swb_conversation + created);
    // A forged X-Forwarded-For prefix does not buy a new bucket: only the entries our proxies add count.
    const forged = await call(stack.baseUrl, 'POST', `/api/chat/${stack.seeded.widget}/conversations`, {
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 250)}, ${client}` },
      body: JSON.stringify({ clientRequestId: randomUUID(), answers: { firstname: 'Burst', email: 'burst@example.com' } }),
    });
    expect(forged.status).toBe(429);
  });

  test('behind Azure\'s front end alone, an X-Forwarded-For changed on every request does not dodge the start limit', async () => {
    // One trusted hop, the default: the front end (the dev host here) appends the address it
    // accepted the connection from; whatever the client wrote before it is not trusted.
    const direct = await stack.startHost({ SWITCHBOARD_TRUSTED_PROXY_HOPS: '1' });
    const replies = [];
    for (let i = 0; i < 12; i++) {
      replies.push(
        await call(direct.url, 'POST', `/api/chat/${stack.seeded.widget}/conversations`, {
          headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp() },
          body: JSON.stringify({ clientRequestId: randomUUID(), answers: { firstname: 'Rotating', email: 'rotating@example.com' } }),
        }),
      );
    }
    expect(replies.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(12 - 5);
    for (const r of replies) expect([201, 429]).toContain(r.status);
  });

  test('a burst of reads and sends on one conversation is cut with 429 and Retry-After', async () => {
    const c = await startChat();
    const reads = await Promise.all(Array.from({ length: 45 }, () => call(stack.baseUrl, 'GET', `/api/chat/conversations/${c.conversationId}/messages?after=0`, { headers: bearer(c.token) })));
    const readLimited = reads.filter((r) => r.status === 429);
    expect(readLimited.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    for (const r of readLimited) expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const beforeSends = stack.counts().swb_message;
    const sends = [];
    for (let i = 0; i < 30; i++) {
      sends.push(await call(stack.baseUrl, 'POST', `/api/chat/conversations/${c.conversationId}/messages`, { headers: { ...bearer(c.token), 'content-type': 'application/json' }, body: JSON.stringify({ clientMessageId: randomUUID(), body: `m${i}` }) }));
    }
    const stored = sends.filter((r) => r.status === 201).length;
    expect(sends.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(stack.counts().swb_message - beforeSends).toBe(stored);
  });
});

describe('Dataverse webhook route', () => {
  const steps = stepRegistry.map((s) => s.name);

  test('a missing or wrong webhook key is refused with 401 whatever the step and body, and nothing is written', async () => {
    const key = fc.oneof(fc.constant(undefined), wrongSecret(SECRETS.WEBHOOK_KEY));
    const step = fc.oneof(fc.constantFrom(...steps), fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent));
    await fc.assert(
      fc.asyncProperty(step, key, fc.boolean(), junkBody, contentTypes, async (s, k, inHeader, body, contentType) => {
        const headers: Record<string, string> = { 'content-type': contentType };
        let query = '';
        if (k !== undefined) {
          if (inHeader) headers['x-switchboard-webhook-key'] = k;
          else query = `?code=${encodeURIComponent(k)}`;
        }
        const reply = await call(stack.baseUrl, 'POST', `/api/dataverse/${s}${query}`, { headers, body });
        expectRefused(reply, { hostMayAnswer: true });
        if (reply.text !== '') expect(reply.status).toBe(401);
      }),
      { numRuns: 120 },
    );
    expect(stack.counts()).toEqual(before);
  });

  test('with the right key, a malformed execution context is refused with 4xx and writes nothing', async () => {
    const context = fc.oneof(
      junkBody,
      fc.record({ MessageName: fc.constantFrom('Create', 'Update', 'Delete', 'x'), PrimaryEntityName: fc.constantFrom('swb_message', 'swb_conversation', 'contact', 'x'), InputParameters: fc.anything({ maxDepth: 2 }) }).map((o) => JSON.stringify(o)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...steps, 'no-such-step'), context, async (s, body) => {
        const reply = await call(stack.baseUrl, 'POST', `/api/dataverse/${s}?code=${encodeURIComponent(SECRETS.WEBHOOK_KEY)}`, { headers: { 'content-type': 'application/json' }, body });
        expectRefused(reply);
      }),
      { numRuns: 100 },
    );
    expect(stack.counts()).toEqual(before);
  });

  test('a context Dataverse trimmed (over 256 KB: header set, no InputParameters or images) is handled from the row, not refused', async () => {
    const conversationId = (await stack.api.create({
      collection: 'swb_conversations',
      data: { subject: 'Big context', swb_channeltype: ChannelType.LiveChat, swb_state: ConversationState.Open, swb_context: JSON.stringify({ notes: 'n'.repeat(90_000) }) },
    })) as string;
    const body = executionContext({ message: 'Create', table: 'swb_conversation', id: conversationId, stage: 40, mode: 'async' });
    for (const dropped of ['InputParameters', 'PreEntityImages', 'PostEntityImages', 'ParentContext']) delete body[dropped];
    const reply = await call(stack.baseUrl, 'POST', `/api/dataverse/conversation-state?code=${encodeURIComponent(SECRETS.WEBHOOK_KEY)}`, {
      headers: { 'content-type': 'application/json', 'x-ms-dynamics-msg-size-exceeded': 'true' },
      body: JSON.stringify(body),
    });
    expect(reply.status).toBe(200);
    const row = await stack.api.retrieve<{ swb_queuedon: string | null }>({ collection: 'swb_conversations', key: conversationId, select: ['swb_queuedon'] });
    expect(row.swb_queuedon).not.toBeNull();
    before = stack.counts();
  });

  test('an oversized webhook body is refused with 413', async () => {
    const reply = await call(stack.baseUrl, 'POST', `/api/dataverse/message-created?code=${encodeURIComponent(SECRETS.WEBHOOK_KEY)}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'p'.repeat(2 * 1024 * 1024) }),
    });
    expect(reply.status).toBe(413);
    expectRefused(reply);
    expect(stack.counts()).toEqual(before);
    expect((await call(stack.baseUrl, 'GET', '/api/health')).status).toBe(200);
  });
});
