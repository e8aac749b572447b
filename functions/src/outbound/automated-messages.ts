// Automated messages on conversation events (started, queued with position, assigned, agent
// left, outside hours, ended), rendered from swb_automatedmessage in the conversation's
// language with fallback (fr-CA → fr → default), written as public system messages so chat
// customers read them, and delivered on the SMS channel for SMS customers.
import { type TemplateData, renderLocalizedTemplate, renderTemplate } from '@switchboard/core';
import {
  AuthorKind,
  AutomatedMessageTrigger,
  ChannelType,
  DeliveryStatus,
  MessageDirection,
  Visibility,
  type AutomatedMessageRow,
  type ConversationRow,
  type MessageRow,
} from '@switchboard/solution';
import type { DataverseClient } from '../dataverse/dataverse-client';
import { deterministicId } from '../dataverse/repositories/deterministic-id';
import { appendMessage, type TranscriptDeps } from '../conversations/transcript';
import type { ConversationCursor, InlineMessage } from '../dataverse/repositories/conversation.repository';
import { deliverFreshMessage, deliverStoredMessage, type DeliveryRecorderDeps } from './delivery-recorder';

export type AutomatedEvent = 'started' | 'queued' | 'assigned' | 'agent-left' | 'outside-hours' | 'ended';

export const TRIGGER_VALUES: Readonly<Record<AutomatedEvent, AutomatedMessageTrigger>> = {
  started: AutomatedMessageTrigger.ConversationStarted,
  queued: AutomatedMessageTrigger.Queued,
  assigned: AutomatedMessageTrigger.AgentAssigned,
  'agent-left': AutomatedMessageTrigger.AgentLeft,
  'outside-hours': AutomatedMessageTrigger.OutsideOperatingHours,
  ended: AutomatedMessageTrigger.ConversationEnded,
};

export interface AutomatedMessageSource {
  list(trigger: AutomatedMessageTrigger): Promise<AutomatedMessageRow[]>;
}

/** Every enabled automated message in one query (a handful of rows), kept `ttlMs`: the triggers are filtered here. */
export class DataverseAutomatedMessageSource implements AutomatedMessageSource {
  private cache: { at: number; rows: Promise<AutomatedMessageRow[]> } | null = null;
  constructor(
    private readonly client: DataverseClient,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {}

  async list(trigger: AutomatedMessageTrigger): Promise<AutomatedMessageRow[]> {
    return (await this.all()).filter((r) => r.swb_trigger === trigger);
  }

  private all(): Promise<AutomatedMessageRow[]> {
    const now = (this.options.now ?? Date.now)();
    if (this.cache && now - this.cache.at < (this.options.ttlMs ?? 30_000)) return this.cache.rows;
    const rows = this.client
      .execute((api) =>
        api.retrieveAll<AutomatedMessageRow>({
          collection: 'swb_automatedmessages',
          select: ['swb_automatedmessageid', 'swb_trigger', 'swb_channeltype', 'swb_locale', 'swb_text', '_swb_workstreamid_value', 'swb_isenabled'],
          filter: 'swb_isenabled ne false',
        }),
      )
      .then((r) => r.value);
    const entry = { at: now, rows };
    rows.catch(() => {
      if (this.cache === entry) this.cache = null;
    });
    this.cache = entry;
    return rows;
  }
}

/** Texts by locale for one conversation: workstream-specific rows win over generic ones. */
export function textsFor(rows: readonly AutomatedMessageRow[], conversation: Pick<ConversationRow, 'swb_channeltype' | '_swb_workstreamid_value'>): Record<string, string> {
  const fits = rows.filter(
    (r) =>
      r.swb_isenabled !== false &&
      (r.swb_channeltype === null || r.swb_channeltype === undefined || r.swb_channeltype === conversation.swb_channeltype) &&
      (!r._swb_workstreamid_value || r._swb_workstreamid_value === conversation._swb_workstreamid_value),
  );
  const byLocale: Record<string, string> = {};
  for (const generic of [true, false]) {
    for (const r of fits) {
      if (!!r._swb_workstreamid_value === generic) continue;
      if (r.swb_locale && r.swb_text) byLocale[r.swb_locale] = r.swb_text;
    }
  }
  return byLocale;
}

export interface AutomatedMessengerDeps extends TranscriptDeps, DeliveryRecorderDeps {
  source: AutomatedMessageSource;
  /** For queue-specific overflow messages, read by id. */
  client?: DataverseClient;
  defaultLocale?: string;
}

export class AutomatedMessenger {
  constructor(private readonly deps: AutomatedMessengerDeps) {}

  /** Whether any enabled message exists for the event at all (from the cached list): callers skip their reads when not. */
  async configured(event: AutomatedEvent): Promise<boolean> {
    return (await this.deps.source.list(TRIGGER_VALUES[event])).length > 0;
  }

  /** Renders without storing: the chat API answers "outside hours" with it before any conversation exists. */
  async render(event: AutomatedEvent, conversation: Pick<ConversationRow, 'swb_channeltype' | '_swb_workstreamid_value' | 'swb_language'>, data: TemplateData): Promise<string | null> {
    const rows = await this.deps.source.list(TRIGGER_VALUES[event]);
    const byLocale = textsFor(rows, conversation);
    const keys = Object.keys(byLocale);
    if (keys.length === 0) return null;
    const rendered =
      renderLocalizedTemplate(byLocale, conversation.swb_language, data, this.deps.defaultLocale ?? 'en') ??
      // No text in the customer's language nor the default: any text beats silence.
      renderLocalizedTemplate(byLocale, keys[0], data, keys[0]);
    return rendered?.text ?? null;
  }

  /**
   * The message an event would store, rendered but not stored: a new conversation carries it in
   * its own create (see ConversationStore.createWithMessages). Null when none is configured.
   */
  async prepare(
    event: AutomatedEvent,
    conversation: Pick<ConversationRow, 'activityid' | 'swb_channeltype' | '_swb_workstreamid_value' | 'swb_language'>,
    data: TemplateData,
    occurrence = '',
  ): Promise<InlineMessage | null> {
    const text = await this.render(event, conversation, data);
    if (text === null || text.trim() === '') return null;
    return { id: deterministicId('automated-message', conversation.activityid, event, occurrence), data: this.fields(text, conversation.swb_channeltype === ChannelType.Sms) };
  }

  /** Texts a message `prepare` gave and the caller just created (nobody else can have sent it): no claim, no read. */
  async deliverPrepared(message: InlineMessage, conversation: Pick<ConversationRow, '_swb_channelid_value' | 'swb_customerphone'>, options: { optedOut?: boolean } = {}): Promise<void> {
    if (!conversation._swb_channelid_value || !conversation.swb_customerphone) return;
    await deliverFreshMessage(this.deps, message.id, String(message.data['swb_body'] ?? ''), conversation._swb_channelid_value, conversation.swb_customerphone, options);
  }

  private fields(text: string, sms: boolean): Record<string, unknown> {
    return {
      swb_name: text.slice(0, 100),
      swb_body: text,
      swb_direction: MessageDirection.Outbound,
      swb_authorkind: AuthorKind.System,
      swb_visibility: Visibility.Public,
      ...(sms ? { swb_deliverystatus: DeliveryStatus.Pending } : {}),
    };
  }

  /**
   * Stores (once per conversation, event and `occurrence`) and, on SMS, delivers. Returns the
   * stored message, or null when no automated message is configured for the event. With the
   * caller's cursor on the conversation, the store is one request.
   */
  async send(event: AutomatedEvent, conversation: ConversationRow, data: TemplateData, occurrence = '', chosenText?: string, cursor?: ConversationCursor): Promise<MessageRow | null> {
    const text = chosenText ?? (await this.render(event, conversation, data));
    if (text === null || text.trim() === '') return null;
    const sms = conversation.swb_channeltype === ChannelType.Sms;
    const id = deterministicId('automated-message', conversation.activityid, event, occurrence);
    const { message, created } = await appendMessage(this.deps, conversation.activityid, id, this.fields(text, sms), cursor ? { cursor, readBack: false } : {});
    if (sms && conversation._swb_channelid_value && conversation.swb_customerphone) {
      // Appended just now by this call: ours to send without a claim. Found stored: claimed first.
      if (created && cursor) await deliverFreshMessage(this.deps, id, text, conversation._swb_channelid_value, conversation.swb_customerphone);
      else await deliverStoredMessage(this.deps, id, conversation._swb_channelid_value, conversation.swb_customerphone);
    }
    return message;
  }

  /** A queue's own overflow message (swb_queue.swb_overflowmessageid) instead of the event's generic one. */
  async sendChosen(event: AutomatedEvent, messageRowId: string, conversation: ConversationRow, data: TemplateData): Promise<MessageRow | null> {
    const row = this.deps.client ? await this.deps.client.retrieveWithETag<AutomatedMessageRow>('swb_automatedmessages', messageRowId, ['swb_text', 'swb_isenabled']) : null;
    if (!row || row.row.swb_isenabled === false || !row.row.swb_text) return this.send(event, conversation, data);
    return this.send(event, conversation, data, '', renderTemplate(row.row.swb_text, data).text);
  }
}
