// Switchboard as a Bot Framework Direct Line 3.0 client (a Bot Framework or Copilot Studio bot
// answers first). A turn is one function invocation: it opens the conversation's WebSocket
// stream, posts the customer's activity, reads what the bot sends until its turn is over, and
// closes the stream. The watermark on the conversation row lets any instance carry on where the
// last one stopped: the next turn's stream ("Reconnect to a conversation", GET /conversations/{id}
// ?watermark=) replays what followed it.
//
// Why the stream and not only GET /activities: typing activities travel on the stream alone, and
// the customer should see "the bot is typing" the moment the bot shows it (events.typing), not
// when the turn ends. Polling GET /activities stays as the fallback: when the stream cannot be
// obtained or opened within streamConnectMs (~1 s), or closes before the turn is over, the turn
// carries on by polling from the watermark it reached — same answers, no typing indicator.
//
// Credentials: a conversation starts as Web Chat starts one — tokens/generate with the secret and
// the customer's id (so the bot is told who joined), then POST /conversations with that token and
// the customer's locale, which Direct Line passes to the bot in its conversationUpdate (that is
// how botframework-directlinejs' conversationStartProperties.locale works). The token is cached
// in memory and refreshed when less than 5 minutes remain; an instance without it (another one,
// a restart) uses the secret, which Direct Line accepts on every call. The streamUrl carries its
// own short-lived stream token.
import { type BotFailure, type BotTurn, turnFromActivities } from '@switchboard/core';
import type { BotConnector, BotCustomer, BotDelivery, BotEndpoint, BotInput, BotSession, BotTurnEvents } from '../bot-connector';
import { type ActivityPage, DirectLineCallError, DirectLineHttp } from './directline-http';
import { DirectLineStream, type WebSocketFactory, defaultWebSocketFactory } from './directline-stream';

export interface DirectLineConnectorDeps {
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
  /** How long after the bot's last message its turn is taken as finished. */
  quietMs?: number;
  /** Opens the stream's WebSocket (`ws`); one that throws or fails makes every turn poll. */
  webSocket?: WebSocketFactory;
  /** How long getting a streamUrl and opening it may take before the turn polls instead. */
  streamConnectMs?: number;
}

const REFRESH_WHEN_LEFT_MS = 5 * 60_000;
const MAX_CACHED_TOKENS = 10_000;

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Receiving stops on a hand-off or an end, or once the bot said something and then fell quiet. */
const settled = (turn: BotTurn) => turn.handoff !== undefined || turn.end === true;

/** The bot's typing indicator (not the customer's own, echoed back), by the rules a turn is read with. */
const isBotTyping = (activity: unknown, userId: string) => turnFromActivities([activity], { userId }).typing;

const activityId = (activity: unknown): string | undefined => {
  const id = typeof activity === 'object' && activity !== null ? (activity as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
};

export class DirectLineConnector implements BotConnector {
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pollIntervalMs: number;
  private readonly quietMs: number;
  private readonly webSocket: WebSocketFactory;
  private readonly streamConnectMs: number;
  private readonly tokens = new Map<string, CachedToken>();

  constructor(deps: DirectLineConnectorDeps = {}) {
    this.fetchFn = deps.fetch ?? fetch;
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.pollIntervalMs = deps.pollIntervalMs ?? 250;
    this.quietMs = deps.quietMs ?? 600;
    this.webSocket = deps.webSocket ?? defaultWebSocketFactory;
    this.streamConnectMs = deps.streamConnectMs ?? 1000;
  }

  async deliver(bot: BotEndpoint, session: BotSession, customer: BotCustomer, input: BotInput, events?: BotTurnEvents): Promise<BotDelivery> {
    const http = new DirectLineHttp(this.fetchFn, bot.url, bot.timeoutMs);
    // Kept up to date as the turn goes, so a failure still returns the conversation and what was read.
    const current: BotSession = { externalId: session.externalId, watermark: session.watermark };
    let stream: DirectLineStream | undefined;
    try {
      let streamUrl: string | undefined;
      if (current.externalId === null) {
        const started = await this.start(http, bot, customer);
        current.externalId = started.conversationId;
        streamUrl = started.streamUrl;
      }
      const conversationId = current.externalId;
      const credential = await this.credential(http, bot, conversationId);
      // Open before posting, so nothing the bot sends in reply is missed; undefined: this turn polls.
      stream = await this.openStream(http, credential, current, streamUrl, (set) => this.tellTyping(set.activities, customer.userId, events));
      const deadline = this.now() + bot.timeoutMs;
      if (input.kind === 'message') {
        const answered = await this.post(http, credential, conversationId, customer, input);
        if (answered === 'bot-timed-out' && this.now() >= deadline) return timedOut(bot, current);
      }
      const turn = await this.receive(http, credential, current, customer.userId, deadline, stream, events);
      // A bot need not greet: silence after `opened` is not a failure, silence after a message is.
      if (input.kind === 'message' && turn.say.length === 0 && !settled(turn)) return timedOut(bot, current);
      return { ok: true, session: current, turn };
    } catch (err) {
      if (!(err instanceof DirectLineCallError)) throw err;
      return { ok: false, failure: failureOf(err), detail: err.message, session: current };
    } finally {
      stream?.close();
    }
  }

  private async start(http: DirectLineHttp, bot: BotEndpoint, customer: BotCustomer): Promise<{ conversationId: string; streamUrl?: string }> {
    const issued = await http.generateToken(bot.secret, customer.userId);
    const started = await http.startConversation(issued.token, customer.userId, customer.locale);
    this.remember(bot, started.conversationId, started.token ?? issued.token, started.expiresIn ?? issued.expiresIn);
    return { conversationId: started.conversationId, ...(started.streamUrl !== undefined ? { streamUrl: started.streamUrl } : {}) };
  }

  /**
   * The conversation's stream, open: from the streamUrl the conversation was just started with,
   * else from reconnecting at the session's watermark (the stream replays what followed it).
   * Undefined when either step fails or both take longer than streamConnectMs: the turn then
   * polls, as a stream is only needed for the typing indicator.
   */
  private async openStream(
    http: DirectLineHttp,
    credential: string,
    session: BotSession,
    streamUrl: string | undefined,
    onSet: (set: ActivityPage) => void,
  ): Promise<DirectLineStream | undefined> {
    const startedAt = this.now();
    if (streamUrl === undefined) {
      try {
        streamUrl = (await http.reconnect(credential, session.externalId!, session.watermark, this.streamConnectMs)).streamUrl;
      } catch {
        return undefined;
      }
    }
    const left = this.streamConnectMs - (this.now() - startedAt);
    if (left <= 0) return undefined;
    return DirectLineStream.open(this.webSocket, streamUrl, left, onSet);
  }

  private tellTyping(activities: readonly unknown[], userId: string, events: BotTurnEvents | undefined): void {
    if (!events?.typing) return;
    for (const activity of activities) if (isBotTyping(activity, userId)) events.typing();
  }

  /** The cached token, refreshed when it is about to expire; the secret when there is none. */
  private async credential(http: DirectLineHttp, bot: BotEndpoint, conversationId: string): Promise<string> {
    const key = cacheKey(bot, conversationId);
    const cached = this.tokens.get(key);
    if (!cached) return bot.secret;
    const left = cached.expiresAt - this.now();
    if (left >= REFRESH_WHEN_LEFT_MS) return cached.token;
    this.tokens.delete(key);
    if (left <= 0) return bot.secret;
    try {
      const refreshed = await http.refreshToken(cached.token);
      this.remember(bot, conversationId, refreshed.token, refreshed.expiresIn);
      return refreshed.token;
    } catch {
      return bot.secret;
    }
  }

  private remember(bot: BotEndpoint, conversationId: string, token: string, expiresInSeconds: number): void {
    const now = this.now();
    if (this.tokens.size >= MAX_CACHED_TOKENS) {
      for (const [key, cached] of this.tokens) if (cached.expiresAt <= now) this.tokens.delete(key);
      // Still full: forget the oldest; those conversations fall back to the secret.
      if (this.tokens.size >= MAX_CACHED_TOKENS) this.tokens.delete(this.tokens.keys().next().value!);
    }
    this.tokens.set(cacheKey(bot, conversationId), { token, expiresAt: now + expiresInSeconds * 1000 });
  }

  /** Posts the customer's message; 'bot-timed-out' when Direct Line gave up waiting for the bot, which still got it. */
  private async post(
    http: DirectLineHttp,
    credential: string,
    conversationId: string,
    customer: BotCustomer,
    input: Extract<BotInput, { kind: 'message' }>,
  ): Promise<'posted' | 'bot-timed-out'> {
    try {
      await http.postActivity(credential, conversationId, {
        type: 'message',
        from: { id: customer.userId },
        text: input.text,
        locale: customer.locale,
        // channelData travels to the bot untouched: the conversation's context rides along there.
        channelData: { switchboardMessageId: input.messageId, context: customer.context },
      });
      return 'posted';
    } catch (err) {
      // 502 BotError with the bot's 504: Direct Line stopped waiting (15 s), the bot's answer may still come.
      if (err instanceof DirectLineCallError && err.problem.kind === 'http' && err.problem.status === 502 && err.problem.botStatus === 504) return 'bot-timed-out';
      throw err;
    }
  }

  /**
   * Reads the bot's activities until its turn is over: a hand-off or an end, or once it said
   * something and then fell quiet for quietMs, or at the deadline. From the stream while it is
   * open (typing was told as it arrived); by polling GET /activities without one, or from the
   * watermark the stream reached if it closed early. An activity is taken once, whichever way it came.
   */
  private async receive(
    http: DirectLineHttp,
    credential: string,
    session: BotSession,
    userId: string,
    deadline: number,
    stream: DirectLineStream | undefined,
    events: BotTurnEvents | undefined,
  ): Promise<BotTurn> {
    const read: unknown[] = [];
    const seen = new Set<string>();
    let turn = turnFromActivities(read, { userId });
    let lastSaidAt = 0;
    const take = (page: ActivityPage) => {
      if (page.watermark !== undefined) session.watermark = page.watermark;
      const fresh = page.activities.filter((activity) => {
        const id = activityId(activity);
        if (id === undefined) return true;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      if (fresh.length === 0) return;
      read.push(...fresh);
      const said = turn.say.length;
      turn = turnFromActivities(read, { userId });
      if (turn.say.length > said) {
        lastSaidAt = this.now();
        // Told as it comes: the customer reads it now, not after the quiet that ends the turn.
        for (const say of turn.say.slice(said)) events?.said?.(say);
      }
    };
    for (;;) {
      if (stream) {
        const until = turn.say.length > 0 ? Math.min(deadline, lastSaidAt + this.quietMs) : deadline;
        const sets = await stream.next(until - this.now());
        // Closed before the turn was over (the service dropped it, another client took it): poll on.
        if (sets === 'closed') stream = undefined;
        else for (const set of sets) take(set);
      }
      if (!stream) {
        const page = await http.activities(credential, session.externalId!, session.watermark);
        // The service returns no typing on a GET; a stand-in or proxy that does is told all the same.
        this.tellTyping(page.activities, userId, events);
        take(page);
      }
      const now = this.now();
      if (settled(turn) || (turn.say.length > 0 && now - lastSaidAt >= this.quietMs) || now >= deadline) return turn;
      if (!stream) await this.sleep(Math.min(this.pollIntervalMs, deadline - now));
    }
  }
}

const cacheKey = (bot: BotEndpoint, conversationId: string) => `${bot.botId}\n${conversationId}`;

function timedOut(bot: BotEndpoint, session: BotSession): BotDelivery {
  return { ok: false, failure: 'timeout', detail: `The bot did not answer within ${bot.timeoutMs} ms`, session };
}

function failureOf(err: DirectLineCallError): BotFailure {
  const p = err.problem;
  if (p.kind === 'timeout') return 'timeout';
  if (p.kind === 'network') return 'down';
  if (p.kind === 'unexpected') return 'misconfigured';
  if (p.status === 401 || p.status === 403) return 'refused';
  if (p.status >= 500) return 'down';
  return 'misconfigured';
}
