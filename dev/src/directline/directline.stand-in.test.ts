// The stand-in speaks Direct Line 3.0 as the service documents it (learn.microsoft.com/azure/
// bot-service/rest-api/bot-framework-rest-direct-line-3-0-*): each test drives it with the
// reference client, botframework-directlinejs 0.15.8, unmodified, and checks the raw HTTP where
// the client hides status codes and error bodies.
import { WebSocket } from 'ws';
import type { Activity } from './activity';
import type { BotRegistration, DirectLineBot } from './bot';
import { ConnectionStatus } from './testing/direct-line-client';
import { Harness, call, eventually, streamOpen } from './testing/harness';

jest.setTimeout(30_000);

const SECRET = 'echo-bot-secret';
const echo: DirectLineBot = (activity) =>
  activity.type === 'message' ? [{ type: 'typing' }, { type: 'message', text: `echo: ${String(activity.text)}` }] : [];
const echoBot: BotRegistration = { id: 'echo-bot', name: 'Echo', secrets: [SECRET, 'echo-bot-second-secret'], bot: echo };

const h = new Harness();
afterEach(() => h.cleanup());

const texts = (activities: Array<{ type: string; text?: string }>) => activities.map((a) => (a.type === 'message' ? a.text : a.type));
const seqOf = (id: string) => Number(id.split('|')[1]);

function openSocket(url: string): Promise<{ ws: WebSocket; frames: string[]; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames: string[] = [];
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.on('message', (data) => frames.push(data.toString()));
    ws.on('open', () => resolve({ ws, frames, closed }));
    ws.on('error', reject);
  });
}

describe('Direct Line stand-in, driven by botframework-directlinejs', () => {
  it('a client with the secret goes Online over the WebSocket; its post returns the activity id and the stream brings its echo, then the bot typing, then the answer', async () => {
    const standIn = await h.standIn([echoBot]);
    const client = h.client({ secret: SECRET, domain: standIn.url, webSocket: true });
    await client.untilStatus(ConnectionStatus.Online);
    const conversationId = await streamOpen(standIn);

    const id = await client.say('hello');
    expect(id).toBe(`${conversationId}|0000000`);
    const fromBot = await client.untilFromBot(2);
    expect(client.received.map((a) => [a.type, a.from.role])).toEqual([['message', 'user'], ['typing', 'bot'], ['message', 'bot']]);
    expect(client.received[0]).toMatchObject({ id, text: 'hello', channelId: 'directline', conversation: { id: conversationId }, from: { id: 'customer-1', role: 'user' } });
    expect(fromBot[1]).toMatchObject({ text: 'echo: hello', replyToId: id, from: { id: 'echo-bot', name: 'Echo', role: 'bot' }, recipient: { id: 'customer-1' } });
    // ids and watermarks are the conversation's sequence, one number per activity, typing included
    expect(client.received.map((a) => seqOf(a.id!))).toEqual([0, 1, 2]);
  });

  it('polling: a client with webSocket false pages through GET /activities by watermark, never sees typing, and no activity twice', async () => {
    const standIn = await h.standIn([echoBot]);
    const client = h.client({ secret: SECRET, domain: standIn.url, webSocket: false, pollingInterval: 200 });
    await client.untilStatus(ConnectionStatus.Online);
    await client.say('one');
    await client.say('two');
    await client.until(() => client.received.length >= 4 || undefined, 'two echoes');
    await new Promise((r) => setTimeout(r, 600)); // a few more polls: nothing may come twice
    expect(texts(client.received)).toEqual(['one', 'echo: one', 'two', 'echo: two']);
    expect(new Set(client.received.map((a) => a.id)).size).toBe(4);

    const conversationId = client.received[0]!.conversation!.id;
    const all = await call(standIn, 'GET', `/v3/directline/conversations/${conversationId}/activities`, SECRET);
    expect(all.status).toBe(200);
    // typing took sequence numbers 1 and 4: the watermark counts them, the page leaves them out
    expect(all.body.watermark).toBe('5');
    expect(all.body.activities.map((a: Activity) => seqOf(a.id!))).toEqual([0, 2, 3, 5]);
    const after = await call(standIn, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=2`, SECRET);
    expect(texts(after.body.activities)).toEqual(['two', 'echo: two']);
    const none = await call(standIn, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=5`, SECRET);
    expect(none.body).toEqual({ activities: [], watermark: '5' });
    expect((await call(standIn, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=x`, SECRET)).status).toBe(400);
  });

  it('a client that reconnects with its token, the conversation id and its watermark gets what it missed, once, then live activities again', async () => {
    const standIn = await h.standIn([echoBot]);
    const generated = await call(standIn, 'POST', '/v3/directline/tokens/generate', SECRET);
    const { token, conversationId } = generated.body;
    const first = h.client({ token, domain: standIn.url });
    await first.untilStatus(ConnectionStatus.Online);
    await streamOpen(standIn);
    await first.say('one');
    await first.untilFromBot(2);
    // The service's ids are `<conversation>|<sequence>` and its watermark that sequence: what a client saw last.
    const watermark = String(seqOf(first.received.at(-1)!.id!));
    first.end();
    await eventually(() => !standIn.stats().conversations[conversationId]!.streamOpen, 'the first stream to close');

    // meanwhile, another device of the same customer goes on
    const missed = await call(standIn, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, { type: 'message', from: { id: 'customer-1' }, text: 'two' });
    expect(missed.status).toBe(200);

    const second = h.client({ token, conversationId, watermark, domain: standIn.url });
    await second.until(() => second.received.length >= 2 || undefined, 'the missed activities');
    expect(texts(second.received)).toEqual(['two', 'echo: two']);
    await streamOpen(standIn);
    await second.say('three');
    await second.until(() => second.received.length >= 5 || undefined, 'the live exchange');
    expect(texts(second.received)).toEqual(['two', 'echo: two', 'three', 'typing', 'echo: three']);
    expect(new Set(second.received.map((a) => a.id)).size).toBe(5);
  });

  it('tokens: generate binds a token to a new conversation and its user, start answers 201 then 200, refresh extends it, an expired one is refused', async () => {
    const standIn = await h.standIn([echoBot], { tokenLifetimeSeconds: 3600 });
    const generated = await call(standIn, 'POST', '/v3/directline/tokens/generate', SECRET, { user: { id: 'dl_camille', name: 'Camille' } });
    expect(generated.status).toBe(200);
    expect(generated.body).toEqual({ conversationId: expect.any(String), token: expect.any(String), expires_in: 3600 });
    const { token, conversationId } = generated.body;
    // a JWT, as the service's: the client reads `user` from it with jwt-decode
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ conv: conversationId, user: 'dl_camille', bot: 'echo-bot' });

    const client = h.client({ token, domain: standIn.url });
    await client.untilStatus(ConnectionStatus.Online);
    await streamOpen(standIn);
    // the user embedded in the token speaks, whatever `from` the client puts
    await client.post({ type: 'message', from: { id: 'someone-else' }, text: 'hi' } as never);
    await client.untilFromBot(2);
    expect(client.received[0]!.from).toEqual({ id: 'dl_camille', name: 'Camille', role: 'user' });
    client.end();

    const again = await call(standIn, 'POST', '/v3/directline/conversations', token);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ conversationId, token, streamUrl: expect.stringMatching(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${conversationId}/stream\\?t=`)) });

    h.skewMs = 3000 * 1000;
    const refreshed = await call(standIn, 'POST', '/v3/directline/tokens/refresh', token);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toEqual({ conversationId, token: expect.any(String), expires_in: 3600 });
    expect(refreshed.body.token).not.toBe(token);

    h.skewMs = 4000 * 1000; // past the first token's hour, within the refreshed one's
    const expired = await call(standIn, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    expect(expired).toEqual({ status: 403, body: { error: { code: 'TokenExpired', message: expect.any(String) } } });
    expect((await call(standIn, 'POST', '/v3/directline/tokens/refresh', token)).status).toBe(403);
    const ok = await call(standIn, 'GET', `/v3/directline/conversations/${conversationId}/activities`, refreshed.body.token);
    expect(texts(ok.body.activities)).toEqual(['hi', 'echo: hi']);

    // and the reference client resumes with the refreshed token
    const resumed = h.client({ token: refreshed.body.token, conversationId, domain: standIn.url, webSocket: false, pollingInterval: 200 });
    await resumed.until(() => resumed.received.length >= 2 || undefined, 'the history');
    expect(texts(resumed.received)).toEqual(['hi', 'echo: hi']);
  });

  it('a wrong secret is refused: the client fails to connect, and the service says why in its error shape', async () => {
    const standIn = await h.standIn([echoBot]);
    const client = h.client({ secret: 'not-the-secret', domain: standIn.url });
    await client.untilStatus(ConnectionStatus.FailedToConnect);
    expect(client.statuses).not.toContain(ConnectionStatus.Online);
    expect(client.errors).toEqual([expect.objectContaining({ status: 403 })]);

    expect(await call(standIn, 'POST', '/v3/directline/conversations', 'not-the-secret')).toEqual({
      status: 403,
      body: { error: { code: 'BadArgument', message: expect.any(String) } },
    });
    expect(await call(standIn, 'POST', '/v3/directline/conversations')).toEqual({ status: 401, body: { error: { code: 'BadArgument', message: 'Missing token or secret' } } });
    // a forged token (right shape, wrong signature) is no better
    const { token } = (await call(standIn, 'POST', '/v3/directline/tokens/generate', SECRET)).body;
    const [header, payload] = token.split('.');
    expect((await call(standIn, 'POST', '/v3/directline/conversations', `${header}.${payload}.AAAA`)).status).toBe(403);
  });

  it("a token opens its own conversation only; a secret opens any of its bot's; the second secret works like the first", async () => {
    const other: BotRegistration = { id: 'other-bot', secrets: ['other-secret'], bot: () => [] };
    const standIn = await h.standIn([echoBot, other]);
    const a = (await call(standIn, 'POST', '/v3/directline/conversations', SECRET)).body;
    const b = (await call(standIn, 'POST', '/v3/directline/conversations', 'echo-bot-second-secret')).body;
    expect((await call(standIn, 'GET', `/v3/directline/conversations/${b.conversationId}/activities`, a.token)).status).toBe(403);
    expect((await call(standIn, 'GET', `/v3/directline/conversations/${b.conversationId}/activities`, SECRET)).status).toBe(200);
    expect((await call(standIn, 'GET', `/v3/directline/conversations/${b.conversationId}/activities`, 'other-secret')).status).toBe(403);
    expect(await call(standIn, 'GET', '/v3/directline/conversations/no-such-conversation/activities', SECRET)).toEqual({
      status: 404,
      body: { error: { code: 'NotFound', message: expect.any(String) } },
    });
    // the streamUrl's own token opens the stream and nothing else
    const streamToken = new URL(a.streamUrl).searchParams.get('t');
    expect((await call(standIn, 'GET', `/v3/directline/conversations/${a.conversationId}/activities`, streamToken!)).status).toBe(403);
  });

  it('refuses activities it cannot deliver: no type, no sender, a conversationUpdate, a conversation not started yet, an upload', async () => {
    const standIn = await h.standIn([echoBot]);
    const { conversationId, token } = (await call(standIn, 'POST', '/v3/directline/conversations', SECRET)).body;
    const post = (body: unknown, credential = token, id = conversationId) => call(standIn, 'POST', `/v3/directline/conversations/${id}/activities`, credential, body);
    expect(await post({ from: { id: 'u' }, text: 'x' })).toMatchObject({ status: 400, body: { error: { code: 'MissingProperty' } } });
    expect(await post({ type: 'message', text: 'x' })).toMatchObject({ status: 400, body: { error: { code: 'MissingProperty' } } });
    expect(await post({ type: 'conversationUpdate', from: { id: 'u' } })).toMatchObject({ status: 400, body: { error: { code: 'BadArgument' } } });
    expect(await post('{"type": "message",')).toMatchObject({ status: 400, body: { error: { code: 'BadArgument' } } });
    const generated = (await call(standIn, 'POST', '/v3/directline/tokens/generate', SECRET)).body;
    expect(await post({ type: 'message', from: { id: 'u' }, text: 'x' }, generated.token, generated.conversationId)).toMatchObject({ status: 400 });
    expect(await call(standIn, 'POST', `/v3/directline/conversations/${conversationId}/upload?userId=u`, token, {})).toMatchObject({
      status: 501,
      body: { error: { code: 'NotImplemented', message: expect.stringContaining('contentUrl') } },
    });
    expect(standIn.transcript(conversationId)).toEqual([]);
  });

  it('the stream is preauthorized by its t= token, sends empty keep-alive frames, keeps one socket per conversation (collision), and its URL expires', async () => {
    const standIn = await h.standIn([echoBot], { keepAliveMs: 100, streamConnectSeconds: 60 });
    const started = (await call(standIn, 'POST', '/v3/directline/conversations', SECRET)).body;
    const first = await openSocket(started.streamUrl);
    await eventually(() => first.frames.includes(''), 'an empty keep-alive frame');

    const reconnect = await call(standIn, 'GET', `/v3/directline/conversations/${started.conversationId}`, started.token);
    expect(reconnect.body).toMatchObject({ conversationId: started.conversationId, streamUrl: expect.any(String) });
    const second = await openSocket(reconnect.body.streamUrl);
    expect(await first.closed).toEqual({ code: 1000, reason: 'collision' });

    await call(standIn, 'POST', `/v3/directline/conversations/${started.conversationId}/activities`, started.token, { type: 'message', from: { id: 'u' }, text: 'ping' });
    const frames = () => second.frames.filter((f) => f !== '').map((f) => JSON.parse(f));
    await eventually(() => frames().length >= 3, 'three frames');
    expect(frames().map((f) => [f.activities[0].type, f.watermark])).toEqual([['message', '0'], ['typing', '1'], ['message', '2']]);
    second.ws.close();

    h.skewMs = 61_000;
    const late = await call(standIn, 'GET', `/v3/directline/conversations/${started.conversationId}`, SECRET);
    h.skewMs = 122_000;
    await expect(openSocket(late.body.streamUrl)).rejects.toThrow(/403/);
  });

  it('Direct Line tells the bot who joined with conversationUpdate — the token user at start, otherwise the first sender — and never shows it to clients', async () => {
    const seen: Activity[] = [];
    const recorder: BotRegistration = {
      id: 'recorder',
      secrets: ['recorder-secret'],
      bot: (activity, conversation) => {
        seen.push(activity);
        return activity.type === 'message' ? [{ type: 'message', text: `${conversation.transcript().length} so far` }] : [];
      },
    };
    const standIn = await h.standIn([recorder]);
    const { token } = (await call(standIn, 'POST', '/v3/directline/tokens/generate', 'recorder-secret', { user: { id: 'dl_u1', name: 'U1' } })).body;
    const withUser = h.client({ token, domain: standIn.url, webSocket: false, pollingInterval: 200 });
    await withUser.untilStatus(ConnectionStatus.Online);
    await eventually(() => seen.length >= 1, 'the first conversationUpdate');
    expect(seen[0]).toMatchObject({ type: 'conversationUpdate', membersAdded: [{ id: 'recorder', role: 'bot' }, { id: 'dl_u1', name: 'U1', role: 'user' }] });

    const anonymous = h.client({ secret: 'recorder-secret', domain: standIn.url, webSocket: false, pollingInterval: 200 });
    await anonymous.untilStatus(ConnectionStatus.Online);
    await eventually(() => seen.length >= 2, 'the second conversationUpdate');
    expect(seen[1]!.membersAdded).toEqual([{ id: 'recorder', name: 'recorder', role: 'bot' }]);
    await anonymous.say('hi');
    await anonymous.until(() => anonymous.received.length >= 2 || undefined, 'the answer');
    expect(seen.slice(2).map((a) => [a.type, a.membersAdded ?? a.text])).toEqual([
      ['conversationUpdate', [{ id: 'customer-1', name: 'Camille', role: 'user' }]],
      ['message', 'hi'],
    ]);
    expect(texts(anonymous.received)).toEqual(['hi', '1 so far']);
  });

  describe('bot failure modes (the product hands the customer to a person when the bot is down or slow)', () => {
    it('down: posting answers 502 BotError with the bot\'s 503, nothing is delivered, and the client is told to retry', async () => {
      const standIn = await h.standIn([echoBot]);
      const client = h.client({ secret: SECRET, domain: standIn.url, webSocket: false, pollingInterval: 200 });
      await client.untilStatus(ConnectionStatus.Online);
      standIn.setBotMode('echo-bot', 'down');
      expect(await client.say('anyone there?')).toBe('retry');
      const conversationId = Object.keys(standIn.stats().conversations)[0]!;
      expect(await call(standIn, 'POST', `/v3/directline/conversations/${conversationId}/activities`, SECRET, { type: 'message', from: { id: 'u' }, text: 'x' })).toEqual({
        status: 502,
        body: { error: { code: 'BotError', message: 'Failed to send activity: bot returned an error' }, httpStatusCode: 503 },
      });
      expect(standIn.transcript(conversationId)).toEqual([]);
      expect(standIn.stats().conversations[conversationId]).toMatchObject({ activitiesIn: 0, activitiesOut: 0, botErrors: 2 });

      standIn.setBotMode('echo-bot', 'up');
      expect(await client.say('back?')).toMatch(/\|\d{7}$/);
      await client.until(() => client.received.length >= 2 || undefined, 'the echo');
      expect(texts(client.received)).toEqual(['back?', 'echo: back?']);
    });

    it('a bot that throws gets the same 502 BotError, with the bot\'s 500', async () => {
      const standIn = await h.standIn([{ id: 'broken', secrets: ['broken-secret'], bot: () => { throw new Error('boom'); } }]);
      const { conversationId } = (await call(standIn, 'POST', '/v3/directline/conversations', 'broken-secret')).body;
      expect(await call(standIn, 'POST', `/v3/directline/conversations/${conversationId}/activities`, 'broken-secret', { type: 'message', from: { id: 'u' }, text: 'x' })).toEqual({
        status: 502,
        body: { error: { code: 'BotError', message: 'Failed to send activity: bot returned an error' }, httpStatusCode: 500 },
      });
    });

    it('silent: the post succeeds and no answer ever comes', async () => {
      const standIn = await h.standIn([echoBot]);
      standIn.setBotMode('echo-bot', 'silent');
      const client = h.client({ secret: SECRET, domain: standIn.url });
      await client.untilStatus(ConnectionStatus.Online);
      await streamOpen(standIn);
      expect(await client.say('hello?')).toMatch(/\|0000000$/);
      await new Promise((r) => setTimeout(r, 500));
      expect(client.fromBot()).toEqual([]);
      expect(Object.values(standIn.stats().conversations)[0]).toMatchObject({ activitiesIn: 1, activitiesOut: 0 });
    });

    it('slow: the typing indicator comes at once and the answer slowMs later', async () => {
      const standIn = await h.standIn([echoBot]);
      standIn.setBotMode('echo-bot', { slowMs: 1200 });
      const client = h.client({ secret: SECRET, domain: standIn.url });
      await client.untilStatus(ConnectionStatus.Online);
      await streamOpen(standIn);
      const posted = client.say('are you there?');
      await client.untilFromBot(1);
      const typingAt = Date.now();
      expect(client.fromBot().map((a) => a.type)).toEqual(['typing']);
      await client.untilFromBot(2);
      expect(Date.now() - typingAt).toBeGreaterThanOrEqual(1100);
      expect(texts(client.fromBot())).toEqual(['typing', 'echo: are you there?']);
      expect(await posted).toMatch(/\|0000000$/);
    });

    it('a turn longer than the bot timeout answers 502 "bot timed out" (504), and the answer still arrives later', async () => {
      const standIn = await h.standIn([echoBot], { botTimeoutMs: 200 });
      standIn.setBotMode('echo-bot', { slowMs: 800 });
      const { conversationId } = (await call(standIn, 'POST', '/v3/directline/conversations', SECRET)).body;
      const post = await call(standIn, 'POST', `/v3/directline/conversations/${conversationId}/activities`, SECRET, { type: 'message', from: { id: 'u' }, text: 'slowly' });
      expect(post).toEqual({ status: 502, body: { error: { code: 'BotError', message: 'Failed to send activity: bot timed out' }, httpStatusCode: 504 } });
      await eventually(() => standIn.transcript(conversationId).length === 2, 'the late answer');
      expect(texts(standIn.transcript(conversationId))).toEqual(['slowly', 'echo: slowly']);
      expect(standIn.stats().conversations[conversationId]).toMatchObject({ activitiesIn: 1, activitiesOut: 2, botTimeouts: 1 });
    });
  });

  it('stats count activities in and out per conversation, and the dev hooks set a mode and read stats with the bot\'s own secret', async () => {
    const other: BotRegistration = { id: 'other-bot', secrets: ['other-secret'], bot: () => [] };
    const standIn = await h.standIn([echoBot, other]);
    const { conversationId, token } = (await call(standIn, 'POST', '/v3/directline/conversations', SECRET)).body;
    await call(standIn, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, { type: 'message', from: { id: 'u' }, text: 'a' });
    await call(standIn, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, { type: 'event', name: 'page-viewed', value: { page: '/cart' }, from: { id: 'u' } });
    expect(standIn.stats()).toEqual({
      totals: { conversations: 1, activitiesIn: 2, activitiesOut: 2, typingOut: 1, botErrors: 0, botTimeouts: 0 },
      conversations: { [conversationId]: { botId: 'echo-bot', streamOpen: false, activitiesIn: 2, activitiesOut: 2, typingOut: 1, botErrors: 0, botTimeouts: 0 } },
    });
    // the event kept its name, value and channel data untouched
    expect(standIn.transcript(conversationId)[2]).toMatchObject({ type: 'event', name: 'page-viewed', value: { page: '/cart' } });

    expect(await call(standIn, 'PUT', '/_directline/bots/echo-bot/mode', SECRET, { mode: 'slow', slowMs: 50 })).toEqual({ status: 200, body: { mode: 'slow', slowMs: 50 } });
    expect(standIn.botMode('echo-bot')).toEqual({ slowMs: 50 });
    expect((await call(standIn, 'PUT', '/_directline/bots/echo-bot/mode', 'other-secret', { mode: 'down' })).status).toBe(404);
    expect((await call(standIn, 'PUT', '/_directline/bots/echo-bot/mode', token, { mode: 'down' })).status).toBe(403);
    expect((await call(standIn, 'PUT', '/_directline/bots/echo-bot/mode', SECRET, { mode: 'sideways' })).status).toBe(400);
    expect((await call(standIn, 'GET', '/_directline/stats', SECRET)).body.totals.activitiesIn).toBe(2);
    expect((await call(standIn, 'GET', '/_directline/stats', 'other-secret')).body.totals.conversations).toBe(0);
  });
});
