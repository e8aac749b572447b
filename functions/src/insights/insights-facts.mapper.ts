// A conversation's rows, as the facts historical analytics count (core's ConversationFacts).
// The conversation row carries nearly everything; what only its sessions and offers say
// (who answered first, transfers, consults, declines, timeouts) comes from two grouped counts
// per page of conversations, read in the fold's $batch (ConversationActivity).
import type { ConversationFacts, SentimentLevel } from '@switchboard/core';
import { ChannelType, Sentiment, type ConversationRow } from '@switchboard/solution';
import { ms } from '../dataverse/repositories/odata';

/** The columns the fold reads (and `swb_insightsfold`, what the conversation last added). */
export const INSIGHTS_CONVERSATION_COLUMNS = [
  'activityid',
  'createdon',
  'modifiedon',
  'swb_channeltype',
  '_swb_queueid_value',
  '_swb_primaryagentid_value',
  'swb_openedon',
  'swb_queuedon',
  'swb_firstassignedon',
  'swb_wrapupon',
  'swb_closedon',
  'swb_waitseconds',
  'swb_csatrating',
  'swb_sentiment',
  'swb_insightsfold',
] as const;

export type InsightsConversationRow = Pick<ConversationRow, 'activityid'> & Partial<Pick<ConversationRow, (typeof INSIGHTS_CONVERSATION_COLUMNS)[number]>>;

/** What a conversation's sessions and offers add to its row. */
export interface ConversationActivity {
  /** Sessions opened as (or promoted to) primary: the first answer, then one per transfer or reopen. */
  primarySessions: number;
  /** Consult sessions still consults (a consultant who received a transfer is primary now). */
  consultSessions: number;
  /** The agent of the earliest session: who answered first. */
  firstAgentId: string | null;
  declined: number;
  timedOut: number;
}

export const NO_ACTIVITY: ConversationActivity = { primarySessions: 0, consultSessions: 0, firstAgentId: null, declined: 0, timedOut: 0 };

const LEVEL_OF_CHOICE = new Map<number, SentimentLevel>([
  [Sentiment.VeryNegative, 'veryNegative'],
  [Sentiment.Negative, 'negative'],
  [Sentiment.SlightlyNegative, 'slightlyNegative'],
  [Sentiment.Neutral, 'neutral'],
  [Sentiment.SlightlyPositive, 'slightlyPositive'],
  [Sentiment.Positive, 'positive'],
  [Sentiment.VeryPositive, 'veryPositive'],
]);

/** The channel names of ConversationFacts (routing's names); a value we do not know keeps its number. */
export function channelName(value: number | null | undefined): string {
  if (value === ChannelType.Sms) return 'sms';
  if (value === ChannelType.LiveChat) return 'livechat';
  return value == null ? 'unknown' : String(value);
}

const lower = (id: string | null | undefined) => (id ? id.toLowerCase() : null);

export function insightsFacts(row: InsightsConversationRow, activity: ConversationActivity = NO_ACTIVITY): ConversationFacts {
  // openedon is stamped by an async step after the create: until then the create time is it.
  const openedAt = ms(row.swb_openedon) ?? ms(row.createdon) ?? 0;
  const firstAssignedAt = ms(row.swb_firstassignedon) ?? null;
  // swb_queuedon is the *last* entry into a queue (a transfer to a queue moves it), so the first
  // wait comes from the stamped wait when there is one — the supervisor desk's own definition —
  // and otherwise from a queued time that is not after the answer.
  let queuedAt = ms(row.swb_queuedon) ?? null;
  if (firstAssignedAt !== null && typeof row.swb_waitseconds === 'number') queuedAt = firstAssignedAt - row.swb_waitseconds * 1000;
  else if (firstAssignedAt !== null && queuedAt !== null && queuedAt > firstAssignedAt) queuedAt = null;
  const rating = row.swb_csatrating;
  return {
    id: row.activityid.toLowerCase(),
    channel: channelName(row.swb_channeltype),
    queueId: lower(row._swb_queueid_value),
    agentId: activity.firstAgentId ?? lower(row._swb_primaryagentid_value),
    openedAt,
    queuedAt,
    firstAssignedAt,
    wrapUpAt: ms(row.swb_wrapupon) ?? null,
    closedAt: ms(row.swb_closedon) ?? null,
    transfers: Math.max(0, activity.primarySessions - 1),
    consults: activity.consultSessions,
    declines: activity.declined,
    timeouts: activity.timedOut,
    survey: typeof rating === 'number' && rating >= 1 && rating <= 5 ? rating : null,
    sentiment: row.swb_sentiment == null ? null : LEVEL_OF_CHOICE.get(row.swb_sentiment) ?? null,
  };
}
