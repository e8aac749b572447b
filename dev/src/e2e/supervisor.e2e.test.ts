// The supervisor's desk through the local stack as people use it: `npm start`'s entry point on
// free ports, the real SupervisorDesk bundle as Sam Leroy (Switchboard Supervisor, member of the
// three demo queues), the real widget on the demo shop, the agents' real workspaces. A chat
// arrives and waits, is offered and taken; Sam monitors it (the customer and the agent see
// nothing), joins it, assigns a second waiting chat to the agent he picks, force-closes the
// first; each agent's pane follows. Then Ctrl-C, and nothing may be left.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { BasePresence, ChannelType, ConversationState, SupervisorAction } from '@switchboard/solution';
import { AGENTS, CONTACTS } from '../seed/demo-data';
import { REPO_ROOT } from '../stack/config';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { TestWebApi, until } from './dataverse-client';
import { openAgentWorkspace, setPresenceAs, startShopChat } from './people';
import { groupAlive, isRunning, startStackProcess, type StackProcess } from './stack-process';

jest.setTimeout(120_000);

/** Set SWB_E2E_SCREENSHOTS=1 to write what the supervisor sees to docs/supervisor/. */
const SHOTS = process.env['SWB_E2E_SCREENSHOTS'] === '1' ? path.join(REPO_ROOT, 'docs', 'supervisor') : null;

let stack: StackProcess;
let browser: LaunchedBrowser;
const customers: LaunchedBrowser[] = [];
let app: TestWebApi;
let desk: Page;
const agent = (key: string) => AGENTS.find((a) => a.key === key)!;
const camille = CONTACTS[0]!;
const dana = CONTACTS[1]!;
let first: string;
let second: string;
let camilleShop: Page;

beforeAll(async () => {
  stack = await startStackProcess({ readyTimeoutMs: 150_000 });
  app = new TestWebApi(stack.dataverseApi, 'switchboard-dev-app-token');
  browser = await launchBrowser({ viewport: { width: 1500, height: 950 } });
  if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
}, 900_000);

afterAll(async () => {
  for (const c of customers) await c.close();
  await browser?.close();
  await stack?.stop();
}, 60_000);

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

async function setPresence(key: string, presence: BasePresence): Promise<void> {
  await setPresenceAs(stack.dataverseApi, key, presence);
}

function openWorkspace(key: string, conversationId?: string): Promise<Page> {
  return openAgentWorkspace(browser.context, stack.web, key, conversationId);
}

/** A customer on their own browser (the widget keeps one conversation per browser, across pages). */
async function startChat(contact: { firstname: string; emailaddress1: string }, message: string): Promise<{ shop: Page; dialog: Locator }> {
  const own = await launchBrowser();
  customers.push(own);
  return startShopChat(own.context, stack.web, { firstname: contact.firstname, email: contact.emailaddress1 }, message);
}

async function conversationOf(customerId: string): Promise<string> {
  return until('the chat to be stored and queued', async () => {
    const rows = await app.list<{ activityid: string; _swb_queueid_value: string | null }>(`swb_conversations?$select=activityid,_swb_queueid_value&$filter=_swb_customerid_value eq ${customerId} and swb_channeltype eq ${ChannelType.LiveChat}&$orderby=createdon desc&$top=1`);
    return rows[0]?._swb_queueid_value ? rows[0].activityid : undefined;
  });
}

const conversation = (id: string) => app.get<{ swb_state: number; _swb_primaryagentid_value: string | null; _ownerid_value: string }>(`swb_conversations(${id})?$select=swb_state,_swb_primaryagentid_value,_ownerid_value`);

/** The desk's row for a customer (an item of the virtualised list of ongoing conversations). */
const deskRow = (customer: string) => desk.getByRole('list', { name: 'Ongoing conversations' }).getByRole('listitem').filter({ hasText: customer });

/** Everything the widget shows the customer (its shadow DOM). */
const widgetText = (shop: Page) =>
  shop.evaluate(() => {
    const texts: string[] = [];
    for (const host of Array.from(document.querySelectorAll('*'))) if (host.shadowRoot) texts.push(host.shadowRoot.textContent ?? '');
    return texts.join('\n');
  });

const audits = (conversationId: string) =>
  app.list<{ swb_action: number; _swb_supervisorid_value: string; _swb_agentid_value: string | null; swb_forced: boolean | null }>(
    `swb_supervisoractions?$select=swb_action,_swb_supervisorid_value,_swb_agentid_value,swb_forced&$filter=_swb_conversationid_value eq ${conversationId}&$orderby=createdon asc`,
  );

describe("the supervisor's desk on the local stack", () => {
  it('a chat that arrives while nobody is available shows as waiting on the desk; once offered and accepted it shows as active with its agent', async () => {
    await setPresence('alice', BasePresence.Away);
    await setPresence('bruno', BasePresence.Away);
    desk = await browser.context.newPage();
    await desk.goto(`${stack.web}/workspace/supervisor?poll=2`);
    await desk.getByTestId('supervisor-desk').waitFor({ timeout: 30_000 });
    await desk.getByRole('tab', { name: /^Ongoing conversations/ }).waitFor({ timeout: 30_000 });

    ({ shop: camilleShop } = await startChat(camille, 'Hello, where is my tent?'));
    first = await conversationOf(camille.id);
    await deskRow('Camille Bernard').filter({ hasText: 'Waiting' }).filter({ hasText: 'Nobody yet' }).waitFor({ timeout: 30_000 });
    await desk.getByTestId('queues-table').getByRole('row', { name: /Web support/ }).locator('[data-figure="waiting"]', { hasText: '1' }).waitFor();
    await shot(desk, 'desk-waiting');

    // Alice becomes available: routing offers it to her, the desk says so, she accepts in her inbox.
    await setPresence('alice', BasePresence.Available);
    await deskRow('Camille Bernard').filter({ hasText: 'Offered to Alice Martin' }).waitFor({ timeout: 30_000 });
    const alice = await openWorkspace('alice');
    await alice.getByTestId('agent-inbox').getByRole('button', { name: /^Accept / }).click({ timeout: 30_000 });
    await alice.waitForURL(new RegExp(`conversation=${first}`), { timeout: 30_000 });
    await deskRow('Camille Bernard').filter({ hasText: 'Active' }).filter({ hasText: 'Alice Martin' }).waitFor({ timeout: 30_000 });
    await alice.getByTestId('communication-pane').getByRole('textbox', { name: 'Reply to the customer' }).fill('Hi Camille, let me check.', { timeout: 30_000 });
    await alice.getByTestId('communication-pane').getByRole('textbox', { name: 'Reply to the customer' }).press('Enter');
    await camilleShop.getByRole('dialog', { name: 'Chat with us' }).locator('.msg.agent .text', { hasText: 'Hi Camille, let me check.' }).waitFor({ timeout: 30_000 });
    await alice.close();
  });

  it('monitoring is silent: the supervisor reads the live transcript, the widget and the agent see nothing, the audit trail has it', async () => {
    const alice = await openWorkspace('alice', first);
    const pane = alice.getByTestId('communication-pane');
    await pane.getByText('Hi Camille, let me check.', { exact: true }).waitFor({ timeout: 30_000 });
    const widgetBefore = await widgetText(camilleShop);

    await deskRow('Camille Bernard').getByRole('button', { name: 'Monitor the conversation with Camille Bernard' }).click();
    const panel = desk.getByTestId('monitor-panel');
    await panel.getByText('Hello, where is my tent?', { exact: true }).waitFor({ timeout: 30_000 });
    await panel.getByText('Hi Camille, let me check.', { exact: true }).waitFor({ timeout: 30_000 });
    await panel.getByText('Silent: neither the customer nor the agent is told.', { exact: true }).waitFor();
    // The customer writes again: the supervisor reads it live.
    await camilleShop.getByRole('dialog', { name: 'Chat with us' }).getByLabel('Your message').fill('It was for a trip on Friday.');
    await camilleShop.getByRole('dialog', { name: 'Chat with us' }).getByLabel('Your message').press('Enter');
    await panel.getByText('It was for a trip on Friday.', { exact: true }).waitFor({ timeout: 30_000 });
    await shot(desk, 'desk-monitoring');

    expect((await audits(first)).map((a) => [a.swb_action, a._swb_supervisorid_value])).toEqual([[SupervisorAction.Monitor, agent('sam').id]]);
    // Anything the monitor wrote would have reached the pane (2 s poll) and the widget by now.
    await pane.getByText('It was for a trip on Friday.', { exact: true }).waitFor({ timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await pane.getByText(/Sam Leroy|supervisor/i).count()).toBe(0);
    const widgetAfter = await widgetText(camilleShop);
    expect(widgetAfter.replace(widgetBefore, '')).not.toMatch(/Sam|supervis|monitor/i);
    expect(widgetAfter).not.toMatch(/Sam Leroy|supervisor/i);
    await alice.close();
  });

  it('joining makes the supervisor a consultant: the agent reads that he joined and his internal note; the customer never does', async () => {
    const alice = await openWorkspace('alice', first);
    const pane = alice.getByTestId('communication-pane');
    await pane.getByText('It was for a trip on Friday.', { exact: true }).waitFor({ timeout: 30_000 });
    await deskRow('Camille Bernard').getByRole('button', { name: 'More actions for Camille Bernard' }).click();
    await desk.getByRole('menuitem', { name: 'Join' }).click();
    const panel = desk.getByTestId('monitor-panel');
    await panel.getByText(/You joined as a consultant/).waitFor({ timeout: 30_000 });
    await pane.getByText('Sam Leroy (supervisor) joined the conversation.', { exact: true }).waitFor({ timeout: 30_000 });
    await panel.getByRole('textbox', { name: 'Internal note' }).fill('Offer express shipping, it is on us.');
    await panel.getByRole('button', { name: 'Add note' }).click();
    await pane.getByText('Offer express shipping, it is on us.', { exact: true }).waitFor({ timeout: 30_000 });
    await deskRow('Camille Bernard').filter({ hasText: 'Sam Leroy' }).waitFor({ timeout: 30_000 });
    // A later public reply reaches the widget: the join and the note, written before it, would have too.
    await pane.getByRole('textbox', { name: 'Reply to the customer' }).fill('Good news: express shipping for Friday.');
    await pane.getByRole('textbox', { name: 'Reply to the customer' }).press('Enter');
    await camilleShop.getByRole('dialog', { name: 'Chat with us' }).locator('.msg.agent .text', { hasText: 'Good news: express shipping for Friday.' }).waitFor({ timeout: 30_000 });
    expect(await widgetText(camilleShop)).not.toMatch(/Sam Leroy|supervisor|express shipping, it is on us/i);
    expect((await audits(first)).map((a) => a.swb_action)).toEqual([SupervisorAction.Monitor, SupervisorAction.Join]);
    await shot(alice, 'agent-pane-after-join');
    await alice.close();
  });

  it('a second chat waits (Alice is busy with a do-not-disturb, Bruno away); the supervisor assigns it to Bruno, whose workspace takes it up', async () => {
    await setPresence('alice', BasePresence.DoNotDisturb);
    const { shop: danaShop } = await startChat(dana, 'Do you ship to Canada?');
    second = await conversationOf(dana.id);
    await deskRow('Dana Whitfield').filter({ hasText: 'Waiting' }).waitFor({ timeout: 30_000 });
    // Routing had its chance and offered it to nobody.
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await conversation(second)).swb_state).toBe(ConversationState.Waiting);

    // An agent going around the desk, straight to the Web API, is refused by Dataverse.
    const refused = await fetch(`${stack.dataverseApi}swb_conversations(${second})`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${agent('bruno').token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ swb_state: ConversationState.Active, 'swb_primaryagentid@odata.bind': `/systemusers(${agent('bruno').id})` }),
    });
    expect([refused.status >= 400, refused.status < 500]).toEqual([true, true]);
    expect((await conversation(second)).swb_state).toBe(ConversationState.Waiting);

    await deskRow('Dana Whitfield').getByRole('button', { name: 'More actions for Dana Whitfield' }).click();
    await desk.getByRole('menuitem', { name: 'Assign…' }).click();
    const dialog = desk.getByRole('dialog', { name: 'Assign the conversation with Dana Whitfield' });
    await dialog.getByRole('combobox', { name: 'Agent' }).selectOption({ value: agent('bruno').id });
    await shot(desk, 'desk-assign');
    await dialog.getByRole('button', { name: 'Assign' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    await until('Dana\'s chat to be active with Bruno, who owns it', async () => {
      const row = await conversation(second);
      return row.swb_state === ConversationState.Active && row._swb_primaryagentid_value === agent('bruno').id && row._ownerid_value === agent('bruno').id;
    });
    await deskRow('Dana Whitfield').filter({ hasText: 'Active' }).filter({ hasText: 'Bruno Petit' }).waitFor({ timeout: 30_000 });
    expect(await audits(second)).toEqual([expect.objectContaining({ swb_action: SupervisorAction.Assign, _swb_agentid_value: agent('bruno').id, swb_forced: false })]);

    const bruno = await openWorkspace('bruno');
    await bruno.getByTestId('agent-inbox').getByRole('button', { name: 'Resume the conversation with Dana Whitfield' }).click({ timeout: 30_000 });
    const pane = bruno.getByTestId('communication-pane');
    await pane.getByText('Do you ship to Canada?', { exact: true }).waitFor({ timeout: 30_000 });
    await pane.getByText('Sam Leroy (supervisor) assigned this conversation to Bruno Petit.', { exact: true }).waitFor({ timeout: 30_000 });
    await pane.getByRole('textbox', { name: 'Reply to the customer' }).fill('Yes, we ship to Canada.');
    await pane.getByRole('textbox', { name: 'Reply to the customer' }).press('Enter');
    await danaShop.getByRole('dialog', { name: 'Chat with us' }).locator('.msg.agent .text', { hasText: 'Yes, we ship to Canada.' }).waitFor({ timeout: 30_000 });
    await bruno.close();
  });

  it("the supervisor force-closes the first chat: Alice's pane and inbox follow, the widget says the chat ended, the desk drops it", async () => {
    const alice = await openWorkspace('alice', first);
    const pane = alice.getByTestId('communication-pane');
    await pane.getByText('Good news: express shipping for Friday.', { exact: true }).waitFor({ timeout: 30_000 });
    await deskRow('Camille Bernard').getByRole('button', { name: 'More actions for Camille Bernard' }).click();
    await desk.getByRole('menuitem', { name: 'Force close' }).click();
    const confirm = desk.getByRole('alertdialog', { name: 'Force close the conversation with Camille Bernard?' });
    await confirm.getByRole('button', { name: 'Force close' }).click();
    await until('the conversation to be closed', async () => (await conversation(first)).swb_state === ConversationState.Closed);
    await pane.getByText('Sam Leroy (supervisor) closed this conversation.', { exact: true }).waitFor({ timeout: 30_000 });
    await alice.getByTestId('agent-inbox').getByRole('button', { name: 'Resume the conversation with Camille Bernard' }).waitFor({ state: 'detached', timeout: 30_000 });
    await camilleShop.getByRole('dialog', { name: 'Chat with us' }).getByText('This chat has ended. Thank you!').waitFor({ timeout: 30_000 });
    await until('the desk to drop the closed chat', async () => (await deskRow('Camille Bernard').count()) === 0);
    await desk.getByTestId('monitor-panel').getByText('This conversation is no longer ongoing in your queues.').waitFor({ timeout: 30_000 });
    expect((await audits(first)).map((a) => a.swb_action)).toEqual([SupervisorAction.Monitor, SupervisorAction.Join, SupervisorAction.ForceClose]);
    // Alice's capacity is released: she held Camille's chat, and nothing else.
    await until("Alice's capacity to be released", async () => (await app.get<{ swb_capacityused: number }>(`swb_agentstatuses(${agent('alice').statusId})?$select=swb_capacityused`)).swb_capacityused === 0);
    await shot(desk, 'desk-after-close');
    await alice.close();
  });

  it("the agents tab lists every agent of the supervisor's queues; the supervisor sets Chloé's presence and signs her out", async () => {
    await desk.getByRole('tab', { name: /^Agents/ }).click();
    const chloe = desk.getByRole('listitem').filter({ hasText: 'Chloé Durand' });
    await chloe.waitFor({ timeout: 30_000 });
    await chloe.getByRole('combobox', { name: 'Presence of Chloé Durand' }).selectOption({ label: 'Available' });
    await until("Chloé's presence to be set", async () => (await app.get<{ swb_basepresence: number }>(`swb_agentstatuses(${agent('chloe').statusId})?$select=swb_basepresence`)).swb_basepresence === BasePresence.Available);
    await chloe.getByRole('button', { name: 'Sign Chloé Durand out' }).click();
    await chloe.getByText('signed out').waitFor({ timeout: 30_000 });
    await shot(desk, 'desk-agents');
    // The audit rows come from an async step: the desk may show "signed out" before the second lands.
    const recorded = await until('both audit rows', async () => {
      const rows = await app.list<{ swb_action: number }>(`swb_supervisoractions?$select=swb_action&$filter=_swb_agentid_value eq ${agent('chloe').id}`);
      return rows.length >= 2 ? rows : undefined;
    });
    expect(recorded.map((r) => r.swb_action).sort()).toEqual([SupervisorAction.SetPresence, SupervisorAction.SignOut]);
  });

  it('an agent opening the desk is told it needs the Supervisor role, and reads nothing', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${stack.web}/workspace/supervisor?as=alice`);
    await page.getByText('The supervisor desk needs the Switchboard Supervisor role.').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('listitem').count()).toBe(0);
    await page.close();
  });

  it('Ctrl-C stops every process the stack started', async () => {
    const pids = stack.pids;
    expect(await stack.stop()).toBe(0);
    await until('every stack process and its children to exit', () => pids.every((p) => !isRunning(p) && !groupAlive(p)), 10_000);
  });
});
