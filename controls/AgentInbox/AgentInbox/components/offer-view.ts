// What an offer card tells the agent before they accept: who is asking, on which channel, in
// which queue, how long they have waited, and how long the agent has to answer.
import { ChannelType, FORMATTED, customerLabel, nameOf, type ConversationRow, type CustomerLabel, type OfferRow, type PreChatQuestion } from '../../../shared/src';

export interface OfferView {
  customer: CustomerLabel;
  /** 'LiveChat' | 'Sms' (a resource key suffix), or '' while the conversation is not read yet. */
  channel: string;
  queue: string;
  /** Since the customer was queued (else since the conversation opened); null when unknown. */
  waitedMs: number | null;
  /** Until the offer expires; null when it has no expiry. 0 once expired. */
  leftMs: number | null;
}

const ms = (iso: string | null | undefined) => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? null : t;
};

export function offerView(offer: OfferRow, conversation: ConversationRow | undefined, questions: readonly PreChatQuestion[], now: number): OfferView {
  const since = conversation ? (ms(conversation.swb_queuedon) ?? ms(conversation.swb_openedon) ?? ms(conversation.createdon)) : null;
  const expires = ms(offer.swb_expireson);
  return {
    customer: conversation ? customerLabel(conversation, questions) : { name: '', source: 'none' },
    channel: conversation?.swb_channeltype != null ? String(nameOf(ChannelType, conversation.swb_channeltype) ?? '') : '',
    queue: (offer[`_swb_queueid_value${FORMATTED}`] as string | undefined) ?? '',
    waitedMs: since === null ? null : Math.max(0, now - since),
    leftMs: expires === null ? null : Math.max(0, expires - now),
  };
}

/** Whether the card needs the widget's questions to name the customer (a chat with only pre-chat answers). */
export function needsQuestions(conversation: ConversationRow): boolean {
  return !conversation._swb_customerid_value && !conversation.swb_customername?.trim() && Boolean(conversation.swb_prechatanswers) && Boolean(conversation._swb_chatwidgetid_value);
}
