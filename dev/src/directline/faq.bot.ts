// A small FAQ bot for the Direct Line stand-in: greets, answers opening hours in English and
// French, asks "anything else?", and hands off to a person in one of the two shapes Switchboard
// has to understand from Bot Framework bots:
//
// - `copilot-studio` (default): Copilot Studio's hand-off, an `event` activity named
//   `handoff.initiate` whose `value` holds the `va_*` context variables and whose attachment
//   named "Transcript" (contentType application/json) holds `{ activities }`. Shape from
//   "Configure handoff to any generic engagement hub" and its sample payload
//   (github.com/microsoft/PowerVirtualAgentsSamples ConnectToEngagementHub/activities.json,
//   read by HandoffHelper.cs by attachment name "transcript"); variables from "Hand off to a
//   live agent", Contextual variables available upon hand-off
//   (learn.microsoft.com/microsoft-copilot-studio/advanced-hand-off). The Bot Framework SDK's
//   EventFactory.createHandoffInitiation builds the same event.
// - `omnichannel`: Dynamics 365 Omnichannel's bot escalation, "Configure Azure bots to escalate
//   and end conversations" (learn.microsoft.com/dynamics365/customer-service/develop/
//   bot-escalate-end-conversation): a message whose `channelData.tags` is the *serialized* JSON
//   command `{"type":"Escalate","context":{...}}` (text = a summary only the agent sees) or
//   `{"type":"EndConversation","context":{}}`; messages meant for the customer carry
//   `channelData.deliveryMode: "bridged"`.
import type { Activity, ReplyActivity } from './activity';
import { CHANNEL_ID } from './activity';
import type { BotConversation, DirectLineBot } from './bot';
import { type BrainState, type BrainTurn, type Language, greet, newBrainState, respond } from './faq-brain';

export type HandoffShape = 'copilot-studio' | 'omnichannel';

export interface FaqBotOptions {
  shape?: HandoffShape;
}

export const HANDOFF_INITIATE = 'handoff.initiate';
export const TRANSCRIPT_ATTACHMENT = 'Transcript';

const LOCALES: Record<Language, string> = { en: 'en-US', fr: 'fr-FR' };
// va_Language as in the documentation's example ("en-us").
const VA_LANGUAGES: Record<Language, string> = { en: 'en-us', fr: 'fr-fr' };

function brainOf(conversation: BotConversation): BrainState {
  const state = conversation.state as { brain?: BrainState };
  state.brain ??= newBrainState();
  return state.brain;
}

export function createFaqBot(options: FaqBotOptions = {}): DirectLineBot {
  const shape = options.shape ?? 'copilot-studio';

  const message = (text: string, language: Language): ReplyActivity => ({
    type: 'message',
    text,
    locale: LOCALES[language],
    ...(shape === 'omnichannel' ? { channelData: { deliveryMode: 'bridged' } } : {}),
  });

  function omnichannelCommand(type: 'Escalate' | 'EndConversation', context: Record<string, string>, text: string): ReplyActivity {
    return { type: 'message', text, channelData: { tags: JSON.stringify({ type, context }) } };
  }

  function handoffInitiate(turn: BrainTurn, state: BrainState, incoming: Activity, conversation: BotConversation): ReplyActivity {
    const handoff = turn.handoff!;
    return {
      type: 'event',
      name: HANDOFF_INITIATE,
      value: {
        va_Scope: 'bot',
        va_LastTopic: handoff.lastTopic,
        va_Topics: [...state.topics],
        // The variables table says va_LastPhrases, the sample payload and its HandoffContext.cs
        // say va_LastPhrase: both are sent so a reader of either finds it.
        va_LastPhrases: handoff.lastPhrase,
        va_LastPhrase: handoff.lastPhrase,
        va_Phrases: [...state.phrases],
        va_ConversationId: conversation.id,
        va_AgentMessage: handoff.agentMessage,
        va_BotId: conversation.bot.id,
        va_BotName: conversation.bot.name ?? conversation.bot.id,
        va_Language: VA_LANGUAGES[turn.language],
        // "All user-defined topic variables" travel beside the va_* ones: here the topic gathered.
        ...handoff.context,
      },
      attachments: [
        {
          contentType: 'application/json',
          name: TRANSCRIPT_ATTACHMENT,
          content: { activities: conversation.transcript().filter((a) => a.type === 'message') },
        },
      ],
      relatesTo: {
        ...(incoming.id ? { activityId: incoming.id } : {}),
        ...(incoming.from ? { user: incoming.from } : {}),
        bot: conversation.bot,
        conversation: { id: conversation.id },
        channelId: CHANNEL_ID,
      },
    };
  }

  return (activity, conversation) => {
    const state = brainOf(conversation);
    if (activity.type === 'conversationUpdate') {
      // Greet as soon as someone joins in a known language (Web Chat passes the page's locale when it
      // starts the conversation); without one, the first message greets, in that message's language.
      const someoneJoined = (activity.membersAdded ?? []).some((m) => m.id !== conversation.bot.id);
      if (!someoneJoined || state.greeted || !activity.locale) return [];
      const turn = greet(state, activity.locale);
      return [{ type: 'typing' }, ...turn.say.map((text) => message(text, turn.language))];
    }
    if (activity.type !== 'message' || typeof activity.text !== 'string' || activity.text.trim() === '') return [];
    // After a hand-off a person answers; the bot stays out of the way.
    if (state.handedOff) return [];
    // A customer who comes back after the goodbye starts over.
    if (state.ended) state.ended = false;
    const turn = respond(state, activity.text, activity.locale);
    const replies: ReplyActivity[] = [{ type: 'typing' }, ...turn.say.map((text) => message(text, turn.language))];
    if (turn.handoff) {
      replies.push(
        shape === 'copilot-studio'
          ? handoffInitiate(turn, state, activity, conversation)
          : omnichannelCommand('Escalate', turn.handoff.context, turn.handoff.agentMessage),
      );
    }
    if (turn.end) {
      replies.push(
        shape === 'copilot-studio'
          ? { type: 'endOfConversation' }
          : omnichannelCommand('EndConversation', {}, 'The customer has no further questions.'),
      );
    }
    return replies;
  };
}
