// Bots at the front door, end to end on the Dataverse emulator: the functions table with its
// real Direct Line client talking to the Direct Line stand-in (the FAQ bot), and its webhook
// connector talking to the sample webhook bot, which calls the app's signed callback route
// back over HTTP. Routing work (bot turns included) runs when the test drains the queue.
import { AuthorKind, BotKind, BotState, ChannelType, ConversationState, MessageDirection, Provider, RoutingRuleKind, Visibility } from '@switchboard/solution';
import { randomUUID } from 'node:crypto';
import { signWebhook } from '@switchboard/functions/bots/webhook/webhook-signature';
import { createDirectLineStandIn, type DirectLineStandIn } from '../directline/directline.stand-in';
import { createFaqBot } from '../directline/faq.bot';
import { createWebhookBot, type WebhookBotStandIn } from '../webhook-bot/webhook-bot.stand-in';
import { ADMIN_KEY, CHAT_KEY, TWILIO_TOKEN, postSignedTwilio, seedRouting, startStack, twilioInbound, type RoutingSeed, type Stack } from './stack.testing';

jest.setTimeout(60_000);

const ORIGIN = 'https://help.example';
const DL_SECRET = 'faq-bot-secret-for-tests';
const HOOK_SECRET = 'webhook-bot-secret-for-tests';
const SMS_NUMBER = '+13175550900';

let stack: Stack;
let directLine: DirectLineStandIn;
let hookBot: WebhookBotStandIn;
let chat: RoutingSeed;
let widgetId: string;
const faqBotId = randomUUID();
const hookBotId = randomUUID();
let hookChannelId: string;

interface Row {
  swb_state: number;
  swb_botstate: number | null;
  swb_context: string | null;
  swb_handoffsummary: string | null;
  _swb_queueid_value: string | null;
  _swb_offeredto_value: string | null;
}
interface Msg {
  swb_body: string;
  swb_authorkind: number;
  swb_visibility: number;
  swb_sequence: number;
}

const conversation = (id: string) =>
  stack.api.retrieve({ collection: 'swb_conversations', key: id, select: ['swb_state', 'swb_botstate', 'swb_context', 'swb_handoffsummary', '_swb_queueid_value', '_swb_offeredto_value'] }) as Promise<Row>;
const messages = async (id: string): Promise<Msg[]> =>
  ((await stack.api.retrieveMultiple({ collection: 'swb_messages', filter: `_swb_conversationid_value eq ${id}`, select: ['swb_body', 'swb_authorkind', 'swb_visibility', 'swb_sequence'], orderBy: ['swb_sequence asc'] })).value as Msg[]) ?? [];
const botSaid = async (id: string) => (await messages(id)).filter((m) => m.swb_authorkind === AuthorKind.Bot && m.swb_visibility === Visibility.Public).map((m) => m.swb_body);
const capacityUsed = async () =>
  Promise.all(chat.agents.map(async (a) => ((await stack.api.retrieve({ collection: 'swb_agentstatuses', key: a.statusId, select: ['swb_capacityused'] })) as { swb_capacityused: number }).swb_capacityused));

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startChat(locale = 'en-US'): Promise<{ id: string; token: string; status: string }> {
  const res = await fetch(`${stack.baseUrl}/api/chat/${widgetId}/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify({ clientRequestId: `req-${randomUUID()}`, locale, answers: {}, context: {}, pageUrl: `${ORIGIN}/help` }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { conversationId: string; token: string; status: string };
  return { id: body.conversationId, token: body.token, status: body.status };
}

/** What the customer's widget is told of the conversation's status. */
async function widgetStatus(c: { id: string; token: string }): Promise<string> {
  const res = await fetch(`${stack.baseUrl}/api/chat/conversations/${c.id}/messages?after=0`, { headers: { origin: ORIGIN, authorization: `Bearer ${c.token}` } });
  return ((await res.json()) as { status: string }).status;
}

async function write(c: { id: string; token: string }, text: string): Promise<void> {
  const res = await fetch(`${stack.baseUrl}/api/chat/conversations/${c.id}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, authorization: `Bearer ${c.token}` },
    body: JSON.stringify({ clientMessageId: randomUUID(), body: text }),
  });
  expect([res.status, res.status === 201 ? '' : await res.text()]).toEqual([201, '']);
}

beforeAll(async () => {
  directLine = createDirectLineStandIn({ bots: [{ id: 'faq-bot', name: 'FAQ', secrets: [DL_SECRET], bot: createFaqBot() }] });
  await directLine.listen(0, '127.0.0.1');
  stack = await startStack({ graph: { settings: { SWB_TWILIO_TOKEN: TWILIO_TOKEN, CHAT_TOKEN_KEY: CHAT_KEY, SWITCHBOARD_ADMIN_KEY: ADMIN_KEY, SWB_BOT_FAQ: DL_SECRET, SWB_BOT_HOOK: HOOK_SECRET } } });
  hookBot = createWebhookBot({ botId: hookBotId, secret: HOOK_SECRET, switchboardUrl: stack.baseUrl });
  const hookUrl = (await hookBot.listen(0, '127.0.0.1')).url;
  const bot = (id: string, name: string, kind: BotKind, url: string, setting: string) =>
    stack.api.create({ collection: 'swb_bots', data: { swb_botid: id, swb_name: name, swb_kind: kind, swb_endpointurl: url, swb_secretsettingname: setting, swb_timeoutseconds: 2, swb_inactivityminutes: 30, swb_isenabled: true } });
  await bot(faqBotId, 'FAQ bot', BotKind.DirectLine, directLine.url, 'SWB_BOT_FAQ');
  await bot(hookBotId, 'Hook bot', BotKind.Webhook, hookUrl, 'SWB_BOT_HOOK');

  chat = await seedRouting(stack.api, ChannelType.LiveChat, [
    { name: 'Web Agent', queue: 'main' },
    { name: 'Billing Agent', queue: 'other' },
  ]);
  await stack.api.update({ collection: 'swb_workstreams', key: chat.workstreamId, data: { 'swb_botid@odata.bind': `/swb_bots(${faqBotId})` } });
  await stack.api.create({
    collection: 'swb_routingrules',
    data: { swb_name: 'billing', swb_kind: RoutingRuleKind.RouteToQueue, swb_order: 1, swb_condition: "context.topic = 'billing'", swb_isenabled: true, 'swb_workstreamid@odata.bind': `/swb_workstreams(${chat.workstreamId})`, 'swb_targetqueueid@odata.bind': `/queues(${chat.otherQueueId})` },
  });
  widgetId = (await stack.api.create({
    collection: 'swb_chatwidgets',
    data: { swb_name: 'help', swb_allowedorigins: ORIGIN, swb_prechatquestions: '[]', 'swb_workstreamid@odata.bind': `/swb_workstreams(${chat.workstreamId})`, swb_isenabled: true },
  })) as string;

  const sms = await seedRouting(stack.api, ChannelType.Sms, [{ name: 'Sms Agent', queue: 'main' }]);
  await stack.api.update({ collection: 'swb_workstreams', key: sms.workstreamId, data: { 'swb_botid@odata.bind': `/swb_bots(${hookBotId})` } });
  hookChannelId = (await stack.api.create({
    collection: 'swb_channels',
    data: { swb_name: 'Bot SMS', swb_provider: Provider.Twilio, swb_phonenumber: SMS_NUMBER, swb_accountid: 'AC00000000000000000000000000000001', swb_secretsettingname: 'SWB_TWILIO_TOKEN', 'swb_workstreamid@odata.bind': `/swb_workstreams(${sms.workstreamId})` },
  })) as string;
});

afterAll(async () => {
  await hookBot?.close();
  await directLine?.close();
  await stack?.stop();
});

afterEach(() => {
  directLine.setBotMode('faq-bot', 'up');
  hookBot.setMode('up');
});

describe('a Direct Line bot answering chats first', () => {
  it('greets, answers, uses no agent capacity, and hands a billing question to the Billing queue with its context and summary', async () => {
    const before = await capacityUsed();
    const c = await startChat('fr-FR');
    // The customer is talking with the bot, not waiting for an agent.
    expect(c.status).toBe('active');
    const opened = await conversation(c.id);
    expect(opened.swb_state).toBe(ConversationState.Open);
    expect(opened.swb_botstate).toBe(BotState.Holding);
    await stack.drain();
    expect((await botSaid(c.id)).join(' ')).toMatch(/Bonjour/);

    await write(c, 'Quels sont vos horaires ?');
    await stack.drain();
    expect((await botSaid(c.id)).length).toBeGreaterThanOrEqual(2);
    const held = await conversation(c.id);
    expect(held.swb_state).toBe(ConversationState.Open);
    expect(held._swb_offeredto_value).toBeNull();
    expect(await capacityUsed()).toEqual(before);
    expect(await widgetStatus(c)).toBe('active');

    await write(c, 'Je voudrais parler à un conseiller pour ma facture');
    await stack.drain();
    const handed = await conversation(c.id);
    expect(handed.swb_botstate).toBe(BotState.HandedOff);
    expect(JSON.parse(handed.swb_context ?? '{}')).toMatchObject({ topic: 'billing' });
    expect(handed.swb_handoffsummary).toBeTruthy();
    expect(handed._swb_queueid_value).toBe(chat.otherQueueId);
    expect(handed._swb_offeredto_value).toBe(chat.agents[1]!.id);
    expect(await widgetStatus(c)).toBe('waiting');
    const note = (await messages(c.id)).find((m) => m.swb_authorkind === AuthorKind.Bot && m.swb_visibility === Visibility.Internal);
    expect(note?.swb_body).toMatch(/topic: billing/);

    // After the hand-off the customer's words go to the person: no more bot turns.
    const said = (await botSaid(c.id)).length;
    await write(c, 'Vous êtes là ?');
    await stack.drain();
    expect((await botSaid(c.id)).length).toBe(said);
  });

  it('hands the chat to a person at once when the bot is down, saying why', async () => {
    directLine.setBotMode('faq-bot', 'down');
    const c = await startChat('en-US');
    await stack.drain();
    await write(c, 'hello?');
    await stack.drain();
    const row = await conversation(c.id);
    expect(row.swb_botstate).toBe(BotState.Failed);
    expect(row._swb_queueid_value).toBe(chat.queueId);
    expect(row.swb_state).toBe(ConversationState.Waiting);
    expect(row.swb_handoffsummary).toMatch(/could not be reached/);
  });

  it('hands the chat to a person when the bot does not answer within its timeout', async () => {
    const c = await startChat('en-US');
    await stack.drain();
    directLine.setBotMode('faq-bot', 'silent');
    await write(c, 'what are your opening hours?');
    await stack.drain();
    const row = await conversation(c.id);
    expect(row.swb_botstate).toBe(BotState.Failed);
    expect(row.swb_handoffsummary).toMatch(/did not answer in time/);
  });

  it('closes a conversation the bot still holds once its inactivity timeout has passed, and leaves an active one alone', async () => {
    const c = await startChat('en-US');
    await stack.drain();
    const idleCheck = stack.queue.delayed().map((d) => d.body).find((w) => w.kind === 'bot-check' && w.conversationId === c.id && w.check === 'idle');
    expect(idleCheck).toBeDefined();
    // Activity after the check was scheduled: the conversation stays open.
    await new Promise((r) => setTimeout(r, 1100));
    await write(c, 'what are your opening hours?');
    await stack.drain();
    await stack.graph.bots.run(idleCheck as Extract<typeof idleCheck, { kind: 'bot-check' }>);
    expect((await conversation(c.id)).swb_state).toBe(ConversationState.Open);
    // The check of the last activity, come due: closed, and the customer is told.
    await stack.graph.bots.run({ kind: 'bot-check', conversationId: c.id, botId: faqBotId, check: 'idle', since: Date.now(), reason: 'test' });
    const row = await conversation(c.id);
    expect(row.swb_state).toBe(ConversationState.Closed);
    expect(row.swb_botstate).toBe(BotState.TimedOut);
    expect((await messages(c.id)).some((m) => m.swb_authorkind === AuthorKind.Bot && m.swb_visibility === Visibility.Public && /inactivity/.test(m.swb_body))).toBe(true);
  });
});

/** An agent's internal "@bot" note, as the pane writes it; the bot-consult step's work item. */
async function askBot(conversationId: string, question: string): Promise<string> {
  const messageId = randomUUID();
  await stack.api.create({
    collection: 'swb_messages',
    data: {
      swb_messageid: messageId, swb_name: question.slice(0, 100), swb_body: `@bot ${question}`, swb_sequence: 900 + Math.floor(Math.random() * 1000),
      swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Agent, swb_visibility: Visibility.Internal,
      'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})`,
    },
  });
  await stack.queue.send({ kind: 'bot-consult', conversationId, messageId, question, agentId: chat.agents[1]!.id, reason: 'test' });
  return messageId;
}
const internalBotNotes = async (id: string) => (await messages(id)).filter((m) => m.swb_authorkind === AuthorKind.Bot && m.swb_visibility === Visibility.Internal).map((m) => m.swb_body);

describe('an agent consulting a bot', () => {
  it('gets the Direct Line bot\'s answer as an internal note, without its greeting, and the customer sees nothing of it', async () => {
    const c = await startChat('en-US');
    await stack.drain();
    await write(c, 'agent please, about my invoice');
    await stack.drain();
    expect((await conversation(c.id)).swb_botstate).toBe(BotState.HandedOff);
    const publicBefore = await botSaid(c.id);
    await askBot(c.id, 'what are your opening hours?');
    await stack.drain();
    const notes = await internalBotNotes(c.id);
    expect(notes.some((n) => /Monday to Friday/.test(n))).toBe(true);
    expect(notes.some((n) => /I'm the Switchboard assistant/.test(n))).toBe(false);
    expect(await botSaid(c.id)).toEqual(publicBefore);
    const res = await fetch(`${stack.baseUrl}/api/chat/conversations/${c.id}/messages?after=0`, { headers: { origin: ORIGIN, authorization: `Bearer ${c.token}` } });
    const seen = ((await res.json()) as { messages: { body: string }[] }).messages.map((m) => m.body).join('\n');
    expect(seen).not.toMatch(/Monday to Friday from 9/);
  });

  it('says so in an internal note when the bot cannot answer', async () => {
    const c = await startChat('en-US');
    await stack.drain();
    directLine.setBotMode('faq-bot', 'down');
    await askBot(c.id, 'opening hours?');
    await stack.drain();
    expect((await messages(c.id)).some((m) => m.swb_authorkind === AuthorKind.System && m.swb_visibility === Visibility.Internal && /could not answer/.test(m.swb_body))).toBe(true);
  });
});

describe('a webhook bot answering SMS first', () => {
  it('answers a text by signed callback and hands off on "agent", with no second hand-off on a retried callback', async () => {
    const from = '+13175550911';
    expect((await postSignedTwilio(stack, `/api/sms/twilio/${hookChannelId}`, twilioInbound(`SM${randomUUID().replace(/-/g, '')}`, from, 'What are your opening hours?', SMS_NUMBER))).status).toBe(200);
    const id = await until('the SMS conversation', async () => {
      const found = await stack.api.retrieveMultiple({ collection: 'swb_conversations', filter: `swb_customerphone eq '${from}'`, select: ['activityid'] });
      return (found.value?.[0] as { activityid?: string } | undefined)?.activityid;
    });
    expect((await conversation(id)).swb_botstate).toBe(BotState.Holding);
    await stack.drain();
    await until('the bot\'s answer by callback', async () => (await botSaid(id)).some((t) => /hours|open/i.test(t)));

    expect((await postSignedTwilio(stack, `/api/sms/twilio/${hookChannelId}`, twilioInbound(`SM${randomUUID().replace(/-/g, '')}`, from, 'agent please', SMS_NUMBER))).status).toBe(200);
    await stack.drain();
    await until('the hand-off', async () => (await conversation(id)).swb_botstate === BotState.HandedOff);
    await stack.drain();
    expect((await conversation(id)).swb_state).toBe(ConversationState.Waiting);

    // The bot's retried hand-off is acknowledged, not repeated; a message now is refused.
    const post = (action: string, body: object, secret = HOOK_SECRET) => {
      const raw = JSON.stringify(body);
      return fetch(`${stack.baseUrl}/api/bots/${hookBotId}/conversations/${id}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json', ...signWebhook(secret, raw, Date.now() / 1000) }, body: raw });
    };
    expect((await post('handoff', { id: 'again', context: {}, summary: '' })).status).toBe(200);
    const late = await post('messages', { id: 'late', text: 'still here' });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('not_with_bot');

    // An agent may still consult it: the answer comes by signed callback, as an internal note.
    await askBot(id, 'What are your opening hours?');
    await stack.drain();
    await until('the webhook bot\'s answer to the agent', async () => (await internalBotNotes(id)).some((n) => /Monday to Friday/.test(n)));
    // A callback claiming to answer something that was no question of an agent is refused.
    expect((await post('messages', { id: 'forged', text: 'psst', inReplyTo: randomUUID() })).status).toBe(409);
  });

  it('hands the text to a person when the webhook bot acknowledges it but does not answer within its timeout', async () => {
    const from = '+13175550922';
    hookBot.setMode('silent');
    expect((await postSignedTwilio(stack, `/api/sms/twilio/${hookChannelId}`, twilioInbound(`SM${randomUUID().replace(/-/g, '')}`, from, 'hello?', SMS_NUMBER))).status).toBe(200);
    await stack.drain();
    const id = ((await stack.api.retrieveMultiple({ collection: 'swb_conversations', filter: `swb_customerphone eq '${from}'`, select: ['activityid'] })).value?.[0] as { activityid: string }).activityid;
    expect((await conversation(id)).swb_botstate).toBe(BotState.Holding);
    // The answer check scheduled for the bot's timeout, come due.
    const due = stack.queue.delayed().map((d) => d.body).find((w) => w.kind === 'bot-check' && w.conversationId === id && w.check === 'answer');
    expect(due).toBeDefined();
    await stack.graph.bots.run(due as Extract<typeof due, { kind: 'bot-check' }>);
    await stack.drain();
    const row = await conversation(id);
    expect(row.swb_botstate).toBe(BotState.Failed);
    expect(row.swb_handoffsummary).toMatch(/did not answer in time/);
    expect(row.swb_state).toBe(ConversationState.Waiting);
  });

  it('refuses callbacks that are not signed with the bot\'s secret, for unknown bots, and with bad bodies', async () => {
    const c = await startChat('en-US');
    const raw = JSON.stringify({ id: 'x1', text: 'I am the bot' });
    const at = (bot: string, action = 'messages') => `${stack.baseUrl}/api/bots/${bot}/conversations/${c.id}/${action}`;
    const unsigned = await fetch(at(hookBotId), { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    expect(unsigned.status).toBe(401);
    const forged = await fetch(at(hookBotId), { method: 'POST', headers: { 'content-type': 'application/json', ...signWebhook('not-the-secret', raw, Date.now() / 1000) }, body: raw });
    expect(forged.status).toBe(401);
    // The Direct Line bot has no callback route, and an unknown id is no bot at all.
    expect((await fetch(at(faqBotId), { method: 'POST', headers: signWebhook(DL_SECRET, raw, Date.now() / 1000), body: raw })).status).toBe(404);
    expect((await fetch(at(randomUUID()), { method: 'POST', headers: signWebhook(HOOK_SECRET, raw, Date.now() / 1000), body: raw })).status).toBe(404);
    // Signed by the webhook bot, but this chat is the FAQ bot's: refused, nothing stored.
    const notMine = await fetch(at(hookBotId), { method: 'POST', headers: signWebhook(HOOK_SECRET, raw, Date.now() / 1000), body: raw });
    expect(notMine.status).toBe(409);
    const badBody = JSON.stringify({ id: 'x2' });
    expect((await fetch(at(hookBotId), { method: 'POST', headers: signWebhook(HOOK_SECRET, badBody, Date.now() / 1000), body: badBody })).status).toBe(400);
    expect((await fetch(at(hookBotId, 'delete'), { method: 'POST', headers: signWebhook(HOOK_SECRET, raw, Date.now() / 1000), body: raw })).status).toBe(400);
    expect(await botSaid(c.id)).not.toContain('I am the bot');
  });
});
