// The part of the Bot Framework Activity schema the stand-in reads or writes
// (github.com/microsoft/botframework-sdk specs/botframework-activity). Everything else a client
// or bot puts on an activity travels through untouched: Direct Line preserves `channelData`,
// attachments and unknown properties ("API reference - Direct Line API 3.0", Activities).

export type Role = 'user' | 'bot';

export interface ChannelAccount {
  id: string;
  name?: string;
  role?: Role;
}

export interface Attachment {
  contentType: string;
  content?: unknown;
  contentUrl?: string;
  name?: string;
}

export interface ConversationReference {
  activityId?: string;
  user?: ChannelAccount;
  bot?: ChannelAccount;
  conversation: { id: string };
  channelId: string;
  serviceUrl?: string;
}

export interface Activity {
  type: string;
  id?: string;
  timestamp?: string;
  localTimestamp?: string;
  channelId?: string;
  conversation?: { id: string };
  from?: ChannelAccount;
  recipient?: ChannelAccount;
  replyToId?: string;
  text?: string;
  locale?: string;
  name?: string;
  value?: unknown;
  channelData?: Record<string, unknown>;
  attachments?: Attachment[];
  membersAdded?: ChannelAccount[];
  relatesTo?: ConversationReference;
  [property: string]: unknown;
}

/** What a bot returns: the service fills in id, timestamp, channel, conversation, from and recipient. */
export type ReplyActivity = Omit<Activity, 'id' | 'timestamp' | 'channelId' | 'conversation'>;

/** Direct Line's ActivitySet: a page of activities and the watermark after it. */
export interface ActivitySet {
  activities: Activity[];
  watermark?: string;
}

export const CHANNEL_ID = 'directline';
export const API_PREFIX = '/v3/directline';
