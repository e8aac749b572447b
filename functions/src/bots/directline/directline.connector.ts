// Switchboard as a Bot Framework Direct Line 3.0 client (a Bot Framework or Copilot Studio bot
// answers first). Polling GET /activities rather than the WebSocket stream: a turn is one
// function invocation, so there is no socket to keep, and the watermark on the conversation row
// lets any instance carry on where the last one stopped.
//
// Credentials: a conversation starts as Web Chat starts one — tokens/generate with the secret and
// the customer's id (so the bot is told who joined), then POST /conversations with that token and
// the customer's locale, which Direct Line passes to the bot in its conversationUpdate (that is
// how botframework-directlinejs' conversationStartProperties.locale works). The token is cached
// in memory and refreshed when less than 5 minutes remain; an instance without it (another one,
// a restart) uses the secret, which Direct Line accepts on every call.
import { type BotFailure, type BotTurn, turnFromActivities } from '@switchboard/core';
import type { BotConnector, BotCustomer, BotDelivery, BotEndpoint, BotInput, BotSession } from '../bot-connector';
import { DirectLineCallError, DirectLineHttp } from './directline-http';

export interface DirectLineConnectorDeps {
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
  /** How long after the bot's last message its turn is taken as finished. */
  quietMs?: number;
}

const REFRESH_WHEN_LEFT_MS = 5 * 60_000;
const MAX_CACHED_TOKENS = 10_000;

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Receiving stops on a hand-off or an end, or once the bot said something and then fell quiet. */
const settled = (turn: BotTurn) => turn.handoff !== undefined || turn.end === true;

export class DirectLineConnector implements BotConnector {
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pollIntervalMs: number;
  private readonly quietMs: number;
  private readonly tokens = new Map<string, CachedToken>();

  constructor(deps: DirectLineConnectorDeps = {}) {
    this.fetchFn = deps.fetch ?? fetch;
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.pollIntervalMs = deps.pollIntervalMs ?? 250;
    this.quietMs = deps.quietMs ?? 600;
  }

  async deliver(bot: BotEndpoint, session: BotSession, customer: BotCustomer, input: BotInput): Promise<BotDelivery> {
    const http = new DirectLineHttp(this.fetchFn, bot.url, bot.timeoutMs);
    // Kept up to date as the turn goes, so a failure still returns the conversation and what was read.
    const current: BotSession = { externalId: session.externalId, watermark: session.watermark };
    try {
      current.externalId ??= await this.start(http, bot, customer);
      const conversationId = current.externalId;
      const credential = await this.credential(http, bot, conversationId);
      const deadline = this.now() + bot.timeoutMs;
      if (input.kind === 'message') {
        const answered = await this.post(http, credential, conversationId, customer, input);
        if (answered === 'bot-timed-out' && this.now() >= deadline) return timedOut(bot, current);
      }
      const turn = await this.receive(http, credential, current, customer.userId, deadline);
      // A bot need not greet: silence after `opened` is not a failure, silence after a message is.
      if (input.kind === 'message' && turn.say.length === 0 && !settled(turn)) return timedOut(bot, current);
      return { ok: true, session: current, turn };
    } catch (err) {
      if (!(err instanceof DirectLineCallError)) throw err;
      return { ok: false, failure: failureOf(err), detail: err.message, session: current };
    }
  }

  private async start(http: DirectLineHttp, bot: BotEndpoint, customer: BotCustomer): Promise<string> {
    const issued = await http.generateToken(bot.secret, customer.userId);
    const started = await http.startConversation(issued.token, customer.userId, customer.locale);
    this.remember(bot, started.conversationId, started.token ?? issued.token, started.expiresIn ?? issued.expiresIn);
    return started.conversationId;
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

  private async receive(http: DirectLineHttp, credential: string, session: BotSession, userId: string, deadline: number): Promise<BotTurn> {
    const read: unknown[] = [];
    let turn = turnFromActivities(read, { userId });
    let lastSaidAt = 0;
    for (;;) {
      const page = await http.activities(credential, session.externalId!, session.watermark);
      if (page.watermark !== undefined) session.watermark = page.watermark;
      if (page.activities.length > 0) {
        read.push(...page.activities);
        const said = turn.say.length;
        turn = turnFromActivities(read, { userId });
        if (turn.say.length > said) lastSaidAt = this.now();
      }
      const now = this.now();
      if (settled(turn) || (turn.say.length > 0 && now - lastSaidAt >= this.quietMs) || now >= deadline) return turn;
      await this.sleep(Math.min(this.pollIntervalMs, deadline - now));
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
