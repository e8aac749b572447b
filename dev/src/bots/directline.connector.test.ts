// The functions app's Direct Line connector against the Direct Line stand-in over real HTTP, with
// the FAQ bot behind it: what the customer is told, the two hand-off shapes, the bot failures that
// hand the customer to a person, and how the connector holds its credentials.
import type { BotCustomer, BotDelivery, BotEndpoint, BotSession } from '@switchboard/functions/bots/bot-connector';
import { DirectLineConnector, type DirectLineConnectorDeps } from '@switchboard/functions/bots/directline/directline.connector';
import { STRINGS } from '../directline/faq-brain';
import { createFaqBot, type HandoffShape } from '../directline/faq.bot';
import { Harness } from '../directline/testing/harness';
import type { DirectLineStandIn } from '../directline';

const SECRET = 'faq-bot-secret';
const NEW_SESSION: BotSession = { externalId: null, watermark: null };

const h = new Harness();
afterEach(() => h.cleanup());

interface Request {
  method: string;
  path: string;
  /** which credential the call carried */
  auth: 'secret' | 'token' | 'none';
  bearer?: string;
}

/** Records every call the connector makes; the stand-in answers them. */
function recordingFetch(requests: Request[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const header = new Headers(init?.headers).get('authorization') ?? '';
    const bearer = header.replace(/^Bearer /, '');
    requests.push({ method: init?.method ?? 'GET', path: url.pathname.replace('/v3/directline', ''), auth: !bearer ? 'none' : bearer === SECRET ? 'secret' : 'token', bearer });
    return fetch(input, init);
  };
}

async function setUp(options: { shape?: HandoffShape; timeoutMs?: number; secret?: string; connector?: DirectLineConnectorDeps } = {}) {
  const standIn: DirectLineStandIn = await h.standIn([{ id: 'faq-bot', name: 'Switchboard FAQ', secrets: [SECRET], bot: createFaqBot({ shape: options.shape ?? 'copilot-studio' }) }]);
  const requests: Request[] = [];
  const connector = new DirectLineConnector({ fetch: recordingFetch(requests), pollIntervalMs: 50, quietMs: 300, ...options.connector });
  const bot: BotEndpoint = { botId: 'faq', kind: 'directline', url: standIn.url, secret: options.secret ?? SECRET, timeoutMs: options.timeoutMs ?? 10_000 };
  return { standIn, connector, bot, requests };
}

const customer = (locale: string): BotCustomer => ({ conversationId: 'swb-conv-1', locale, context: { page: '/cart', vip: true }, userId: 'swb-cust-1' });
const said = (delivery: BotDelivery) => (delivery.ok ? delivery.turn.say.map((s) => s.text) : [`failed: ${delivery.failure}`]);

describe('DirectLineConnector against the Direct Line stand-in and its FAQ bot', () => {
  it('opens a conversation in the customer\'s locale, so the bot greets in French for fr-FR', async () => {
    const { connector, bot } = await setUp();
    const opened = await connector.deliver(bot, NEW_SESSION, customer('fr-FR'), { kind: 'opened' });
    expect(opened).toMatchObject({ ok: true, turn: { say: [{ text: STRINGS.fr.greeting, locale: 'fr-FR' }] } });
    expect(opened.session.externalId).toEqual(expect.any(String));
    expect(opened.session.watermark).toEqual(expect.any(String));
  });

  it('answers "what are your opening hours" with the hours, and the next turn starts after the watermark so nothing is said twice', async () => {
    const { connector, bot } = await setUp();
    const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
    expect(said(opened)).toEqual([STRINGS.en.greeting]);

    const hours = await connector.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'what are your opening hours', messageId: 'm1' });
    expect(said(hours)).toEqual([STRINGS.en.hours, STRINGS.en.anythingElse]);
    expect(hours.session.externalId).toBe(opened.session.externalId);
    expect(Number(hours.session.watermark)).toBeGreaterThan(Number(opened.session.watermark));

    const thanks = await connector.deliver(bot, hours.session, customer('en-US'), { kind: 'message', text: 'no thanks', messageId: 'm2' });
    expect(said(thanks)).toEqual([STRINGS.en.goodbye]);
    expect(thanks).toMatchObject({ ok: true, turn: { end: true } });
  });

  it('posts the customer\'s message with its Switchboard id and the conversation\'s context in channelData', async () => {
    const { standIn, connector, bot } = await setUp();
    const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
    await connector.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'hello', messageId: 'msg-42' });
    const posted = standIn.transcript(opened.session.externalId!).find((a) => a.from?.role === 'user');
    expect(posted).toMatchObject({
      type: 'message',
      text: 'hello',
      locale: 'en-US',
      from: { id: 'swb-cust-1' },
      channelData: { switchboardMessageId: 'msg-42', context: { page: '/cart', vip: true } },
    });
  });

  describe.each<HandoffShape>(['copilot-studio', 'omnichannel'])('hand-off in the %s shape', (shape) => {
    it('"agent" after a billing question hands off with the topic as context and the bot\'s note as summary; the note is not said', async () => {
      const { connector, bot } = await setUp({ shape });
      const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      const invoice = await connector.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'I have a question about my invoice', messageId: 'm1' });
      expect(said(invoice)).toEqual([STRINGS.en.subject.billing]);

      const agent = await connector.deliver(bot, invoice.session, customer('en-US'), { kind: 'message', text: 'agent', messageId: 'm2' });
      expect(said(agent)).toEqual([STRINGS.en.handoffAbout.billing]);
      expect(agent).toMatchObject({ ok: true, turn: { handoff: { context: { topic: 'billing' }, summary: 'The customer asks for a person about billing' } } });
    });

    it('"conseiller" after a question about an order hands off in French with the topic as context', async () => {
      const { connector, bot } = await setUp({ shape });
      const opened = await connector.deliver(bot, NEW_SESSION, customer('fr-FR'), { kind: 'opened' });
      const order = await connector.deliver(bot, opened.session, customer('fr-FR'), { kind: 'message', text: 'Bonjour, où en est ma commande ?', messageId: 'm1' });
      expect(said(order)).toEqual([STRINGS.fr.subject.orders]);

      const agent = await connector.deliver(bot, order.session, customer('fr-FR'), { kind: 'message', text: 'conseiller', messageId: 'm2' });
      expect(said(agent)).toEqual([STRINGS.fr.handoffAbout.orders]);
      expect(agent).toMatchObject({ ok: true, turn: { say: [{ locale: 'fr-FR' }], handoff: { context: { topic: 'orders' }, summary: 'The customer asks for a person about orders' } } });
    });
  });

  it('in the Copilot Studio shape the hand-off context also carries the va_* variables', async () => {
    const { connector, bot } = await setUp({ shape: 'copilot-studio' });
    const delivery = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'message', text: 'I want to talk to an agent', messageId: 'm1' });
    expect(delivery).toMatchObject({ ok: true, turn: { handoff: { context: { va_LastTopic: 'escalate', va_Language: 'en-us', va_BotId: 'faq-bot' } } } });
  });

  describe('a bot that cannot answer hands the customer to a person', () => {
    it('down: the failure is "down" and the session keeps the conversation', async () => {
      const { standIn, connector, bot } = await setUp();
      const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      standIn.setBotMode('faq-bot', 'down');
      const delivery = await connector.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'hello?', messageId: 'm1' });
      expect(delivery).toMatchObject({ ok: false, failure: 'down', session: opened.session });
      expect(delivery.ok || delivery.detail).toMatch(/502 BotError/);
    });

    it('silent: the failure is "timeout" once bot.timeoutMs has passed; a bot that does not greet is no failure on opened', async () => {
      const { standIn, connector, bot } = await setUp({ timeoutMs: 800 });
      standIn.setBotMode('faq-bot', 'silent');
      const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      expect(opened).toMatchObject({ ok: true, turn: { say: [] } });
      const delivery = await connector.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'hello?', messageId: 'm1' });
      expect(delivery).toMatchObject({ ok: false, failure: 'timeout', session: { externalId: opened.session.externalId } });
      // the customer's own message was read past: the next turn will not read it again
      expect(Number(delivery.session.watermark)).toBeGreaterThan(Number(opened.session.watermark ?? -1));
    });

    it('slow beyond bot.timeoutMs: the failure is "timeout"', async () => {
      const { standIn, connector, bot } = await setUp({ timeoutMs: 800 });
      const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      standIn.setBotMode('faq-bot', { slowMs: 5_000 });
      const delivery = await connector.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'opening hours?', messageId: 'm1' });
      expect(delivery).toMatchObject({ ok: false, failure: 'timeout', session: opened.session });
    });

    it('slow within bot.timeoutMs: the answer comes', async () => {
      const { standIn, connector, bot } = await setUp({ timeoutMs: 10_000 });
      const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      standIn.setBotMode('faq-bot', { slowMs: 300 });
      const delivery = await connector.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'opening hours?', messageId: 'm1' });
      expect(said(delivery)).toEqual([STRINGS.en.hours, STRINGS.en.anythingElse]);
    });

    it('a wrong secret: the failure is "refused", and no secret is in the result', async () => {
      const { connector, bot } = await setUp({ secret: 'not-the-secret' });
      const delivery = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      expect(delivery).toMatchObject({ ok: false, failure: 'refused', session: NEW_SESSION });
      expect(JSON.stringify(delivery)).not.toContain('not-the-secret');
    });

    it('nothing listening at the URL: the failure is "down"', async () => {
      const { standIn, connector, bot } = await setUp();
      await standIn.close();
      const delivery = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      expect(delivery).toMatchObject({ ok: false, failure: 'down' });
    });
  });

  describe('credentials', () => {
    it('starts as Web Chat does: a token generated with the secret for the customer, then every call with that token; none in the session or turn', async () => {
      const { connector, bot, requests } = await setUp();
      const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      const hours = await connector.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'opening hours?', messageId: 'm1' });
      expect(hours.ok).toBe(true);
      expect(requests[0]).toMatchObject({ method: 'POST', path: '/tokens/generate', auth: 'secret' });
      expect(requests[1]).toMatchObject({ method: 'POST', path: '/conversations', auth: 'token' });
      expect(requests.slice(1).every((r) => r.auth === 'token')).toBe(true);
      expect(requests.some((r) => r.method === 'POST' && r.path.endsWith('/activities'))).toBe(true);
      const token = requests[1]!.bearer!;
      // the token names the customer: Direct Line tells the bot who joined
      expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({ user: 'swb-cust-1' });
      for (const delivery of [opened, hours]) {
        expect(JSON.stringify(delivery)).not.toContain(token);
        expect(JSON.stringify(delivery)).not.toContain(SECRET);
      }
    });

    it('refreshes the token when less than 5 minutes remain, and goes on with the new one', async () => {
      const { connector, bot, requests } = await setUp({ connector: { now: () => Date.now() + h.skewMs } });
      const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      const first = requests[1]!.bearer!;

      h.skewMs = 56 * 60_000; // the stand-in's tokens live an hour
      requests.length = 0;
      const hours = await connector.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'opening hours?', messageId: 'm1' });
      expect(said(hours)).toEqual([STRINGS.en.hours, STRINGS.en.anythingElse]);
      expect(requests[0]).toMatchObject({ method: 'POST', path: '/tokens/refresh', bearer: first });
      const refreshed = requests[1]!.bearer!;
      expect(refreshed).not.toBe(first);
      expect(requests.slice(1).every((r) => r.bearer === refreshed)).toBe(true);

      // past the first token's hour the refreshed one still works, and is not refreshed again
      h.skewMs = 70 * 60_000;
      requests.length = 0;
      const more = await connector.deliver(bot, hours.session, customer('en-US'), { kind: 'message', text: 'yes', messageId: 'm2' });
      expect(said(more)).toEqual([STRINGS.en.whatElse]);
      expect(requests.every((r) => r.bearer === refreshed)).toBe(true);
    });

    it('an instance that has no token for the conversation (another one, a restart) carries on with the secret', async () => {
      const { standIn, connector, bot } = await setUp();
      const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      const requests: Request[] = [];
      const restarted = new DirectLineConnector({ fetch: recordingFetch(requests), pollIntervalMs: 50, quietMs: 300 });
      const hours = await restarted.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'opening hours?', messageId: 'm1' });
      expect(said(hours)).toEqual([STRINGS.en.hours, STRINGS.en.anythingElse]);
      expect(requests.every((r) => r.auth === 'secret')).toBe(true);
      expect(standIn.stats().totals.conversations).toBe(1);
    });

    it('a cached token that already expired is not refreshed: the secret is used', async () => {
      const { connector, bot, requests } = await setUp({ connector: { now: () => Date.now() + h.skewMs } });
      const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      h.skewMs = 2 * 3600_000;
      requests.length = 0;
      const hours = await connector.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'opening hours?', messageId: 'm1' });
      expect(said(hours)).toEqual([STRINGS.en.hours, STRINGS.en.anythingElse]);
      expect(requests.map((r) => r.auth)).not.toContain('token');
    });
  });
});
