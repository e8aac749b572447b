// What the Direct Line stand-in needs from a bot: a plain function per registered bot, so a test
// or the stack can plug any behaviour in without an HTTP bot endpoint or the Bot Framework SDK.
import type { Activity, ChannelAccount, ReplyActivity } from './activity';

export interface BotConversation {
  id: string;
  /** The bot's own account in this conversation (`from` of its replies). */
  bot: ChannelAccount;
  /** The customer, once a token or an activity named them. */
  user?: ChannelAccount;
  /** Client-visible activities so far, the incoming one included (typing left out: it is not kept). */
  transcript(): Activity[];
  /** The bot's memory of this conversation; the stand-in never reads it. */
  state: Record<string, unknown>;
}

/**
 * One turn: the activity Direct Line delivers (a client's message/event/typing/endOfConversation,
 * or the service's own conversationUpdate) → the activities the bot sends back, in order.
 * Throwing is the bot answering with an error: the client's POST gets Direct Line's 502.
 */
export type DirectLineBot = (activity: Activity, conversation: BotConversation) => ReplyActivity[] | Promise<ReplyActivity[]>;

export interface BotRegistration {
  /** Bot handle (`from.id` of its activities), e.g. `faq-bot`. */
  id: string;
  name?: string;
  /** Direct Line site secrets; real channels have two per site so one can be rotated. */
  secrets: string[];
  bot: DirectLineBot;
}

/**
 * Test hook for "the bot fails or times out, a person takes over":
 * - `up`: normal;
 * - `down`: the bot endpoint answers 503, so posting gets Direct Line's 502 `BotError` and nothing is delivered;
 * - `silent`: the bot accepts every activity and never answers;
 * - `{ slowMs }`: the bot's typing indicator goes out at once, its other replies `slowMs` later.
 */
export type BotMode = 'up' | 'down' | 'silent' | { slowMs: number };

/** `up`, `down`, `silent` or `slow:<ms>` (the CLIs' --mode). */
export function parseBotMode(spec: string): BotMode {
  if (spec === 'up' || spec === 'down' || spec === 'silent') return spec;
  const slow = /^slow:(\d+)$/.exec(spec);
  if (slow) return { slowMs: Number(slow[1]) };
  throw new Error(`Invalid bot mode '${spec}': expected up, down, silent or slow:<milliseconds>`);
}
