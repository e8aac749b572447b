// What Switchboard takes from a bot, whatever protocol it speaks (Bot Framework Direct Line,
// a webhook bot): the messages it says to the customer, whether it is typing, and whether it
// hands the conversation to a person or ends it. Adapters turn their protocol into a BotTurn;
// the bot service (functions/src/bots) stores and routes it.

/** Context variables a bot gathered: they become the conversation's context, so routing rules read them. */
export type BotContext = Record<string, string | number | boolean>;

export interface BotSay {
  /** The bot's own id for the message (activity id, callback id): a message seen twice is stored once. */
  id: string;
  text: string;
  locale?: string;
  /** It answers a message of the user's seen in the same turn (Bot Framework's replyToId), not a greeting. */
  answersUser?: boolean;
}

export interface BotHandoff {
  /** What the bot learnt, for routing (`{ topic: 'billing' }`) and for the agent. */
  context: BotContext;
  /** A note for the person who takes over (Copilot Studio's va_AgentMessage, Omnichannel's escalation text). */
  summary: string;
}

export interface BotTurn {
  say: BotSay[];
  /** The bot showed a typing indicator in this turn. */
  typing: boolean;
  /** The bot asked for a person. */
  handoff?: BotHandoff;
  /** The bot ended the conversation (resolved). */
  end?: boolean;
}

export const EMPTY_TURN: BotTurn = Object.freeze({ say: [], typing: false }) as BotTurn;

/** Why a bot did not answer: each one hands the conversation to a person at once. */
export type BotFailure = 'down' | 'timeout' | 'refused' | 'misconfigured';

/** Merges turns read in pieces (several pages of activities) into one, in order. */
export function mergeTurns(turns: readonly BotTurn[]): BotTurn {
  const out: BotTurn = { say: [], typing: false };
  for (const t of turns) {
    out.say.push(...t.say);
    out.typing ||= t.typing;
    if (t.handoff) out.handoff = t.handoff;
    if (t.end) out.end = true;
  }
  return out;
}

/** A context value from a bot as routing can compare it: scalars kept, lists joined, objects dropped. */
export function contextValue(value: unknown): string | number | boolean | undefined {
  if (typeof value === 'string') return value.slice(0, 4000);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(', ').slice(0, 4000);
  return undefined;
}

/** A bot's context object, reduced to what routing can use (at most 50 variables, names ≤ 100 characters). */
export function botContextOf(value: unknown): BotContext {
  const out: BotContext = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    if (Object.keys(out).length >= 50) break;
    if (key.length === 0 || key.length > 100 || key === '__proto__') continue;
    const v = contextValue(raw);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
