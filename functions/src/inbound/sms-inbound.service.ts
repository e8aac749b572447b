// POST /api/sms/{provider}/{channelId}[/status]: authenticate and parse with the channel
// layer (receiveInbound), then store every event idempotently before answering, so that a
// provider retry (after our timeout, or two deliveries of one webhook at once) never creates a
// second message or a second conversation:
// - the message row's id is derived from (channel, provider message id);
// - a new conversation's id is derived from (channel, number, the number's previous
//   conversation), so concurrent first messages from one number converge on one row.
import type { InvocationContext } from '@azure/functions';
import { identifyByPhone, languageOfPhoneNumber, parseSurveyReply, surveyOpen } from '@switchboard/core';
import type { PushPort, RoutingTriggerPort } from '@switchboard/core';
import {
  AuthorKind,
  ChannelType,
  ConversationState,
  DeliveryStatus as DeliveryStatusValue,
  MessageDirection,
  Visibility,
  type ConversationRow,
} from '@switchboard/solution';
import {
  type ChannelDelivery,
  type HttpReply,
  type InboundHttpRequest,
  type InboundMessage,
  type InboundStatus,
  type SecretResolver,
  type SmsAdapters,
  type SmsProvider,
  receiveInbound,
  recogniseKeyword,
  shouldApplyStatus,
  type DeliveryStatus,
} from '../channels';
import { channelStrings } from '../channels/validation';
import { identificationColumns } from '../conversations/identification.mapper';
import { appendMessage } from '../conversations/transcript';
import { ConcurrencyConflict } from '../dataverse/errors';
import type { ChannelRecord, DataverseChannelDirectory } from '../dataverse/repositories/channel.repository';
import { cursorOf, type ConversationStore, type InlineMessage } from '../dataverse/repositories/conversation.repository';
import type { CustomerFinder } from '../dataverse/repositories/customer.repository';
import { deterministicId } from '../dataverse/repositories/deterministic-id';
import type { MessageStore } from '../dataverse/repositories/message.repository';
import { bind, isGuid, iso } from '../dataverse/repositories/odata';
import type { OptOutStore } from '../dataverse/repositories/opt-out.repository';
import type { AutomatedMessenger } from '../outbound/automated-messages';
import type { ArrivalPlacer } from '../routing/arrival';
import { BotService } from '../bots/bot.service';
import { STATUS_VALUES } from '../outbound/delivery-recorder';
import type { SentimentScoring } from '../insights/sentiment.service';

export interface SmsCallback {
  provider: SmsProvider;
  // Twilio posts messages and statuses to different URLs; TeleSign and ACS mix both on one.
  kind: 'message' | 'status' | 'mixed';
  channelId: string;
  request: InboundHttpRequest;
  // The URL as the provider called it, rebuilt from PUBLIC_BASE_URL (signatures cover it).
  publicUrl: string;
}

/** What the SMS routes call: the provider's answer once every event is stored. */
export interface SmsCallbackService {
  handle(callback: SmsCallback, context: InvocationContext): Promise<HttpReply>;
}

export interface SmsInboundDeps {
  adapters: SmsAdapters;
  channels: Pick<DataverseChannelDirectory, 'getRecord'>;
  secrets: SecretResolver;
  conversations: ConversationStore;
  messages: MessageStore;
  customers: CustomerFinder;
  optOuts: OptOutStore;
  routing: RoutingTriggerPort;
  /** Sends keyword confirmations; must not itself refuse opted-out numbers (the STOP reply goes to one). */
  confirmations: ChannelDelivery;
  automated?: AutomatedMessenger;
  /** A bot may answer first (bots/bot.service.ts). */
  bots?: BotService;
  /** Decides a new conversation's queue where it is created (see routing/arrival.ts); without it, the routing worker does. */
  placer?: ArrivalPlacer;
  /** How many conversations wait in a queue: the "queued" message's position in line. */
  waitingCount?: (queueId: string) => Promise<number>;
  /** The agents of a conversation hear of a new text at once (transcript.ts publishes it). */
  push?: PushPort;
  /** Queues the customer's texts for sentiment scoring when it is on (insights/sentiment.service.ts). */
  sentiment?: SentimentScoring;
  now: () => number;
}

/** What the SMS path reads back from the conversation it creates. */
const CREATED_COLUMNS = [
  'activityid', 'swb_state', 'swb_channeltype', '_swb_channelid_value', 'swb_customerphone', '_swb_workstreamid_value', '_swb_queueid_value',
  '_swb_primaryagentid_value', 'swb_language', 'swb_lastmessagesequence',
];

const VALUE_OF_STATUS: Readonly<Record<number, DeliveryStatus>> = {
  [DeliveryStatusValue.Queued]: 'queued',
  [DeliveryStatusValue.Sent]: 'sent',
  [DeliveryStatusValue.Delivered]: 'delivered',
  [DeliveryStatusValue.Failed]: 'failed',
};

export type InboundResult =
  | { kind: 'stored'; conversationId: string; messageId: string; newConversation: boolean; duplicate: boolean }
  | { kind: 'keyword'; keyword: 'opt-out' | 'opt-in'; confirmed: boolean };

export class SmsInboundService implements SmsCallbackService {
  constructor(private readonly deps: SmsInboundDeps) {}

  async handle(callback: SmsCallback, context: InvocationContext): Promise<HttpReply> {
    // An id that cannot name a row is answered like an unknown channel without a query.
    const record = isGuid(callback.channelId) ? await this.deps.channels.getRecord(callback.channelId) : undefined;
    const channel = record && record.enabled ? record : undefined;
    const outcome = receiveInbound({
      adapters: this.deps.adapters,
      provider: callback.provider,
      channel,
      secrets: this.deps.secrets,
      request: callback.request,
      publicUrl: callback.publicUrl,
    });
    if (outcome.kind === 'reply') return outcome.reply;
    for (const reason of outcome.ignored) context.log(`SMS callback on ${callback.channelId}: ignored ${reason}`);
    for (const event of outcome.events) {
      if (event.kind === 'message') await this.receiveMessage(channel!, event, context);
      else await this.applyStatus(channel!, event, context);
    }
    // Only now, with everything stored: a failure above is a 5xx and the provider retries.
    return outcome.reply;
  }

  async receiveMessage(channel: ChannelRecord, msg: InboundMessage, context?: InvocationContext): Promise<InboundResult> {
    const keyword = recogniseKeyword(msg.body);
    if (keyword === 'opt-out') return this.optOut(channel, msg, context);
    // "YES" or "OUI" is an answer in a conversation unless the number is opted out.
    if (keyword === 'opt-in' && (await this.deps.optOuts.isOptedOut(channel.channelId, msg.from))) return this.optIn(channel, msg, context);

    const { messageId, fields } = this.inboundMessage(channel, msg);
    for (let attempt = 0; attempt < 3; attempt++) {
      const recent = await this.deps.conversations.listForNumber(channel.channelId, msg.from, 5);
      const answered = recent[0] ? await this.surveyAnswer(recent[0], msg, messageId, fields) : null;
      if (answered) return answered;
      const open = recent.find((c) => c.swb_state !== ConversationState.Closed);
      if (open) return this.appendTo(open, messageId, fields);
      const id = deterministicId('sms-conversation', channel.channelId, msg.from, recent[0]?.activityid ?? 'first');
      const started = await this.start(id, channel, msg, messageId, fields, context);
      // A concurrent twin (the same webhook twice, or a second text) created it first: add to it.
      if (started) return started;
    }
    throw new Error(`Could not find or create the conversation for ${msg.from} on ${channel.channelId}.`);
  }

  /** The customer's text as a message row, under an id its provider message id decides (a replay is the same row). */
  private inboundMessage(channel: ChannelRecord, msg: InboundMessage): { messageId: string; fields: Record<string, unknown> } {
    const messageId = deterministicId('sms-in', channel.channelId, msg.providerMessageId);
    const body = msg.body + (msg.mediaUrls.length > 0 ? `\n${msg.mediaUrls.join('\n')}` : '');
    const fields: Record<string, unknown> = {
      swb_name: body.slice(0, 100),
      swb_body: body,
      swb_direction: MessageDirection.Inbound,
      swb_authorkind: AuthorKind.Customer,
      swb_visibility: Visibility.Public,
      swb_deliverystatus: DeliveryStatusValue.Received,
      swb_providermessageid: msg.providerMessageId,
      'swb_channelid@odata.bind': bind('swb_channels', channel.channelId),
    };
    return { messageId, fields };
  }

  /**
   * STOP or START in the middle of a conversation is part of it: the agent reads it in the
   * transcript (and then why their next reply is not delivered). It opens no conversation and
   * wakes no routing.
   */
  private async keywordIntoConversation(channel: ChannelRecord, msg: InboundMessage): Promise<void> {
    const open = (await this.deps.conversations.listForNumber(channel.channelId, msg.from, 5)).find((c) => c.swb_state !== ConversationState.Closed);
    if (!open) return;
    const { messageId, fields } = this.inboundMessage(channel, msg);
    const cursor = cursorOf(open);
    await appendMessage(this.deps, open.activityid, messageId, fields, { precheck: false, readBack: false, ...(cursor ? { cursor } : {}) });
  }

  /**
   * The customer's answer to the survey texted when their last conversation ended (survey/
   * sms-survey.ts): their next text within 24 h, if it starts with a rating ("5", "4 thanks!",
   * "5/5"). It is kept in that conversation's transcript with the rating and comment on the row
   * (one request), opens no conversation and wakes no routing. Anything else is null and goes on
   * as an ordinary text.
   */
  private async surveyAnswer(latest: ConversationRow, msg: InboundMessage, messageId: string, fields: Record<string, unknown>): Promise<InboundResult | null> {
    if (!latest.swb_csatrequestedon || (latest.swb_state !== ConversationState.WrapUp && latest.swb_state !== ConversationState.Closed)) return null;
    const now = this.deps.now();
    if (!surveyOpen(Date.parse(latest.swb_csatrequestedon), now)) return null;
    const answer = parseSurveyReply(msg.body);
    if (!answer) return null;
    const stored = { kind: 'stored' as const, conversationId: latest.activityid, messageId, newConversation: false };
    if (latest.swb_csatrespondedon) {
      // Answered already: only the provider's retry of that very answer is it; a second rating is an ordinary text.
      return (await this.deps.messages.get(messageId)) ? { ...stored, duplicate: true } : null;
    }
    const cursor = cursorOf(latest);
    const appended = await appendMessage(this.deps, latest.activityid, messageId, fields, {
      precheck: false,
      readBack: false,
      ...(cursor ? { cursor } : {}),
      alsoSet: { swb_csatrating: answer.rating, swb_csatcomment: answer.comment, swb_csatrespondedon: iso(now) },
    });
    return { ...stored, duplicate: !appended.created };
  }

  /** A text in an open conversation: one request when the conversation row's counter still holds. */
  private async appendTo(open: ConversationRow, messageId: string, fields: Record<string, unknown>): Promise<InboundResult> {
    const cursor = cursorOf(open);
    const appended = await appendMessage(this.deps, open.activityid, messageId, fields, { precheck: false, readBack: false, primaryAgentId: open._swb_primaryagentid_value ?? null, ...(cursor ? { cursor } : {}) });
    // A conversation still Open was never placed; a retried webhook for a waiting one may come
    // from an instance that died before its routing item was sent. A text to a conversation
    // already waiting in its queue changes nothing for routing.
    const state = open.swb_state;
    const unplaced = state === ConversationState.Open || (!appended.created && state === ConversationState.Waiting);
    if (this.deps.bots && BotService.holds(open)) {
      // The bot answers it; a replayed webhook (not created) was already given to the bot.
      if (appended.created) await this.deps.bots.customerWrote(open, messageId, String(fields['swb_body'] ?? ''));
    } else if (!open._swb_primaryagentid_value && unplaced) {
      await this.deps.routing.enqueue({ kind: 'route-conversation', conversationId: open.activityid, queueId: open._swb_queueid_value ?? null, reason: 'sms received' });
    }
    if (appended.created) await this.deps.sentiment?.customerWrote(open, messageId, String(fields['swb_body'] ?? ''));
    return { kind: 'stored', conversationId: open.activityid, messageId, newConversation: false, duplicate: !appended.created };
  }

  /**
   * A first text: the number's customers and opt-out in one read, the queue decided here (see
   * ArrivalPlacer), and the conversation created with the text and its automated messages in one
   * request. Returns null when a concurrent twin created the conversation first.
   */
  private async start(id: string, channel: ChannelRecord, msg: InboundMessage, messageId: string, fields: Record<string, unknown>, context?: InvocationContext): Promise<InboundResult | null> {
    const sender = await this.deps.customers.newSmsSender(msg.from, channel.channelId);
    const options = channel.defaultRegion ? { defaultRegion: channel.defaultRegion } : {};
    const identified = identifyByPhone(msg.from, sender.candidates, options);
    const data = this.newConversation(channel, msg, identified);
    // The customer's language as far as their number tells it (a French mobile: French), so the
    // automatic reply and the agent's templates speak it; a routing rule may still set another.
    const language = languageOfPhoneNumber(msg.from, options);
    if (language) data['swb_language'] = language;
    const row = {
      activityid: id,
      subject: data['subject'],
      swb_channeltype: ChannelType.Sms,
      swb_customerphone: msg.from,
      swb_context: data['swb_context'],
      swb_identificationresult: data['swb_identificationresult'],
      swb_customername: data['swb_customername'],
      _swb_customerid_value: identified.kind === 'matched' ? identified.record.id : null,
      _swb_workstreamid_value: channel.workstreamId ?? null,
      _swb_channelid_value: channel.channelId,
      swb_language: language,
    } as unknown as ConversationRow;
    const bot = this.deps.bots ? await this.deps.bots.choose(id, row, channel.workstreamId) : null;
    const placement = !bot && this.deps.placer ? await this.deps.placer.place(id, row, channel.workstreamId) : null;
    if (bot) Object.assign(data, bot.columns);
    if (placement) Object.assign(data, placement.columns);
    const placed = { ...row, swb_language: (data['swb_language'] as string | undefined) ?? null };
    // The bot answers the first text itself: no "an agent will be with you" before it.
    const automated = bot ? undefined : this.deps.automated;
    const texts = automated ? await this.automatedTexts(automated, placed, placement?.queueId, msg) : [];
    const created = await this.deps.conversations.createWithMessages(id, data, [{ id: messageId, data: fields }, ...texts], CREATED_COLUMNS);
    if (created === 'exists') return null;
    if (bot) await this.deps.bots!.opened(id, bot.bot.id, { messageId, text: String(fields['swb_body'] ?? '') });
    else
      await this.deps.routing.enqueue(
        placement
          ? { kind: 'route-queue', queueId: placement.queueId, reason: 'sms conversation started', at: this.deps.now() }
          : { kind: 'route-conversation', conversationId: id, queueId: null, reason: 'sms conversation started' },
      );
    await this.deps.sentiment?.customerWrote(placed, messageId, String(fields['swb_body'] ?? ''));
    for (const text of texts) {
      try {
        await automated!.deliverPrepared(text, created.row, { optedOut: sender.optedOut });
      } catch (err) {
        context?.warn(`automated message ${text.id} for ${id} failed: ${(err as Error).message}`);
      }
    }
    return { kind: 'stored', conversationId: id, messageId, newConversation: true, duplicate: false };
  }

  /** The "started" text, and the "queued" one with the position in line when the conversation was placed. */
  private async automatedTexts(automated: AutomatedMessenger, conversation: ConversationRow, queueId: string | undefined, msg: InboundMessage): Promise<InlineMessage[]> {
    const texts: InlineMessage[] = [];
    const started = await automated.prepare('started', conversation, { customer: { phone: msg.from }, conversation: { channel: 'sms' } });
    if (started) texts.push(started);
    // The position costs a query: only asked for when a "queued" message is configured.
    if (queueId && this.deps.waitingCount && (await automated.render('queued', conversation, {})) !== null) {
      const position = (await this.deps.waitingCount(queueId)) + 1;
      const queued = await automated.prepare('queued', conversation, { queue: { position } });
      if (queued) texts.push(queued);
    }
    return texts;
  }

  private newConversation(channel: ChannelRecord, msg: InboundMessage, identified: ReturnType<typeof identifyByPhone>): Record<string, unknown> {
    const now = new Date(this.deps.now()).toISOString();
    const data: Record<string, unknown> = {
      subject: `SMS ${msg.from}`,
      swb_state: ConversationState.Open,
      swb_channeltype: ChannelType.Sms,
      'swb_channelid@odata.bind': bind('swb_channels', channel.channelId),
      swb_customerphone: msg.from,
      swb_openedon: now,
      swb_queuedon: now,
      swb_context: JSON.stringify({ to: msg.to, provider: msg.provider }),
    };
    if (channel.workstreamId) data['swb_workstreamid@odata.bind'] = bind('swb_workstreams', channel.workstreamId);
    Object.assign(data, identificationColumns(identified));
    // An SMS has no pre-chat name: the identified customer's name stands in.
    const name = identified.kind === 'matched' ? (identified.record.fields['fullname'] ?? identified.record.fields['name']) : undefined;
    if (typeof name === 'string') data['swb_customername'] = name.slice(0, 200);
    return data;
  }

  private async optOut(channel: ChannelRecord, msg: InboundMessage, context?: InvocationContext): Promise<InboundResult> {
    const outcome = await this.recordKeyword(channel, msg, true);
    await this.keywordIntoConversation(channel, msg);
    const changed = !outcome.duplicate && outcome.after && outcome.before !== true;
    return { kind: 'keyword', keyword: 'opt-out', confirmed: await this.confirm(channel, msg, 'opt-out', changed, context) };
  }

  private async optIn(channel: ChannelRecord, msg: InboundMessage, context?: InvocationContext): Promise<InboundResult> {
    const outcome = await this.recordKeyword(channel, msg, false);
    await this.keywordIntoConversation(channel, msg);
    const changed = !outcome.duplicate && !outcome.after && outcome.before === true;
    return { kind: 'keyword', keyword: 'opt-in', confirmed: await this.confirm(channel, msg, 'opt-in', changed, context) };
  }

  // Ordered by when the customer sent it: the provider's timestamp where the webhook carries one
  // (TeleSign, ACS); Twilio's inbound webhook has none, so its order is ours, and a replay is
  // still recognised by its message id.
  private recordKeyword(channel: ChannelRecord, msg: InboundMessage, optedOut: boolean) {
    const sent = msg.receivedAt ? Date.parse(msg.receivedAt) : Number.NaN;
    return this.deps.optOuts.record({
      channelId: channel.channelId,
      number: msg.from,
      optedOut,
      keyword: msg.body.trim(),
      providerMessageId: msg.providerMessageId,
      at: new Date(Number.isNaN(sent) ? this.deps.now() : sent),
    });
  }

  // Twilio answers STOP/START itself on long codes and toll-free numbers and refuses our own
  // text to a number that just sent STOP (error 21610): replying there would only fail. TeleSign
  // and ACS leave it to us. A repeated STOP is not confirmed twice.
  private async confirm(channel: ChannelRecord, msg: InboundMessage, intent: 'opt-out' | 'opt-in', changed: boolean, context?: InvocationContext): Promise<boolean> {
    if (!changed || channel.provider === 'twilio') return false;
    const french = /^(ARR|D[EÉ]S|STOPPER|D[EÉ]MARR|REPRENDRE|OUI|ABONNER|R[EÉ]ABONNER)/i.test(msg.body.trim());
    const strings = channelStrings(french ? 'fr' : 'en');
    const text = strings[intent === 'opt-out' ? 'optOut.confirmation' : 'optIn.confirmation'];
    if (!text) return false;
    const result = await this.deps.confirmations.deliver(channel.channelId, msg.from, text, { clientReference: `keyword:${msg.providerMessageId}` });
    if (!result.ok) context?.warn(`${intent} confirmation to ${msg.from} failed: ${result.failure.code}`);
    return result.ok;
  }

  async applyStatus(channel: ChannelRecord, status: InboundStatus, context?: InvocationContext): Promise<'applied' | 'ignored' | 'unknown-message'> {
    for (let attempt = 0; attempt < 5; attempt++) {
      let found = await this.deps.messages.byProviderId(channel.channelId, status.providerMessageId);
      // The report can beat the write of the provider id after the send: our own id comes back
      // as the client reference on providers that echo one.
      if (!found && status.clientReference && isGuid(status.clientReference)) found = await this.deps.messages.get(status.clientReference);
      if (!found) {
        context?.log(`status ${status.status} for unknown message ${status.providerMessageId} on ${channel.channelId}`);
        return 'unknown-message';
      }
      const current = VALUE_OF_STATUS[found.row.swb_deliverystatus ?? -1];
      if (!shouldApplyStatus(current, status.status)) return 'ignored';
      const at = status.occurredAt ?? new Date(this.deps.now()).toISOString();
      const patch: Record<string, unknown> = { swb_deliverystatus: STATUS_VALUES[status.status] };
      if (status.status === 'delivered') patch['swb_deliveredon'] = at;
      if (status.status === 'sent' && !found.row.swb_senton) patch['swb_senton'] = at;
      if (status.status === 'failed') patch['swb_error'] = `${status.errorCode ?? status.providerStatus}${status.errorMessage ? `: ${status.errorMessage}` : ''}`.slice(0, 2000);
      if (!found.row.swb_providermessageid) patch['swb_providermessageid'] = status.providerMessageId;
      try {
        await this.deps.messages.update(found.row.swb_messageid, patch, found.etag);
        return 'applied';
      } catch (err) {
        // Two callbacks racing (sent and delivered together): re-read and decide again.
        if (!(err instanceof ConcurrencyConflict)) throw err;
      }
    }
    throw new Error(`Status of ${status.providerMessageId} kept changing under us.`);
  }
}
