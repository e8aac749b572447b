// The sample webhook bot against a stand-in for Switchboard's side of the contract: signed events
// in, signed callbacks out to POST /api/bots/{botId}/conversations/{id}/{messages|handoff|end}.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { STRINGS } from '../directline/faq-brain';
import { createWebhookBot, type WebhookBotStandIn } from './webhook-bot.stand-in';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook, verifyWebhookSignature, type SignatureCheck } from './webhook-signature';

jest.setTimeout(30_000);

const SECRET = 'webhook-bot-secret';

interface Callback {
  action: string;
  botId: string;
  conversationId: string;
  body: any;
  signature: SignatureCheck;
  at: number;
}

/** Switchboard's side: records each callback and checks its signature with the same rule. */
class FakeSwitchboard {
  /** the callbacks taken */
  readonly calls: Callback[] = [];
  /** every request, the refused ones too */
  readonly attempts: Callback[] = [];
  /** answers 503 to this many callbacks first */
  failNext = 0;
  url = '';
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const m = /^\/api\/bots\/([^/]+)\/conversations\/([^/]+)\/(messages|handoff|end)$/.exec(req.url ?? '');
      if (!m) {
        res.writeHead(404).end();
        return;
      }
      const call: Callback = {
        botId: decodeURIComponent(m[1]!),
        conversationId: decodeURIComponent(m[2]!),
        action: m[3]!,
        body: JSON.parse(raw.toString('utf8')),
        signature: verifyWebhookSignature({
          secrets: SECRET,
          timestamp: req.headers[TIMESTAMP_HEADER] as string,
          signature: req.headers[SIGNATURE_HEADER] as string,
          rawBody: raw,
          nowSeconds: Date.now() / 1000,
        }),
        at: Date.now(),
      };
      this.attempts.push(call);
      if (this.failNext > 0) {
        this.failNext--;
        res.writeHead(503).end();
        return;
      }
      this.calls.push(call);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
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

let switchboard: FakeSwitchboard;
let bot: WebhookBotStandIn;

beforeEach(async () => {
  switchboard = new FakeSwitchboard();
  await switchboard.start();
  bot = createWebhookBot({ botId: 'faq-webhook', secret: SECRET, switchboardUrl: switchboard.url, retry: { attempts: 3, baseDelayMs: 50 } });
  await bot.listen(0);
});
afterEach(async () => {
  await bot.close();
  await switchboard.close();
});

async function postEvent(event: unknown, sign: { secret?: string; at?: number; body?: (raw: string) => string } = {}): Promise<{ status: number; body: any }> {
  const raw = JSON.stringify(event);
  const headers = signWebhook(sign.secret ?? SECRET, raw, sign.at ?? Date.now() / 1000);
  const res = await fetch(bot.url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: sign.body ? sign.body(raw) : raw });
  return { status: res.status, body: await res.json() };
}

const customer = (conversationId: string, text: string, extra: Record<string, unknown> = {}) => ({ type: 'message', conversationId, message: { text, authorKind: 'customer' }, ...extra });
const said = (calls: Callback[]) => calls.map((c) => (c.action === 'messages' ? c.body.text : c.action));

describe('sample webhook bot', () => {
  it('greets on conversation.opened by calling back POST /api/bots/{botId}/conversations/{id}/messages, signed with the same rule', async () => {
    expect(await postEvent({ type: 'conversation.opened', conversationId: 'conv-1', locale: 'fr-FR' })).toEqual({ status: 202, body: { accepted: true } });
    const [greeting] = await switchboard.until('conv-1', 1);
    expect(greeting).toMatchObject({ botId: 'faq-webhook', action: 'messages', signature: { ok: true }, body: { id: expect.any(String), text: STRINGS.fr.greeting, locale: 'fr-FR' } });
  });

  it('answers opening hours in the customer\'s language, asks for anything else, and a "no" ends the conversation', async () => {
    await postEvent(customer('conv-2', 'What time do you open on Saturday?'));
    expect(said(await switchboard.until('conv-2', 3))).toEqual([STRINGS.en.greeting, STRINGS.en.hours, STRINGS.en.anythingElse]);
    await postEvent(customer('conv-2', 'no thanks'));
    const calls = await switchboard.until('conv-2', 5);
    expect(said(calls.slice(3))).toEqual([STRINGS.en.goodbye, 'end']);
    expect(calls[4]!.body).toEqual({ id: expect.any(String), reason: 'resolved' });
    expect(new Set(calls.map((c) => c.body.id)).size).toBe(5);
    expect(calls.every((c) => c.signature.ok)).toBe(true);
  });

  it('hands off on "agent" with the topic it picked up as context and a summary for the person, then leaves the conversation to them', async () => {
    await postEvent({ type: 'conversation.opened', conversationId: 'conv-3', locale: 'fr-FR' });
    await postEvent(customer('conv-3', "J'ai un problème avec ma facture"));
    await postEvent(customer('conv-3', 'Je veux un conseiller'));
    const calls = await switchboard.until('conv-3', 4);
    expect(said(calls)).toEqual([STRINGS.fr.greeting, STRINGS.fr.subject.billing, STRINGS.fr.handoffAbout.billing, 'handoff']);
    expect(calls[3]).toMatchObject({
      signature: { ok: true },
      body: { id: expect.any(String), context: { topic: 'billing' }, summary: 'The customer asks for a person about billing', locale: 'fr-FR' },
    });
    // the agent now talks; neither their messages nor the customer's reach the bot's answers
    await postEvent({ type: 'message', conversationId: 'conv-3', message: { text: 'Bonjour, je regarde', authorKind: 'agent' } });
    await postEvent(customer('conv-3', 'merci'));
    await new Promise((r) => setTimeout(r, 300));
    expect(switchboard.of('conv-3')).toHaveLength(4);
  });

  it('answers an agent\'s question (a consult) in reply to its event, without greeting, handing off or touching the customer\'s conversation', async () => {
    await postEvent({ id: 'note-1', type: 'message', conversationId: 'conv-consult', locale: 'en-US', message: { text: 'what are your opening hours?', authorKind: 'agent' } });
    const calls = await switchboard.until('conv-consult', 1);
    await new Promise((r) => setTimeout(r, 200));
    const all = switchboard.of('conv-consult');
    expect(new Set(all.map((c) => c.action))).toEqual(new Set(['messages']));
    expect(all.every((c) => (c.body as { inReplyTo?: string }).inReplyTo === 'note-1')).toBe(true);
    expect(calls[0]).toMatchObject({ signature: { ok: true }, body: { inReplyTo: 'note-1', text: STRINGS.en.hours } });
  });

  it('takes the topic Switchboard already knows from the conversation context into the hand-off', async () => {
    await postEvent({ type: 'conversation.opened', conversationId: 'conv-4', context: { topic: 'orders', cartTotal: 42 } });
    await postEvent(customer('conv-4', 'human please'));
    const calls = await switchboard.until('conv-4', 3);
    expect(calls[2]!.body.context).toEqual({ topic: 'orders' });
  });

  it('refuses unsigned, tampered, replayed and wrongly signed events with 401, and calls nothing back', async () => {
    const event = customer('conv-5', 'agent');
    const unsigned = await fetch(bot.url, { method: 'POST', body: JSON.stringify(event) });
    expect([unsigned.status, await unsigned.json()]).toEqual([401, { error: { code: 'InvalidSignature', message: 'Signature refused: missing-headers' } }]);
    expect(await postEvent(event, { body: (raw) => raw.replace('agent', 'hours') })).toMatchObject({ status: 401, body: { error: { message: expect.stringContaining('bad-signature') } } });
    expect(await postEvent(event, { at: Date.now() / 1000 - 301 })).toMatchObject({ status: 401, body: { error: { message: expect.stringContaining('stale-timestamp') } } });
    expect(await postEvent(event, { secret: 'not-the-secret' })).toMatchObject({ status: 401 });
    await new Promise((r) => setTimeout(r, 200));
    expect(switchboard.calls).toEqual([]);
    expect(bot.stats().events).toMatchObject({ accepted: 0, refusedSignature: 4 });
  });

  it('refuses malformed events with 400 and acknowledges a repeated event id without answering twice', async () => {
    expect(await postEvent({ type: 'message', conversationId: 'conv-6', message: { text: 'hi' } })).toMatchObject({ status: 400, body: { error: { code: 'BadRequest' } } });
    expect(await postEvent({ type: 'closed', conversationId: 'conv-6' })).toMatchObject({ status: 400 });
    expect(await postEvent({ type: 'conversation.opened', conversationId: 'conv-6', context: { nested: { no: 1 } } })).toMatchObject({ status: 400 });
    const opened = { id: 'evt-1', type: 'conversation.opened', conversationId: 'conv-6' };
    expect((await postEvent(opened)).body).toEqual({ accepted: true });
    expect((await postEvent(opened)).body).toEqual({ accepted: true, duplicate: true });
    await switchboard.until('conv-6', 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(switchboard.of('conv-6')).toHaveLength(1);
  });

  it('retries a callback Switchboard could not take (503) with the same id, each attempt signed', async () => {
    switchboard.failNext = 2;
    await postEvent({ type: 'conversation.opened', conversationId: 'conv-7' });
    const [greeting] = await switchboard.until('conv-7', 1);
    const attempts = switchboard.attempts.filter((a) => a.conversationId === 'conv-7');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.body.id))).toEqual(new Set([greeting!.body.id]));
    expect(attempts.every((a) => a.signature.ok)).toBe(true);
    // the bot counts once Switchboard's answer is back
    for (let i = 0; i < 100 && bot.stats().callbacks.sent === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(bot.stats().callbacks).toEqual({ sent: 1, failed: 0, byAction: { messages: 1, handoff: 0, end: 0 } });
  });

  describe('failure modes', () => {
    it('down: events are answered 503 and nothing is called back', async () => {
      bot.setMode('down');
      expect(await postEvent(customer('conv-8', 'hello'))).toEqual({ status: 503, body: { error: { code: 'BotUnavailable', message: expect.any(String) } } });
      bot.setMode('up');
      expect((await postEvent(customer('conv-8', 'hello'))).status).toBe(202);
      await switchboard.until('conv-8', 1);
    });

    it('silent: events are accepted and never answered', async () => {
      bot.setMode('silent');
      expect((await postEvent(customer('conv-9', 'hello'))).status).toBe(202);
      await new Promise((r) => setTimeout(r, 300));
      expect(switchboard.calls).toEqual([]);
    });

    it('slow: the answer comes back slowMs after the event, which was acknowledged at once', async () => {
      bot.setMode({ slowMs: 800 });
      const sentAt = Date.now();
      expect((await postEvent(customer('conv-10', 'opening hours?'))).status).toBe(202);
      expect(Date.now() - sentAt).toBeLessThan(800);
      const [first] = await switchboard.until('conv-10', 1);
      expect(first!.at - sentAt).toBeGreaterThanOrEqual(790);
    });
  });
});
