// Message templates sent to many customers at once: per-recipient rendering (core templates,
// locale fallback), opt-out honoured before anything is stored or sent, invalid numbers
// reported, and a bounded number of sends in flight so a 10,000-recipient campaign neither
// floods the provider nor Dataverse. Each recipient's message id is derived from
// (campaign, number): re-running a campaign after a crash sends only what was not sent.
import { type TemplateData, normalizePhoneNumber, renderLocalizedTemplate } from '@switchboard/core';
import {
  AuthorKind,
  ChannelType,
  ConversationState,
  DeliveryStatus,
  MessageDirection,
  TemplateKind,
  Visibility,
  type MessageTemplateRow,
} from '@switchboard/solution';
import type { ChannelDelivery } from '../channels';
import { appendMessage } from '../conversations/transcript';
import type { DataverseClient } from '../dataverse/dataverse-client';
import type { DataverseChannelDirectory } from '../dataverse/repositories/channel.repository';
import type { ConversationStore } from '../dataverse/repositories/conversation.repository';
import { deterministicId } from '../dataverse/repositories/deterministic-id';
import type { MessageStore } from '../dataverse/repositories/message.repository';
import { bind, iso, literal } from '../dataverse/repositories/odata';
import type { OptOutLookup } from '../channels';
import { deliverStoredMessage } from './delivery-recorder';

export interface Recipient {
  phone: string;
  locale?: string;
  /** Placeholder data, e.g. { customer: { firstname: 'Ana' }, order: { id: '42' } }. */
  data?: TemplateData;
  contactId?: string;
}

export interface BroadcastRequest {
  /** Caller's id for this send; the idempotency key with each number. */
  campaignId: string;
  channelId: string;
  /** swb_messagetemplate rows sharing this name, one per locale. */
  templateName: string;
  recipients: readonly Recipient[];
  concurrency?: number;
}

export type RecipientOutcome = { phone: string; outcome: 'sent' | 'already-sent' | 'opted-out' | 'invalid-number' | 'failed' | 'empty'; detail?: string; messageId?: string };

export interface BroadcastReport {
  total: number;
  counts: Record<RecipientOutcome['outcome'], number>;
  results: RecipientOutcome[];
}

export interface BroadcastDeps {
  client: DataverseClient;
  conversations: ConversationStore;
  messages: MessageStore;
  optOuts: OptOutLookup;
  delivery: ChannelDelivery;
  channels: Pick<DataverseChannelDirectory, 'getRecord'>;
  now: () => number;
}

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(runners);
}

export class TemplateBroadcaster {
  constructor(private readonly deps: BroadcastDeps) {}

  async loadTemplate(name: string): Promise<Record<string, string>> {
    const rows = await this.deps.client.execute((api) =>
      api.retrieveMultiple<MessageTemplateRow>({ collection: 'swb_messagetemplates', filter: `swb_name eq ${literal(name)} and swb_kind eq ${TemplateKind.MessageTemplate}` }),
    );
    const byLocale: Record<string, string> = {};
    for (const r of rows.value) {
      if (r.swb_channeltype !== null && r.swb_channeltype !== undefined && r.swb_channeltype !== ChannelType.Sms) continue;
      if (r.swb_locale && r.swb_body) byLocale[r.swb_locale] = r.swb_body;
    }
    return byLocale;
  }

  async send(request: BroadcastRequest): Promise<BroadcastReport> {
    const channel = await this.deps.channels.getRecord(request.channelId);
    if (!channel || !channel.enabled) throw new Error(`No enabled SMS channel ${request.channelId}.`);
    const byLocale = await this.loadTemplate(request.templateName);
    if (Object.keys(byLocale).length === 0) throw new Error(`No SMS message template named "${request.templateName}".`);
    const results: RecipientOutcome[] = [];
    const region = channel.defaultRegion ? { defaultRegion: channel.defaultRegion } : {};
    await pool(request.recipients, request.concurrency ?? 4, async (r) => {
      const phone = normalizePhoneNumber(r.phone, region);
      if (!phone.ok) return void results.push({ phone: r.phone, outcome: 'invalid-number', detail: phone.error.message });
      if (await this.deps.optOuts.isOptedOut(channel.channelId, phone.value)) return void results.push({ phone: phone.value, outcome: 'opted-out' });
      const rendered = renderLocalizedTemplate(byLocale, r.locale, r.data ?? {}) ?? renderLocalizedTemplate(byLocale, Object.keys(byLocale)[0], r.data ?? {});
      if (!rendered || rendered.text.trim() === '') return void results.push({ phone: phone.value, outcome: 'empty' });
      try {
        results.push(await this.sendOne(request, channel.channelId, phone.value, rendered.text, r));
      } catch (err) {
        results.push({ phone: phone.value, outcome: 'failed', detail: (err as Error).message });
      }
    });
    const counts = { sent: 0, 'already-sent': 0, 'opted-out': 0, 'invalid-number': 0, failed: 0, empty: 0 };
    for (const r of results) counts[r.outcome]++;
    return { total: request.recipients.length, counts, results };
  }

  private async sendOne(request: BroadcastRequest, channelId: string, phone: string, text: string, r: Recipient): Promise<RecipientOutcome> {
    // The text joins the number's open conversation when there is one; otherwise it is kept in
    // a closed outbound conversation, and a reply opens a new conversation that is routed.
    const recent = await this.deps.conversations.listForNumber(channelId, phone, 5);
    let conversationId = recent.find((c) => c.swb_state !== ConversationState.Closed)?.activityid;
    if (!conversationId) {
      conversationId = deterministicId('template-conversation', request.campaignId, channelId, phone);
      await this.deps.conversations.createWithId(conversationId, {
        subject: `Outbound ${request.templateName}`,
        swb_state: ConversationState.Closed,
        swb_channeltype: ChannelType.Sms,
        'swb_channelid@odata.bind': bind('swb_channels', channelId),
        swb_customerphone: phone,
        swb_openedon: iso(this.deps.now()),
        swb_closedon: iso(this.deps.now()),
        ...(r.contactId ? { 'swb_customerid_contact@odata.bind': bind('contacts', r.contactId) } : {}),
      });
    }
    const messageId = deterministicId('template-message', request.campaignId, channelId, phone);
    const appended = await appendMessage(this.deps, conversationId, messageId, {
      swb_body: text,
      swb_direction: MessageDirection.Outbound,
      swb_authorkind: AuthorKind.System,
      swb_visibility: Visibility.Public,
      swb_deliverystatus: DeliveryStatus.Pending,
    });
    const delivered = await deliverStoredMessage(this.deps, messageId, channelId, phone);
    if (delivered.outcome === 'skipped') return { phone, outcome: appended.created ? 'failed' : 'already-sent', detail: delivered.reason, messageId };
    if (delivered.outcome === 'failed' && !delivered.result.ok) return { phone, outcome: 'failed', detail: delivered.result.failure.code, messageId };
    return { phone, outcome: 'sent', messageId };
  }
}
