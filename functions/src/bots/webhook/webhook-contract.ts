// Switchboard's webhook-bot contract (DESIGN.md, "Bot Framework Direct Line and a plain webhook
// bot"). Both directions are JSON signed with the rule of webhook-signature.ts.
//
// Switchboard → bot: POST <bot url> with one event, acknowledged at once (2xx).
// Bot → Switchboard: POST {base}/api/bots/{botId}/conversations/{conversationId}/messages | handoff | end.
// Every callback carries the bot's own `id` for it, so Switchboard can ignore a retried one; every
// event carries Switchboard's, so the bot can.
import { type BotContext, botContextOf } from '@switchboard/core';

export type AuthorKind = 'customer' | 'agent' | 'bot' | 'system';

interface EventBase {
  /** Switchboard's id for this delivery; a repeat (a retry) is acknowledged and not processed again. */
  id?: string;
  conversationId: string;
  /** The conversation's context variables (pre-chat answers, page context). */
  context?: BotContext;
  /** BCP 47, the customer's language as Switchboard knows it (widget locale, channel region) */
  locale?: string;
}

export interface ConversationOpenedEvent extends EventBase {
  type: 'conversation.opened';
}

export interface MessageEvent extends EventBase {
  type: 'message';
  message: { text: string; authorKind: AuthorKind };
}

export type BotEvent = ConversationOpenedEvent | MessageEvent;

export const CALLBACK_ACTIONS = ['messages', 'handoff', 'end'] as const;
export type CallbackAction = (typeof CALLBACK_ACTIONS)[number];

export interface MessageCallback {
  id: string;
  text: string;
  locale?: string;
  /** The event this answers: required for an agent's question (a consult), whose answer only agents see. */
  inReplyTo?: string;
}

export interface HandoffCallback {
  id: string;
  /** what the bot gathered, for routing (`{ topic: 'billing' }`); may be left out */
  context?: BotContext;
  /** a note for the person who takes over; may be left out */
  summary?: string;
  locale?: string;
}

export interface EndCallback {
  id: string;
  reason?: 'resolved';
}

export type CallbackBody = MessageCallback | HandoffCallback | EndCallback;

export function callbackPath(botId: string, conversationId: string, action: CallbackAction): string {
  return `/api/bots/${encodeURIComponent(botId)}/conversations/${encodeURIComponent(conversationId)}/${action}`;
}

/** A callback as Switchboard acts on it. */
export type WebhookCallback =
  | { action: 'messages'; id: string; text: string; locale?: string; inReplyTo?: string }
  | { action: 'handoff'; id: string; context: BotContext; summary: string }
  | { action: 'end'; id: string };

export type CallbackParse = { ok: true; callback: WebhookCallback } | { ok: false; message: string };

export const MAX_CALLBACK_ID_LENGTH = 200;
export const MAX_MESSAGE_TEXT_LENGTH = 4000;
export const MAX_HANDOFF_SUMMARY_LENGTH = 2000;
// RFC 5646 asks implementations to take tags of at least 35 characters; nothing real is longer.
const MAX_LOCALE_LENGTH = 35;

export function isCallbackAction(action: string): action is CallbackAction {
  return (CALLBACK_ACTIONS as readonly string[]).includes(action);
}

/**
 * Reads a bot's callback body for `action` (the last segment of the callback route). A hand-off
 * without context or summary is taken (empty): refusing it would leave the customer with a bot
 * that asked for a person. Context values routing cannot compare are dropped (botContextOf).
 */
export function parseCallback(action: string, body: unknown): CallbackParse {
  if (!isCallbackAction(action)) return fail(`Unknown callback '${action.slice(0, 50)}': a bot calls back messages, handoff or end`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('The callback body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (b.id === undefined) return fail("The callback needs an 'id': the bot's own id for it, so a retry is taken once");
  if (typeof b.id !== 'string' || b.id === '') return fail("'id' must be a non-empty string");
  if (b.id.length > MAX_CALLBACK_ID_LENGTH) return fail(`'id' must be at most ${MAX_CALLBACK_ID_LENGTH} characters`);
  const id = b.id;

  if (action === 'messages') {
    if (b.text === undefined) return fail("A messages callback needs 'text'");
    if (typeof b.text !== 'string') return fail("'text' must be a string");
    if (b.text.trim() === '') return fail("'text' must not be empty");
    if (b.text.length > MAX_MESSAGE_TEXT_LENGTH) return fail(`'text' must be at most ${MAX_MESSAGE_TEXT_LENGTH} characters`);
    if (b.locale !== undefined && (typeof b.locale !== 'string' || b.locale === '' || b.locale.length > MAX_LOCALE_LENGTH)) {
      return fail("'locale' must be a language tag such as fr-FR");
    }
    if (b.inReplyTo !== undefined && (typeof b.inReplyTo !== 'string' || b.inReplyTo === '' || b.inReplyTo.length > MAX_CALLBACK_ID_LENGTH)) {
      return fail(`'inReplyTo' must be the id of the event answered (at most ${MAX_CALLBACK_ID_LENGTH} characters)`);
    }
    return { ok: true, callback: { action, id, text: b.text, ...(b.locale ? { locale: b.locale as string } : {}), ...(b.inReplyTo ? { inReplyTo: b.inReplyTo as string } : {}) } };
  }

  if (action === 'handoff') {
    if (b.context !== undefined && (typeof b.context !== 'object' || b.context === null || Array.isArray(b.context))) {
      return fail("'context' must be an object of variables, such as { \"topic\": \"billing\" }");
    }
    if (b.summary !== undefined && typeof b.summary !== 'string') return fail("'summary' must be a string");
    const summary = typeof b.summary === 'string' ? b.summary : '';
    if (summary.length > MAX_HANDOFF_SUMMARY_LENGTH) return fail(`'summary' must be at most ${MAX_HANDOFF_SUMMARY_LENGTH} characters`);
    return { ok: true, callback: { action, id, context: botContextOf(b.context), summary } };
  }

  return { ok: true, callback: { action, id } };
}

function fail(message: string): CallbackParse {
  return { ok: false, message };
}
