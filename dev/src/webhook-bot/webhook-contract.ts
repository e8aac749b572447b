// Switchboard's webhook-bot contract (DESIGN.md, "Bot Framework Direct Line and a plain webhook
// bot"; route `POST /api/bots/{botId}/conversations/{id}/{action}`), as this sample bot implements
// it. Both directions are JSON signed with the rule of webhook-signature.ts.
//
// Switchboard → bot: POST <bot url> with one event.
// Bot → Switchboard: POST {base}/api/bots/{botId}/conversations/{conversationId}/messages | handoff | end.
// Every callback carries the bot's own `id` for it, so Switchboard can ignore a retried one.

export type AuthorKind = 'customer' | 'agent' | 'bot' | 'system';
/** Context variables: the conversation's pre-chat answers and custom context, string or number values. */
export type ContextVariables = Record<string, string | number>;

interface EventBase {
  /** Switchboard's id for this delivery; a repeat (a retry) is acknowledged and not processed again. */
  id?: string;
  conversationId: string;
  context?: ContextVariables;
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

export type CallbackAction = 'messages' | 'handoff' | 'end';

export interface MessageCallback {
  id: string;
  text: string;
  locale?: string;
}

export interface HandoffCallback {
  id: string;
  /** what the bot gathered, for routing (`{ topic: 'billing' }`) */
  context: ContextVariables;
  /** a note for the person who takes over */
  summary: string;
  locale?: string;
}

export interface EndCallback {
  id: string;
  reason: 'resolved';
}

export type CallbackBody = MessageCallback | HandoffCallback | EndCallback;

export function callbackPath(botId: string, conversationId: string, action: CallbackAction): string {
  return `/api/bots/${encodeURIComponent(botId)}/conversations/${encodeURIComponent(conversationId)}/${action}`;
}

const AUTHOR_KINDS: readonly string[] = ['customer', 'agent', 'bot', 'system'];

function contextOf(value: unknown): ContextVariables | undefined | false {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const v of Object.values(value)) if (typeof v !== 'string' && typeof v !== 'number') return false;
  return value as ContextVariables;
}

export function parseBotEvent(body: unknown): { ok: true; event: BotEvent } | { ok: false; message: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, message: 'The event must be a JSON object' };
  const e = body as Record<string, unknown>;
  if (typeof e.conversationId !== 'string' || e.conversationId === '') return { ok: false, message: "The event needs a 'conversationId'" };
  if (e.id !== undefined && typeof e.id !== 'string') return { ok: false, message: "'id' must be a string" };
  if (e.locale !== undefined && typeof e.locale !== 'string') return { ok: false, message: "'locale' must be a string" };
  const context = contextOf(e.context);
  if (context === false) return { ok: false, message: "'context' must be an object of string or number values" };
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
