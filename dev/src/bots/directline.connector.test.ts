// The functions app's Direct Line connector against the Direct Line stand-in over real HTTP, with
// the FAQ bot behind it: what the customer is told, the two hand-off shapes, the bot failures that
// hand the customer to a person, how the connector holds its credentials, and how it receives:
// on the WebSocket stream (typing told as it happens), or by polling when there is no stream.
import net from 'node:net';
import WebSocket from 'ws';
import type { BotCustomer, BotDelivery, BotEndpoint, BotSession } from '@switchboard/functions/bots/bot-connector';
import { DirectLineConnector, type DirectLineConnectorDeps } from '@switchboard/functions/bots/directline/directline.connector';
import { STRINGS } from '../directline/faq-brain';
import { createFaqBot, type HandoffShape } from '../directline/faq.bot';
import { Harness, eventually } from '../directline/testing/harness';
import type { DirectLineStandIn, DirectLineStandInOptions } from '../directline';

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

async function setUp(
  options: { shape?: HandoffShape; timeoutMs?: number; secret?: string; connector?: DirectLineConnectorDeps; standIn?: Partial<DirectLineStandInOptions> } = {},
) {
  const standIn: DirectLineStandIn = await h.standIn(
    [{ id: 'faq-bot', name: 'Switchboard FAQ', secrets: [SECRET], bot: createFaqBot({ shape: options.shape ?? 'copilot-studio' }) }],
    options.standIn,
  );
  const requests: Request[] = [];
  const connector = new DirectLineConnector({ fetch: recordingFetch(requests), pollIntervalMs: 50, quietMs: 300, ...options.connector });
  const bot: BotEndpoint = { botId: 'faq', kind: 'directline', url: standIn.url, secret: options.secret ?? SECRET, timeoutMs: options.timeoutMs ?? 10_000 };
  return { standIn, connector, bot, requests };
}

const customer = (locale: string): BotCustomer => ({ conversationId: 'swb-conv-1', locale, context: { page: '/cart', vip: true }, userId: 'swb-cust-1' });
const said = (delivery: BotDelivery) => (delivery.ok ? delivery.turn.say.map((s) => s.text) : [`failed: ${delivery.failure}`]);
const calls = (requests: Request[]) => requests.map((r) => `${r.method} ${r.path}`);
const polled = (requests: Request[]) => requests.some((r) => r.method === 'GET' && r.path.endsWith('/activities'));

/** The bot's messages the stand-in holds for a conversation (what it has answered so far). */
const botMessages = (standIn: DirectLineStandIn, conversationId: string) =>
  standIn.transcript(conversationId).filter((a) => a.from?.role === 'bot' && a.type === 'message').length;

/** A stream the connector cannot have: every turn polls. */
const noSockets: DirectLineConnectorDeps['webSocket'] = () => {
  throw new Error('no WebSocket here');
};

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

  it('in the Copilot Studio shape the hand-off context also carries the useful va_* variables', async () => {
    const { connector, bot } = await setUp({ shape: 'copilot-studio' });
    const delivery = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'message', text: 'I want to talk to an agent', messageId: 'm1' });
    expect(delivery).toMatchObject({ ok: true, turn: { handoff: { context: { va_LastTopic: 'escalate', va_Language: 'en-us', va_BotName: 'Switchboard FAQ' } } } });
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
  describe('receiving on the WebSocket stream', () => {
    it('a slow bot: its typing is told the moment the bot shows it, before its answer, which then comes on the stream', async () => {
      // keep-alive frames every 50 ms go by during the turn: they are ignored
      const { standIn, connector, bot, requests } = await setUp({ timeoutMs: 10_000, standIn: { keepAliveMs: 50 } });
      const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      const id = opened.session.externalId!;
      const answeredBefore = botMessages(standIn, id);
      standIn.setBotMode('faq-bot', { slowMs: 400 });
      requests.length = 0;

      const order: string[] = [];
      const typed: Array<{ at: number; answered: number }> = [];
      const typing = () => {
        order.push('typing');
        typed.push({ at: performance.now(), answered: botMessages(standIn, id) - answeredBefore });
      };
      const delivery = await connector
        .deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'opening hours?', messageId: 'm1' }, { typing })
        .then((d) => {
          order.push('delivered');
          return d;
        });
      const deliveredAt = performance.now();

      expect(said(delivery)).toEqual([STRINGS.en.hours, STRINGS.en.anythingElse]);
      expect(delivery).toMatchObject({ ok: true, turn: { typing: true } });
      // told once, before the turn ended, while the bot had not answered yet
      expect(order).toEqual(['typing', 'delivered']);
      expect(typed[0]!.answered).toBe(0);
      expect(deliveredAt - typed[0]!.at).toBeGreaterThanOrEqual(200);
      // reconnected at the watermark, then only the post: everything came on the stream
      expect(calls(requests)).toEqual([`GET /conversations/${id}`, `POST /conversations/${id}/activities`]);
      expect(Number(delivery.session.watermark)).toBeGreaterThan(Number(opened.session.watermark));
      // the turn's socket is closed once it is over
      await eventually(() => !standIn.stats().conversations[id]!.streamOpen, 'the stream to be closed');
    });

    it('Direct Line stops waiting for a slow bot (502, bot 504): the answer still comes on the stream, typing told first', async () => {
      const { standIn, connector, bot, requests } = await setUp({ timeoutMs: 10_000, standIn: { botTimeoutMs: 100 } });
      const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      standIn.setBotMode('faq-bot', { slowMs: 400 });
      requests.length = 0;
      const order: string[] = [];
      const delivery = await connector.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'opening hours?', messageId: 'm1' }, {
        typing: () => order.push('typing'),
      });
      order.push('delivered');
      expect(said(delivery)).toEqual([STRINGS.en.hours, STRINGS.en.anythingElse]);
      expect(order).toEqual(['typing', 'delivered']);
      expect(standIn.stats().totals.botTimeouts).toBe(1);
      expect(polled(requests)).toBe(false);
    });

    it('a new conversation reads its greeting from the streamUrl it was started with (no reconnect, no polling)', async () => {
      const { connector, bot, requests } = await setUp();
      const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
      expect(said(opened)).toEqual([STRINGS.en.greeting]);
      expect(calls(requests)).toEqual(['POST /tokens/generate', 'POST /conversations']);
    });

    it('no activity is read twice across turns, whether a turn read the stream or polled', async () => {
      const { connector, bot, requests } = await setUp();
      const pollingOnly = new DirectLineConnector({ fetch: recordingFetch(requests), pollIntervalMs: 50, quietMs: 300, webSocket: noSockets });
      const c = customer('en-US');
      const opened = await connector.deliver(bot, NEW_SESSION, c, { kind: 'opened' });
      const hours = await connector.deliver(bot, opened.session, c, { kind: 'message', text: 'opening hours?', messageId: 'm1' });
      const before = requests.length;
      const more = await pollingOnly.deliver(bot, hours.session, c, { kind: 'message', text: 'yes', messageId: 'm2' });
      expect(polled(requests.slice(before))).toBe(true);
      const again = await connector.deliver(bot, more.session, c, { kind: 'message', text: 'opening hours?', messageId: 'm3' });

      const turns = [opened, hours, more, again];
      const answer = [STRINGS.en.hours, STRINGS.en.anythingElse];
      expect(turns.map(said)).toEqual([[STRINGS.en.greeting], answer, [STRINGS.en.whatElse], answer]);
      const ids = turns.flatMap((t) => (t.ok ? t.turn.say.map((s) => s.id) : []));
      expect(new Set(ids).size).toBe(ids.length);
      const watermarks = turns.map((t) => Number(t.session.watermark));
      expect(watermarks).toEqual([...watermarks].sort((a, b) => a - b));
      expect(new Set(watermarks).size).toBe(watermarks.length);
    });

    describe('without a stream the same slow turn succeeds by polling', () => {
      const held = new Set<net.Socket>();
      let silentServer: net.Server | undefined;
      afterEach(async () => {
        for (const s of held) s.destroy();
        held.clear();
        if (silentServer) await new Promise((resolve) => silentServer!.close(resolve));
        silentServer = undefined;
      });

      /** A TCP server that accepts the connection and never answers the upgrade. */
      async function silentPort(): Promise<number> {
        silentServer = net.createServer((socket) => held.add(socket));
        await new Promise<void>((resolve) => silentServer!.listen(0, '127.0.0.1', resolve));
        return (silentServer.address() as net.AddressInfo).port;
      }

      const cases: Array<[string, () => Promise<DirectLineConnectorDeps>, { typingTold: boolean }]> = [
        ['the socket cannot be created', async () => ({ webSocket: noSockets }), { typingTold: false }],
        ['the upgrade is refused (403)', async () => ({ webSocket: (url) => new WebSocket(url.replace(/([?&]t=)[^&]+/, '$1forged')) }), { typingTold: false }],
        [
          'the socket does not open within streamConnectMs',
          async () => {
            const port = await silentPort();
            return { webSocket: () => new WebSocket(`ws://127.0.0.1:${port}/`), streamConnectMs: 200 };
          },
          { typingTold: false },
        ],
        [
          'the stream closes before the turn is over',
          async () => ({
            // closed by the far end as soon as the bot's typing went by, long before its answer
            webSocket: (url) => {
              const ws = new WebSocket(url);
              ws.on('message', (data) => {
                if (String(data).includes('"typing"')) ws.close();
              });
              return ws;
            },
          }),
          { typingTold: true },
        ],
      ];

      it.each(cases)('%s', async (_, deps, expected) => {
        const { standIn, bot, requests } = await setUp({ timeoutMs: 10_000 });
        const connector = new DirectLineConnector({ fetch: recordingFetch(requests), pollIntervalMs: 50, quietMs: 300, ...(await deps()) });
        const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
        expect(said(opened)).toEqual([STRINGS.en.greeting]);
        standIn.setBotMode('faq-bot', { slowMs: 400 });
        let typing = 0;
        const delivery = await connector.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'opening hours?', messageId: 'm1' }, {
          typing: () => typing++,
        });
        expect(said(delivery)).toEqual([STRINGS.en.hours, STRINGS.en.anythingElse]);
        expect(polled(requests)).toBe(true);
        // a GET never returns typing: the customer only sees it when the stream carried it
        expect(typing > 0).toBe(expected.typingTold);
        const next = await connector.deliver(bot, delivery.session, customer('en-US'), { kind: 'message', text: 'yes', messageId: 'm2' });
        expect(said(next)).toEqual([STRINGS.en.whatElse]);
      });

      it('the reconnect call fails: the turn polls', async () => {
        const { standIn, bot } = await setUp({ timeoutMs: 10_000 });
        const requests: Request[] = [];
        const recording = recordingFetch(requests);
        const failingReconnect: typeof fetch = async (input, init) => {
          const path = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).pathname;
          if ((init?.method ?? 'GET') === 'GET' && /\/conversations\/[^/]+$/.test(path)) {
            return new Response(JSON.stringify({ error: { code: 'ServiceError', message: 'try again' } }), { status: 503 });
          }
          return recording(input, init);
        };
        const connector = new DirectLineConnector({ fetch: failingReconnect, pollIntervalMs: 50, quietMs: 300 });
        const opened = await connector.deliver(bot, NEW_SESSION, customer('en-US'), { kind: 'opened' });
        standIn.setBotMode('faq-bot', { slowMs: 400 });
        requests.length = 0;
        const delivery = await connector.deliver(bot, opened.session, customer('en-US'), { kind: 'message', text: 'opening hours?', messageId: 'm1' });
        expect(said(delivery)).toEqual([STRINGS.en.hours, STRINGS.en.anythingElse]);
        expect(polled(requests)).toBe(true);
      });
    });
  });
});
