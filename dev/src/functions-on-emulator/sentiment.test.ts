// Sentiment end to end on the Dataverse emulator: a customer's chat or text is stored, a
// `score-sentiment` item is queued (never scored in the customer's request), and the routing
// worker scores it — through the functions app's Azure AI Language adapter (the real SDK) against
// the local stand-in, or with the offline lexicon — writing the message's score and the
// conversation's rolling level, trend and alert. Switched off for the organisation or for a
// workstream, nothing is queued and the stand-in counts no call.
import { randomUUID } from 'node:crypto';
import { conversationGroup, queueGroup, type PushEvent, type PushPort } from '@switchboard/core';
import { AuthorKind, ChannelType, Provider, Sentiment } from '@switchboard/solution';
import { createAiLanguageStandIn, type AiLanguageStandIn } from '../ai-language';
import { diffStats } from '../dataverse/request-stats';
import { ADMIN_KEY, CHAT_KEY, TWILIO_TOKEN, postSignedTwilio, seedRouting, startStack, twilioInbound, type RoutingSeed, type Stack } from './stack.testing';

jest.setTimeout(60_000);

const APP = 'switchboard-app@switchboard.dev';
const ORIGIN = 'https://shop.example';
const AI_KEY = 'ai-language-key-for-tests';
const ANGRY = 'This is unacceptable, I am furious, your service is terrible!';
const BASE_SETTINGS = { SWB_TWILIO_TOKEN: TWILIO_TOKEN, CHAT_TOKEN_KEY: CHAT_KEY, SWITCHBOARD_ADMIN_KEY: ADMIN_KEY };

let standIn: AiLanguageStandIn;

beforeAll(async () => {
  standIn = createAiLanguageStandIn({ key: AI_KEY });
  await standIn.listen(0, '127.0.0.1');
});
afterAll(() => standIn?.close());

/** The settings of an app whose sentiment goes to the stand-in (SWITCHBOARD_SENTIMENT as given). */
const azureSettings = (mode: 'azure' | 'off') => ({
  ...BASE_SETTINGS,
  SWITCHBOARD_SENTIMENT: mode,
  SWITCHBOARD_AI_LANGUAGE_ENDPOINT: standIn.url,
  SWITCHBOARD_AI_LANGUAGE_KEY_SETTING: 'SWB_AI_LANGUAGE_KEY',
  SWB_AI_LANGUAGE_KEY: AI_KEY,
});

/** Every event pushed to a group, for the assertions on who was told. */
function recordingPush(): PushPort & { toGroups: { group: string; event: PushEvent }[] } {
  const toGroups: { group: string; event: PushEvent }[] = [];
  return {
    toGroups,
    toUser: async () => {},
    toGroup: async (group, event) => void toGroups.push({ group, event }),
    join: async () => {},
    leave: async () => {},
    clientUrl: async () => null,
    isConnected: async () => undefined,
  };
}

interface ConversationSentiment {
  swb_sentiment: number | null;
  swb_sentimentscore: number | null;
  swb_sentimenttrend: string | null;
  swb_sentimentalerton: Date | null;
  _swb_queueid_value: string | null;
}

const conversationOf = (stack: Stack, id: string) =>
  stack.api.retrieve({ collection: 'swb_conversations', key: id, select: ['swb_sentiment', 'swb_sentimentscore', 'swb_sentimenttrend', 'swb_sentimentalerton', '_swb_queueid_value'] }) as Promise<ConversationSentiment>;

async function customerMessages(stack: Stack, conversationId: string): Promise<{ swb_body: string; swb_sentiment: number | null; swb_sentimentscore: number | null }[]> {
  const rows = await stack.api.retrieveMultiple({
    collection: 'swb_messages',
    filter: `_swb_conversationid_value eq ${conversationId} and swb_authorkind eq ${AuthorKind.Customer}`,
    select: ['swb_body', 'swb_sentiment', 'swb_sentimentscore'],
    orderBy: ['swb_sequence asc'],
  });
  return rows.value as { swb_body: string; swb_sentiment: number | null; swb_sentimentscore: number | null }[];
}

const queuedScores = (stack: Stack) => stack.queue.items.filter((i) => i.body.kind === 'score-sentiment').length;

/** The application user's Dataverse requests while `work` runs. */
async function appRequests(stack: Stack, work: () => Promise<unknown>): Promise<number> {
  const before = stack.emulator.stats();
  await work();
  return diffStats(before, stack.emulator.stats()).callers[APP]?.requests ?? 0;
}

async function seedWidget(stack: Stack, name: string): Promise<{ widgetId: string; routing: RoutingSeed }> {
  const routing = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: `${name} Agent`, queue: 'main' }]);
  const widgetId = (await stack.api.create({
    collection: 'swb_chatwidgets',
    data: { swb_name: name, swb_allowedorigins: ORIGIN, swb_prechatquestions: '[]', 'swb_workstreamid@odata.bind': `/swb_workstreams(${routing.workstreamId})`, swb_isenabled: true },
  })) as string;
  return { widgetId, routing };
}

async function seedSmsChannel(stack: Stack, number: string, sentimentEnabled: boolean): Promise<string> {
  const routing = await seedRouting(stack.api, ChannelType.Sms, [{ name: `Sms ${number}`, queue: 'main' }]);
  await stack.api.update({ collection: 'swb_workstreams', key: routing.workstreamId, data: { swb_sentimentenabled: sentimentEnabled } });
  return (await stack.api.create({
    collection: 'swb_channels',
    data: { swb_name: `SMS ${number}`, swb_provider: Provider.Twilio, swb_phonenumber: number, swb_accountid: 'AC00000000000000000000000000000001', swb_secretsettingname: 'SWB_TWILIO_TOKEN', 'swb_workstreamid@odata.bind': `/swb_workstreams(${routing.workstreamId})` },
  })) as string;
}

/** A customer starts a chat on the widget (routing drained) and returns its id and token. */
async function startChat(stack: Stack, widgetId: string, locale = 'en-US'): Promise<{ id: string; token: string }> {
  const res = await fetch(`${stack.baseUrl}/api/chat/${widgetId}/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify({ clientRequestId: `req-${randomUUID()}`, locale, answers: {}, context: {}, pageUrl: `${ORIGIN}/shop` }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { conversationId: string; token: string };
  await stack.drain();
  return { id: body.conversationId, token: body.token };
}

async function write(stack: Stack, chat: { id: string; token: string }, text: string): Promise<void> {
  const res = await fetch(`${stack.baseUrl}/api/chat/conversations/${chat.id}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, authorization: `Bearer ${chat.token}` },
    body: JSON.stringify({ clientMessageId: randomUUID(), body: text }),
  });
  expect(res.status).toBe(201);
}

async function text(stack: Stack, channelId: string, to: string, from: string, body: string): Promise<void> {
  const res = await postSignedTwilio(stack, `/api/sms/twilio/${channelId}`, twilioInbound(`SM${randomUUID().replace(/-/g, '')}`, from, body, to));
  expect(res.status).toBe(200);
}

async function smsConversation(stack: Stack, from: string): Promise<string> {
  const rows = await stack.api.retrieveMultiple<{ activityid: string }>({ collection: 'swb_conversations', filter: `swb_customerphone eq '${from}'`, select: ['activityid'] });
  return rows.value[0]!.activityid;
}

describe('sentiment through Azure AI Language (the functions adapter and the real SDK against the stand-in)', () => {
  let stack: Stack;
  let push: ReturnType<typeof recordingPush>;
  let widgetId: string;
  let scoredSms: string;
  let quietSms: string;

  beforeAll(async () => {
    push = recordingPush();
    // The routing configuration cached as deployed: whether a workstream scores costs no request.
    stack = await startStack({ graph: { settings: azureSettings('azure'), push, cacheTtlMs: 30_000 } });
    widgetId = (await seedWidget(stack, 'azure')).widgetId;
    scoredSms = await seedSmsChannel(stack, '+13175550601', true);
    quietSms = await seedSmsChannel(stack, '+13175550602', false);
  });
  afterAll(() => stack?.stop());

  it("an angry chat message is scored after the customer's request, not in it: very negative on the message and the conversation, alerted once, its agents and supervisors told, in 2 Dataverse requests", async () => {
    const chat = await startChat(stack, widgetId);
    const calls = standIn.stats().requests;
    await write(stack, chat, ANGRY);
    // Stored and queued; the provider has not been asked yet.
    expect(queuedScores(stack)).toBe(1);
    expect(standIn.stats().requests).toBe(calls);
    expect((await conversationOf(stack, chat.id)).swb_sentiment).toBeNull();

    push.toGroups.length = 0;
    // One $batch read (the conversation and whether the message is scored), one change set.
    expect(await appRequests(stack, () => stack.drain())).toBe(2);
    expect(standIn.stats().requests).toBe(calls + 1);

    const [message] = await customerMessages(stack, chat.id);
    expect(message).toMatchObject({ swb_body: ANGRY, swb_sentiment: Sentiment.VeryNegative });
    expect(message!.swb_sentimentscore).toBeLessThan(-60);
    const conv = await conversationOf(stack, chat.id);
    expect(conv.swb_sentiment).toBe(Sentiment.VeryNegative);
    expect(conv.swb_sentimentalerton).not.toBeNull();
    expect(JSON.parse(conv.swb_sentimenttrend!)).toEqual([{ at: expect.any(String), level: 'veryNegative' }]);
    const told = { kind: 'conversation', conversationId: chat.id };
    expect(push.toGroups).toEqual(expect.arrayContaining([{ group: conversationGroup(chat.id), event: told }, { group: queueGroup(conv._swb_queueid_value!), event: told }]));

    // Still angry: the trend grows, the alert is not repeated.
    await write(stack, chat, 'Still waiting. This is the worst service ever.');
    await stack.drain();
    const after = await conversationOf(stack, chat.id);
    expect(after.swb_sentimentalerton).toEqual(conv.swb_sentimentalerton);
    expect(JSON.parse(after.swb_sentimenttrend!)).toHaveLength(2);
  });

  it('texts on a workstream with sentiment on are scored, the first one and the later ones', async () => {
    const from = '+13175559601';
    await text(stack, scoredSms, '+13175550601', from, ANGRY);
    await stack.drain();
    await text(stack, scoredSms, '+13175550601', from, 'Thank you, that is great, you are wonderful!');
    await stack.drain();
    const id = await smsConversation(stack, from);
    expect((await customerMessages(stack, id)).map((m) => m.swb_sentiment)).toEqual([Sentiment.VeryNegative, Sentiment.VeryPositive]);
    expect((await conversationOf(stack, id)).swb_sentiment).toBe(Sentiment.Neutral);
  });

  it('a workstream switched off: its texts are not even queued, and the stand-in counts no call', async () => {
    const calls = standIn.stats().requests;
    const from = '+13175559602';
    await text(stack, quietSms, '+13175550602', from, ANGRY);
    expect(queuedScores(stack)).toBe(0);
    await stack.drain();
    await text(stack, quietSms, '+13175550602', from, 'Still furious!');
    expect(queuedScores(stack)).toBe(0);
    await stack.drain();
    expect(standIn.stats().requests).toBe(calls);
    const id = await smsConversation(stack, from);
    expect((await customerMessages(stack, id)).map((m) => m.swb_sentiment)).toEqual([null, null]);
    expect((await conversationOf(stack, id)).swb_sentiment).toBeNull();
  });
});

describe('sentiment switched off for the organisation', () => {
  let stack: Stack;

  beforeAll(async () => {
    // The Language resource is configured, but SWITCHBOARD_SENTIMENT says off.
    stack = await startStack({ graph: { settings: azureSettings('off') } });
  });
  afterAll(() => stack?.stop());

  it('an angry chat message is not even queued for scoring, and the stand-in counts no call', async () => {
    const { widgetId } = await seedWidget(stack, 'off');
    const chat = await startChat(stack, widgetId);
    const calls = standIn.stats().requests;
    await write(stack, chat, ANGRY);
    expect(queuedScores(stack)).toBe(0);
    await stack.drain();
    expect(standIn.stats().requests).toBe(calls);
    expect((await customerMessages(stack, chat.id)).map((m) => m.swb_sentiment)).toEqual([null]);
    expect((await conversationOf(stack, chat.id)).swb_sentiment).toBeNull();
  });
});

describe('sentiment by default: the offline lexicon', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ graph: { settings: BASE_SETTINGS } });
  });
  afterAll(() => stack?.stop());

  it('scores English and French chats without calling any service', async () => {
    const { widgetId } = await seedWidget(stack, 'offline');
    const calls = standIn.stats().requests;
    const english = await startChat(stack, widgetId, 'en-US');
    await write(stack, english, ANGRY);
    const french = await startChat(stack, widgetId, 'fr-FR');
    await write(stack, french, 'Merci beaucoup, vous êtes formidables, le service est excellent !');
    await stack.drain();
    expect((await conversationOf(stack, english.id)).swb_sentiment).toBe(Sentiment.VeryNegative);
    expect((await conversationOf(stack, english.id)).swb_sentimentalerton).not.toBeNull();
    expect((await conversationOf(stack, french.id)).swb_sentiment).toBeGreaterThan(Sentiment.Neutral);
    expect((await conversationOf(stack, french.id)).swb_sentimentalerton).toBeNull();
    expect(standIn.stats().requests).toBe(calls);
  });
});
