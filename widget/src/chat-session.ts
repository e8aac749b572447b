import type { PushEvent, PushState } from '@switchboard/core';
import { ChatApiError, type ChatApi, type Credentials } from './chat-api.adapter';
import type {
  ContextValue,
  PublicConversationStatus,
  PublicMessage,
  WidgetConfig,
} from './contract';
import type { ConversationStore, PendingMessage, PendingSurvey, StoredConversation } from './conversation-store';
import type { HandoffTicket } from './handoff';
import { checkAnswers, cleanAnswers, type AnswerProblem } from './prechat-validation';

export type Phase =
  | 'loading' // fetching the config
  | 'load_failed' // no config and no conversation to continue
  | 'closed' // outside operating hours, no conversation
  | 'prechat' // survey shown
  | 'starting' // POST conversations in flight
  | 'chatting'
  | 'ended' // by the customer or the agent; transcript stays visible
  | 'expired'; // token refused or conversation gone

export type Connection = 'online' | 'offline' | 'reconnecting';

/**
 * The post-chat survey after an ended chat: 'asking' (the form), 'sending', 'thanks', 'failed'
 * (not sent, may be tried again) or 'unavailable' (the server refused it for good).
 */
export interface SurveyState {
  readonly step: 'asking' | 'sending' | 'thanks' | 'failed' | 'unavailable';
  /** The admin's question from the config; absent: the widget's own wording. */
  readonly question?: string;
}

export interface SessionState {
  readonly phase: Phase;
  readonly config?: WidgetConfig;
  readonly connection: Connection;
  readonly status?: PublicConversationStatus;
  readonly conversationId?: string;
  readonly messages: readonly PublicMessage[];
  readonly pending: readonly PendingMessage[];
  readonly formProblems: Readonly<Record<string, AnswerProblem>>;
  /** Contract error code of the last failed start (e.g. outside_hours), for the view to explain. */
  readonly startError?: string;
  /** An agent is typing (push 'typing' event in the last 6 s), with their name when known. */
  readonly agentTyping?: { readonly name?: string };
  /** The post-chat survey, once a chat somebody answered has ended and the workstream asks for it. */
  readonly survey?: SurveyState;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What the session uses of core's `PushClient` (core/src/push/push-client.ts); one per conversation. */
export interface PushClientLike {
  readonly state: PushState;
  start(): void;
  stop(): void;
  onEvent(listener: (event: PushEvent) => void): () => void;
  onState(listener: (state: PushState) => void): () => void;
}

/**
 * Builds the push client of one conversation. `negotiate` asks the chat API for a fresh
 * Web PubSub URL (null: push is not configured on this deployment, stay on polling).
 */
export type PushFactory = (negotiate: () => Promise<string | null>) => PushClientLike;

export interface SessionDeps {
  readonly widgetId: string;
  readonly locale: string;
  readonly api: ChatApi;
  readonly store: ConversationStore;
  readonly timers: Timers;
  readonly now: () => number;
  readonly newId: () => string;
  readonly random: () => number;
  readonly isOnline: () => boolean;
  readonly pageUrl: () => string;
  /** Real-time events instead of idle polling; without it the widget polls as before. */
  readonly push?: PushFactory;
}

export interface PollingPolicy {
  /** Delay after a poll that brought something new, or after the customer sent. */
  readonly fastMs: number;
  /** Idle polls slow down by `idleFactor` up to this delay. */
  readonly idleMaxMs: number;
  readonly idleFactor: number;
  /** Failures back off exponentially from `errorBaseMs` up to `errorMaxMs`, with ±20 % jitter. */
  readonly errorBaseMs: number;
  readonly errorMaxMs: number;
}

export const defaultPolicy: PollingPolicy = {
  fastMs: 1500,
  idleMaxMs: 10000,
  idleFactor: 1.5,
  errorBaseMs: 1000,
  errorMaxMs: 30000,
};

/** An agent's typing shows this long after their last typing event. */
export const agentTypingMs = 6000;
/** The customer's typing is told to the agents at most this often. */
export const customerTypingEveryMs = 3000;

type Listener = (state: SessionState) => void;

interface PushLink {
  readonly client: PushClientLike;
  readonly unsubscribe: (() => void)[];
  connected: boolean;
  /** The deployment has no push (negotiate said null, or refused for good): typing is not worth sending. */
  unavailable: boolean;
}

type TimerName = 'pollTimer' | 'sendTimer' | 'configTimer' | 'endTimer' | 'typingTimer';

// The widget's brain, with no DOM: every side effect goes through `deps`, so
// tests drive it with a fake backend and hand-cranked timers.
export class ChatSession {
  private state: SessionState = {
    phase: 'loading',
    connection: 'online',
    messages: [],
    pending: [],
    formProblems: {},
  };
  private credentials?: StoredConversation;
  /** The ended chat the survey is about: its own credentials, kept (and stored) until answered or dismissed. */
  private surveyOf?: PendingSurvey;
  private context: Record<string, ContextValue> = {};
  private listeners = new Set<Listener>();
  private pollTimer?: unknown;
  private sendTimer?: unknown;
  private configTimer?: unknown;
  private endTimer?: unknown;
  private typingTimer?: unknown;
  private push?: PushLink;
  private lastTypingSent?: number;
  // The read cursor: the highest sequence a GET has returned. Not the highest sequence shown: a
  // send's answer can carry a sequence above an agent message not read yet, which a cursor taken
  // from the transcript would then skip.
  private readUpTo = 0;
  private idleDelay: number;
  private pollFailures = 0;
  private sendFailures = 0;
  private polling = false;
  private repollRequested = false;
  /** A push event said something changed since the last read: the next read says so. */
  private told = false;
  private flushing = false;
  private startRequest?: { id: string; answersKey: string };
  // Bumped whenever the conversation changes (new chat, resume, end) so a
  // response for the old one that arrives late is ignored.
  private epoch = 0;

  constructor(
    private readonly deps: SessionDeps,
    private readonly policy: PollingPolicy = defaultPolicy,
  ) {
    this.idleDelay = policy.fastMs;
    if (!deps.isOnline()) this.state = { ...this.state, connection: 'offline' };
  }

  get snapshot(): SessionState {
    return this.state;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setContext(values: Readonly<Record<string, unknown>>): void {
    for (const [key, value] of Object.entries(values)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        this.context[key] = value;
      } else if (value === null || value === undefined) {
        delete this.context[key];
      }
    }
  }

  getContext(): Readonly<Record<string, ContextValue>> {
    return { ...this.context };
  }

  /**
   * Loads the config and continues a stored (or handed-off) conversation if
   * there is one. A ticket from the URL is only taken when `trustTicket`
   * accepts it against the config: a link is something anyone can send, and a
   * ticket planted by someone else would make the customer type into *their*
   * conversation (session fixation).
   */
  async init(ticket?: HandoffTicket, trustTicket?: (config: WidgetConfig | undefined) => boolean): Promise<void> {
    const usable = ticket && ticket.widgetId === this.deps.widgetId && Date.parse(ticket.expiresOn) > this.deps.now();
    if (!usable) {
      const stored = this.deps.store.load();
      if (stored) this.adopt(stored);
      // A chat that ended before this page with its survey unanswered: asked again, not twice once answered.
      else this.surveyOf = this.deps.store.loadSurvey();
      await this.loadConfig();
      return;
    }
    await this.loadConfig();
    if (!trustTicket || trustTicket(this.state.config)) {
      this.adopt({ ...ticket, outbox: [] });
      return;
    }
    const stored = this.deps.store.load();
    if (stored) this.adopt(stored);
  }

  /** Continue the conversation of a hand-off ticket (from another site) in place of any current one. */
  resume(ticket: HandoffTicket): boolean {
    if (ticket.widgetId !== this.deps.widgetId || !(Date.parse(ticket.expiresOn) > this.deps.now())) return false;
    this.adopt({ ...ticket, outbox: [] });
    return true;
  }

  /**
   * Another tab of the same site changed the stored conversation (the
   * `storage` event): follow it, so two tabs never hold two conversations.
   */
  syncFromStore(): void {
    const stored = this.deps.store.load();
    if (stored && stored.conversationId !== this.credentials?.conversationId) this.adopt(stored);
  }

  /** The ticket another site's widget can resume, while a conversation is going on. */
  ticket(): HandoffTicket | undefined {
    const c = this.credentials;
    if (!c || this.state.phase !== 'chatting') return undefined;
    return { widgetId: c.widgetId, conversationId: c.conversationId, token: c.token, expiresOn: c.expiresOn };
  }

  async start(rawAnswers: Readonly<Record<string, string>>): Promise<void> {
    const config = this.state.config;
    if (!config || (this.state.phase !== 'prechat' && this.state.phase !== 'closed')) return;
    const problems = checkAnswers(config.preChatQuestions, rawAnswers);
    if (Object.keys(problems).length > 0) {
      this.set({ formProblems: problems, startError: undefined });
      return;
    }
    const answers = cleanAnswers(config.preChatQuestions, rawAnswers);
    // The same attempt keeps its request id so a retry after a lost response
    // gets the conversation already opened instead of a second one.
    const answersKey = JSON.stringify(answers);
    if (!this.startRequest || this.startRequest.answersKey !== answersKey) {
      this.startRequest = { id: this.deps.newId(), answersKey };
    }
    const epoch = this.epoch;
    this.set({ phase: 'starting', formProblems: {}, startError: undefined });
    try {
      const started = await this.deps.api.startConversation(this.deps.widgetId, {
        answers,
        context: { ...this.context },
        locale: this.deps.locale,
        pageUrl: this.deps.pageUrl(),
        clientRequestId: this.startRequest.id,
      });
      if (epoch !== this.epoch) return;
      this.startRequest = undefined;
      this.adopt({
        widgetId: this.deps.widgetId,
        conversationId: started.conversationId,
        token: started.token,
        expiresOn: started.expiresOn,
        outbox: [],
      });
      this.set({ status: started.status });
    } catch (error) {
      if (epoch !== this.epoch) return;
      const e = asApiError(error);
      // Only a lost answer may reuse the request id; after a refusal the server
      // may hold the id as spent, so the next press must be a fresh attempt.
      if (!e.retryable) this.startRequest = undefined;
      const fieldProblems: Record<string, AnswerProblem> = {};
      for (const id of Object.keys(e.fields ?? {})) fieldProblems[id] = 'required';
      this.set({
        phase: e.code === 'outside_hours' ? 'closed' : 'prechat',
        startError: e.code,
        formProblems: e.code === 'validation_failed' ? fieldProblems : {},
        connection: e.code === 'network' ? 'reconnecting' : this.state.connection,
      });
    }
  }

  /** Queues a message; it is delivered in order, exactly once, whatever the network does. */
  send(text: string): boolean {
    const body = text.trim();
    if (!body || this.state.phase !== 'chatting') return false;
    const max = this.state.config?.maxMessageLength ?? 4000;
    if (body.length > max) return false;
    const pending: PendingMessage = {
      clientMessageId: this.deps.newId(),
      body,
      createdOn: new Date(this.deps.now()).toISOString(),
      state: 'waiting',
      attempts: 0,
    };
    this.setPending([...this.state.pending, pending]);
    this.idleDelay = this.policy.fastMs;
    void this.flush();
    return true;
  }

  async end(): Promise<void> {
    const c = this.credentials;
    if (!c || this.state.phase !== 'chatting') return;
    this.finish('ended');
    await this.sendEnd(c, 1);
  }

  // The customer asked to leave, so the widget does not hold them while the
  // network is away: it ends locally and keeps telling the server for a while
  // (about 30 s) in this page. Past that the server's idle timeout must close it.
  private async sendEnd(c: Credentials, attempt: number): Promise<void> {
    try {
      await this.deps.api.endConversation(c);
    } catch (error) {
      if (asApiError(error).retryable && attempt < 6) {
        this.endTimer = this.deps.timers.setTimeout(() => {
          this.endTimer = undefined;
          void this.sendEnd(c, attempt + 1);
        }, this.backoff(attempt));
      }
    }
  }

  /** After an ended or expired chat: back to the survey (or the closed notice). */
  restart(): void {
    if (this.state.phase !== 'ended' && this.state.phase !== 'expired' && this.state.phase !== 'load_failed') return;
    // A new chat leaves the old one's survey unanswered for good.
    this.dropSurvey();
    if (this.state.phase === 'load_failed' || !this.state.config) {
      this.set({ phase: 'loading', survey: undefined });
      void this.loadConfig();
      return;
    }
    this.set({
      phase: this.state.config.hours.open ? 'prechat' : 'closed',
      messages: [],
      pending: [],
      status: undefined,
      conversationId: undefined,
      formProblems: {},
      startError: undefined,
      survey: undefined,
    });
  }

  /**
   * The customer's answer to the post-chat survey. A resend (after a lost answer) is harmless:
   * the server keeps one answer per conversation. Once stored, nothing is asked again.
   */
  async rate(rating: number, comment: string): Promise<void> {
    const about = this.surveyOf;
    const survey = this.state.survey;
    if (!about || !survey || (survey.step !== 'asking' && survey.step !== 'failed')) return;
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) return;
    const text = comment.trim().slice(0, 1000);
    this.set({ survey: { ...survey, step: 'sending' } });
    let step: SurveyState['step'] = 'thanks';
    try {
      await this.deps.api.answerSurvey(about, { rating, ...(text ? { comment: text } : {}) });
    } catch (error) {
      step = asApiError(error).retryable ? 'failed' : 'unavailable';
    }
    // Dismissed meanwhile (a new chat): nothing more to show.
    if (this.surveyOf !== about) return;
    if (step !== 'failed') this.dropSurvey();
    this.set({ survey: { ...survey, step } });
  }

  private dropSurvey(): void {
    if (!this.surveyOf) return;
    this.surveyOf = undefined;
    this.deps.store.clearSurvey();
  }

  goOffline(): void {
    this.clearTimer('pollTimer');
    this.clearTimer('sendTimer');
    this.set({ connection: 'offline' });
  }

  goOnline(): void {
    this.pollFailures = 0;
    this.sendFailures = 0;
    this.idleDelay = this.policy.fastMs;
    this.set({ connection: 'reconnecting' });
    if (this.state.phase === 'load_failed') {
      void this.loadConfig();
      return;
    }
    void this.pollNow();
    void this.flush();
  }

  /** Poll at once (e.g. the tab became visible again). */
  async pollNow(): Promise<void> {
    this.clearTimer('pollTimer');
    await this.poll();
  }

  /** The tab became visible again: a look at once, unless push is connected and has told us everything. */
  becameVisible(): void {
    if (!this.pushConnected()) void this.pollNow();
  }

  /**
   * The customer is typing in the composer: tell the agents, at most every 3 s, fire and forget.
   * Nothing is sent once the chat is over, offline, or where the deployment has no push.
   */
  typing(): void {
    const c = this.credentials;
    if (!c || this.state.phase !== 'chatting' || this.isOffline() || this.push?.unavailable) return;
    const now = this.deps.now();
    if (this.lastTypingSent !== undefined && now - this.lastTypingSent < customerTypingEveryMs) return;
    this.lastTypingSent = now;
    this.deps.api.typing(c).catch(() => undefined);
  }

  dispose(): void {
    this.epoch++;
    this.stopPush();
    this.clearTimer('pollTimer');
    this.clearTimer('sendTimer');
    this.clearTimer('configTimer');
    this.clearTimer('endTimer');
    this.clearTimer('typingTimer');
    this.listeners.clear();
  }

  private async loadConfig(): Promise<void> {
    const epoch = this.epoch;
    try {
      const config = await this.deps.api.getConfig(this.deps.widgetId, this.deps.locale);
      if (epoch !== this.epoch) {
        // A conversation was adopted meanwhile; the config is still useful.
        this.set({ config });
        return;
      }
      this.set({ config });
      if (this.state.phase !== 'loading') return;
      const about = this.surveyOf;
      if (about && config.survey) {
        this.set({ phase: 'ended', status: 'ended', conversationId: about.conversationId, survey: surveyState(config) });
        return;
      }
      // The workstream stopped asking: nothing to answer.
      this.dropSurvey();
      this.set({ phase: config.hours.open ? 'prechat' : 'closed' });
    } catch (error) {
      // A conversation in progress does not need the config to go on.
      if (this.state.phase !== 'loading') return;
      const e = asApiError(error);
      this.set({ phase: 'load_failed', connection: e.code === 'network' ? 'reconnecting' : this.state.connection });
      if (e.retryable) {
        this.configTimer = this.deps.timers.setTimeout(() => {
          this.configTimer = undefined;
          if (this.state.phase === 'load_failed') {
            this.set({ phase: 'loading' });
            void this.loadConfig();
          }
        }, this.backoff(++this.pollFailures));
      }
    }
  }

  private adopt(stored: StoredConversation): void {
    this.epoch++;
    this.dropSurvey();
    this.clearTimer('pollTimer');
    this.clearTimer('sendTimer');
    this.clearTimer('typingTimer');
    this.credentials = stored;
    this.deps.store.save(stored);
    this.pollFailures = 0;
    this.sendFailures = 0;
    this.idleDelay = this.policy.fastMs;
    this.readUpTo = 0;
    this.lastTypingSent = undefined;
    this.set({
      phase: 'chatting',
      conversationId: stored.conversationId,
      messages: [],
      agentTyping: undefined,
      // Whatever was in flight when the page went away may or may not have
      // arrived: send it again with the same id, the server deduplicates.
      pending: stored.outbox.map((p) => (p.state === 'sending' ? { ...p, state: 'waiting' } : p)),
      formProblems: {},
      startError: undefined,
      survey: undefined,
    });
    this.startPush(stored);
    void this.poll();
    void this.flush();
  }

  private finish(phase: 'ended' | 'expired'): void {
    const ended = this.credentials;
    this.epoch++;
    this.stopPush();
    this.clearTimer('pollTimer');
    this.clearTimer('sendTimer');
    this.clearTimer('typingTimer');
    this.credentials = undefined;
    this.deps.store.clear();
    // The survey is about somebody's help: asked after a chat an agent or a bot answered in.
    const config = this.state.config;
    const helped = this.state.messages.some((m) => m.authorKind === 'agent' || m.authorKind === 'bot');
    let survey: SurveyState | undefined;
    if (phase === 'ended' && ended && config?.survey && helped) {
      const { widgetId, conversationId, token, expiresOn } = ended;
      this.surveyOf = { widgetId, conversationId, token, expiresOn, endedOn: new Date(this.deps.now()).toISOString() };
      this.deps.store.saveSurvey(this.surveyOf);
      survey = surveyState(config);
    }
    this.set({ phase, status: phase === 'ended' ? 'ended' : this.state.status, agentTyping: undefined, survey });
  }

  // One push client per conversation. While it is connected the widget does not poll: every
  // 'connected' (the first and after a reconnect) reads once to catch up, every event about this
  // conversation reads once, and a lost connection falls back to the adaptive polling.
  private startPush(c: Credentials): void {
    this.stopPush();
    const factory = this.deps.push;
    if (!factory) return;
    const api = this.deps.api;
    const link: PushLink = {
      client: factory(async () => {
        try {
          const { url } = await api.negotiate(c);
          if (!url) link.unavailable = true;
          return url || null;
        } catch (error) {
          // Refused for good (an older server without the route, a conversation gone): retrying
          // cannot help; polling goes on and finds out whether the conversation is still there.
          if (asApiError(error).retryable) throw error;
          link.unavailable = true;
          return null;
        }
      }),
      unsubscribe: [],
      connected: false,
      unavailable: false,
    };
    link.unsubscribe.push(
      link.client.onState((state) => this.onPushState(link, state)),
      link.client.onEvent((event) => this.onPushEvent(link, event)),
    );
    this.push = link;
    link.client.start();
  }

  private stopPush(): void {
    const link = this.push;
    if (!link) return;
    this.push = undefined;
    for (const off of link.unsubscribe) off();
    link.client.stop();
  }

  private onPushState(link: PushLink, state: PushState): void {
    if (this.push !== link) return;
    const was = link.connected;
    link.connected = state === 'connected';
    if (link.connected) {
      // Whatever happened while (re)connecting was not pushed to us: read it now.
      void this.pollNow();
    } else if (was && this.pollTimer === undefined && !this.polling) {
      // Push lost: back to polling, starting with a look at once.
      this.idleDelay = this.policy.fastMs;
      void this.poll();
    }
  }

  private onPushEvent(link: PushLink, event: PushEvent): void {
    const id = this.credentials?.conversationId;
    if (this.push !== link || !id || !('conversationId' in event)) return;
    if (event.conversationId.toLowerCase() !== id.toLowerCase()) return;
    switch (event.kind) {
      case 'typing':
        if (event.by === 'agent') this.showAgentTyping(event.name);
        return;
      case 'message':
        // Already read (e.g. the customer's own message, or a repeated event): nothing to fetch.
        if (event.internal || (event.sequence !== undefined && event.sequence <= this.readUpTo)) return;
        break;
      case 'conversation':
      case 'delivery':
        break;
      default:
        return;
    }
    // One read; a burst while it runs becomes one more read (repollRequested), not one per event.
    // It tells the server it was told: an instance's "nothing new" memo must not answer it.
    this.told = true;
    void this.pollNow();
  }

  private showAgentTyping(name: string | undefined): void {
    if (this.state.phase !== 'chatting') return;
    this.clearTimer('typingTimer');
    this.typingTimer = this.deps.timers.setTimeout(() => {
      this.typingTimer = undefined;
      this.set({ agentTyping: undefined });
    }, agentTypingMs);
    this.set({ agentTyping: name ? { name } : {} });
  }

  private pushConnected(): boolean {
    return this.push?.connected === true;
  }

  private async poll(): Promise<void> {
    const c = this.credentials;
    if (!c || this.state.phase !== 'chatting' || this.isOffline()) return;
    if (this.polling) {
      this.repollRequested = true;
      return;
    }
    this.polling = true;
    const epoch = this.epoch;
    let delay: number | undefined;
    let failed = false;
    try {
      const after = this.readUpTo;
      const told = this.told;
      this.told = false;
      const result = await this.deps.api.getMessages(c, after, told ? { told: true } : undefined);
      if (epoch !== this.epoch) return;
      this.pollFailures = 0;
      for (const m of result.messages) this.readUpTo = Math.max(this.readUpTo, m.sequence);
      const advanced = this.readUpTo > after;
      const before = this.state.messages.length;
      this.merge(result.messages);
      const grew = this.state.messages.length > before;
      this.set({ status: result.status, connection: this.isOffline() ? 'offline' : 'online' });
      if (result.status === 'ended') {
        this.finish('ended');
        return;
      }
      if (result.hasMore && advanced) {
        delay = 0;
      } else if (grew || this.repollRequested) {
        this.idleDelay = this.policy.fastMs;
        delay = this.idleDelay;
      } else {
        delay = this.idleDelay;
        this.idleDelay = Math.min(this.policy.idleMaxMs, this.idleDelay * this.policy.idleFactor);
      }
      // A poll that works means the network is back: deliver anything waiting.
      if (this.state.pending.some((p) => p.state === 'waiting') && !this.sendTimer) void this.flush();
    } catch (error) {
      if (epoch !== this.epoch) return;
      const e = asApiError(error);
      if (this.handleFatal(e)) return;
      if (!this.isOffline()) this.set({ connection: 'reconnecting' });
      failed = true;
      delay = Math.max(e.retryAfterMs ?? 0, this.backoff(++this.pollFailures));
    } finally {
      if (epoch === this.epoch) {
        this.polling = false;
        if (this.repollRequested) {
          this.repollRequested = false;
          if (delay !== undefined) delay = 0;
        }
        // With push connected only the next page, a re-read asked for meanwhile or a retry after a
        // failure are scheduled: the idle widget makes no requests.
        const wanted = delay === 0 || failed || !this.pushConnected();
        if (delay !== undefined && wanted && this.state.phase === 'chatting' && !this.isOffline()) {
          this.schedulePoll(delay);
        }
      } else {
        this.polling = false;
        this.repollRequested = false;
      }
    }
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.state.phase !== 'chatting' || this.isOffline()) return;
    this.flushing = true;
    const epoch = this.epoch;
    try {
      for (;;) {
        const c = this.credentials;
        const next = this.state.pending.find((p) => p.state === 'waiting');
        if (!c || !next || epoch !== this.epoch || this.isOffline()) return;
        this.updatePending(next.clientMessageId, { state: 'sending', attempts: next.attempts + 1 });
        try {
          const { message } = await this.deps.api.sendMessage(c, {
            body: next.body,
            clientMessageId: next.clientMessageId,
          });
          if (epoch !== this.epoch) return;
          this.sendFailures = 0;
          this.merge([message]);
          if (this.state.connection === 'reconnecting') this.set({ connection: 'online' });
          // An agent reply often follows quickly; look soon.
          this.idleDelay = this.policy.fastMs;
          if (!this.polling) this.schedulePoll(this.policy.fastMs);
        } catch (error) {
          if (epoch !== this.epoch) return;
          const e = asApiError(error);
          if (this.handleFatal(e)) return;
          if (e.retryable) {
            this.updatePending(next.clientMessageId, { state: 'waiting' });
            if (!this.isOffline()) this.set({ connection: 'reconnecting' });
            const wait = Math.max(e.retryAfterMs ?? 0, this.backoff(++this.sendFailures));
            this.clearTimer('sendTimer');
            this.sendTimer = this.deps.timers.setTimeout(() => {
              this.sendTimer = undefined;
              void this.flush();
            }, wait);
            return;
          }
          // Refused for good (too long, invalid): keep it visible as not sent, go on with the rest.
          this.updatePending(next.clientMessageId, { state: 'rejected' });
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Token refused, conversation gone or ended: no retry can help. */
  private handleFatal(e: ChatApiError): boolean {
    if (e.code === 'conversation_ended') {
      this.finish('ended');
      return true;
    }
    if (e.status === 401 || e.status === 403 || e.status === 404) {
      this.finish('expired');
      return true;
    }
    return false;
  }

  private merge(incoming: readonly PublicMessage[]): void {
    if (incoming.length === 0) return;
    const bySequence = new Map<number, PublicMessage>();
    for (const m of this.state.messages) bySequence.set(m.sequence, m);
    // The agent who was typing has sent: the indicator goes at once, not 6 s later.
    if (this.state.agentTyping && incoming.some((m) => m.authorKind === 'agent' && !bySequence.has(m.sequence))) {
      this.clearTimer('typingTimer');
      this.set({ agentTyping: undefined });
    }
    for (const m of incoming) bySequence.set(m.sequence, m);
    const messages = [...bySequence.values()].sort((a, b) => a.sequence - b.sequence);
    const delivered = new Set(messages.map((m) => m.clientMessageId).filter(Boolean));
    const pending = this.state.pending.filter((p) => !delivered.has(p.clientMessageId));
    this.set({ messages });
    if (pending.length !== this.state.pending.length) this.setPending(pending);
  }

  private updatePending(id: string, patch: Partial<PendingMessage>): void {
    this.setPending(this.state.pending.map((p) => (p.clientMessageId === id ? { ...p, ...patch } : p)));
  }

  private setPending(pending: readonly PendingMessage[]): void {
    this.set({ pending });
    if (this.credentials) {
      this.credentials = { ...this.credentials, outbox: pending };
      this.deps.store.save(this.credentials);
    }
  }

  private schedulePoll(ms: number): void {
    this.clearTimer('pollTimer');
    this.pollTimer = this.deps.timers.setTimeout(() => {
      this.pollTimer = undefined;
      void this.poll();
    }, ms);
  }

  private backoff(failures: number): number {
    const base = Math.min(this.policy.errorMaxMs, this.policy.errorBaseMs * 2 ** Math.max(0, failures - 1));
    return Math.round(base * (0.8 + 0.4 * this.deps.random()));
  }

  private clearTimer(name: TimerName): void {
    const handle = this[name];
    if (handle !== undefined) this.deps.timers.clearTimeout(handle);
    this[name] = undefined;
  }

  // A method, not an inline comparison, because the connection can change
  // across an await and TypeScript's narrowing would pretend it cannot.
  private isOffline(): boolean {
    return this.state.connection === 'offline';
  }

  private set(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener(this.state);
  }
}

function surveyState(config: WidgetConfig): SurveyState {
  const question = config.survey?.question;
  return question ? { step: 'asking', question } : { step: 'asking' };
}

function asApiError(error: unknown): ChatApiError {
  return error instanceof ChatApiError
    ? error
    : new ChatApiError(0, 'network', error instanceof Error ? error.message : String(error));
}

export type { Credentials };
