// Bot Framework activities (what a Direct Line GET returns) → a BotTurn. Bots ask for a person in
// one of two shapes, and both are read:
// - Copilot Studio: an `event` named `handoff.initiate` whose `value` holds the va_* variables
//   and the bot's own topic variables ("Configure handoff to any generic engagement hub");
// - Dynamics 365 Omnichannel: a message whose `channelData.tags` is the *serialized* command
//   `{"type":"Escalate","context":{...}}` or `{"type":"EndConversation"}` ("Configure Azure bots
//   to escalate and end conversations"). Its text is a note for the agent, never the customer's.
// Activities arrive from a remote service: anything malformed is skipped, never thrown on.
import { type BotContext, type BotTurn, botContextOf } from './bot-turn';

export const HANDOFF_INITIATE_EVENT = 'handoff.initiate';

export interface TurnFromActivitiesOptions {
  /** The customer's id towards the bot: activities from it are the customer's own, echoed back. */
  userId?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

type Command = { type: 'Escalate'; context: unknown } | { type: 'EndConversation' };

/** The Omnichannel command in `channelData.tags`, if any (a JSON string as OmnichannelBotClient writes it). */
function omnichannelCommand(channelData: unknown): Command | undefined {
  if (!isObject(channelData)) return undefined;
  let tags: unknown = channelData.tags;
  if (typeof tags === 'string') {
    try {
      tags = JSON.parse(tags);
    } catch {
      return undefined;
    }
  }
  if (!isObject(tags)) return undefined;
  if (tags.type === 'Escalate') return { type: 'Escalate', context: tags.context };
  if (tags.type === 'EndConversation') return { type: 'EndConversation' };
  return undefined;
}

function fromUser(activity: Json, userId: string | undefined): boolean {
  const from = activity.from;
  if (!isObject(from)) return false;
  return from.role === 'user' || (userId !== undefined && from.id === userId);
}

// Copilot Studio sends its system variables beside the bot's own: the ones routing or the agent
// can use are kept; the customer's phrases (already in the transcript), ids and the agent message
// (it becomes the summary) would only bury the bot's own variables in the agent's note.
const KEPT_SYSTEM_VARIABLES = new Set(['va_LastTopic', 'va_Topics', 'va_Language', 'va_BotName']);

/** A Copilot Studio hand-off's variables as context: the bot's own, and the useful system ones. */
export function handoffContext(value: unknown): BotContext {
  const all = botContextOf(value);
  return Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith('va_') || KEPT_SYSTEM_VARIABLES.has(k)));
}

export function turnFromActivities(activities: readonly unknown[], options: TurnFromActivitiesOptions = {}): BotTurn {
  const turn: BotTurn = { say: [], typing: false };
  if (!Array.isArray(activities)) return turn;
  // Direct Line echoes the user's own messages: their ids tell which bot messages answer them.
  const userMessages = new Set<string>();
  for (const activity of activities) {
    if (!isObject(activity)) continue;
    if (fromUser(activity, options.userId)) {
      if (activity.type === 'message' && typeof activity.id === 'string') userMessages.add(activity.id);
      continue;
    }
    switch (activity.type) {
      case 'typing':
        turn.typing = true;
        break;
      case 'endOfConversation':
        turn.end = true;
        break;
      case 'event':
        if (activity.name === HANDOFF_INITIATE_EVENT) {
          const value = activity.value;
          const summary = isObject(value) && typeof value.va_AgentMessage === 'string' ? value.va_AgentMessage : '';
          turn.handoff = { context: handoffContext(value), summary };
        }
        break;
      case 'message': {
        const text = typeof activity.text === 'string' ? activity.text : undefined;
        const command = omnichannelCommand(activity.channelData);
        if (command?.type === 'Escalate') turn.handoff = { context: botContextOf(command.context), summary: text ?? '' };
        else if (command?.type === 'EndConversation') turn.end = true;
        // Without its id a message could not be stored once only; Direct Line always sets one.
        else if (text !== undefined && text.trim() !== '' && typeof activity.id === 'string' && activity.id !== '') {
          const answers = typeof activity.replyToId === 'string' && userMessages.has(activity.replyToId);
          turn.say.push({ id: activity.id, text, ...(typeof activity.locale === 'string' ? { locale: activity.locale } : {}), ...(answers ? { answersUser: true } : {}) });
        }
        break;
      }
      default:
        break;
    }
  }
  return turn;
}
