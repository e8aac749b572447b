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
import { deliverStoredMessage, type DeliveryRecorderDeps } from './delivery-recorder';

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

export class DataverseAutomatedMessageSource implements AutomatedMessageSource {
  private readonly cache = new Map<number, { at: number; rows: Promise<AutomatedMessageRow[]> }>();
  constructor(
    private readonly client: DataverseClient,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {}

  list(trigger: AutomatedMessageTrigger): Promise<AutomatedMessageRow[]> {
    const now = (this.options.now ?? Date.now)();
    const hit = this.cache.get(trigger);
    if (hit && now - hit.at < (this.options.ttlMs ?? 30_000)) return hit.rows;
    const rows = this.client
      .execute((api) =>
        api.retrieveMultiple<AutomatedMessageRow>({
          collection: 'swb_automatedmessages',
          select: ['swb_automatedmessageid', 'swb_trigger', 'swb_channeltype', 'swb_locale', 'swb_text', '_swb_workstreamid_value', 'swb_isenabled'],
          filter: `swb_trigger eq ${trigger} and swb_isenabled ne false`,
        }),
      )
      .then((r) => r.value);
    rows.catch(() => this.cache.delete(trigger));
    this.cache.set(trigger, { at: now, rows });
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
   * Stores (once per conversation, event and `occurrence`) and, on SMS, delivers. Returns the
   * stored message, or null when no automated message is configured for the event.
   */
  async send(event: AutomatedEvent, conversation: ConversationRow, data: TemplateData, occurrence = '', chosenText?: string): Promise<MessageRow | null> {
    const text = chosenText ?? (await this.render(event, conversation, data));
    if (text === null || text.trim() === '') return null;
    const sms = conversation.swb_channeltype === ChannelType.Sms;
    const id = deterministicId('automated-message', conversation.activityid, event, occurrence);
    const { message } = await appendMessage(this.deps, conversation.activityid, id, {
      swb_body: text,
      swb_direction: MessageDirection.Outbound,
      swb_authorkind: AuthorKind.System,
      swb_visibility: Visibility.Public,
      ...(sms ? { swb_deliverystatus: DeliveryStatus.Pending } : {}),
    });
    if (sms && conversation._swb_channelid_value && conversation.swb_customerphone) {
      await deliverStoredMessage(this.deps, id, conversation._swb_channelid_value, conversation.swb_customerphone);
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
