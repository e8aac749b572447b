import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMPTY_TURN } from '@switchboard/core';
import type { BotCustomer, BotEndpoint, BotSession } from '../bot-connector';
import { WebhookBotConnector } from './webhook-bot.connector';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from './webhook-signature';

const SECRET = 'whsec-connector-test';
const NOW = 1767225600_000; // 2026-01-01T00:00:00Z

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
}

/** A bot's event URL: records each request and answers `status`, or never answers when `hold`. */
class FakeBot {
  readonly received: Received[] = [];
  status = 202;
  hold = false;
  location: string | undefined;
  url = '';
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      if (this.hold) return;
      res.writeHead(this.status, this.location ? { Location: this.location } : {}).end('{"accepted":true}');
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

let bot: FakeBot;
beforeEach(async () => {
  bot = new FakeBot();
  await bot.start();
});
afterEach(() => bot.close());

const endpoint = (overrides: Partial<BotEndpoint> = {}): BotEndpoint => ({ botId: 'faq-webhook', kind: 'webhook', url: bot.url, secret: SECRET, timeoutMs: 5_000, ...overrides });
const session: BotSession = { externalId: null, watermark: null };
const customer: BotCustomer = { conversationId: 'conv-1', locale: 'fr-FR', context: { topic: 'billing', cartTotal: 42, vip: true }, userId: 'u-1' };
const connector = new WebhookBotConnector({ now: () => NOW });

describe('WebhookBotConnector', () => {
  it('posts a signed conversation.opened event with the customer context and locale, and answers an empty turn (the bot answers by callback)', async () => {
    expect(await connector.deliver(endpoint(), session, customer, { kind: 'opened' })).toEqual({ ok: true, session, turn: EMPTY_TURN });
    const [req] = bot.received;
    expect(req).toMatchObject({ method: 'POST', path: '/events', headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(NOW / 1000) } });
    expect(JSON.parse(req!.raw)).toEqual({ id: 'opened:conv-1', type: 'conversation.opened', conversationId: 'conv-1', context: customer.context, locale: 'fr-FR' });
    const check = verifyWebhookSignature({ secrets: SECRET, timestamp: req!.headers[TIMESTAMP_HEADER] as string, signature: req!.headers[SIGNATURE_HEADER] as string, rawBody: req!.raw, nowSeconds: NOW / 1000 });
    expect(check).toEqual({ ok: true });
  });

  it("posts a customer's message as a message event whose id is Switchboard's message id, so a retried turn is recognised", async () => {
    const delivered = await connector.deliver(endpoint(), session, customer, { kind: 'message', text: 'Je veux un conseiller', messageId: 'msg-7' });
    expect(delivered.ok).toBe(true);
    expect(JSON.parse(bot.received[0]!.raw)).toEqual({
      id: 'msg-7',
      type: 'message',
      conversationId: 'conv-1',
      context: customer.context,
      locale: 'fr-FR',
      message: { text: 'Je veux un conseiller', authorKind: 'customer' },
    });
  });

  it('keeps the session as it was: webhook bots have no conversation of their own to track', async () => {
    const kept: BotSession = { externalId: 'unused', watermark: '3' };
    expect(await connector.deliver(endpoint(), kept, customer, { kind: 'opened' })).toMatchObject({ ok: true, session: kept });
    bot.status = 500;
    expect(await connector.deliver(endpoint(), kept, customer, { kind: 'opened' })).toMatchObject({ ok: false, session: kept });
  });

  it('reports a bot answering 5xx as down, with the status in the detail', async () => {
    bot.status = 503;
    expect(await connector.deliver(endpoint(), session, customer, { kind: 'opened' })).toEqual({
      ok: false,
      failure: 'down',
      detail: `The bot at ${bot.url} answered 503 Service Unavailable: it is unavailable`,
      session,
    });
  });

  it('reports a bot nobody answers for as down, with the network error in the detail', async () => {
    const url = bot.url;
    await bot.close();
    bot = new FakeBot();
    await bot.start();
    expect(await connector.deliver(endpoint({ url }), session, customer, { kind: 'opened' })).toEqual({
      ok: false,
      failure: 'down',
      detail: `The bot at ${url} could not be reached (ECONNREFUSED)`,
      session,
    });
  });

  it('reports a refused signature (401, 403) and any other 4xx as refused, never echoing the secret', async () => {
    for (const status of [401, 403, 404, 400]) {
      bot.status = status;
      const delivered = await connector.deliver(endpoint(), session, customer, { kind: 'opened' });
      expect(delivered).toMatchObject({ ok: false, failure: 'refused', detail: expect.stringContaining(`answered ${status}`) });
      if (!delivered.ok) expect(delivered.detail).not.toContain(SECRET);
    }
    bot.status = 401;
    expect(await connector.deliver(endpoint(), session, customer, { kind: 'opened' })).toMatchObject({ detail: expect.stringContaining('share the secret') });
  });

  it('reports a bot that does not acknowledge within its timeout as timed out', async () => {
    bot.hold = true;
    expect(await connector.deliver(endpoint({ timeoutMs: 200 }), session, customer, { kind: 'opened' })).toEqual({
      ok: false,
      failure: 'timeout',
      detail: `The bot at ${bot.url} did not acknowledge the event within 200 ms`,
      session,
    });
  });

  it('times out even when the fetch it was given ignores the abort signal', async () => {
    const deaf = new WebhookBotConnector({ fetch: () => new Promise<Response>(() => undefined) });
    expect(await deaf.deliver(endpoint({ timeoutMs: 50 }), session, customer, { kind: 'opened' })).toMatchObject({ ok: false, failure: 'timeout' });
  });

  it('does not follow a redirect with the signed event: the bot is misconfigured', async () => {
    bot.status = 308;
    bot.location = 'http://127.0.0.1:9/elsewhere';
    expect(await connector.deliver(endpoint(), session, customer, { kind: 'opened' })).toMatchObject({ ok: false, failure: 'misconfigured', detail: expect.stringContaining('answered 308') });
    expect(bot.received).toHaveLength(1);
  });

  it('reports a bot without an http(s) URL or without a secret as misconfigured, without calling anything', async () => {
    const fetch = jest.fn();
    const offline = new WebhookBotConnector({ fetch });
    expect(await offline.deliver(endpoint({ url: 'not a url' }), session, customer, { kind: 'opened' })).toMatchObject({ ok: false, failure: 'misconfigured' });
    expect(await offline.deliver(endpoint({ url: 'ftp://bot.example.com/events' }), session, customer, { kind: 'opened' })).toMatchObject({ ok: false, failure: 'misconfigured' });
    expect(await offline.deliver(endpoint({ secret: '' }), session, customer, { kind: 'opened' })).toMatchObject({ ok: false, failure: 'misconfigured' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('leaves a key in the query string of the bot URL out of the detail', async () => {
    bot.status = 500;
    const delivered = await connector.deliver(endpoint({ url: `${bot.url}?code=function-key` }), session, customer, { kind: 'opened' });
    expect(delivered).toMatchObject({ ok: false, failure: 'down' });
    if (!delivered.ok) expect(delivered.detail).not.toContain('function-key');
    expect(bot.received[0]!.path).toBe('/events?code=function-key');
  });
});
