// The chat API the widget calls (widget/src/contract.ts is the contract, matched exactly),
// route by route: resolve the widget for CORS, check the origin, the customer's token and the
// rate limits, validate the request, run the use case and answer with its status. Decisions
// live in the pieces it calls: chat-cors.policy.ts, chat-request.validator.ts and the
// *.use-case.ts files.
import type { InvocationContext } from '@azure/functions';
import { conversationGroup, customerPushUser, type PushPort, type RoutingTriggerPort } from '@switchboard/core';
import { ChannelType, type ConversationRow } from '@switchboard/solution';
import type { DataverseClient } from '../dataverse/dataverse-client';
import type { ConversationStore } from '../dataverse/repositories/conversation.repository';
import type { CustomerFinder } from '../dataverse/repositories/customer.repository';
import type { MessageStore } from '../dataverse/repositories/message.repository';
import { isGuid, iso } from '../dataverse/repositories/odata';
import type { ApiRequest, HttpResult } from '../hosting/http';
import type { AutomatedMessenger } from '../outbound/automated-messages';
import type { ArrivalPlacer } from '../routing/arrival';
import type { ChatApiService } from './chat-api';
import { NO_CORS, corsHeaders, preflightAnswer } from './chat-cors.policy';
import { ChatError } from './chat-error';
import { bearerToken, validateSend, validateStart, validateSurveyAnswer } from './chat-request.validator';
import { type ChatSettings, DEFAULT_CHAT_SETTINGS } from './chat-settings';
import { clientIp } from './client-ip';
import { ChatCursors, type ChatCursor } from './chat-cursors';
import { type TokenSigner, tokenHash } from './customer-token';
import { endChat } from './end-chat.use-case';
import { publicStatus, toPublicMessage } from './public-message.mapper';
import type { RateLimiter, RateRule } from './rate-limiter';
import { readMessages } from './read-messages.use-case';
import { BotService } from '../bots/bot.service';
import { sendMessage } from './send-message.use-case';
import type { SentimentScoring } from '../insights/sentiment.service';
import { startChat } from './start-chat.use-case';
import { answerSurvey } from './survey-answer.use-case';
import type { SurveyLookup } from '../survey/survey-settings';
import { widgetConfig } from './widget-config.use-case';
import { WidgetRepository, type WidgetRecord } from './widget.repository';

export interface ChatDeps {
  client: DataverseClient;
  conversations: ConversationStore;
  messages: MessageStore;
  customers: CustomerFinder;
  routing: RoutingTriggerPort;
  automated?: AutomatedMessenger;
  /** Decides a new chat's queue where it is created (see routing/arrival.ts). */
  placer?: ArrivalPlacer;
  waitingCount?: (queueId: string) => Promise<number>;
  signer: TokenSigner;
  limiter: RateLimiter;
  now: () => number;
  settings: Partial<ChatSettings>;
  widgets?: WidgetRepository;
  /** "Nothing new" from memory (see chat-cursors.ts); built from settings.cursorTrustMs when not given. */
  cursors?: ChatCursors;
  /** Live updates (Web PubSub); without it negotiate answers { url: null } and the widget polls. */
  push?: PushPort;
  /** Bots that answer first (bots/bot.service.ts); without it every chat goes to a person. */
  bots?: BotService;
  /** The post-conversation survey of each workstream (survey/survey-settings.ts); without it none is offered. */
  surveys?: SurveyLookup;
  /** Queues the customer's messages for sentiment scoring when it is on (insights/sentiment.service.ts). */
  sentiment?: SentimentScoring;
}

/** How long a customer's push URL works; the widget negotiates again for each connection. */
const PUSH_URL_MINUTES = 60;

type Loaded = { conv: ConversationRow; etag: string; widget: WidgetRecord | null } | null;

export class ChatApiHandler implements ChatApiService {
  private readonly settings: ChatSettings;
  private readonly widgets: WidgetRepository;
  readonly cursors: ChatCursors;

  constructor(private readonly deps: ChatDeps) {
    this.settings = { ...DEFAULT_CHAT_SETTINGS, ...deps.settings };
    this.widgets = deps.widgets ?? new WidgetRepository(deps.client, { ttlMs: this.settings.widgetCacheTtlMs, now: deps.now });
    this.cursors = deps.cursors ?? new ChatCursors({ trustMs: this.settings.cursorTrustMs, now: deps.now });
  }

  /** Runs a route: the widget `corsFor` resolves decides the CORS headers, which every answer carries, errors included. */
  private async guard(request: ApiRequest, work: (cors: Record<string, string>) => Promise<HttpResult>, corsFor: () => Promise<WidgetRecord | null>): Promise<HttpResult> {
    let cors: Record<string, string> = { ...NO_CORS };
    try {
      const widget = await corsFor();
      if (widget) cors = corsHeaders(widget, request);
      return await work(cors);
    } catch (err) {
      if (err instanceof ChatError) {
        return {
          status: err.status,
          headers: { ...cors, ...err.headers },
          body: { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } },
        };
      }
      throw err;
    }
  }

  private async widgetOr404(widgetId: string): Promise<WidgetRecord> {
    const widget = await this.widgets.get(widgetId);
    if (!widget || widget.row.swb_isenabled === false) throw new ChatError(404, 'unknown_widget', 'No such chat widget.');
    return widget;
  }

  private limit(key: string, rule: RateRule): void {
    const r = this.deps.limiter.take(key, rule);
    if (!r.ok) throw new ChatError(429, 'rate_limited', 'Too many requests; slow down.', undefined, { 'retry-after': String(r.retryAfterSeconds) });
  }

  // Loaded before the token is checked: the conversation's widget decides the CORS headers,
  // and an error the browser cannot read (no CORS headers) would leave the widget guessing.
  private async load(conversationId: string): Promise<Loaded> {
    const found = isGuid(conversationId) ? await this.deps.conversations.get(conversationId) : null;
    if (!found || found.row.swb_channeltype !== ChannelType.LiveChat) return null;
    const widget = found.row._swb_chatwidgetid_value ? await this.widgets.get(found.row._swb_chatwidgetid_value) : null;
    return { conv: found.row, etag: found.etag, widget };
  }

  private authorize(conversationId: string, loaded: Loaded, request: ApiRequest): ConversationRow {
    if (!loaded) {
      this.checkToken(conversationId, request);
      throw new ChatError(404, 'conversation_not_found', 'No such conversation.');
    }
    this.checkToken(conversationId, request, loaded.conv.swb_customertokenhash ?? null);
    return loaded.conv;
  }

  /** The token's signature and conversation, then — when known — the stored hash it must match. */
  private checkToken(conversationId: string, request: ApiRequest, storedHash?: string | null): void {
    const token = bearerToken(request);
    const check = this.deps.signer.check(token, this.deps.now());
    if (!check.ok) throw new ChatError(401, check.reason === 'expired' ? 'token_expired' : 'unauthorized', check.reason === 'expired' ? 'The token has expired.' : 'The token is not valid.');
    // A token names exactly one conversation: another conversation's token opens nothing here.
    if (check.conversationId !== conversationId) throw new ChatError(401, 'unauthorized', 'The token is not valid for this conversation.');
    // The stored hash is the revocation point (and retires the token a retried start replaced).
    if (storedHash !== undefined && storedHash !== tokenHash(token)) throw new ChatError(401, 'unauthorized', 'The token has been replaced or revoked.');
  }

  async preflight(request: ApiRequest): Promise<HttpResult> {
    const widgetId = request.params['widgetId'];
    const conversationId = request.params['id'];
    let widget: WidgetRecord | null = null;
    if (widgetId) widget = await this.widgets.get(widgetId);
    else if (conversationId && isGuid(conversationId)) {
      const conv = await this.deps.conversations.get(conversationId);
      widget = conv?.row._swb_chatwidgetid_value ? await this.widgets.get(conv.row._swb_chatwidgetid_value) : null;
    }
    return preflightAnswer(widget, request);
  }

  async widgetConfig(widgetId: string, request: ApiRequest): Promise<HttpResult> {
    let widget: WidgetRecord | null = null;
    return this.guard(
      request,
      async (cors) => ({
        status: 200,
        headers: { ...cors, 'cache-control': 'public, max-age=60' },
        body: await widgetConfig(widget!, request.query.get('locale'), { ...this.deps, maxMessageLength: this.settings.maxMessageLength }),
      }),
      async () => (widget = await this.widgetOr404(widgetId)),
    );
  }

  async startConversation(widgetId: string, request: ApiRequest, context?: InvocationContext): Promise<HttpResult> {
    let widget: WidgetRecord | null = null;
    return this.guard(
      request,
      async (cors) => {
        this.limit(`start:${clientIp(request, this.settings.trustedProxyHops)}`, this.settings.startRate);
        const start = validateStart(widget!, request);
        const started = await startChat(widget!, start, { ...this.deps, ...this.settings }, (line) => context?.warn(line));
        const { conversationId, token, expiresAt, status } = started;
        // A retried start replaced the token: what this instance remembers of the old one goes.
        if (!started.created) this.cursors.forget(conversationId);
        return { status: started.created ? 201 : 200, headers: cors, body: { conversationId, token, expiresOn: iso(expiresAt), status } };
      },
      async () => (widget = await this.widgetOr404(widgetId)),
    );
  }

  async readMessages(conversationId: string, after: number, request: ApiRequest, context?: InvocationContext): Promise<HttpResult> {
    // A widget told by push that something changed (`told=1`) is read for, memo or not: the memo
    // may be this instance's while the change went through another.
    const told = request.query.get('told') === '1';
    const memo = isGuid(conversationId) && !told ? this.cursors.fresh(conversationId) : null;
    if (memo && after >= memo.lastSequence) {
      // Nothing can be new since this instance last read (see chat-cursors.ts): no Dataverse read.
      return this.fromMemo(memo, conversationId, request, async (cors) => {
        this.limit(`read:${conversationId}`, this.settings.readRate);
        return { status: 200, headers: { ...cors, 'cache-control': 'no-store' }, body: { messages: [], status: publicStatus(memo.state, memo.botHolding) } };
      });
    }
    let loaded: Loaded = null;
    return this.guard(
      request,
      async (cors) => {
        const conv = this.authorize(conversationId, loaded, request);
        this.limit(`read:${conversationId}`, this.settings.readRate);
        const body = await readMessages(conversationId, conv, after, { messages: this.deps.messages, now: this.deps.now, pageSize: this.settings.pageSize }, (line) => context?.log(line));
        // Everything public after `after` was just read: nothing is known after the last of it.
        if (!body.hasMore && conv.swb_customertokenhash) {
          const last = body.messages.reduce((n, m) => Math.max(n, m.sequence), after);
          this.cursors.remember(conversationId, { tokenHash: conv.swb_customertokenhash, state: conv.swb_state ?? null, botHolding: BotService.holds(conv), lastSequence: last, widgetId: conv._swb_chatwidgetid_value ?? null });
        }
        return { status: 200, headers: { ...cors, 'cache-control': 'no-store' }, body };
      },
      async () => (loaded = await this.load(conversationId))?.widget ?? null,
    );
  }

  async sendMessage(conversationId: string, request: ApiRequest): Promise<HttpResult> {
    let loaded: Loaded = null;
    return this.guard(
      request,
      async (cors) => {
        const conv = this.authorize(conversationId, loaded, request);
        this.limit(`send:${conversationId}`, this.settings.sendRate);
        // The row just read for the token check numbers the message: one request more.
        const cursor = { etag: loaded!.etag, lastSequence: conv.swb_lastmessagesequence ?? 0 };
        const send = validateSend(request, this.settings.maxMessageLength);
        const sent = await sendMessage(conversationId, conv, send, this.deps, cursor);
        // While a bot answers, the customer's words go to it (routing waits for its hand-off).
        if (sent.created && this.deps.bots && BotService.holds(conv)) await this.deps.bots.customerWrote(conv, sent.message.swb_messageid, send.text);
        if (sent.created) await this.deps.sentiment?.customerWrote(conv, sent.message.swb_messageid, send.text);
        this.cursors.forget(conversationId);
        return { status: sent.created ? 201 : 200, headers: cors, body: { message: toPublicMessage(sent.message) } };
      },
      async () => (loaded = await this.load(conversationId))?.widget ?? null,
    );
  }

  /** A route answered from this instance's memory of the conversation: the token checked against the remembered hash, CORS from the remembered widget. */
  private fromMemo(memo: ChatCursor, conversationId: string, request: ApiRequest, work: (cors: Record<string, string>) => Promise<HttpResult>): Promise<HttpResult> {
    return this.guard(
      request,
      async (cors) => {
        this.checkToken(conversationId, request, memo.tokenHash);
        return work(cors);
      },
      async () => (memo.widgetId ? this.widgets.get(memo.widgetId) : null),
    );
  }

  /**
   * A route that only needs the token and the conversation's widget (CORS): answered from this
   * instance's memory of the conversation when it has one, else from one read.
   */
  private async tokenOnly(conversationId: string, request: ApiRequest, work: (cors: Record<string, string>) => Promise<HttpResult>): Promise<HttpResult> {
    const memo = isGuid(conversationId) ? this.cursors.fresh(conversationId) : null;
    if (memo) return this.fromMemo(memo, conversationId, request, work);
    let loaded: Loaded = null;
    return this.guard(
      request,
      async (cors) => {
        this.authorize(conversationId, loaded, request);
        return work(cors);
      },
      async () => (loaded = await this.load(conversationId))?.widget ?? null,
    );
  }

  async negotiate(conversationId: string, request: ApiRequest): Promise<HttpResult> {
    return this.tokenOnly(conversationId, request, async (cors) => {
      this.limit(`negotiate:${conversationId}`, this.settings.startRate);
      // The customer's push identity names this conversation only, in no group: the server sends
      // to it what a customer may see, and the client may send nothing to anyone.
      const url = this.deps.push ? await this.deps.push.clientUrl(customerPushUser(conversationId), [], PUSH_URL_MINUTES) : null;
      return { status: 200, headers: { ...cors, 'cache-control': 'no-store' }, body: { url } };
    });
  }

  async typing(conversationId: string, request: ApiRequest): Promise<HttpResult> {
    return this.tokenOnly(conversationId, request, async (cors) => {
      this.limit(`typing:${conversationId}`, this.settings.typingRate);
      await this.deps.push?.toGroup(conversationGroup(conversationId), { kind: 'typing', conversationId, by: 'customer' });
      return { status: 204, headers: cors };
    });
  }

  async answerSurvey(conversationId: string, request: ApiRequest): Promise<HttpResult> {
    let loaded: Loaded = null;
    return this.guard(
      request,
      async (cors) => {
        const conv = this.authorize(conversationId, loaded, request);
        this.limit(`csat:${conversationId}`, this.settings.sendRate);
        const answer = validateSurveyAnswer(request);
        const stored = await answerSurvey(conversationId, conv, answer, this.deps, loaded!.widget?.row._swb_workstreamid_value);
        return { status: 200, headers: cors, body: stored };
      },
      async () => (loaded = await this.load(conversationId))?.widget ?? null,
    );
  }

  async endConversation(conversationId: string, request: ApiRequest): Promise<HttpResult> {
    let loaded: Loaded = null;
    return this.guard(
      request,
      async (cors) => {
        this.authorize(conversationId, loaded, request);
        await endChat(conversationId, this.deps);
        this.cursors.forget(conversationId);
        return { status: 200, headers: cors, body: { status: 'ended' } };
      },
      async () => (loaded = await this.load(conversationId))?.widget ?? null,
    );
  }
}
