// The sample bot's side of Switchboard's webhook-bot contract. The contract itself (events,
// callback bodies, callback routes) is Switchboard's, in functions/src/bots/webhook; only reading
// an event is the bot's business, so parseBotEvent lives here.
import type { BotContext } from '@switchboard/core';
import type { AuthorKind, BotEvent } from '@switchboard/functions/bots/webhook/webhook-contract';

export {
  callbackPath,
  type BotEvent,
  type CallbackAction,
  type CallbackBody,
  type EndCallback,
  type HandoffCallback,
  type MessageCallback,
} from '@switchboard/functions/bots/webhook/webhook-contract';

const AUTHOR_KINDS: readonly string[] = ['customer', 'agent', 'bot', 'system'];

// Switchboard sends the conversation's context as it is (booleans too, e.g. a pre-chat checkbox).
function contextOf(value: unknown): BotContext | undefined | false {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const v of Object.values(value)) if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return false;
  return value as BotContext;
}

export function parseBotEvent(body: unknown): { ok: true; event: BotEvent } | { ok: false; message: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, message: 'The event must be a JSON object' };
  const e = body as Record<string, unknown>;
  if (typeof e.conversationId !== 'string' || e.conversationId === '') return { ok: false, message: "The event needs a 'conversationId'" };
  if (e.id !== undefined && typeof e.id !== 'string') return { ok: false, message: "'id' must be a string" };
  if (e.locale !== undefined && typeof e.locale !== 'string') return { ok: false, message: "'locale' must be a string" };
  const context = contextOf(e.context);
  if (context === false) return { ok: false, message: "'context' must be an object of string, number or boolean values" };
  const base = { conversationId: e.conversationId, ...(e.id ? { id: e.id } : {}), ...(context ? { context } : {}), ...(e.locale ? { locale: e.locale } : {}) };
  if (e.type === 'conversation.opened') return { ok: true, event: { type: 'conversation.opened', ...base } };
  if (e.type === 'message') {
    const m = e.message as { text?: unknown; authorKind?: unknown } | undefined;
    if (!m || typeof m.text !== 'string' || typeof m.authorKind !== 'string' || !AUTHOR_KINDS.includes(m.authorKind)) {
      return { ok: false, message: "A message event needs 'message': { text, authorKind: customer | agent | bot | system }" };
    }
    return { ok: true, event: { type: 'message', ...base, message: { text: m.text, authorKind: m.authorKind as AuthorKind } } };
  }
  return { ok: false, message: "'type' must be 'conversation.opened' or 'message'" };
}
