import { turnFromActivities } from './bot-activities';

// Shapes as the Direct Line stand-in's FAQ bot sends them (dev/src/directline/faq.bot.ts), read
// back through GET /activities: the service fills in id, timestamp, channel, conversation, from
// and recipient; the customer's own messages come back in the same page.
const CONVERSATION = 'Xk2bQ9v0cJ1mWn3pR5tYzA';
const USER = 'swb-cust-7f3a';
const bot = { id: 'faq-bot', name: 'Switchboard FAQ', role: 'bot' };
const envelope = (seq: number) => ({
  id: `${CONVERSATION}|${String(seq).padStart(7, '0')}`,
  timestamp: '2025-03-14T09:30:00.000Z',
  channelId: 'directline',
  conversation: { id: CONVERSATION },
});

const customerSays = (seq: number, text: string) => ({
  ...envelope(seq),
  type: 'message',
  text,
  locale: 'en-US',
  from: { id: USER, role: 'user' },
  recipient: bot,
});
const botSays = (seq: number, text: string, locale = 'en-US', extra: Record<string, unknown> = {}) => ({
  ...envelope(seq),
  type: 'message',
  text,
  locale,
  from: bot,
  recipient: { id: USER, role: 'user' },
  replyToId: `${CONVERSATION}|0000000`,
  ...extra,
});
const botTyping = (seq: number) => ({ ...envelope(seq), type: 'typing', from: bot, recipient: { id: USER, role: 'user' } });

const handoffInitiate = (seq: number) => ({
  ...envelope(seq),
  type: 'event',
  name: 'handoff.initiate',
  from: bot,
  recipient: { id: USER, role: 'user' },
  value: {
    va_Scope: 'bot',
    va_LastTopic: 'billing',
    va_Topics: ['greeting', 'billing', 'escalate'],
    va_LastPhrases: 'I want to talk to an agent',
    va_LastPhrase: 'I want to talk to an agent',
    va_Phrases: ['Hi, I have a question about my invoice', 'I want to talk to an agent'],
    va_ConversationId: CONVERSATION,
    va_AgentMessage: 'The customer asks for a person about billing',
    va_BotId: 'faq-bot',
    va_BotName: 'Switchboard FAQ',
    va_Language: 'en-us',
    topic: 'billing',
  },
  attachments: [
    {
      contentType: 'application/json',
      name: 'Transcript',
      content: { activities: [customerSays(0, 'Hi, I have a question about my invoice')] },
    },
  ],
  relatesTo: { activityId: `${CONVERSATION}|0000003`, user: { id: USER }, bot, conversation: { id: CONVERSATION }, channelId: 'directline' },
});

const omnichannelCommand = (seq: number, tags: string, text: string) => ({
  ...envelope(seq),
  type: 'message',
  text,
  from: bot,
  recipient: { id: USER, role: 'user' },
  channelData: { tags },
});

describe('turnFromActivities: a Direct Line page of activities as a bot turn', () => {
  test('the bot\'s messages are said to the customer in order, with their activity id and locale', () => {
    const turn = turnFromActivities([
      customerSays(0, 'What are your opening hours?'),
      botSays(2, "We're open Monday to Friday from 9 am to 6 pm."),
      botSays(3, 'Is there anything else I can help you with?'),
    ], { userId: USER });
    expect(turn).toEqual({
      say: [
        { id: `${CONVERSATION}|0000002`, text: "We're open Monday to Friday from 9 am to 6 pm.", locale: 'en-US', answersUser: true },
        { id: `${CONVERSATION}|0000003`, text: 'Is there anything else I can help you with?', locale: 'en-US', answersUser: true },
      ],
      typing: false,
    });
  });

  test('a greeting that answers the conversation opening is told apart from the answer to the user\'s message', () => {
    const turn = turnFromActivities([
      botSays(1, 'Hello! I am the assistant.', 'en-US', { replyToId: 'conversation-update-id' }),
      { ...customerSays(2, 'What are your opening hours?'), id: `${CONVERSATION}|0000002` },
      botSays(3, "We're open Monday to Friday.", 'en-US', { replyToId: `${CONVERSATION}|0000002` }),
    ], { userId: USER });
    expect(turn.say.map((s) => [s.text, s.answersUser ?? false])).toEqual([
      ['Hello! I am the assistant.', false],
      ["We're open Monday to Friday.", true],
    ]);
  });

  test('the customer\'s own messages echoed back are never said, whether known by user id or by role', () => {
    const byId = { ...customerSays(0, 'hello'), from: { id: USER } };
    const byRole = { ...customerSays(1, 'hello again'), from: { id: 'someone-else', role: 'user' } };
    expect(turnFromActivities([byId, byRole], { userId: USER }).say).toEqual([]);
    expect(turnFromActivities([byRole]).say).toEqual([]);
  });

  test('a typing activity marks the turn as typing and says nothing', () => {
    expect(turnFromActivities([botTyping(1)], { userId: USER })).toEqual({ say: [], typing: true });
  });

  test('a message without text, or with only spaces, is not said', () => {
    const card = { ...botSays(1, ''), text: undefined, attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: {} }] };
    expect(turnFromActivities([card, botSays(2, '   ')]).say).toEqual([]);
  });

  test('a French greeting keeps its fr-FR locale', () => {
    const greeting = "Bonjour ! Je suis l'assistant Switchboard.";
    expect(turnFromActivities([botSays(1, greeting, 'fr-FR')]).say).toEqual([{ id: `${CONVERSATION}|0000001`, text: greeting, locale: 'fr-FR' }]);
  });

  test('Copilot Studio\'s handoff.initiate event hands off with the bot\'s variables and the useful va_* ones as context, and va_AgentMessage as summary', () => {
    const turn = turnFromActivities([
      customerSays(3, 'I want to talk to an agent'),
      botSays(5, "I'm putting you through to a person who can help with your bill."),
      handoffInitiate(6),
    ], { userId: USER });
    expect(turn.say.map((s) => s.text)).toEqual(["I'm putting you through to a person who can help with your bill."]);
    expect(turn.handoff).toEqual({
      summary: 'The customer asks for a person about billing',
      // The phrases are in the transcript, the ids mean nothing to an agent, the agent message is the summary.
      context: {
        va_LastTopic: 'billing',
        va_Topics: 'greeting, billing, escalate',
        va_BotName: 'Switchboard FAQ',
        va_Language: 'en-us',
        topic: 'billing',
      },
    });
    expect(turn.end).toBeUndefined();
  });

  test('a handoff.initiate without va_AgentMessage hands off with an empty summary', () => {
    const event = { ...handoffInitiate(4), value: { topic: 'orders' } };
    expect(turnFromActivities([event]).handoff).toEqual({ context: { topic: 'orders' }, summary: '' });
  });

  test('Omnichannel\'s Escalate command hands off with its context, and its text is the summary, never said to the customer', () => {
    const turn = turnFromActivities([
      botSays(2, "I'm putting you through to a person who can help with your bill.", 'en-US', { channelData: { deliveryMode: 'bridged' } }),
      omnichannelCommand(3, '{"type":"Escalate","context":{"topic":"billing"}}', 'The customer asks for a person about billing'),
    ], { userId: USER });
    expect(turn.say.map((s) => s.text)).toEqual(["I'm putting you through to a person who can help with your bill."]);
    expect(turn.handoff).toEqual({ context: { topic: 'billing' }, summary: 'The customer asks for a person about billing' });
  });

  test('Omnichannel\'s EndConversation command ends the conversation, and its text is not said', () => {
    const turn = turnFromActivities([
      botSays(2, 'Thank you for contacting us. Goodbye!'),
      omnichannelCommand(3, '{"type":"EndConversation","context":{}}', 'The customer has no further questions.'),
    ]);
    expect(turn).toEqual({ say: [expect.objectContaining({ text: 'Thank you for contacting us. Goodbye!' })], typing: false, end: true });
  });

  test('an endOfConversation activity ends the conversation', () => {
    const eoc = { ...envelope(4), type: 'endOfConversation', from: bot, recipient: { id: USER, role: 'user' } };
    expect(turnFromActivities([botSays(3, 'Goodbye!'), eoc]).end).toBe(true);
  });

  test('tags that are not an Omnichannel command leave the message an ordinary one', () => {
    const tagged = botSays(2, 'Here you go', 'en-US', { channelData: { tags: 'promo,spring' } });
    const other = botSays(3, 'And this', 'en-US', { channelData: { tags: '{"type":"Something"}' } });
    const turn = turnFromActivities([tagged, other]);
    expect(turn.say.map((s) => s.text)).toEqual(['Here you go', 'And this']);
    expect(turn.handoff).toBeUndefined();
  });

  test('events other than handoff.initiate are ignored', () => {
    const event = { ...envelope(2), type: 'event', name: 'page-viewed', value: { page: '/cart' }, from: bot };
    expect(turnFromActivities([event])).toEqual({ say: [], typing: false });
  });

  test('malformed activities are skipped, never thrown on; a handoff.initiate without a usable value still asks for a person', () => {
    const junk: unknown[] = [
      null,
      42,
      'message',
      [],
      {},
      { type: 'message', text: 'no id', from: bot },
      { type: 'message', id: 7, text: 'numeric id', from: bot },
      { type: 'message', id: 'x|1', text: { not: 'text' }, from: bot },
      { type: 'event', name: 'handoff.initiate', value: 'not an object', from: bot },
      omnichannelCommand(9, '{"type":"Escalate",', 'half a command'),
      { ...botSays(10, 'still here'), from: 'not an account' },
    ];
    const turn = turnFromActivities(junk, { userId: USER });
    expect(turn.say.map((s) => s.text)).toEqual(['half a command', 'still here']);
    expect(turn.handoff).toEqual({ context: {}, summary: '' });
    expect(() => turnFromActivities(undefined as unknown as unknown[])).not.toThrow();
  });
});
