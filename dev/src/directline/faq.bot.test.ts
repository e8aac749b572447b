// The FAQ bot behind the Direct Line stand-in, as a customer's client sees it through
// botframework-directlinejs: the answers, and the two hand-off shapes Switchboard must read.
import type { Activity as ClientActivity } from 'botframework-directlinejs';
import { STRINGS } from './faq-brain';
import { createFaqBot, type HandoffShape } from './faq.bot';
import { ConnectionStatus } from './testing/direct-line-client';
import { Harness, call, streamOpen } from './testing/harness';

jest.setTimeout(30_000);

const SECRET = 'faq-bot-secret';
const h = new Harness();
afterEach(() => h.cleanup());

type Seen = ClientActivity & { text?: string; name?: string; value?: any; attachments?: any[]; channelData?: any; relatesTo?: any; replyToId?: string; locale?: string };

async function chat(shape: HandoffShape, options: { locale?: string; user?: { id: string; name: string } } = {}) {
  const standIn = await h.standIn([{ id: 'faq-bot', name: 'Switchboard FAQ', secrets: [SECRET], bot: createFaqBot({ shape }) }]);
  const { token, conversationId } = (await call(standIn, 'POST', '/v3/directline/tokens/generate', SECRET, options.user ? { user: options.user } : {})).body;
  const client = h.client({ token, domain: standIn.url, ...(options.locale ? { conversationStartProperties: { locale: options.locale } } : {}) });
  await client.untilStatus(ConnectionStatus.Online);
  await streamOpen(standIn);
  const fromBot = () => client.fromBot() as Seen[];
  return {
    standIn,
    client,
    conversationId: conversationId as string,
    fromBot,
    /** says something and waits for `count` more activities from the bot */
    async exchange(text: string, count: number, extra: Record<string, unknown> = {}): Promise<Seen[]> {
      const before = fromBot().length;
      await client.say(text, extra);
      await client.untilFromBot(before + count);
      return fromBot().slice(before);
    },
  };
}

const shown = (activities: Seen[]) => activities.map((a) => (a.type === 'message' ? a.text : a.type === 'event' ? `event:${a.name}` : a.type));

describe('FAQ bot over Direct Line', () => {
  it('greets a customer named in the token as soon as the conversation opens, in the locale the client starts it with', async () => {
    const { client, fromBot } = await chat('copilot-studio', { locale: 'fr-FR', user: { id: 'dl_camille', name: 'Camille' } });
    // sent before the client's WebSocket was open, the greeting comes in the stream's replay (typing is never replayed)
    const [greeting] = await client.until(() => fromBot().filter((a) => a.type === 'message').length > 0 && fromBot().filter((a) => a.type === 'message'), 'the greeting');
    expect(greeting).toMatchObject({ text: STRINGS.fr.greeting, locale: 'fr-FR', recipient: { id: 'dl_camille' } });
  });

  it('answers opening hours in English with typing first, asks for anything else, and "no" ends with a goodbye and endOfConversation', async () => {
    const c = await chat('copilot-studio');
    // no locale at start: the first message greets, in its own language
    expect(shown(await c.exchange('What are your opening hours?', 4))).toEqual(['typing', STRINGS.en.greeting, STRINGS.en.hours, STRINGS.en.anythingElse]);
    expect(shown(await c.exchange('No, thanks', 3))).toEqual(['typing', STRINGS.en.goodbye, 'endOfConversation']);
  });

  it('answers opening hours in French from the words alone, even when the client says en-US', async () => {
    const c = await chat('copilot-studio');
    const answer = await c.exchange("Bonjour, quels sont vos horaires d'ouverture ?", 4, { locale: 'en-US' });
    expect(shown(answer)).toEqual(['typing', STRINGS.fr.greeting, STRINGS.fr.hours, STRINGS.fr.anythingElse]);
    expect(answer[2]!.locale).toBe('fr-FR');
  });

  it('hands off the Copilot Studio way: a message, then handoff.initiate with the va_* variables, the topic, and the transcript attachment', async () => {
    const c = await chat('copilot-studio');
    await c.exchange('Hi, I have a question about my invoice', 3);
    const askId = await c.client.say('I want to talk to an agent');
    const handoff = await c.client.untilFromBot(6);
    expect(shown(handoff.slice(3) as Seen[])).toEqual(['typing', STRINGS.en.handoffAbout.billing, 'event:handoff.initiate']);
    const event = handoff[5] as Seen;
    expect(event.value).toEqual({
      va_Scope: 'bot',
      va_LastTopic: 'billing',
      va_Topics: ['greeting', 'billing', 'escalate'],
      va_LastPhrases: 'I want to talk to an agent',
      va_LastPhrase: 'I want to talk to an agent',
      va_Phrases: ['Hi, I have a question about my invoice', 'I want to talk to an agent'],
      va_ConversationId: c.conversationId,
      va_AgentMessage: 'The customer asks for a person about billing',
      va_BotId: 'faq-bot',
      va_BotName: 'Switchboard FAQ',
      va_Language: 'en-us',
      topic: 'billing',
    });
    expect(event).toMatchObject({ replyToId: askId, relatesTo: { activityId: askId, user: { id: 'customer-1' }, bot: { id: 'faq-bot' }, conversation: { id: c.conversationId }, channelId: 'directline' } });
    expect(event.attachments).toEqual([{ contentType: 'application/json', name: 'Transcript', content: { activities: expect.any(Array) } }]);
    const transcript = event.attachments![0].content.activities as Seen[];
    expect(transcript.map((a) => [a.from.role, a.text])).toEqual([
      ['user', 'Hi, I have a question about my invoice'],
      ['bot', STRINGS.en.greeting],
      ['bot', STRINGS.en.subject.billing],
      ['user', 'I want to talk to an agent'],
    ]);
    expect(transcript.every((a) => a.id?.startsWith(`${c.conversationId}|`))).toBe(true);

    // after the hand-off a person answers: the bot says nothing more
    await c.client.say('hello?');
    await new Promise((r) => setTimeout(r, 300));
    expect(c.fromBot()).toHaveLength(6);
  });

  it('hands off in French about an order when asked for "quelqu\'un"', async () => {
    const c = await chat('copilot-studio');
    await c.exchange('Bonjour, où en est ma commande ?', 3);
    const [, said, event] = await c.exchange("Je voudrais parler à quelqu'un", 3);
    expect(said!.text).toBe(STRINGS.fr.handoffAbout.orders);
    expect(event!.value).toMatchObject({ va_Language: 'fr-fr', va_LastTopic: 'orders', va_AgentMessage: 'The customer asks for a person about orders', topic: 'orders' });
  });

  it('in the Omnichannel shape, customer messages are bridged and the escalation is a message whose channelData.tags is the serialized Escalate command', async () => {
    const c = await chat('omnichannel');
    const first = await c.exchange('Do you have a human for a question about my bill?', 4);
    expect(shown(first)).toEqual(['typing', STRINGS.en.greeting, STRINGS.en.handoffAbout.billing, 'The customer asks for a person about billing']);
    expect(first[1]!.channelData).toEqual({ deliveryMode: 'bridged' });
    expect(first[2]!.channelData).toEqual({ deliveryMode: 'bridged' });
    // the summary is for the agent only: not bridged, and the command is a JSON string, as OmnichannelBotClient writes it
    const tags = first[3]!.channelData.tags;
    expect(typeof tags).toBe('string');
    expect(JSON.parse(tags)).toEqual({ type: 'Escalate', context: { topic: 'billing' } });
    expect(first[3]!.channelData.deliveryMode).toBeUndefined();
  });

  it('in the Omnichannel shape, the end of the conversation is an EndConversation command', async () => {
    const c = await chat('omnichannel', { locale: 'en-US' });
    // the customer joins with the first message: Direct Line's conversationUpdate (greeting) comes first
    expect(shown(await c.exchange('opening hours?', 5))).toEqual(['typing', STRINGS.en.greeting, 'typing', STRINGS.en.hours, STRINGS.en.anythingElse]);
    const end = await c.exchange('no', 3);
    expect(shown(end).slice(0, 2)).toEqual(['typing', STRINGS.en.goodbye]);
    expect(JSON.parse(end[2]!.channelData.tags)).toEqual({ type: 'EndConversation', context: {} });
  });
});
