// A bot in front of the agents. A conversation whose workstream (or a classification rule) names
// a bot is created Open with the bot Holding it: routing leaves it alone and no agent capacity
// is used. Each customer message becomes a `bot-turn` work item, taken in order per
// conversation; the bot's answers are stored as bot-authored public messages (the SMS step
// delivers them like an agent's), its typing is pushed to the customer, and a hand-off — in any
// of the forms bots use — merges the bot's context into the conversation's and routes it, so a
// rule like `context.topic = 'billing'` sends it to Billing. A bot that is down, refuses us,
// or does not answer within its timeout hands the conversation to a person at once; one that
// stays idle past its inactivity timeout closes it.
import {
  type BotConfig,
  type BotFailure,
  type BotSay,
  type BotHandoff,
  type BotTurn,
  type PushPort,
  type RoutingConfig,
  type RoutingTriggerPort,
  type RoutingWork,
  botForArrival,
  customerPushUser,
} from '@switchboard/core';
import { AuthorKind, BotState, ConversationState, DeliveryStatus, MessageDirection, Visibility, type ConversationRow } from '@switchboard/solution';
import type { SecretResolver } from '../channels/channel';
import { KeyedSerializer } from '../conversations/keyed-serializer';
import { appendMessage, type TranscriptDeps } from '../conversations/transcript';
import { ConcurrencyConflict } from '../dataverse/errors';
import { cursorOf, type ConversationCursor } from '../dataverse/repositories/conversation.repository';
import { deterministicId } from '../dataverse/repositories/deterministic-id';
import { bind, iso, ms } from '../dataverse/repositories/odata';
import type { RowWithETag } from '../dataverse/dataverse-client';
import { arrivalOf } from '../routing/routing-snapshot.mapper';
import type { BotConnector, BotCustomer, BotEndpoint, BotInput, BotSession } from './bot-connector';
import { botString } from './bot-strings';
import type { WebhookCallback } from './webhook/webhook-contract';

type BotWork = Extract<RoutingWork, { kind: 'bot-turn' | 'bot-check' | 'bot-consult' }>;

export interface BotServiceDeps extends TranscriptDeps {
  /** Bot work (turns, checks): the durable queue, never run inline. */
  routing: RoutingTriggerPort;
  /** Where a handed-off conversation is routed (the app routes arrivals inline); `routing` when absent. */
  handoffRouting?: RoutingTriggerPort;
  config: { get(): Promise<RoutingConfig> };
  connectors: Readonly<Record<BotConfig['kind'], BotConnector>>;
  /** App settings; the bot row only names the setting (SWB_ prefix, like channel secrets). */
  secrets: SecretResolver;
  push?: PushPort;
  /** The language of notes only agents read (hand-off, failures, consults): the floor's, not the customer's. */
  agentLanguage?: string;
  now: () => number;
  log?: (line: string) => void;
}

/** The columns a conversation is created with when a bot answers it first. */
export interface BotStart {
  bot: BotConfig;
  columns: Record<string, unknown>;
}

/** What the webhook bot route, the chat and SMS services ask of a bot's conversation. */
export type CallbackOutcome = 'stored' | 'duplicate' | 'handed-off' | 'ended' | 'not-with-bot';

// A webhook bot has not answered the customer's message delivered at <ms>: kept in
// swb_botwatermark (Direct Line's watermark column, unused by webhook bots) until it answers.
const AWAITING = 'awaiting:';

function parseObject(text: string | null | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function scalars(o: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  return out;
}

export class BotService {
  private readonly turns = new KeyedSerializer();

  constructor(private readonly deps: BotServiceDeps) {}

  /**
   * The bot that answers a conversation about to be created (`row` as it will be stored), and
   * the columns that say so; null when a person answers it.
   */
  async choose(conversationId: string, row: ConversationRow, workstreamId: string | null | undefined): Promise<BotStart | null> {
    if (!workstreamId) return null;
    const bot = botForArrival(arrivalOf(conversationId, row, workstreamId), await this.deps.config.get());
    if (!bot) return null;
    return {
      bot,
      columns: {
        'swb_botid@odata.bind': bind('swb_bots', bot.id),
        swb_botstate: BotState.Holding,
        swb_botactivityon: iso(this.deps.now()),
      },
    };
  }

  /** Whether the bot still answers this conversation (the customer's messages go to it, not to routing). */
  static holds(row: Pick<ConversationRow, 'swb_botstate' | '_swb_botid_value'>): boolean {
    return row.swb_botstate === BotState.Holding && !!row._swb_botid_value;
  }

  /** The conversation was just created with the bot holding it. */
  opened(conversationId: string, botId: string, firstMessage?: { messageId: string; text: string }): Promise<void> {
    const input: BotInput = firstMessage ? { kind: 'message', ...firstMessage } : { kind: 'opened' };
    return this.deps.routing.enqueue({ kind: 'bot-turn', conversationId, botId, input, reason: firstMessage ? 'first message to the bot' : 'conversation opened with a bot', at: this.deps.now() });
  }

  /** The customer wrote in a conversation the bot holds. */
  customerWrote(row: Pick<ConversationRow, 'activityid' | '_swb_botid_value'>, messageId: string, text: string): Promise<void> {
    return this.deps.routing.enqueue({
      kind: 'bot-turn',
      conversationId: row.activityid,
      botId: row._swb_botid_value!,
      input: { kind: 'message', messageId, text },
      reason: 'customer wrote to the bot',
      at: this.deps.now(),
    });
  }

  /** The routing worker's entry for bot work. */
  run(work: BotWork): Promise<void> {
    // One turn at a time per conversation on this instance: the bot reads the customer's messages in order.
    if (work.kind === 'bot-consult') return this.consult(work);
    return this.turns.run(work.conversationId.toLowerCase(), () => (work.kind === 'bot-turn' ? this.turn(work) : this.check(work)));
  }

  private log(line: string): void {
    this.deps.log?.(`bots: ${line}`);
  }

  private botOf(config: RoutingConfig, botId: string): BotConfig | undefined {
    return config.bots?.find((b) => b.id.toLowerCase() === botId.toLowerCase());
  }

  private endpointOf(bot: BotConfig): BotEndpoint | null {
    const secret = bot.secretSettingName ? this.deps.secrets.resolve(bot.secretSettingName) : undefined;
    if (!secret || !bot.url || !bot.enabled) return null;
    return { botId: bot.id, kind: bot.kind, url: bot.url, secret, timeoutMs: bot.timeoutSeconds * 1000 };
  }

  private customerOf(row: ConversationRow): BotCustomer {
    return {
      conversationId: row.activityid,
      locale: row.swb_language || 'en-US',
      context: { ...scalars(parseObject(row.swb_prechatanswers)), ...scalars(parseObject(row.swb_context)) },
      // Towards the bot the customer is the conversation, never a phone number or an address.
      userId: `swb-${row.activityid.toLowerCase()}`,
    };
  }

  private async held(conversationId: string, botId: string): Promise<RowWithETag<ConversationRow> | null> {
    const found = await this.deps.conversations.get(conversationId);
    if (!found) return null;
    const row = found.row;
    if (!BotService.holds(row) || row._swb_botid_value!.toLowerCase() !== botId.toLowerCase()) return null;
    if (row.swb_state === ConversationState.Closed || row.swb_state === ConversationState.WrapUp) return null;
    return found;
  }

  private async turn(work: Extract<BotWork, { kind: 'bot-turn' }>): Promise<void> {
    const found = await this.held(work.conversationId, work.botId);
    if (!found) return this.log(`${work.conversationId}: no longer with bot ${work.botId}; ${work.reason} dropped`);
    const bot = this.botOf(await this.deps.config.get(), work.botId);
    const endpoint = bot ? this.endpointOf(bot) : null;
    if (!bot || !endpoint) return void (await this.handOff(work.conversationId, { failure: 'misconfigured', detail: `bot ${work.botId} has no endpoint, secret or is disabled` }));
    const row = found.row;
    const session: BotSession = { externalId: row.swb_botconversationid ?? null, watermark: bot.kind === 'directline' ? (row.swb_botwatermark ?? null) : null };
    // Typing is told the moment the bot shows it (a turn may take seconds), at most once a second.
    let typingToldAt = 0;
    const typing = () => {
      const now = this.deps.now();
      if (now - typingToldAt < 1000) return;
      typingToldAt = now;
      void this.deps.push?.toUser(customerPushUser(work.conversationId), { kind: 'typing', conversationId: work.conversationId, by: 'agent', name: bot.name });
    };
    // What the bot says is stored as it comes, in order, on one cursor; the turn's end stores the rest.
    const cursor = cursorOf({ ...row, '@odata.etag': found.etag });
    const stored = new Set<string>();
    let early = Promise.resolve();
    const said = (say: BotSay) => {
      early = early
        .then(() => this.say(work.conversationId, bot, say.id, say.text, cursor))
        .then(() => void stored.add(say.id))
        .catch((e: Error) => this.log(`${work.conversationId}: storing an answer early failed (stored at the turn's end): ${e.message}`));
    };
    const delivery = await this.deps.connectors[bot.kind].deliver(endpoint, session, this.customerOf(row), work.input, { typing, said });
    await early;
    if (!delivery.ok) {
      this.log(`${work.conversationId}: bot ${bot.name} ${delivery.failure}: ${delivery.detail}`);
      await this.saveSession(work.conversationId, bot, delivery.session, null);
      await this.handOff(work.conversationId, { failure: delivery.failure, detail: delivery.detail });
      return;
    }
    const now = this.deps.now();
    // A webhook bot answers by callback: remember what it owes, and look again after its timeout.
    const awaiting = bot.kind === 'webhook' && work.input.kind === 'message' ? `${AWAITING}${now}` : null;
    await this.apply(work.conversationId, bot, { ...delivery.turn, say: delivery.turn.say.filter((say) => !stored.has(say.id)) }, delivery.session, awaiting, cursor);
    if (awaiting) await this.deps.routing.enqueue({ kind: 'bot-check', conversationId: work.conversationId, botId: bot.id, check: 'answer', since: now, reason: 'webhook bot answer due' }, { delaySeconds: bot.timeoutSeconds });
  }

  /**
   * Stores what the bot said and where its side stands, then acts on a hand-off or an end.
   * `awaiting`: the webhook delivery still owed an answer (null clears it).
   */
  private async apply(conversationId: string, bot: BotConfig, turn: BotTurn, session: BotSession, awaiting: string | null, cursor: ConversationCursor | undefined): Promise<void> {
    // Where the bot's side stands is written with the last answer (one request less a turn).
    const sessionColumns = this.sessionColumns(bot, session, awaiting);
    for (const [i, say] of turn.say.entries()) await this.say(conversationId, bot, say.id, say.text, cursor, i === turn.say.length - 1 ? sessionColumns : undefined);
    if (turn.say.length === 0) await this.deps.conversations.update(conversationId, sessionColumns);
    if (turn.handoff) await this.handOff(conversationId, { handoff: turn.handoff });
    else if (turn.end) await this.end(conversationId, BotState.Ended);
    else await this.deps.routing.enqueue({ kind: 'bot-check', conversationId, botId: bot.id, check: 'idle', since: this.deps.now(), reason: 'bot inactivity timeout' }, { delaySeconds: bot.inactivityMinutes * 60 });
  }

  private async say(conversationId: string, bot: BotConfig, id: string, text: string, cursor?: ConversationCursor, alsoSet?: Record<string, unknown>): Promise<boolean> {
    const messageId = deterministicId('bot-say', conversationId, bot.id, id);
    const appended = await appendMessage(
      this.deps,
      conversationId,
      messageId,
      {
        swb_body: text.slice(0, 4000),
        swb_direction: MessageDirection.Outbound,
        swb_authorkind: AuthorKind.Bot,
        swb_visibility: Visibility.Public,
        // Pending: the SMS step delivers it like an agent's reply; chat customers read it.
        swb_deliverystatus: DeliveryStatus.Pending,
        swb_providermessageid: `bot:${id}`.slice(0, 100),
      },
      { readBack: false, ...(cursor ? { cursor } : {}), ...(alsoSet ? { alsoSet } : {}) },
    );
    if (appended.created) {
      const sequence = appended.message.swb_sequence;
      await this.deps.push?.toUser(customerPushUser(conversationId), { kind: 'message', conversationId, ...(typeof sequence === 'number' ? { sequence } : {}) });
    }
    return appended.created;
  }

  private sessionColumns(bot: BotConfig, session: BotSession, awaiting: string | null): Record<string, unknown> {
    const patch: Record<string, unknown> = { swb_botactivityon: iso(this.deps.now()) };
    if (bot.kind === 'directline') {
      patch['swb_botconversationid'] = session.externalId;
      patch['swb_botwatermark'] = session.watermark;
    } else patch['swb_botwatermark'] = awaiting;
    return patch;
  }

  private saveSession(conversationId: string, bot: BotConfig, session: BotSession, awaiting: string | null): Promise<void> {
    return this.deps.conversations.update(conversationId, this.sessionColumns(bot, session, awaiting));
  }

  /**
   * A person takes over: the bot's context joins the conversation's (routing rules read it), the
   * agent gets the summary as a note from the bot, and routing places it. Idempotent: only the
   * first of two hand-offs of one conversation does anything.
   */
  async handOff(conversationId: string, why: { handoff: BotHandoff } | { failure: BotFailure; detail: string }): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const found = await this.deps.conversations.get(conversationId);
      if (!found || !BotService.holds(found.row)) return false;
      const row = found.row;
      const failed = 'failure' in why;
      const context = failed ? {} : why.handoff.context;
      const language = this.deps.agentLanguage;
      const summary = failed ? botString(`failure.${why.failure}`, language) : why.handoff.summary || botString('handoff.note', language);
      try {
        await this.deps.conversations.update(
          conversationId,
          {
            swb_botstate: failed ? BotState.Failed : BotState.HandedOff,
            swb_context: JSON.stringify({ ...parseObject(row.swb_context), ...context }),
            swb_handoffsummary: summary.slice(0, 2000),
            // The wait for a person starts now, not when the bot picked up.
            swb_queuedon: iso(this.deps.now()),
            swb_botwatermark: null,
          },
          found.etag,
        );
      } catch (e) {
        if (e instanceof ConcurrencyConflict) continue;
        throw e;
      }
      const lines = Object.entries(context).map(([k, v]) => `${k}: ${String(v)}`);
      const note = lines.length > 0 ? `${summary}\n${botString('handoff.context', language)}:\n${lines.join('\n')}` : summary;
      await appendMessage(
        this.deps,
        conversationId,
        deterministicId('bot-handoff', conversationId),
        { swb_body: note.slice(0, 4000), swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Bot, swb_visibility: Visibility.Internal },
        { readBack: false },
      );
      await (this.deps.handoffRouting ?? this.deps.routing).enqueue({ kind: 'route-conversation', conversationId, queueId: null, reason: failed ? `bot failed (${why.failure})` : 'bot handed off' });
      this.log(`${conversationId}: handed to a person (${failed ? why.failure : 'hand-off'})`);
      return true;
    }
    throw new Error(`Conversation ${conversationId} kept changing during the bot's hand-off.`);
  }

  /** The bot ended the conversation (resolved), or it was idle too long. */
  private async end(conversationId: string, state: BotState.Ended | BotState.TimedOut): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const found = await this.deps.conversations.get(conversationId);
      if (!found || !BotService.holds(found.row)) return false;
      const now = iso(this.deps.now());
      try {
        await this.deps.conversations.update(conversationId, { swb_state: ConversationState.Closed, swb_closedon: now, swb_botstate: state, swb_botwatermark: null }, found.etag);
      } catch (e) {
        if (e instanceof ConcurrencyConflict) continue;
        throw e;
      }
      if (state === BotState.TimedOut) {
        await appendMessage(
          this.deps,
          conversationId,
          deterministicId('bot-idle', conversationId),
          // From the bot, Pending: on SMS the customer is texted it like any of the bot's answers.
          { swb_body: botString('idle.closed', found.row.swb_language), swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Bot, swb_visibility: Visibility.Public, swb_deliverystatus: DeliveryStatus.Pending },
          { readBack: false },
        );
      }
      await this.deps.push?.toUser(customerPushUser(conversationId), { kind: 'conversation', conversationId, state: ConversationState.Closed });
      return true;
    }
    throw new Error(`Conversation ${conversationId} kept changing while the bot ended it.`);
  }

  private async check(work: Extract<BotWork, { kind: 'bot-check' }>): Promise<void> {
    const found = await this.held(work.conversationId, work.botId);
    if (!found) return;
    const row = found.row;
    if (work.check === 'answer') {
      if (row.swb_botwatermark !== `${AWAITING}${work.since}`) return;
      await this.handOff(work.conversationId, { failure: 'timeout', detail: 'no answer from the webhook bot in time' });
      return;
    }
    // Dates keep seconds: anything in the second of `since` or later is activity after it.
    const last = ms(row.swb_botactivityon) ?? 0;
    if (last >= Math.floor(work.since / 1000) * 1000 + 1000) return;
    if (await this.end(work.conversationId, BotState.TimedOut)) this.log(`${work.conversationId}: closed after the bot's inactivity timeout`);
  }

  /** The bot an agent may consult here: the one that answered the conversation, else its workstream's. */
  private consultedBot(config: RoutingConfig, row: ConversationRow): BotConfig | undefined {
    const botId = row._swb_botid_value ?? config.workstreams.find((w) => w.id.toLowerCase() === (row._swb_workstreamid_value ?? '').toLowerCase())?.botId;
    return botId ? this.botOf(config, botId) : undefined;
  }

  private note(conversationId: string, id: string, text: string, author: AuthorKind): Promise<unknown> {
    return appendMessage(this.deps, conversationId, id, { swb_body: text.slice(0, 4000), swb_direction: MessageDirection.Outbound, swb_authorkind: author, swb_visibility: Visibility.Internal }, { readBack: false });
  }

  /**
   * An agent's "@bot" question (plugins' bot-consult step). The bot is asked in a conversation
   * of its own, as the agent, so the customer's session with it (or its hand-off) is untouched;
   * its answer — Direct Line at once, a webhook bot by callback — is an internal note only
   * agents and supervisors see. Nothing the bot says in a consult reaches the customer.
   */
  private async consult(work: Extract<BotWork, { kind: 'bot-consult' }>): Promise<void> {
    const found = await this.deps.conversations.get(work.conversationId);
    if (!found) return;
    const row = found.row;
    const bot = this.consultedBot(await this.deps.config.get(), row);
    const endpoint = bot ? this.endpointOf(bot) : null;
    const failedNote = (key: 'consult.none' | 'consult.failed') => this.note(work.conversationId, deterministicId('bot-consult-failed', work.messageId), botString(key, this.deps.agentLanguage), AuthorKind.System);
    if (!bot || !endpoint) return void (await failedNote('consult.none'));
    const customer = { ...this.customerOf(row), userId: `swb-agent-${work.agentId.toLowerCase()}`, role: 'agent' as const };
    const delivery = await this.deps.connectors[bot.kind].deliver(endpoint, { externalId: null, watermark: null }, customer, { kind: 'message', messageId: work.messageId, text: work.question });
    if (!delivery.ok) {
      this.log(`${work.conversationId}: consulting ${bot.name} failed: ${delivery.failure} ${delivery.detail}`);
      return void (await failedNote('consult.failed'));
    }
    // A new conversation with a bot may open with its greeting: only what answers the question is kept
    // (all of it when the bot does not say what it answers).
    const answers = delivery.turn.say.some((say) => say.answersUser) ? delivery.turn.say.filter((say) => say.answersUser) : delivery.turn.say;
    for (const say of answers) await this.note(work.conversationId, deterministicId('bot-consult', work.messageId, say.id), say.text, AuthorKind.Bot);
  }

  /** A webhook bot's answer to an agent's question (`inReplyTo` names the question's note). */
  private async consultAnswer(botId: string, conversationId: string, row: ConversationRow, callback: Extract<WebhookCallback, { action: 'messages' }>): Promise<CallbackOutcome> {
    const bot = this.consultedBot(await this.deps.config.get(), row);
    if (!bot || bot.id.toLowerCase() !== botId.toLowerCase()) return 'not-with-bot';
    const question = await this.deps.messages.get(callback.inReplyTo!);
    const q = question?.row;
    if (!q || q._swb_conversationid_value?.toLowerCase() !== conversationId.toLowerCase() || q.swb_visibility !== Visibility.Internal || q.swb_authorkind !== AuthorKind.Agent) return 'not-with-bot';
    const id = deterministicId('bot-consult', q.swb_messageid, callback.id);
    if (await this.deps.messages.get(id)) return 'duplicate';
    await this.note(conversationId, id, callback.text, AuthorKind.Bot);
    return 'stored';
  }

  /**
   * A webhook bot's signed callback, already verified and parsed by the route. Idempotent by
   * the bot's callback id: a retried message is stored once, a retried hand-off or end answered
   * as done.
   */
  async callback(botId: string, conversationId: string, callback: WebhookCallback): Promise<CallbackOutcome> {
    const found = await this.deps.conversations.get(conversationId);
    if (!found) return 'not-with-bot';
    const row = found.row;
    if (callback.action === 'messages' && callback.inReplyTo) return this.consultAnswer(botId, conversationId, row, callback);
    if (row._swb_botid_value?.toLowerCase() !== botId.toLowerCase()) return 'not-with-bot';
    if (!BotService.holds(row)) {
      if (callback.action === 'handoff' && (row.swb_botstate === BotState.HandedOff || row.swb_botstate === BotState.Failed)) return 'duplicate';
      if (callback.action === 'end' && row.swb_botstate === BotState.Ended) return 'duplicate';
      return 'not-with-bot';
    }
    const bot = this.botOf(await this.deps.config.get(), botId);
    if (!bot) return 'not-with-bot';
    if (callback.action === 'messages') {
      const cursor = cursorOf({ ...row, '@odata.etag': found.etag });
      // The answer clears what the bot owed and stamps its activity, in the write that numbers it.
      const created = await this.say(conversationId, bot, callback.id, callback.text, cursor, this.sessionColumns(bot, { externalId: null, watermark: null }, null));
      if (created) await this.deps.routing.enqueue({ kind: 'bot-check', conversationId, botId: bot.id, check: 'idle', since: this.deps.now(), reason: 'bot inactivity timeout' }, { delaySeconds: bot.inactivityMinutes * 60 });
      return created ? 'stored' : 'duplicate';
    }
    if (callback.action === 'handoff') return (await this.handOff(conversationId, { handoff: { context: callback.context, summary: callback.summary } })) ? 'handed-off' : 'duplicate';
    return (await this.end(conversationId, BotState.Ended)) ? 'ended' : 'duplicate';
  }
}
