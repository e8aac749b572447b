// Live updates as people live them, over the Web PubSub stand-in `npm start` runs: an agent's
// desk that hears of an offer at once and costs Dataverse nothing while idle, typing both ways,
// two tabs of one agent, a push connection cut mid-conversation, an agent who hears nothing of
// conversations they are not part of, and presence when the agent's browser dies. While push is
// connected the controls poll every 10 minutes only, so anything seen within seconds here came
// by push (or by the catch-up read a reconnection makes).
import type { Page } from 'playwright-core';
import { BasePresence, AgentConnectionState } from '@switchboard/solution';
import { AGENTS } from '../seed/demo-data';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { TestWebApi, requestsBy, until } from './dataverse-client';
import { openAgentWorkspace, setPresenceAs, startShopChat, textFromPhone } from './people';
import { startStackProcess, type StackProcess } from './stack-process';

jest.setTimeout(180_000);

/** A short disconnect grace, so the test sees both sides of it; the product's is 150 s. */
const GRACE_SECONDS = 8;
const APP_TOKEN = 'switchboard-dev-app-token';

let stack: StackProcess;
let app: TestWebApi;
const browsers: LaunchedBrowser[] = [];
const agent = (key: string) => AGENTS.find((a) => a.key === key)!;

beforeAll(async () => {
  stack = await startStackProcess({ readyTimeoutMs: 150_000, env: { SWITCHBOARD_PRESENCE_GRACE_SECONDS: String(GRACE_SECONDS) } });
  app = new TestWebApi(stack.dataverseApi, APP_TOKEN);
}, 900_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await stack?.stop();
}, 60_000);

/** A browser whose pages record every push frame they receive and can have their sockets cut. */
async function recordingBrowser(): Promise<LaunchedBrowser> {
  const b = await launchBrowser();
  browsers.push(b);
  await b.context.addInitScript(() => {
    const Native = window.WebSocket;
    const w = window as unknown as { __swbFrames: string[]; __swbSockets: WebSocket[] };
    w.__swbFrames = [];
    w.__swbSockets = [];
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        w.__swbSockets.push(this);
        this.addEventListener('message', (e) => w.__swbFrames.push(String(e.data)));
      }
    } as typeof WebSocket;
  });
  return b;
}

const frames = (page: Page) => page.evaluate(() => (window as unknown as { __swbFrames: string[] }).__swbFrames.slice());
const cutSockets = (page: Page) =>
  page.evaluate(() => {
    const open = (window as unknown as { __swbSockets: WebSocket[] }).__swbSockets.filter((s) => s.readyState === WebSocket.OPEN);
    open.forEach((s) => s.close(4000, 'cut by the test'));
    return open.length;
  });

async function pushState(page: Page): Promise<string | null> {
  return page.getByTestId('agent-inbox').getAttribute('data-push');
}

async function sendSms(from: string, body: string): Promise<void> {
  expect((await textFromPhone(stack.web, from, body)).status).toBe(200);
}

async function status(key: string) {
  return app.get<{ swb_basepresence: number; swb_manualoverride: boolean; swb_connectionstate: number | null }>(
    `swb_agentstatuses(${agent(key).statusId})?$select=swb_basepresence,swb_manualoverride,swb_connectionstate`,
  );
}

let alice: Page;
let shop: Page;
let chat = '';
const customerWrites = async (text: string) => {
  const dialog = shop.getByRole('dialog', { name: 'Chat with us' });
  await dialog.getByLabel('Your message').fill(text);
  await dialog.getByLabel('Your message').press('Enter');
};

describe('live updates over Web PubSub', () => {
  it('an idle agent desk is connected and asks Dataverse nothing for a minute; a new SMS shows as an offer at once', async () => {
    const b = await recordingBrowser();
    alice = await openAgentWorkspace(b.context, stack.web, 'alice');
    await until('the inbox connected to push', async () => (await pushState(alice)) === 'connected', 30_000);
    // Let the opening reads and the ticket settle, then watch a quiet minute.
    await new Promise((r) => setTimeout(r, 3_000));
    const before = await requestsBy(stack.dataverseApi, APP_TOKEN, agent('alice').domainname);
    await new Promise((r) => setTimeout(r, 60_000));
    const idle = (await requestsBy(stack.dataverseApi, APP_TOKEN, agent('alice').domainname)) - before;
    console.log(`[realtime] idle agent desk: ${idle} Dataverse requests in 60 s (polling desk: 120 per minute before push)`);
    expect(idle).toBeLessThanOrEqual(1);

    // Routing decides in milliseconds; the offer is on her screen in seconds, not at the next 10-minute poll.
    await sendSms('06 44 55 66 77', 'Bonjour, ma commande est en retard');
    const offer = alice.getByRole('group', { name: '+33644556677' });
    await offer.waitFor({ timeout: 20_000 });
    expect(await frames(alice)).toEqual(expect.arrayContaining([expect.stringContaining('"kind":"offer"')]));
  });

  it('customer and agent messages and typing reach the other side without polling', async () => {
    await alice.getByRole('button', { name: 'Accept the conversation with +33644556677' }).click();
    await alice.getByTestId('communication-pane').getByText('Bonjour, ma commande est en retard', { exact: true }).waitFor({ timeout: 20_000 });

    // Bruno, who shares the web queue, is away: the chat is Alice's.
    await setPresenceAs(stack.dataverseApi, 'bruno', BasePresence.Away);
    const customer = await recordingBrowser();
    const started = await startShopChat(customer.context, stack.web, { firstname: 'Inès', email: 'ines@example.org' }, 'Do you deliver to Lyon?');
    shop = started.shop;
    const dialog = started.dialog;
    const offer = alice.getByRole('group', { name: 'Inès' });
    await offer.waitFor({ timeout: 20_000 });
    await offer.getByRole('button', { name: 'Accept the conversation with Inès' }).click();
    const pane = alice.getByTestId('communication-pane');
    await pane.getByText('Do you deliver to Lyon?', { exact: true }).waitFor({ timeout: 20_000 });
    chat = /[?&]conversation=([0-9a-f-]{36})/.exec(alice.url())?.[1] ?? '';
    expect(chat).toMatch(/^[0-9a-f-]{36}$/);
    await until('the pane connected', async () => (await pane.getAttribute('data-push')) === 'connected', 20_000);

    // The customer types: the agent sees it; the agent types a reply: the customer sees it.
    // Typed over four seconds: the widget signals at most every 3 s, so the agent hears it even if
    // the first signal left before her desk joined the conversation.
    await dialog.getByLabel('Your message').pressSequentially('Also, a question', { delay: 250 });
    await pane.getByTestId('pane-typing').waitFor({ timeout: 10_000 });
    expect(await pane.getByTestId('pane-typing').textContent()).toBe('The customer is typing…');
    const composer = pane.getByRole('textbox').first();
    await composer.pressSequentially('Yes we', { delay: 30 });
    await dialog.locator('.typing', { hasText: 'Agent is typing…' }).waitFor({ timeout: 10_000 });

    // Messages both ways.
    await composer.fill('Yes, we deliver to Lyon in two days.');
    await composer.press('Enter');
    await dialog.locator('.msg', { hasText: 'Yes, we deliver to Lyon in two days.' }).waitFor({ timeout: 10_000 });
    await customerWrites('Also, can I pay on delivery?');
    await pane.getByText('Also, can I pay on delivery?', { exact: true }).waitFor({ timeout: 10_000 });
  });

  it('a second tab of the same agent follows the same conversation', async () => {
    const second = await alice.context().newPage();
    await second.goto(`${stack.web}/workspace/agent?agent=alice&conversation=${chat}`);
    await until('the second tab connected', async () => (await pushState(second)) === 'connected', 30_000);
    await second.getByTestId('communication-pane').getByText('Also, can I pay on delivery?', { exact: true }).waitFor({ timeout: 20_000 });
    await customerWrites('Thanks, both of you');
    await alice.getByTestId('communication-pane').getByText('Thanks, both of you', { exact: true }).waitFor({ timeout: 10_000 });
    await second.getByTestId('communication-pane').getByText('Thanks, both of you', { exact: true }).waitFor({ timeout: 10_000 });
    await second.close();
  });

  it('when the push connection is cut mid-conversation, the desk reconnects and catches up: nothing is lost', async () => {
    expect(await cutSockets(alice)).toBeGreaterThan(0);
    // Written while the agent has no connection.
    await customerWrites('Are you still there?');
    await until('the desk connected again', async () => (await pushState(alice)) === 'connected', 30_000);
    await alice.getByTestId('communication-pane').getByText('Are you still there?', { exact: true }).waitFor({ timeout: 20_000 });
  });

  it('an agent hears nothing of a conversation they are not part of', async () => {
    const b = await recordingBrowser();
    const bruno = await openAgentWorkspace(b.context, stack.web, 'bruno');
    await until('Bruno connected', async () => (await pushState(bruno)) === 'connected', 30_000);
    await customerWrites('One more question for Alice');
    await alice.getByTestId('communication-pane').getByText('One more question for Alice', { exact: true }).waitFor({ timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 1_000));
    const heard = (await frames(bruno)).join('\n');
    expect(heard).not.toContain(chat);
    expect(await frames(alice)).toEqual(expect.arrayContaining([expect.stringContaining(chat)]));
  });

  it(`an agent whose browser dies keeps their presence through the grace (${GRACE_SECONDS} s here), is then Offline, and is recomputed when back`, async () => {
    const b = await recordingBrowser();
    const chloe = await openAgentWorkspace(b.context, stack.web, 'chloe');
    await until('Chloé connected', async () => (await pushState(chloe)) === 'connected', 30_000);
    // She picks Busy by hand: a manual choice, which only an absence clears.
    await chloe.getByRole('combobox', { name: 'Ma présence' }).selectOption({ value: String(BasePresence.Busy) });
    await until('her choice stored', async () => (await status('chloe')).swb_manualoverride, 10_000);
    expect(b.kill()).toBeGreaterThan(0);
    const killedAt = Date.now();
    await new Promise((r) => setTimeout(r, (GRACE_SECONDS * 1000) / 2));
    expect(await status('chloe')).toMatchObject({ swb_basepresence: BasePresence.Busy, swb_manualoverride: true });
    await until('her presence recomputed after the grace', async () => (await status('chloe')).swb_basepresence === BasePresence.Offline, 60_000);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000);
    expect(await status('chloe')).toMatchObject({ swb_manualoverride: false, swb_connectionstate: AgentConnectionState.Disconnected });

    // Back: her presence is what her default and capacity give (the admin default Away wins).
    const again = await recordingBrowser();
    const back = await openAgentWorkspace(again.context, stack.web, 'chloe');
    await until('Chloé connected again', async () => (await pushState(back)) === 'connected', 30_000);
    await until('her presence restored', async () => (await status('chloe')).swb_connectionstate === AgentConnectionState.Connected, 20_000);
    expect((await status('chloe')).swb_basepresence).not.toBe(BasePresence.Offline);
  });
});
