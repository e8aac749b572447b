// Switchboard's webhook connector driving the real sample bot: events signed and posted by the
// product's code, callbacks checked and read by the product's code (verifyWebhookSignature,
// parseCallback) in a small server standing in for the callback route.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMPTY_TURN } from '@switchboard/core';
import type { BotCustomer, BotEndpoint, BotSession } from '@switchboard/functions/bots/bot-connector';
import { WebhookBotConnector } from '@switchboard/functions/bots/webhook/webhook-bot.connector';
import { type CallbackParse, parseCallback } from '@switchboard/functions/bots/webhook/webhook-contract';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, type SignatureCheck, verifyWebhookSignature } from '@switchboard/functions/bots/webhook/webhook-signature';
import { STRINGS } from '../directline/faq-brain';
import { createWebhookBot, type WebhookBotStandIn } from './webhook-bot.stand-in';

jest.setTimeout(30_000);

const SECRET = 'webhook-connector-secret';
const BOT_ID = 'faq-webhook';

interface Callback {
  botId: string;
  conversationId: string;
  signature: SignatureCheck;
  parsed: CallbackParse;
}

/** Switchboard's callback route, POST /api/bots/{botId}/conversations/{id}/{action}, reduced to recording. */
class CallbackRoute {
  readonly calls: Callback[] = [];
  url = '';
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/api\/bots\/([^/]+)\/conversations\/([^/]+)\/([^/]+)$/.exec(req.url ?? '');
      if (!m || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      const signature = verifyWebhookSignature({
        secrets: SECRET,
        timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
        signature: req.headers[SIGNATURE_HEADER] as string | undefined,
        rawBody: raw,
        nowSeconds: Date.now() / 1000,
      });
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = undefined;
      }
      const parsed = parseCallback(m[3]!, body);
      this.calls.push({ botId: decodeURIComponent(m[1]!), conversationId: decodeURIComponent(m[2]!), signature, parsed });
      res.writeHead(signature.ok && parsed.ok ? 200 : 400, { 'Content-Type': 'application/json' }).end('{}');
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  of(conversationId: string): Callback[] {
    return this.calls.filter((c) => c.conversationId === conversationId);
  }

  async until(conversationId: string, count: number, timeoutMs = 10_000): Promise<Callback[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.of(conversationId).length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} callbacks; got ${JSON.stringify(this.of(conversationId))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.of(conversationId);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

let route: CallbackRoute;
let bot: WebhookBotStandIn;
let endpoint: BotEndpoint;
const connector = new WebhookBotConnector();
const session: BotSession = { externalId: null, watermark: null };

beforeEach(async () => {
  route = new CallbackRoute();
  await route.start();
  bot = createWebhookBot({ botId: BOT_ID, secret: SECRET, switchboardUrl: route.url, retry: { attempts: 1 } });
  const { url } = await bot.listen(0);
  endpoint = { botId: BOT_ID, kind: 'webhook', url, secret: SECRET, timeoutMs: 5_000 };
});
afterEach(async () => {
  await bot.close();
  await route.close();
});

const customerIn = (conversationId: string, locale: string, context: BotCustomer['context'] = {}): BotCustomer => ({ conversationId, locale, context, userId: `user-${conversationId}` });
const parsedOf = (calls: Callback[]) => calls.map((c) => (c.parsed.ok ? c.parsed.callback : c.parsed));

describe('the webhook connector driving the sample webhook bot', () => {
  it('opens a French conversation: the bot acknowledges, then greets in French by a signed messages callback', async () => {
    const delivered = await connector.deliver(endpoint, session, customerIn('conv-fr', 'fr-FR'), { kind: 'opened' });
    expect(delivered).toEqual({ ok: true, session, turn: EMPTY_TURN });
    const [greeting] = await route.until('conv-fr', 1);
    expect(greeting).toMatchObject({
      botId: BOT_ID,
      signature: { ok: true },
      parsed: { ok: true, callback: { action: 'messages', id: expect.any(String), text: STRINGS.fr.greeting, locale: 'fr-FR' } },
    });
  });

  it('hands off on "conseiller" with the topic the conversation context gave and a summary for the agent', async () => {
    // Switchboard's context as it is, a boolean pre-chat answer included
    const customer = customerIn('conv-handoff', 'fr-FR', { topic: 'billing', vip: true });
    expect((await connector.deliver(endpoint, session, customer, { kind: 'opened' })).ok).toBe(true);
    expect((await connector.deliver(endpoint, session, customer, { kind: 'message', text: 'Je veux parler à un conseiller', messageId: 'msg-1' })).ok).toBe(true);
    const calls = await route.until('conv-handoff', 3);
    expect(calls.every((c) => c.signature.ok)).toBe(true);
    expect(parsedOf(calls)).toEqual([
      { action: 'messages', id: expect.any(String), text: STRINGS.fr.greeting, locale: 'fr-FR' },
      { action: 'messages', id: expect.any(String), text: STRINGS.fr.handoffAbout.billing, locale: 'fr-FR' },
      { action: 'handoff', id: expect.any(String), context: { topic: 'billing' }, summary: 'The customer asks for a person about billing' },
    ]);
  });

  it('hands off on "agent" in English, with a summary and no topic when none was given', async () => {
    const customer = customerIn('conv-agent', 'en-US');
    await connector.deliver(endpoint, session, customer, { kind: 'message', text: 'agent please', messageId: 'msg-2' });
    const calls = await route.until('conv-agent', 3);
    expect(parsedOf(calls).at(-1)).toEqual({ action: 'handoff', id: expect.any(String), context: {}, summary: 'The customer asks for a person' });
  });

  it('delivers a retried turn (same message id) once: the bot acknowledges the repeat without answering twice', async () => {
    const customer = customerIn('conv-retry', 'en-US');
    const input = { kind: 'message', text: 'What time do you open?', messageId: 'msg-3' } as const;
    expect((await connector.deliver(endpoint, session, customer, input)).ok).toBe(true);
    expect((await connector.deliver(endpoint, session, customer, input)).ok).toBe(true);
    await route.until('conv-retry', 3);
    expect(bot.stats().events).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(route.of('conv-retry').map((c) => (c.parsed.ok && c.parsed.callback.action === 'messages' ? c.parsed.callback.text : undefined))).toEqual([
      STRINGS.en.greeting,
      STRINGS.en.hours,
      STRINGS.en.anythingElse,
    ]);
  });

  it('reports a bot that is down as down, and one that holds another secret as refused', async () => {
    bot.setMode('down');
    expect(await connector.deliver(endpoint, session, customerIn('conv-down', 'en-US'), { kind: 'opened' })).toMatchObject({
      ok: false,
      failure: 'down',
      detail: expect.stringContaining('503'),
    });
    bot.setMode('up');
    expect(await connector.deliver({ ...endpoint, secret: 'another-secret' }, session, customerIn('conv-secret', 'en-US'), { kind: 'opened' })).toMatchObject({
      ok: false,
      failure: 'refused',
      detail: expect.stringContaining('401'),
    });
    expect(route.calls).toEqual([]);
  });

  it('is not held by a slow bot: the sample bot acknowledges at once and its answer arrives later by callback', async () => {
    bot.setMode({ slowMs: 500 });
    expect(await connector.deliver({ ...endpoint, timeoutMs: 300 }, session, customerIn('conv-slow', 'en-US'), { kind: 'opened' })).toMatchObject({ ok: true });
    expect(route.of('conv-slow')).toEqual([]);
    await route.until('conv-slow', 1);
  });

  it('reports a bot that never acknowledges as timed out', async () => {
    // the sample bot always acknowledges at once, so a server that never answers stands in for a hung one
    const hung = http.createServer(() => undefined);
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/events`;
      expect(await connector.deliver({ ...endpoint, url, timeoutMs: 200 }, session, customerIn('conv-hung', 'en-US'), { kind: 'opened' })).toMatchObject({
        ok: false,
        failure: 'timeout',
      });
    } finally {
      hung.closeAllConnections();
      await new Promise<void>((r) => hung.close(() => r()));
    }
  });
});
