// Screenshots for the README: starts the stack on free ports (as the browser tests do), plays
// a little of each surface, and writes docs/stack/*.png.
import path from 'node:path';
import { ConversationState } from '@switchboard/solution';
import { CONTACTS } from '../src/seed/demo-data';
import { launchBrowser } from '../src/e2e/browser';
import { TestWebApi, until } from '../src/e2e/dataverse-client';
import { startStackProcess } from '../src/e2e/stack-process';
import { REPO_ROOT } from '../src/stack/config';

const OUT = path.join(REPO_ROOT, 'docs', 'stack');

async function main(): Promise<void> {
  const stack = await startStackProcess({ readyTimeoutMs: 150_000 });
  const browser = await launchBrowser({ viewport: { width: 1680, height: 1000 } });
  try {
    const app = new TestWebApi(stack.dataverseApi, 'switchboard-dev-app-token');
    const camille = CONTACTS[0]!;

    // Phone simulator: Dana texts the Twilio number in a local US format.
    const phone = await browser.context.newPage();
    await phone.setViewportSize({ width: 760, height: 900 });
    await phone.goto(`${stack.web}/phone`);
    await phone.getByLabel('Your number (any local format)').fill('(317) 555-0147');
    await phone.getByLabel('Your number (any local format)').dispatchEvent('change');
    await phone.getByLabel('Message').fill('Hi, my order #4411 has not arrived yet');
    await phone.getByRole('button', { name: 'Send' }).click();
    await phone.locator('#thread li[data-direction="out"]').first().waitFor({ timeout: 30_000 });
    await phone.screenshot({ path: path.join(OUT, 'phone-simulator.png') });

    // Widget demo: Camille chats from the cart page.
    const shop = await browser.context.newPage();
    await shop.goto(`${stack.web}/shop/cart`);
    await shop.getByRole('button', { name: 'Chat with us' }).click();
    const dialog = shop.getByRole('dialog', { name: 'Chat with us' });
    await dialog.getByLabel('First name').waitFor();
    await shop.waitForTimeout(800); // the panel fades in
    await shop.screenshot({ path: path.join(OUT, 'widget-prechat.png') });
    await dialog.getByLabel('First name').fill(camille.firstname);
    await dialog.getByLabel('Email').fill(camille.emailaddress1);
    await dialog.getByRole('button', { name: 'Start chat' }).click();
    await dialog.getByLabel('Your message').fill('Hello! Can I change the colour of my tent?');
    await dialog.getByLabel('Your message').press('Enter');
    await dialog.locator('.msg.customer').first().waitFor();
    await shop.waitForTimeout(2500);
    await shop.screenshot({ path: path.join(OUT, 'widget-demo.png') });

    const conversation = await until('the chat to be routed', async () => {
      const rows = await app.list<{ activityid: string; _swb_queueid_value: string | null }>(`swb_conversations?$select=activityid,_swb_queueid_value&$filter=_swb_customerid_value eq ${camille.id}`);
      return rows[0]?._swb_queueid_value ? rows[0] : undefined;
    });

    // Workspace, at a laptop's 1280×800: Alice and Bruno side by side. Dana's SMS is offered to
    // Alice (SMS support); Web support offers Camille's chat to Bruno (most capacity left).
    const ws = await browser.context.newPage();
    await ws.setViewportSize({ width: 1280, height: 800 });
    await ws.goto(`${stack.web}/workspace`);
    const alice = ws.frameLocator('iframe[name="pane-0"]');
    const bruno = ws.frameLocator('iframe[name="pane-1"]');
    await bruno.getByRole('group', { name: 'Camille Bernard' }).waitFor({ timeout: 30_000 });
    await alice.getByRole('group', { name: 'Dana Whitfield' }).waitFor({ timeout: 30_000 });
    await ws.waitForTimeout(1500);
    await ws.screenshot({ path: path.join(OUT, 'workspace-offers.png') });

    // Bruno accepts, replies, writes an internal note and consults Alice, who opens the consult
    // from her inbox and adds a note of her own (a consultant writes notes only).
    await bruno.getByRole('button', { name: 'Accept the conversation with Camille Bernard' }).click({ timeout: 30_000 });
    const pane = bruno.getByTestId('communication-pane');
    await pane.getByText('Hello! Can I change the colour of my tent?').waitFor({ timeout: 30_000 });
    await until('the chat to be active', async () => {
      const row = await app.get<{ swb_state: number }>(`swb_conversations(${conversation.activityid})?$select=swb_state`);
      return row.swb_state === ConversationState.Active;
    });
    const reply = pane.getByRole('textbox', { name: 'Reply to the customer' });
    await reply.fill('Hi Camille! Yes: green or sand, which one would you like?');
    await reply.press('Enter');
    await pane.getByRole('switch', { name: 'Internal note' }).click();
    const note = pane.getByRole('textbox', { name: 'Internal note (agents and supervisors only)' });
    await note.fill('Sand is out of stock until Friday.');
    await note.press('Enter');
    await pane.getByRole('switch', { name: 'Internal note' }).click();
    await pane.getByRole('button', { name: 'Consult' }).click();
    const consult = bruno.getByRole('dialog', { name: 'Consult an agent' });
    await consult.getByRole('combobox', { name: 'Agent' }).selectOption({ index: 0 });
    await consult.getByRole('button', { name: 'Invite' }).click();
    await alice.getByRole('button', { name: 'Resume the conversation with Camille Bernard' }).click({ timeout: 30_000 });
    const alicePane = alice.getByTestId('communication-pane');
    await alicePane.getByText('Sand is out of stock until Friday.').waitFor({ timeout: 30_000 });
    const aliceNote = alicePane.getByRole('textbox', { name: 'Internal note (agents and supervisors only)' });
    await aliceNote.fill('Green ships from Lyon tomorrow.');
    await aliceNote.press('Enter');
    await pane.locator('[data-internal="true"]', { hasText: 'Green ships from Lyon tomorrow.' }).waitFor({ timeout: 30_000 });
    await ws.waitForTimeout(2500);
    await ws.screenshot({ path: path.join(OUT, 'workspace.png') });

    // The same two panes in French (?lang=fr): the page, the controls, the summary's labels.
    await ws.goto(`${ws.url()}&lang=fr`);
    await ws.frameLocator('iframe[name="pane-1"]').getByTestId('communication-pane').locator('[data-internal="true"]', { hasText: 'Green ships from Lyon tomorrow.' }).waitFor({ timeout: 30_000 });
    await ws.waitForTimeout(2500);
    await ws.screenshot({ path: path.join(OUT, 'workspace-fr.png') });

    // Bruno hands the conversation to Alice: his pane turns read-only, says to whom it went, and
    // his timer stops; Alice's becomes the primary agent's.
    await ws.goto(ws.url().replace('&lang=fr', ''));
    const brunoPane = ws.frameLocator('iframe[name="pane-1"]').getByTestId('communication-pane');
    await brunoPane.getByRole('button', { name: 'Transfer' }).click({ timeout: 30_000 });
    const transfer = ws.frameLocator('iframe[name="pane-1"]').getByRole('dialog', { name: 'Transfer the conversation' });
    await transfer.getByRole('radio', { name: 'An agent' }).check();
    await transfer.getByRole('combobox', { name: 'Agent' }).selectOption({ label: 'Alice Martin' });
    await transfer.getByRole('button', { name: 'Transfer' }).click();
    await brunoPane.getByTestId('pane-standing').getByText('Transferred to Alice Martin.', { exact: false }).waitFor({ timeout: 30_000 });
    await ws.waitForTimeout(2500);
    await ws.screenshot({ path: path.join(OUT, 'workspace-transferred.png') });

    // Phone simulator, again: Alice accepts Dana's SMS and answers; the reply reaches the phone.
    const smsAgent = await browser.context.newPage();
    await smsAgent.goto(`${stack.web}/workspace/agent?agent=alice`);
    await smsAgent.getByTestId('agent-inbox').getByRole('button', { name: 'Accept the conversation with Dana Whitfield' }).click({ timeout: 30_000 });
    const smsPane = smsAgent.getByTestId('communication-pane');
    await smsPane.getByText('Hi, my order #4411 has not arrived yet').waitFor({ timeout: 30_000 });
    const smsReply = smsPane.getByRole('textbox', { name: 'Reply to the customer' });
    await smsReply.fill('Hi Dana, it left our warehouse this morning: tracking number FX-20817.');
    await smsReply.press('Enter');
    await phone.locator('#thread li[data-direction="out"] .bubble', { hasText: 'FX-20817' }).waitFor({ timeout: 30_000 });
    await phone.screenshot({ path: path.join(OUT, 'phone-simulator.png') });
    console.log(`screenshots written to ${OUT}`);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
