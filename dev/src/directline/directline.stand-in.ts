// Composition root of the Bot Framework Direct Line 3.0 stand-in: bots, tokens, conversations,
// the REST operations and the WebSocket stream, wired from the options (bots, clock and token key
// are passed in). It speaks the service's protocol closely enough that an unmodified Direct Line
// client (botframework-directlinejs in the tests, the functions app later) cannot tell.
//
// Reference: learn.microsoft.com/azure/bot-service/rest-api/ — "API reference - Direct Line API
// 3.0", "Authentication", "Start a conversation", "Send an activity to the bot", "Receive
// activities from the bot", "Reconnect to a conversation" (the pages this file cites by title).
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { API_PREFIX, CHANNEL_ID, type Activity, type ChannelAccount, type ReplyActivity } from './activity';
import type { BotConversation, BotMode, BotRegistration } from './bot';
import { ConversationLog, parseWatermark, type ConversationCounters } from './conversation-log';
import { serveStreams } from './conversation-stream';
import {
  DirectLineError,
  badArgument,
  botReturnedError,
  botTimedOut,
  conversationNotFound,
  missingCredentials,
  missingProperty,
  notValidForConversation,
  tokenExpired,
} from './direct-line-error';
import { TokenMinter, type TokenClaims } from './direct-line-token';
import { listenOn } from '../listen';

export { API_PREFIX };
/** Dev-only routes outside the Direct Line API (a bot's own secret required). */
export const HOOKS_PREFIX = '/_directline';

export interface DirectLineStandInOptions {
  bots: BotRegistration[];
  /** Lifetime of conversation tokens, refreshed ones included (the documentation's examples show 1800 s). */
  tokenLifetimeSeconds?: number;
  /** How long a streamUrl may wait before the WebSocket is opened (60 s on the service). */
  streamConnectSeconds?: number;
  /** Empty frames on each open stream at this interval, as the service sends to test the connection. */
  keepAliveMs?: number;
  /** A post whose bot turn takes longer is answered 502 `BotError` "bot timed out"; the turn goes on (15 s on the service). */
  botTimeoutMs?: number;
  now?: () => number;
  /** HMAC key of the tokens; random per instance unless given. */
  tokenKey?: Buffer;
  log?: (line: string) => void;
}

export interface DirectLineStats {
  totals: { conversations: number } & ConversationCounters;
  conversations: Record<string, { botId: string; streamOpen: boolean } & ConversationCounters>;
}

export interface DirectLineStandIn {
  /** `http://127.0.0.1:N/v3/directline` once listening: what clients take as their `domain`. */
  url: string;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
  setBotMode(botId: string, mode: BotMode): void;
  botMode(botId: string): BotMode;
  stats(): DirectLineStats;
  /** Kept activities of a conversation (no typing), as a GET without watermark returns them. */
  transcript(conversationId: string): Activity[];
}

/** Direct Line refuses activities over 256K characters ("API reference", Activities). */
const MAX_ACTIVITY_CHARS = 256 * 1024;
const MAX_BODY_BYTES = 4 * MAX_ACTIVITY_CHARS;

type Caller = { kind: 'secret'; bot: BotRegistration } | { kind: 'token'; bot: BotRegistration; claims: TokenClaims; token: string };

const TIMED_OUT = Symbol('timed out');

interface Answer {
  status: number;
  body?: unknown;
}

export function createDirectLineStandIn(options: DirectLineStandInOptions): DirectLineStandIn {
  const now = options.now ?? Date.now;
  const tokenLifetime = options.tokenLifetimeSeconds ?? 3600;
  const streamConnectSeconds = options.streamConnectSeconds ?? 60;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const botTimeoutMs = options.botTimeoutMs ?? 15_000;
  const log = options.log ?? (() => undefined);
  const minter = new TokenMinter(options.tokenKey ?? randomBytes(32), now);

  const botsById = new Map<string, BotRegistration>();
  const botsBySecret = new Map<string, BotRegistration>();
  for (const bot of options.bots) {
    if (botsById.has(bot.id)) throw new Error(`Direct Line stand-in: two bots are named '${bot.id}'`);
    if (bot.secrets.length === 0) throw new Error(`Direct Line stand-in: bot '${bot.id}' has no secret`);
    botsById.set(bot.id, bot);
    for (const secret of bot.secrets) {
      if (botsBySecret.has(secret)) throw new Error(`Direct Line stand-in: a secret is shared by '${botsBySecret.get(secret)!.id}' and '${bot.id}'`);
      botsBySecret.set(secret, bot);
    }
  }
  const modes = new Map<string, BotMode>();
  const conversations = new Map<string, ConversationLog>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const iso = () => new Date(now()).toISOString();
  const botAccount = (bot: BotRegistration): ChannelAccount => ({ id: bot.id, name: bot.name ?? bot.id, role: 'bot' });

  // Timers are tracked so close() leaves none behind (a slow bot's pending reply, a post's timeout).
  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  }

  function within<T>(ms: number, work: Promise<T>): Promise<T | typeof TIMED_OUT> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve(TIMED_OUT);
      }, ms);
      timers.add(t);
      void work.then((value) => {
        clearTimeout(t);
        timers.delete(t);
        resolve(value);
      });
    });
  }

  // ---- authentication ("Authentication in Direct Line API 3.0") ----

  function authenticate(req: IncomingMessage): Caller {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) throw missingCredentials();
    const credential = match[1]!;
    const bySecret = botsBySecret.get(credential);
    if (bySecret) return { kind: 'secret', bot: bySecret };
    const check = minter.check(credential);
    if (!check.ok) throw check.reason === 'expired' ? tokenExpired() : notValidForConversation();
    // a streamUrl's t= opens the stream and nothing else
    if (check.claims.stream) throw notValidForConversation();
    const bot = botsById.get(check.claims.bot);
    if (!bot) throw notValidForConversation();
    return { kind: 'token', bot, claims: check.claims, token: credential };
  }

  function conversationFor(caller: Caller, id: string): ConversationLog {
    if (caller.kind === 'token' && caller.claims.conv !== id) throw notValidForConversation();
    const conversation = conversations.get(id);
    if (!conversation) throw conversationNotFound();
    if (conversation.botId !== caller.bot.id) throw notValidForConversation();
    return conversation;
  }

  function conversationToken(conversation: ConversationLog): { token: string; expiresIn: number } {
    return minter.mint(
      { bot: conversation.botId, conv: conversation.id, ...(conversation.user ? { user: conversation.user.id, userName: conversation.user.name } : {}) },
      tokenLifetime,
    );
  }

  /** The token a caller keeps using: its own while it has one, a new one when it came with the secret. */
  function tokenOf(caller: Caller, conversation: ConversationLog): { token: string; expiresIn: number } {
    if (caller.kind === 'token') return { token: caller.token, expiresIn: Math.max(0, caller.claims.exp - Math.floor(now() / 1000)) };
    return conversationToken(conversation);
  }

  // The stream replays what follows the watermark it was issued with; without one, only what
  // follows the moment it was issued ("Reconnect to a conversation").
  function streamUrl(req: IncomingMessage, conversation: ConversationLog, watermark: number | undefined): string {
    const wm = watermark ?? conversation.lastSeq;
    const { token } = minter.mint({ bot: conversation.botId, conv: conversation.id, stream: true, wm: String(wm) }, streamConnectSeconds);
    const host = req.headers.host ?? '127.0.0.1';
    const query = new URLSearchParams({ ...(watermark !== undefined ? { watermark: String(watermark) } : {}), t: token });
    return `ws://${host}${API_PREFIX}/conversations/${encodeURIComponent(conversation.id)}/stream?${query}`;
  }

  function newConversation(bot: BotRegistration, user: ChannelAccount | undefined, locale: string | undefined): ConversationLog {
    const conversation = new ConversationLog(randomBytes(16).toString('base64url'), bot.id);
    if (user) conversation.user = { ...user, role: 'user' };
    if (locale) conversation.locale = locale;
    conversations.set(conversation.id, conversation);
    return conversation;
  }

  // ---- bot turns ----

  function botView(conversation: ConversationLog, bot: BotRegistration): BotConversation {
    return {
      id: conversation.id,
      bot: botAccount(bot),
      ...(conversation.user ? { user: conversation.user } : {}),
      transcript: () => conversation.transcript(),
      state: conversation.botState,
    };
  }

  function deliverReply(conversation: ConversationLog, bot: BotRegistration, reply: ReplyActivity, replyTo: Activity): void {
    const activity = conversation.append({
      ...reply,
      timestamp: iso(),
      channelId: CHANNEL_ID,
      conversation: { id: conversation.id },
      from: botAccount(bot),
      ...(conversation.user ? { recipient: conversation.user } : {}),
      ...(replyTo.id && reply.replyToId === undefined ? { replyToId: replyTo.id } : {}),
    });
    conversation.counters.activitiesOut++;
    if (activity.type === 'typing') conversation.counters.typingOut++;
  }

  /** Runs the bot on one activity and delivers its replies; rejects with the bot's failure. */
  async function runTurn(conversation: ConversationLog, activity: Activity): Promise<void> {
    const bot = botsById.get(conversation.botId)!;
    const mode = modes.get(bot.id) ?? 'up';
    if (mode === 'down') throw botReturnedError(503);
    if (mode === 'silent') return;
    let replies: ReplyActivity[];
    try {
      replies = await bot.bot(activity, botView(conversation, bot));
      if (!Array.isArray(replies)) throw new Error('the bot did not return an array of activities');
    } catch (err) {
      log(`bot '${bot.id}' failed on a ${activity.type} in ${conversation.id}: ${(err as Error).message}`);
      throw botReturnedError(500);
    }
    let i = 0;
    for (; i < replies.length && replies[i]!.type === 'typing'; i++) deliverReply(conversation, bot, replies[i]!, activity);
    if (typeof mode === 'object' && i < replies.length) await sleep(mode.slowMs);
    for (; i < replies.length && !closed; i++) deliverReply(conversation, bot, replies[i]!, activity);
  }

  /**
   * Direct Line tells the bot who joined with a conversationUpdate, never shown to clients
   * ("conversationUpdate: not sent/received via client"): at start for the bot and a user the
   * token names, otherwise when an unknown user first sends something ("Authentication", why to
   * put the user in the token).
   */
  function announce(conversation: ConversationLog, members: ChannelAccount[]): Promise<void> {
    for (const m of members) conversation.announced.add(m.id);
    const bot = botsById.get(conversation.botId)!;
    const update: Activity = {
      type: 'conversationUpdate',
      timestamp: iso(),
      channelId: CHANNEL_ID,
      conversation: { id: conversation.id },
      recipient: botAccount(bot),
      membersAdded: members,
      ...(conversation.user ? { from: conversation.user } : {}),
      ...(conversation.locale ? { locale: conversation.locale } : {}),
    };
    return conversation.enqueue(() => runTurn(conversation, update)).catch((err: DirectLineError) => {
      conversation.counters.botErrors++;
      log(`conversationUpdate not delivered in ${conversation.id}: ${err.message}`);
    });
  }

  function start(conversation: ConversationLog): void {
    if (conversation.started) return;
    conversation.started = true;
    const bot = botsById.get(conversation.botId)!;
    void announce(conversation, [botAccount(bot), ...(conversation.user ? [conversation.user] : [])]);
  }

  // ---- operations ----

  function readJson(raw: string, required: boolean): Record<string, unknown> | undefined {
    if (raw.trim() === '') {
      if (required) throw badArgument('The request body must be a JSON object');
      return undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw badArgument('The request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badArgument('The request body must be a JSON object');
    return parsed as Record<string, unknown>;
  }

  function userFrom(body: Record<string, unknown> | undefined): ChannelAccount | undefined {
    const user = body?.user as { id?: unknown; name?: unknown } | undefined;
    if (!user || typeof user !== 'object' || typeof user.id !== 'string' || user.id === '') return undefined;
    return { id: user.id, ...(typeof user.name === 'string' ? { name: user.name } : {}) };
  }

  async function generateToken(caller: Caller, raw: string): Promise<Answer> {
    // a token names one conversation; only the secret may mint tokens for new ones
    if (caller.kind !== 'secret') throw notValidForConversation();
    const conversation = newConversation(caller.bot, userFrom(readJson(raw, false)), undefined);
    const { token, expiresIn } = conversationToken(conversation);
    return { status: 200, body: { conversationId: conversation.id, token, expires_in: expiresIn } };
  }

  async function refreshToken(caller: Caller): Promise<Answer> {
    if (caller.kind !== 'token') throw badArgument('Only a token can be refreshed; a secret does not expire');
    const { bot, conv, user, userName } = caller.claims;
    const { token, expiresIn } = minter.mint({ bot, conv, ...(user ? { user, userName } : {}) }, tokenLifetime);
    return { status: 200, body: { conversationId: conv, token, expires_in: expiresIn } };
  }

  async function startConversation(req: IncomingMessage, caller: Caller, raw: string): Promise<Answer> {
    const body = readJson(raw, false);
    const locale = typeof body?.locale === 'string' ? body.locale : undefined;
    let conversation: ConversationLog;
    if (caller.kind === 'token') {
      conversation = conversationFor(caller, caller.claims.conv);
      if (!conversation.user) {
        const user = userFrom(body);
        if (user) conversation.user = { ...user, role: 'user' };
      }
      if (locale && !conversation.locale) conversation.locale = locale;
    } else {
      conversation = newConversation(caller.bot, userFrom(body), locale);
    }
    // A token that already started its conversation gets 200 and no new conversation ("Start a conversation").
    const status = conversation.started ? 200 : 201;
    const url = streamUrl(req, conversation, undefined);
    start(conversation);
    const { token, expiresIn } = tokenOf(caller, conversation);
    return { status, body: { conversationId: conversation.id, token, expires_in: expiresIn, streamUrl: url } };
  }

  async function reconnect(req: IncomingMessage, caller: Caller, id: string, query: URLSearchParams): Promise<Answer> {
    const conversation = conversationFor(caller, id);
    const watermark = parseWatermark(query.get('watermark'));
    const url = streamUrl(req, conversation, watermark);
    start(conversation);
    const { token, expiresIn } = tokenOf(caller, conversation);
    return { status: 200, body: { conversationId: conversation.id, token, expires_in: expiresIn, streamUrl: url } };
  }

  async function getActivities(caller: Caller, id: string, query: URLSearchParams): Promise<Answer> {
    const conversation = conversationFor(caller, id);
    return { status: 200, body: conversation.after(parseWatermark(query.get('watermark'))) };
  }

  async function postActivity(caller: Caller, id: string, raw: string): Promise<Answer> {
    const conversation = conversationFor(caller, id);
    if (raw.length > MAX_ACTIVITY_CHARS) throw badArgument(`The activity has ${raw.length} characters; Direct Line takes at most ${MAX_ACTIVITY_CHARS}`);
    const body = readJson(raw, true)!;
    if (typeof body.type !== 'string' || body.type === '') throw missingProperty("The activity needs a 'type'");
    if (body.type === 'conversationUpdate') throw badArgument('conversationUpdate activities come from the service, not from clients');
    if (!conversation.started) throw badArgument('Start the conversation (POST /v3/directline/conversations) before sending activities to it');
    // A user embedded in the token is who speaks, whatever `from` says ("Authentication", security considerations).
    const tokenUser = caller.kind === 'token' && caller.claims.user ? { id: caller.claims.user, ...(caller.claims.userName ? { name: caller.claims.userName } : {}) } : undefined;
    const claimed = body.from as { id?: unknown; name?: unknown } | undefined;
    const from: ChannelAccount | undefined =
      tokenUser ?? (claimed && typeof claimed.id === 'string' && claimed.id !== '' ? { id: claimed.id, ...(typeof claimed.name === 'string' ? { name: claimed.name } : {}) } : undefined);
    if (!from) throw missingProperty("The activity needs 'from.id': the user sending it");
    const mode = modes.get(conversation.botId) ?? 'up';
    if (mode === 'down') {
      conversation.counters.botErrors++;
      throw botReturnedError(503);
    }
    if (!conversation.user) conversation.user = { ...from, role: 'user' };
    const bot = botsById.get(conversation.botId)!;
    const activity = conversation.append({
      ...(body as Activity),
      from: { ...from, role: 'user' },
      recipient: botAccount(bot),
      conversation: { id: conversation.id },
      channelId: CHANNEL_ID,
      timestamp: iso(),
    });
    conversation.counters.activitiesIn++;
    if (!conversation.announced.has(from.id)) void announce(conversation, [{ ...from, role: 'user' }]);
    const turn = conversation.enqueue(() => runTurn(conversation, activity));
    const outcome = await within(
      botTimeoutMs,
      turn.then(
        () => 'done' as const,
        (err: DirectLineError) => err,
      ),
    );
    if (outcome === TIMED_OUT) {
      // the service answers, the bot's turn goes on: its replies still arrive later
      conversation.counters.botTimeouts++;
      throw botTimedOut();
    }
    if (outcome !== 'done') {
      conversation.counters.botErrors++;
      throw outcome;
    }
    return { status: 200, body: { id: activity.id } };
  }

  // ---- dev hooks ----

  function hookCaller(req: IncomingMessage): BotRegistration {
    const caller = authenticate(req);
    if (caller.kind !== 'secret') throw new DirectLineError(403, 'BadArgument', 'The stand-in hooks need one of the bot\'s secrets');
    return caller.bot;
  }

  function statsOf(filter: (c: ConversationLog) => boolean): DirectLineStats {
    const totals = { conversations: 0, activitiesIn: 0, activitiesOut: 0, typingOut: 0, botErrors: 0, botTimeouts: 0 };
    const byConversation: DirectLineStats['conversations'] = {};
    for (const c of conversations.values()) {
      if (!filter(c)) continue;
      totals.conversations++;
      for (const k of ['activitiesIn', 'activitiesOut', 'typingOut', 'botErrors', 'botTimeouts'] as const) totals[k] += c.counters[k];
      byConversation[c.id] = { botId: c.botId, streamOpen: c.streamOpen, ...c.counters };
    }
    return { totals, conversations: byConversation };
  }

  function parseMode(body: Record<string, unknown> | undefined): BotMode {
    const mode = body?.mode;
    if (mode === 'up' || mode === 'down' || mode === 'silent') return mode;
    if (mode === 'slow' && typeof body?.slowMs === 'number' && body.slowMs >= 0) return { slowMs: body.slowMs };
    throw badArgument("Expected { mode: 'up' | 'down' | 'silent' } or { mode: 'slow', slowMs: <milliseconds> }");
  }

  async function hooks(req: IncomingMessage, path: string, raw: string): Promise<Answer> {
    const bot = hookCaller(req);
    if (path === '/stats' && req.method === 'GET') return { status: 200, body: statsOf((c) => c.botId === bot.id) };
    const modeMatch = /^\/bots\/([^/]+)\/mode$/.exec(path);
    if (modeMatch && decodeURIComponent(modeMatch[1]!) === bot.id) {
      if (req.method === 'PUT') standIn.setBotMode(bot.id, parseMode(readJson(raw, true)));
      if (req.method === 'PUT' || req.method === 'GET') {
        const mode = standIn.botMode(bot.id);
        return { status: 200, body: typeof mode === 'object' ? { mode: 'slow', slowMs: mode.slowMs } : { mode } };
      }
    }
    throw new DirectLineError(404, 'NotFound', `GET ${HOOKS_PREFIX}/stats, GET|PUT ${HOOKS_PREFIX}/bots/${bot.id}/mode`);
  }

  // ---- HTTP ----

  async function route(req: IncomingMessage, raw: string): Promise<Answer> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith(`${HOOKS_PREFIX}/`)) return hooks(req, url.pathname.slice(HOOKS_PREFIX.length), raw);
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) throw new DirectLineError(404, 'NotFound', `No Direct Line operation at '${url.pathname}'; the API is under ${API_PREFIX}`);
    const path = url.pathname.slice(API_PREFIX.length);
    const caller = authenticate(req);
    if (method === 'POST' && path === '/tokens/generate') return generateToken(caller, raw);
    if (method === 'POST' && path === '/tokens/refresh') return refreshToken(caller);
    if (method === 'POST' && path === '/conversations') return startConversation(req, caller, raw);
    const m = /^\/conversations\/([^/]+)(\/activities|\/upload|\/stream)?$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      const sub = m[2];
      if (!sub && method === 'GET') return reconnect(req, caller, id, url.searchParams);
      if (sub === '/activities' && method === 'GET') return getActivities(caller, id, url.searchParams);
      if (sub === '/activities' && method === 'POST') return postActivity(caller, id, raw);
      if (sub === '/upload' && method === 'POST') {
        conversationFor(caller, id);
        throw new DirectLineError(501, 'NotImplemented', 'The Direct Line stand-in does not take uploads; send attachments by URL (contentUrl) in the activity instead');
      }
      if (sub === '/stream') throw badArgument('The stream is a WebSocket: connect to the streamUrl with Upgrade: websocket');
    }
    throw new DirectLineError(404, 'NotFound', `No Direct Line operation ${method} ${API_PREFIX}${path}`);
  }

  // Web Chat calls Direct Line from the browser, so the service answers CORS.
  function cors(req: IncomingMessage): Record<string, string> {
    return {
      'Access-Control-Allow-Origin': req.headers.origin ?? '*',
      'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
      'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'Authorization, Content-Type, x-ms-bot-agent, x-requested-with',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    };
  }

  function send(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
    const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, { ...cors(req), ...(body ? { 'Content-Type': 'application/json; charset=utf-8' } : {}), 'Cache-Control': 'no-store' });
    res.end(body);
  }

  const server = http.createServer((req, res) => {
    if (req.method === 'OPTIONS') return send(req, res, { status: 204 });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return send(req, res, { status: 413, body: badArgument('Request body too large').body() });
      route(req, Buffer.concat(chunks).toString('utf8')).then(
        (answer) => send(req, res, answer),
        (err: unknown) => {
          if (err instanceof DirectLineError) return send(req, res, { status: err.status, body: err.body() });
          log(`internal error on ${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}`);
          send(req, res, { status: 500, body: { error: { code: 'ServiceError', message: 'Internal error in the Direct Line stand-in' } } });
        },
      );
    });
  });

  const streams = serveStreams(server, { minter, keepAliveMs, conversation: (id) => (closed ? undefined : conversations.get(id)) });

  let baseUrl = '';
  const standIn: DirectLineStandIn = {
    get url() {
      return baseUrl;
    },
    async listen(port = 0, host = '127.0.0.1') {
      const listening = await listenOn(server, port, host);
      baseUrl = `${listening.origin}${API_PREFIX}`;
      return { port: listening.port, url: baseUrl };
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      streams.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    setBotMode(botId, mode) {
      if (!botsById.has(botId)) throw new Error(`Direct Line stand-in: no bot '${botId}'`);
      if (typeof mode === 'object' && !(mode.slowMs >= 0)) throw new Error('slowMs must be a number of milliseconds');
      modes.set(botId, mode);
    },
    botMode: (botId) => modes.get(botId) ?? 'up',
    stats: () => statsOf(() => true),
    transcript: (conversationId) => conversations.get(conversationId)?.transcript() ?? [],
  };
  return standIn;
}
