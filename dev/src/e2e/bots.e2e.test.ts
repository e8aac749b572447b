// A bot at the front door, through the local stack as people meet it: the help centre's widget
// whose workstream puts the FAQ bot (behind the Direct Line stand-in) first, a support number
// whose workstream does the same for texts, a bot that is down, and the sample webhook bot. The
// bot answers, hands off with what it learnt, routing places the conversation by it, and a person
// carries on with the bot's transcript in front of them. SWB_E2E_ECHO=1 prints the stack's output
// (the functions app's log among it) while the tests run.
import type { Page } from 'playwright-core';
import { AuthorKind, BotState, ChannelType, ConversationState, MessageDirection, OfferResponse, Visibility } from '@switchboard/solution';
import { AGENTS, IDS, workstreamData } from '../seed/demo-data';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { TestWebApi, emulatorStats, until } from './dataverse-client';
import { openAgentWorkspace, startHelpChat, textFromPhone } from './people';
import { startStackProcess, type StackProcess } from './stack-process';

jest.setTimeout(180_000);

const APP_TOKEN = 'switchboard-dev-app-token';
const FAQ_BOT_SECRET = 'faq-bot-dev-secret';

let stack: StackProcess;
let app: TestWebApi;
const browsers: LaunchedBrowser[] = [];
const agent = (key: string) => AGENTS.find((a) => a.key === key)!;

beforeAll(async () => {
  stack = await startStackProcess({ readyTimeoutMs: 150_000, echo: process.env['SWB_E2E_ECHO'] === '1' });
  app = new TestWebApi(stack.dataverseApi, APP_TOKEN);
}, 900_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await stack?.stop();
}, 60_000);

async function browser(): Promise<LaunchedBrowser> {
  const b = await launchBrowser();
  browsers.push(b);
  return b;
}

/** Creates a row as the application user and returns its id (from OData-EntityId, as Dataverse answers a create). */
async function create(entitySet: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${stack.dataverseApi}${entitySet}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${APP_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${entitySet} → ${res.status} ${await res.text()}`);
  const id = /\(([0-9a-f-]{36})\)$/i.exec(res.headers.get('odata-entityid') ?? '')?.[1];
  if (!id) throw new Error(`POST ${entitySet}: no OData-EntityId`);
  return id;
}

/**
 * Makes a routing-configuration change (a workstream created or edited) and waits until it is in
 * effect: the routing-config step has told the functions app, and the app has read the
 * workstreams again since (without that its cached configuration, up to 30 s old, would not know
 * the change yet). The app reads workstreams only to load that configuration.
 */
async function changeRoutingConfig<T>(change: () => Promise<T>): Promise<T> {
  const counts = async () => {
    const stats = await emulatorStats(stack.dataverseApi, APP_TOKEN);
    const steps = Object.entries(stats.webhooks).filter(([name]) => name.startsWith('swb_workstream ') && name.endsWith(': routing-config'));
    return { delivered: steps.reduce((n, [, w]) => n + w.deliveries, 0), reads: stats.callers['switchboard-app@switchboard.dev']?.byEntitySet['swb_workstreams'] ?? 0 };
  };
  const before = await counts();
  const result = await change();
  // One operation on swb_workstreams is the change itself; any further one is the reload.
  await until('the routing configuration to be read again after the change', async () => {
    const now = await counts();
    return now.delivered > before.delivered && now.reads >= before.reads + 2;
  });
  return result;
}

/** The FAQ bot's behaviour on the Direct Line stand-in (its dev hook, authenticated with the bot's secret). */
async function setFaqBotMode(mode: 'up' | 'down'): Promise<void> {
  const res = await fetch(`${stack.directLine}/_directline/bots/faq-bot/mode`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${FAQ_BOT_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mode }),
  });
  expect({ status: res.status, body: await res.json() }).toEqual({ status: 200, body: { mode } });
}

interface ConversationRow {
  activityid: string;
  swb_state: number;
  swb_botstate: number | null;
  _swb_botid_value: string | null;
  _swb_queueid_value: string | null;
  swb_context: string | null;
  swb_handoffsummary: string | null;
}

const CONVERSATION_COLUMNS = 'activityid,swb_state,swb_botstate,_swb_botid_value,_swb_queueid_value,swb_context,swb_handoffsummary';

/** The help-centre chat of the customer who gave that first name (each test uses its own). */
function chatOf(firstname: string): Promise<ConversationRow> {
  return until(`${firstname}'s chat`, async () =>
    (await app.list<ConversationRow>(`swb_conversations?$select=${CONVERSATION_COLUMNS}&$filter=contains(swb_prechatanswers,'${firstname}') and swb_channeltype eq ${ChannelType.LiveChat}`))[0]);
}

function conversation(id: string): Promise<ConversationRow> {
  return app.get<ConversationRow>(`swb_conversations(${id})?$select=${CONVERSATION_COLUMNS}`);
}

interface MessageRow {
  swb_body: string;
  swb_authorkind: number;
  swb_visibility: number;
  swb_direction: number;
}

function messagesOf(conversationId: string): Promise<MessageRow[]> {
  return app.list<MessageRow>(`swb_messages?$select=swb_body,swb_authorkind,swb_visibility,swb_direction&$filter=_swb_conversationid_value eq ${conversationId}&$orderby=swb_sequence asc`);
}

async function pendingOfferOf(conversationId: string): Promise<{ _swb_agentid_value: string }> {
  return until('an offer', async () => {
    const rows = await app.list<{ _swb_agentid_value: string }>(`swb_offers?$select=_swb_agentid_value&$filter=_swb_conversationid_value eq ${conversationId} and swb_response eq ${OfferResponse.Pending}`);
    return rows[0];
  });
}

async function capacityUsed(key: string): Promise<number> {
  return Number((await app.get<{ swb_capacityused: number }>(`swb_agentstatuses(${agent(key).statusId})?$select=swb_capacityused`)).swb_capacityused);
}

/** The agent accepts the offer in their inbox and the conversation opens in their pane. */
async function acceptInInbox(page: Page, customer: string, conversationId: string): Promise<void> {
  await page.getByTestId('agent-inbox').getByRole('button', { name: `Accept the conversation with ${customer}` }).click({ timeout: 30_000 });
  await page.waitForURL(new RegExp(`conversation=${conversationId}`), { timeout: 30_000 });
}

describe('a bot answers first', () => {
  it("a customer on the help centre is answered by the bot, asks for a person, and the billing agent gets the conversation with the bot's transcript and context", async () => {
    const brunoCapacityBefore = await capacityUsed('bruno');
    const customer = await browser();
    const { dialog } = await startHelpChat(customer.context, stack.web, 'Hugo', 'What are your opening hours?');

    // The bot answers in the widget, as the bot.
    await dialog.locator('.msg.bot .text', { hasText: "We're open Monday to Friday from 9 am to 6 pm" }).waitFor({ timeout: 30_000 });
    const chat = await chatOf('Hugo');
    expect(chat).toMatchObject({ swb_state: ConversationState.Open, swb_botstate: BotState.Holding, _swb_botid_value: IDS.bots.faq, _swb_queueid_value: null });
    expect(await messagesOf(chat.activityid)).toEqual(
      expect.arrayContaining([expect.objectContaining({ swb_authorkind: AuthorKind.Bot, swb_visibility: Visibility.Public, swb_body: expect.stringContaining("We're open Monday to Friday") })]),
    );
    // While the bot holds it, nobody is offered it and no agent's capacity goes to it.
    expect(await app.list(`swb_offers?$filter=_swb_conversationid_value eq ${chat.activityid}`)).toEqual([]);
    expect(await capacityUsed('bruno')).toBe(brunoCapacityBefore);

    // Asking for a person about an invoice: the bot hands off with the topic, and the billing rule places it.
    await dialog.getByLabel('Your message').fill('I need to talk to an agent about my invoice');
    await dialog.getByLabel('Your message').press('Enter');
    await dialog.locator('.msg.bot .text', { hasText: "I'm putting you through to a person who can help with your bill." }).waitFor({ timeout: 30_000 });
    const handedOff = await until('the hand-off', async () => {
      const row = await conversation(chat.activityid);
      return row.swb_botstate === BotState.HandedOff && row._swb_queueid_value ? row : undefined;
    });
    expect(handedOff._swb_queueid_value).toBe(IDS.queues.billing);
    expect(JSON.parse(handedOff.swb_context ?? '{}')).toMatchObject({ topic: 'billing' });
    expect(handedOff.swb_handoffsummary).toBe('The customer asks for a person about billing');
    // Bruno is the available one in Billing (Chloé is away).
    expect((await pendingOfferOf(chat.activityid))._swb_agentid_value).toBe(agent('bruno').id);

    // Bruno accepts it and reads what the bot said, marked as the bot's, and its hand-off note.
    const bruno = await openAgentWorkspace((await browser()).context, stack.web, 'bruno');
    await acceptInInbox(bruno, 'Hugo', chat.activityid);
    const pane = bruno.getByTestId('communication-pane');
    await pane.locator('[data-kind="Bot"]', { hasText: "We're open Monday to Friday from 9 am to 6 pm" }).waitFor({ timeout: 30_000 });
    await pane.locator('[data-kind="Bot"]:not([data-internal])', { hasText: "I'm putting you through to a person who can help with your bill." }).waitFor();
    const note = pane.locator('[data-kind="Bot"][data-internal="true"]');
    await note.filter({ hasText: 'The customer asks for a person about billing' }).waitFor();
    expect(await note.textContent()).toContain('topic: billing');
    await pane.locator('[data-kind="Customer"]', { hasText: 'I need to talk to an agent about my invoice' }).waitFor();

    // His reply reaches the customer; the bot's note never does.
    const reply = pane.getByRole('textbox', { name: 'Reply to the customer' });
    await reply.fill('Hi Hugo, Bruno from billing here. Which invoice is it?', { timeout: 30_000 });
    await reply.press('Enter');
    await dialog.locator('.msg.agent .text', { hasText: 'Hi Hugo, Bruno from billing here. Which invoice is it?' }).waitFor({ timeout: 30_000 });
    await expect(dialog.locator('.msg', { hasText: 'The customer asks for a person about billing' }).count()).resolves.toBe(0);
    await until('the conversation to be Bruno\'s', async () => (await conversation(chat.activityid)).swb_state === ConversationState.Active);

    // Bruno consults the bot with an internal "@bot" note: its answer comes back as a note only agents see.
    await pane.getByRole('switch', { name: 'Internal note' }).click();
    const ask = pane.getByRole('textbox', { name: 'Internal note (agents and supervisors only)' });
    await ask.fill('@bot what are your opening hours?');
    await ask.press('Enter');
    await note.filter({ hasText: 'Saturday from 10 am to 4 pm' }).waitFor({ timeout: 30_000 });
    await pane.getByRole('switch', { name: 'Internal note' }).click();
    await reply.fill('We open at 10 on Saturdays, by the way.');
    await reply.press('Enter');
    await dialog.locator('.msg.agent .text', { hasText: 'We open at 10 on Saturdays, by the way.' }).waitFor({ timeout: 30_000 });
    await expect(dialog.locator('.msg .text', { hasText: 'Saturday from 10 am to 4 pm' }).count()).resolves.toBe(1);
    await bruno.close();
  });

  it("a French customer texting a number whose workstream puts the bot first is answered in French by SMS and handed to a person on 'conseiller'", async () => {
    const workstream = await changeRoutingConfig(() => create('swb_workstreams', workstreamData('SMS (bot first)', 'sms', IDS.queues.sms, { 'swb_botid@odata.bind': `/swb_bots(${IDS.bots.faq})` })));
    await app.patch(`swb_channels(${IDS.channels.telesign})`, { 'swb_workstreamid@odata.bind': `/swb_workstreams(${workstream})` });
    try {
      const phone = '06 12 34 56 78';
      const texts = async () => {
        const t = (await (await fetch(`${stack.web}/phone/api/thread?provider=telesign&from=${encodeURIComponent(phone)}`)).json()) as { entries: { direction: string; body: string }[] };
        return t.entries.filter((e) => e.direction === 'out').map((e) => e.body);
      };
      const sent = await textFromPhone(stack.web, phone, 'Bonjour, quels sont vos horaires ?', 'telesign');
      expect({ status: sent.status, detail: sent.detail }).toEqual({ status: 200, detail: undefined });

      const hours = 'Nous sommes ouverts du lundi au vendredi de 9 h à 18 h';
      await until('the bot\'s French answer on the phone', async () => (await texts()).some((b) => b.startsWith(hours)), 30_000);
      const [sms] = await app.list<ConversationRow>(`swb_conversations?$select=${CONVERSATION_COLUMNS}&$filter=swb_customerphone eq '${sent.customer}'&$orderby=createdon desc&$top=1`);
      expect(sms).toMatchObject({ swb_botstate: BotState.Holding, _swb_botid_value: IDS.bots.faq, _swb_queueid_value: null });
      const stored = await messagesOf(sms!.activityid);
      expect(stored).toEqual(expect.arrayContaining([expect.objectContaining({ swb_authorkind: AuthorKind.Bot, swb_direction: MessageDirection.Outbound, swb_body: expect.stringContaining(hours) })]));
      // No "an agent will reply soon" while the bot answers.
      expect(await texts()).not.toContain('Merci pour votre message, un conseiller vous répondra bientôt.');

      expect((await textFromPhone(stack.web, phone, 'conseiller', 'telesign')).status).toBe(200);
      await until('the bot\'s hand-off text on the phone', async () => (await texts()).includes('Je vous mets en relation avec un conseiller. Quelqu\'un va vous répondre dans un instant.'), 30_000);
      const handedOff = await until('the hand-off to the SMS queue', async () => {
        const row = await conversation(sms!.activityid);
        return row.swb_botstate === BotState.HandedOff && row._swb_queueid_value ? row : undefined;
      });
      expect(handedOff._swb_queueid_value).toBe(IDS.queues.sms);
      // Alice is the available one in the SMS queue.
      expect((await pendingOfferOf(sms!.activityid))._swb_agentid_value).toBe(agent('alice').id);
      expect(handedOff.swb_handoffsummary).toBe('The customer asks for a person');
      // No subject was given: nothing sends it anywhere but the workstream's fallback queue.
      expect(JSON.parse(handedOff.swb_context ?? '{}')).not.toHaveProperty('topic');
      const note = (await messagesOf(sms!.activityid)).find((m) => m.swb_authorkind === AuthorKind.Bot && m.swb_visibility === Visibility.Internal);
      expect(note?.swb_body).toMatch(/^The customer asks for a person\n/);
    } finally {
      await app.patch(`swb_channels(${IDS.channels.telesign})`, { 'swb_workstreamid@odata.bind': `/swb_workstreams(${IDS.workstreams.sms})` });
    }
  });

  it('a bot that is down hands the chat to a person at once', async () => {
    await setFaqBotMode('down');
    try {
      const customer = await browser();
      const { dialog } = await startHelpChat(customer.context, stack.web, 'Lucie', 'Hello, is anyone there?');
      const chat = await chatOf('Lucie');
      const failed = await until('the bot\'s failure to hand it over', async () => {
        const row = await conversation(chat.activityid);
        return row.swb_botstate === BotState.Failed && row._swb_queueid_value ? row : undefined;
      });
      expect(failed._swb_queueid_value).toBe(IDS.queues.web);
      expect(failed.swb_handoffsummary).toBe('The bot could not be reached, so a person takes over.');
      const note = (await messagesOf(chat.activityid)).find((m) => m.swb_authorkind === AuthorKind.Bot && m.swb_visibility === Visibility.Internal);
      expect(note?.swb_body).toBe('The bot could not be reached, so a person takes over.');

      // A person answers: whoever of Web support was offered it accepts it and replies.
      const offer = await pendingOfferOf(chat.activityid);
      const key = AGENTS.find((a) => a.id === offer._swb_agentid_value)!.key;
      const desk = await openAgentWorkspace((await browser()).context, stack.web, key);
      await acceptInInbox(desk, 'Lucie', chat.activityid);
      const pane = desk.getByTestId('communication-pane');
      await pane.locator('[data-kind="Bot"][data-internal="true"]', { hasText: 'The bot could not be reached' }).waitFor({ timeout: 30_000 });
      await dialog.getByLabel('Your message').fill('Are you a person?');
      await dialog.getByLabel('Your message').press('Enter');
      await pane.locator('[data-kind="Customer"]', { hasText: 'Are you a person?' }).waitFor({ timeout: 30_000 });
      const reply = pane.getByRole('textbox', { name: 'Reply to the customer' });
      await reply.fill('Yes, I am here to help.', { timeout: 30_000 });
      await reply.press('Enter');
      await dialog.locator('.msg.agent .text', { hasText: 'Yes, I am here to help.' }).waitFor({ timeout: 30_000 });
      await desk.close();
    } finally {
      await setFaqBotMode('up');
    }
  });

  it('the sample webhook bot answers a help-centre chat by signed callbacks and hands it to Billing when the customer asks for an agent about a refund', async () => {
    // The help centre's workstream puts the webhook bot first for this test.
    await changeRoutingConfig(() => app.patch(`swb_workstreams(${IDS.workstreams.botChat})`, { 'swb_botid@odata.bind': `/swb_bots(${IDS.bots.webhook})` }));
    try {
      const customer = await browser();
      const { dialog } = await startHelpChat(customer.context, stack.web, 'Margaux', 'When are you open?');
      await dialog.locator('.msg.bot .text', { hasText: "We're open Monday to Friday from 9 am to 6 pm" }).waitFor({ timeout: 30_000 });
      const chat = await chatOf('Margaux');
      expect(chat).toMatchObject({ swb_botstate: BotState.Holding, _swb_botid_value: IDS.bots.webhook, _swb_queueid_value: null });

      await dialog.getByLabel('Your message').fill('Can I speak to an agent about a refund?');
      await dialog.getByLabel('Your message').press('Enter');
      await dialog.locator('.msg.bot .text', { hasText: "I'm putting you through to a person who can help with your bill." }).waitFor({ timeout: 30_000 });
      const handedOff = await until('the hand-off', async () => {
        const row = await conversation(chat.activityid);
        return row.swb_botstate === BotState.HandedOff && row._swb_queueid_value ? row : undefined;
      });
      expect(handedOff._swb_queueid_value).toBe(IDS.queues.billing);
      expect(JSON.parse(handedOff.swb_context ?? '{}')).toMatchObject({ topic: 'billing' });
      expect(handedOff.swb_handoffsummary).toBe('The customer asks for a person about billing');
      expect((await pendingOfferOf(chat.activityid))._swb_agentid_value).toBe(agent('bruno').id);
      // Each of the bot's answers was stored once, as the bot's.
      const fromBot = (await messagesOf(chat.activityid)).filter((m) => m.swb_authorkind === AuthorKind.Bot && m.swb_visibility === Visibility.Public).map((m) => m.swb_body);
      expect(fromBot.length).toBe(new Set(fromBot).size);
      expect(fromBot).toEqual(expect.arrayContaining([expect.stringContaining("We're open Monday to Friday"), "I'm putting you through to a person who can help with your bill. Someone will be with you shortly."]));
    } finally {
      await changeRoutingConfig(() => app.patch(`swb_workstreams(${IDS.workstreams.botChat})`, { 'swb_botid@odata.bind': `/swb_bots(${IDS.bots.faq})` }));
    }
  });
});
