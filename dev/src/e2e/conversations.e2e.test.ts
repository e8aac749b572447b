// Whole conversations through the local stack as people use it: `npm start`'s entry point
// on free ports, the real widget in chromium on the demo shop, the real PCF bundles in the
// agent workspace, SMS through the phone simulator. Then Ctrl-C, and nothing may be left.
import type { Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { BasePresence, OfferResponse } from '@switchboard/solution';
import { AGENTS, CONTACTS, IDS } from '../seed/demo-data';
import { TestWebApi, until } from './dataverse-client';
import { groupAlive, isRunning, startStackProcess, type StackProcess } from './stack-process';

jest.setTimeout(120_000);

let stack: StackProcess;
let browser: LaunchedBrowser;
let app: TestWebApi;
const agent = (key: string) => AGENTS.find((a) => a.key === key)!;

beforeAll(async () => {
  stack = await startStackProcess({ readyTimeoutMs: 150_000 });
  app = new TestWebApi(stack.dataverseApi, 'switchboard-dev-app-token');
  browser = await launchBrowser();
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

async function setPresence(key: string, presence: BasePresence): Promise<void> {
  // The agent's own choice, written as that agent (what the inbox's presence menu writes).
  await new TestWebApi(stack.dataverseApi, agent(key).token).patch(`swb_agentstatuses(${agent(key).statusId})`, { swb_basepresence: presence, swb_manualoverride: true });
}

async function openWorkspace(key: string, conversationId?: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${stack.web}/workspace/agent?agent=${key}${conversationId ? `&conversation=${conversationId}` : ''}`);
  await page.getByTestId('agent-inbox').waitFor({ timeout: 30_000 });
  return page;
}

interface ConversationRef {
  activityid: string;
  _swb_queueid_value: string | null;
}

async function routedConversationOf(customerId: string): Promise<ConversationRef> {
  return until('the conversation to be identified and queued', async () => {
    const rows = await app.list<ConversationRef>(`swb_conversations?$select=activityid,_swb_queueid_value&$filter=_swb_customerid_value eq ${customerId}`);
    return rows[0]?._swb_queueid_value ? rows[0] : undefined;
  });
}

async function pendingOfferOf(conversationId: string): Promise<{ _swb_agentid_value: string }> {
  return until('an offer', async () => {
    const rows = await app.list<{ _swb_agentid_value: string }>(`swb_offers?$select=_swb_agentid_value&$filter=_swb_conversationid_value eq ${conversationId} and swb_response eq ${OfferResponse.Pending}`);
    return rows[0];
  });
}

describe('the local stack', () => {
  it('the workspace hosts the built PCF controls as the chosen agent, reading the emulator with that agent\'s token', async () => {
    const page = await openWorkspace('alice');
    await page.getByRole('combobox', { name: 'My presence' }).waitFor();
    await expect(page.getByRole('combobox', { name: 'My presence' }).textContent()).resolves.toContain('Available');
    // Chloé works in French: the controls get their 1036 strings, as on a French user's form.
    const chloe = await browser.context.newPage();
    await chloe.goto(`${stack.web}/workspace/agent?agent=chloe&lang=fr`);
    await chloe.getByRole('combobox', { name: 'Ma présence' }).waitFor({ timeout: 30_000 });
    await expect(chloe.getByRole('combobox', { name: 'Ma présence' }).textContent()).resolves.toContain('Absent');
    await page.close();
    await chloe.close();
  });

  it('a chat whose pre-chat answers match a contact is identified, queued in Web support and offered to the one available agent of that queue, who accepts it in her inbox; her reply reaches the widget on the cart page, her internal note never does, and the session timer runs', async () => {
    await setPresence('bruno', BasePresence.Away);
    const camille = CONTACTS[0]!;
    const shop = await browser.context.newPage();
    await shop.goto(`${stack.web}/shop`);
    await shop.getByRole('button', { name: 'Chat with us' }).click();
    const dialog = shop.getByRole('dialog', { name: 'Chat with us' });
    await dialog.getByLabel('First name').fill(camille.firstname);
    await dialog.getByLabel('Email').fill(camille.emailaddress1);
    await dialog.getByRole('button', { name: 'Start chat' }).click();
    await dialog.getByLabel('Your message').fill('Hello, where is my tent?');
    await dialog.getByLabel('Your message').press('Enter');

    const conversation = await routedConversationOf(camille.id);
    expect(conversation._swb_queueid_value).toBe(IDS.queues.web);
    // Bruno has more capacity left but is away; Alice is the available one.
    expect((await pendingOfferOf(conversation.activityid))._swb_agentid_value).toBe(agent('alice').id);
    await dialog.locator('.msg.customer:not(.pending) .text', { hasText: 'Hello, where is my tent?' }).waitFor();
    // The demo shop's second page: the widget keeps the same conversation across navigation.
    await shop.getByRole('link', { name: 'Cart', exact: true }).click();
    await shop.waitForURL(/\/shop\/cart$/);
    await shop.getByRole('dialog', { name: 'Chat with us' }).locator('.msg.customer .text', { hasText: 'Hello, where is my tent?' }).waitFor();

    // Alice answers the offer herself: a real click on Accept in her inbox, which opens the conversation.
    const alice = await openWorkspace('alice');
    await alice.getByTestId('agent-inbox').getByRole('button', { name: /^Accept / }).click({ timeout: 30_000 });
    await alice.waitForURL(new RegExp(`conversation=${conversation.activityid}`), { timeout: 30_000 });
    const pane = alice.getByTestId('communication-pane');
    await pane.getByText('Hello, where is my tent?').waitFor({ timeout: 30_000 });
    await alice.getByText('Camille Bernard').first().waitFor();
    // The offer-response step runs asynchronously through the functions host: Active, Alice primary and owner.
    await until('the conversation to be active with Alice as owner', async () => {
      const rows = await app.list<{ _ownerid_value: string; _swb_primaryagentid_value: string | null }>(`swb_conversations?$select=_ownerid_value,_swb_primaryagentid_value&$filter=activityid eq ${conversation.activityid}`);
      return rows[0]?._ownerid_value === agent('alice').id && rows[0]._swb_primaryagentid_value === agent('alice').id ? rows[0] : undefined;
    }, 30_000);

    const widget = shop.getByRole('dialog', { name: 'Chat with us' });
    const reply = pane.getByRole('textbox', { name: 'Reply to the customer' });
    await reply.fill('Hi Camille, it ships tomorrow.', { timeout: 30_000 });
    await reply.press('Enter');
    await widget.locator('.msg.agent .text', { hasText: 'Hi Camille, it ships tomorrow.' }).waitFor({ timeout: 30_000 });

    // An internal note, then a later public reply: once the later reply is on the widget, the note would be too if it leaked.
    await pane.getByRole('switch', { name: 'Internal note' }).click();
    const note = pane.getByRole('textbox', { name: 'Internal note (agents and supervisors only)' });
    await note.fill('Note: customer asked twice, check the warehouse.');
    await note.press('Enter');
    await pane.getByText('Note: customer asked twice, check the warehouse.').waitFor({ timeout: 30_000 });
    await pane.getByRole('switch', { name: 'Internal note' }).click();
    await reply.fill('Anything else I can help with?');
    await reply.press('Enter');
    await widget.locator('.msg.agent .text', { hasText: 'Anything else I can help with?' }).waitFor({ timeout: 30_000 });
    const widgetText = await shop.evaluate(() => {
      const texts: string[] = [];
      for (const host of Array.from(document.querySelectorAll('*'))) if (host.shadowRoot) texts.push(host.shadowRoot.textContent ?? '');
      return texts.join('\n');
    });
    expect(widgetText).toContain('Anything else I can help with?');
    expect(widgetText).not.toContain('check the warehouse');

    // The workspace mounts the session timer beside the pane: once active it shows a running time.
    const timer = alice.locator('#timer').getByRole('timer').first();
    await timer.waitFor({ timeout: 30_000 });
    const first = await until('the session timer to show a time', async () => /\d+:\d\d/.exec((await timer.textContent()) ?? '')?.[0], 30_000);
    await until('the session timer to move on', async () => ((await timer.textContent()) ?? '').includes(first) ? undefined : true, 30_000);
    await shop.close();
    await alice.close();
    await setPresence('bruno', BasePresence.Available);
  });

  it('an SMS typed with a local number identifies the contact and is offered in the SMS queue; after STOP the number is opted out and nothing more is sent', async () => {
    const emile = CONTACTS[2]!;
    const typed = '06 98 76 54 32';
    const send = async (body: string) => {
      const res = await fetch(`${stack.web}/phone/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'telesign', from: typed, body }) });
      expect(((await res.json()) as { status: number }).status).toBe(200);
    };
    const outbound = async () => {
      const t = (await (await fetch(`${stack.web}/phone/api/thread?provider=telesign&from=${encodeURIComponent(typed)}`)).json()) as { entries: { direction: string; body: string }[] };
      return t.entries.filter((e) => e.direction === 'out').map((e) => e.body);
    };
    await send('Bonjour, ma commande ?');
    const conversation = await routedConversationOf(emile.id);
    expect(conversation._swb_queueid_value).toBe(IDS.queues.sms);
    expect((await pendingOfferOf(conversation.activityid))._swb_agentid_value).toBe(agent('alice').id);
    await until('the automatic reply on the simulator', async () => (await outbound()).includes('Thanks for your message, an agent will reply soon.'));

    await send('STOP');
    await until('the opt-out', async () => (await app.list(`swb_optouts?$filter=swb_phonenumber eq '${emile.mobilephone}' and swb_isoptedout eq true`)).length === 1);
    await until('the unsubscribe confirmation', async () => (await outbound()).some((b) => /unsubscribed/i.test(b)));
    const sentBefore = (await outbound()).length;
    await send('Toujours là ?');
    await until('the message to be stored', async () => (await app.list(`swb_messages?$filter=_swb_conversationid_value eq ${conversation.activityid} and swb_body eq 'Toujours là ?'`)).length === 1);
    // Anything triggered by that message would have gone out within a couple of seconds.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await outbound()).length).toBe(sentBefore);
  });

  it.each(['twilio', 'telesign', 'acs'] as const)('an SMS from the simulator through %s is accepted by the functions app (signed as the provider signs) and the automatic reply comes back through the provider stand-in', async (provider) => {
    const from = provider === 'twilio' ? '(317) 555-0147' : provider === 'telesign' ? '06 98 76 54 32' : '07400 123456';
    const res = await fetch(`${stack.web}/phone/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider, from, body: `Hello via ${provider}` }) });
    const sent = (await res.json()) as { status: number; customer: string; detail?: string };
    expect({ status: sent.status, detail: sent.detail }).toEqual({ status: 200, detail: undefined });
    const thread = await until(`the automatic reply on ${provider}`, async () => {
      const t = (await (await fetch(`${stack.web}/phone/api/thread?provider=${provider}&from=${encodeURIComponent(from)}`)).json()) as { entries: { direction: string; body: string }[] };
      return t.entries.some((e) => e.direction === 'out') ? t.entries : undefined;
    });
    expect(thread.find((e) => e.direction === 'out')?.body).toBe('Thanks for your message, an agent will reply soon.');
  });

  it('Ctrl-C stops every process the stack started and frees its ports', async () => {
    const pids = stack.pids;
    expect(pids.length).toBeGreaterThanOrEqual(4);
    const code = await stack.stop();
    expect(code).toBe(0);
    // Each service ran in its own process group (tsx runs scripts in a child node): none may be left.
    await until('every stack process and its children to exit', () => pids.every((p) => !isRunning(p) && !groupAlive(p)), 10_000);
    await expect(fetch(`${stack.web}/health`)).rejects.toThrow();
    await expect(fetch(`${stack.functions}/api/health`)).rejects.toThrow();
  });
});
