// The narrow interface the bot service drives a bot through. One connector per protocol
// (directline/, webhook/); the service never sees HTTP, tokens or signatures.
import type { BotFailure, BotSay, BotTurn } from '@switchboard/core';

/** A bot as its row describes it, with its secret already read from the app setting the row names. */
export interface BotEndpoint {
  botId: string;
  kind: 'directline' | 'webhook';
  /** Direct Line: the API root (https://directline.botframework.com/v3/directline). Webhook: the bot's event URL. */
  url: string;
  secret: string;
  /** A bot that takes longer than this to answer a turn hands the conversation to a person. */
  timeoutMs: number;
}

/** Where the bot's side of one Switchboard conversation stands: kept on the conversation row. */
export interface BotSession {
  /** Direct Line conversation id (null until the first turn starts one); unused by webhook bots. */
  externalId: string | null;
  /** Direct Line watermark: the activities already read. */
  watermark: string | null;
}

export interface BotCustomer {
  conversationId: string;
  /** BCP 47 (en-US, fr-FR) */
  locale: string;
  /** The conversation's context variables (pre-chat answers, page context) as the bot may use them. */
  context: Record<string, string | number | boolean>;
  /** Stable id of the customer towards the bot (never a phone number or an e-mail). */
  userId: string;
  /** 'agent' when an agent consults the bot: the bot answers, never hands off. */
  role?: 'customer' | 'agent';
}

export type BotInput =
  | { kind: 'opened' }
  | { kind: 'message'; text: string; /** our message id: the activity/event id, so a retried turn is not posted twice where the protocol allows */ messageId: string };

export type BotDelivery =
  /** `turn`: what the bot answered within the timeout (webhook bots answer by callback: an empty turn). */
  | { ok: true; session: BotSession; turn: BotTurn }
  | { ok: false; failure: BotFailure; detail: string; session: BotSession };

/** Told as it happens, during a turn (where the protocol carries it). */
export interface BotTurnEvents {
  /** The bot shows a typing indicator: the customer sees it at once, not when the turn ends. */
  typing?(): void;
  /** The bot said this, in this order: it may be stored and shown before the turn is over. */
  said?(say: BotSay): void;
}

export interface BotConnector {
  deliver(bot: BotEndpoint, session: BotSession, customer: BotCustomer, input: BotInput, events?: BotTurnEvents): Promise<BotDelivery>;
}
