// The agent's desk as people use it, in the two-agent workspace the README sends them to, at a
// laptop's 1280×800: what an offer says, why presence changed, a consultant's notes and what a
// refusal says, a reload keeping both panes, a conversation taken away, French from the page to
// the summary, and a layout where nothing wraps or sticks out. One stack, scenarios in order.
import type { FrameLocator, Page } from 'playwright-core';
import { BasePresence, SessionRole, SessionState } from '@switchboard/solution';
import { AGENTS } from '../seed/demo-data';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { TestWebApi, until } from './dataverse-client';
import { setPresenceAs, startShopChat, textFromPhone, type PreChat } from './people';
import { layoutProblems } from './layout';
import { startStackProcess, type StackProcess } from './stack-process';

jest.setTimeout(120_000);

const VIEWPORT = { width: 1280, height: 800 };
let stack: StackProcess;
let browser: LaunchedBrowser;
let app: TestWebApi;
const customers: LaunchedBrowser[] = [];
const agent = (key: string) => AGENTS.find((a) => a.key === key)!;
/** Jules's chat: unidentified, offered to Alice, consulted with Bruno, then taken over by Bruno. */
let jules = '';
let workspace: Page;

beforeAll(async () => {
  stack = await startStackProcess({ readyTimeoutMs: 150_000 });
  app = new TestWebApi(stack.dataverseApi, 'switchboard-dev-app-token');
  browser = await launchBrowser({ viewport: VIEWPORT });
}, 900_000);

afterAll(async () => {
  for (const c of customers) await c.close();
  await browser?.close();
  await stack?.stop();
}, 60_000);

async function setPresence(key: string, presence: BasePresence): Promise<void> {
  await setPresenceAs(stack.dataverseApi, key, presence);
}

/** A customer in their own browser opens the shop, answers the pre-chat survey and writes. */
async function startChat(answers: PreChat, message: string): Promise<void> {
  const customer = await launchBrowser();
  customers.push(customer);
  const { dialog } = await startShopChat(customer.context, stack.web, answers, message);
  await dialog.locator('.msg.customer:not(.pending) .text', { hasText: message }).waitFor({ timeout: 30_000 });
}

async function sendSms(from: string, body: string): Promise<void> {
  expect((await textFromPhone(stack.web, from, body)).status).toBe(200);
}

const pane = (page: Page, i: number): FrameLocator => page.frameLocator(`iframe[name="pane-${i}"]`);

async function sessionOf(conversationId: string, key: string): Promise<{ activityid: string; swb_role: number; swb_state: number } | undefined> {
  const rows = await app.list<{ activityid: string; swb_role: number; swb_state: number }>(
    `swb_sessions?$select=activityid,swb_role,swb_state&$filter=_swb_conversationid_value eq ${conversationId} and _swb_agentid_value eq ${agent(key).id}&$orderby=createdon desc&$top=1`,
  );
  return rows[0];
}

/** The timer's [phase, shown value] in one pane. */
async function timer(frame: FrameLocator): Promise<[string, string]> {
  const label = (await frame.locator('#timer').getByRole('timer').first().getAttribute('aria-label', { timeout: 30_000 })) ?? '';
  const m = /^(.*?) ?: (\d+:\d\d(?::\d\d)?)$/.exec(label);
  if (!m) throw new Error(`unexpected timer label "${label}"`);
  return [m[1]!, m[2]!];
}

/** Term → value pairs of one of the summary's lists. */
async function pairs(frame: FrameLocator, testId: string): Promise<[string, string][]> {
  const list = frame.getByTestId(testId);
  await list.waitFor({ timeout: 30_000 });
  const terms = await list.locator('dt').allTextContents();
  const values = await list.locator('dd').allTextContents();
  return terms.map((t, i) => [t, values[i] ?? '']);
}

describe('the agent desk at 1280×800', () => {
  it('an offer card says who is asking (the name given before the chat, or the number), on which channel and queue, how long they have waited, and how long is left', async () => {
    await setPresence('bruno', BasePresence.Away);
    await startChat({ firstname: 'Jules', email: 'jules@nowhere.example' }, 'Do you sell tents for two?');
    await sendSms('06 11 22 33 44', 'Bonjour, un renseignement');

    workspace = await browser.context.newPage();
    await workspace.goto(`${stack.web}/workspace`);
    const alice = pane(workspace, 0);
    const chat = alice.getByRole('group', { name: 'Jules' });
    await chat.waitFor({ timeout: 60_000 });
    await expect(chat.getByTestId('offer-where').textContent()).resolves.toBe('Live chat · Web support');
    expect(await chat.getByTestId('offer-waited').textContent()).toMatch(/^Waiting for \d+:\d\d · not identified$/);
    expect(await chat.getByRole('timer').getAttribute('aria-label')).toMatch(/^\d+:\d\d left to answer$/);
    // A screen reader hears the card's name, then its description.
    expect(await chat.getAttribute('aria-describedby')).toBeTruthy();
    const sms = alice.getByRole('group', { name: '+33611223344' });
    await sms.waitFor({ timeout: 60_000 });
    await expect(sms.getByTestId('offer-where').textContent()).resolves.toBe('SMS · SMS support');

    // Alice takes both: the SMS first, then Jules, whose conversation stays open in her pane.
    await sms.getByRole('button', { name: 'Accept the conversation with +33611223344' }).click();
    await alice.getByTestId('communication-pane').getByText('Bonjour, un renseignement').waitFor({ timeout: 30_000 });
    await chat.getByRole('button', { name: 'Accept the conversation with Jules' }).click();
    await alice.getByTestId('communication-pane').getByText('Do you sell tents for two?').waitFor({ timeout: 30_000 });
    jules = /[?&]alice=([0-9a-f-]{36})/.exec(workspace.url())![1]!;
    // The summary shows the name she gave, not only "Unidentified".
    await expect(alice.getByTestId('summary-customer').textContent()).resolves.toBe('Unidentified Jules');
  });

  it('the inbox explains an automatic presence from capacity, says when one was picked by hand, and gives the way back to automatic', async () => {
    const alice = pane(workspace, 0);
    const reason = alice.getByTestId('presence-reason');
    // Two conversations of two: capacity has put her in Do not disturb, and the inbox says why.
    const atCapacity = 'Do not disturb, set automatically: you are at capacity (2 of 2 units).';
    await until('Do not disturb from capacity', async () => (await reason.textContent()) === atCapacity, 30_000);
    await alice.getByRole('combobox', { name: 'My presence' }).selectOption({ label: 'Available' });
    await until('the manual presence to be explained', async () => (await reason.textContent()) === 'You chose Available: it stays until you change it; capacity no longer changes it.');
    await alice.getByRole('button', { name: 'Return to automatic' }).click();
    await until('the automatic presence back', async () => (await reason.textContent()) === atCapacity);
    // The inbox shows a choice at once and writes it behind; the row follows, in the order clicked.
    const stored = () => app.get<{ swb_basepresence: number; swb_manualoverride: boolean }>(`swb_agentstatuses(${agent('alice').statusId})?$select=swb_basepresence,swb_manualoverride`);
    await until('the automatic presence stored', async () => !(await stored()).swb_manualoverride, 10_000);
    expect(await stored()).toMatchObject({ swb_basepresence: BasePresence.DoNotDisturb, swb_manualoverride: false });
  });

  it('a consulting agent\'s composer writes internal notes and says so; a note Dataverse refuses shows its message, keeps the text, and the pane says the consult is over', async () => {
    await setPresence('bruno', BasePresence.Available);
    const alice = pane(workspace, 0);
    const bruno = pane(workspace, 1);
    await alice.getByTestId('communication-pane').getByRole('button', { name: 'Consult' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Consult an agent' });
    await dialog.getByRole('combobox', { name: 'Agent' }).selectOption({ label: 'Bruno Petit (3 free)' });
    await dialog.getByRole('button', { name: 'Invite' }).click();
    await until('Bruno\'s consult session', async () => (await sessionOf(jules, 'bruno'))?.swb_role === SessionRole.Consult);

    await bruno.getByRole('button', { name: 'Resume the conversation with Jules' }).click({ timeout: 30_000 });
    const brunoPane = bruno.getByTestId('communication-pane');
    await brunoPane.getByText('You are consulting with Alice Martin, the primary agent. Only the primary agent can consult, transfer or end.').waitFor({ timeout: 30_000 });
    await brunoPane.getByText(/^You are consulting: what you write is an internal note/).waitFor();
    expect(await brunoPane.getByRole('switch').count()).toBe(0);
    const note = brunoPane.getByRole('textbox', { name: 'Internal note (agents and supervisors only)' });
    await note.fill('Jules asked about the same tent last week.');
    await note.press('Enter');
    // Alice reads it as Bruno's internal note.
    const seen = alice.getByTestId('communication-pane').locator('[data-internal="true"]', { hasText: 'Jules asked about the same tent last week.' });
    await seen.waitFor({ timeout: 30_000 });
    await expect(seen.textContent()).resolves.toContain('Bruno Petit');

    // The consult is ended elsewhere (nothing on the conversation moves): Bruno's next note is refused.
    const consult = (await sessionOf(jules, 'bruno'))!;
    await app.patch(`swb_sessions(${consult.activityid})`, { swb_state: SessionState.Closed });
    await note.fill('Also check the order history.');
    await note.press('Enter');
    await brunoPane.getByRole('alert').filter({ hasText: 'You are not taking part in this conversation, so you cannot write in it.' }).waitFor({ timeout: 30_000 });
    expect(await brunoPane.getByRole('textbox').inputValue()).toBe('Also check the order history.');
    await brunoPane.getByText('Your consult has ended. You can read this conversation but no longer write in it.').waitFor({ timeout: 30_000 });
  });

  it('reloading the two-agent workspace reopens the conversation each pane had open', async () => {
    expect(workspace.url()).toContain(`alice=${jules}`);
    expect(workspace.url()).toContain(`bruno=${jules}`);
    await workspace.reload();
    await pane(workspace, 0).getByTestId('communication-pane').getByText('Jules asked about the same tent last week.').waitFor({ timeout: 30_000 });
    await pane(workspace, 1).getByTestId('communication-pane').getByText('Do you sell tents for two?').waitFor({ timeout: 30_000 });
    await pane(workspace, 1).getByText('Your consult has ended. You can read this conversation but no longer write in it.').waitFor({ timeout: 30_000 });
  });

  it('an action refused by Dataverse says why with its message; a conversation taken away turns read-only, says who has it, and its timer stops', async () => {
    const alice = pane(workspace, 0);
    const alicePane = alice.getByTestId('communication-pane');
    await alicePane.getByRole('button', { name: 'Transfer' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Transfer the conversation' });
    await dialog.getByRole('combobox', { name: 'Queue' }).selectOption({ label: 'Billing' });
    // Meanwhile a supervisor's tool hands the conversation to Bruno: Alice's transfer comes too late.
    await app.patch(`swb_conversations(${jules})`, { 'swb_primaryagentid@odata.bind': `/systemusers(${agent('bruno').id})` });
    await until('Bruno to be primary', async () => (await sessionOf(jules, 'bruno'))?.swb_role === SessionRole.Primary && (await sessionOf(jules, 'alice'))?.swb_state === SessionState.Closed);
    await dialog.getByRole('button', { name: 'Transfer' }).click();
    // The conversation is Bruno's now, so Dataverse's privilege check says no first; the pane puts
    // a sentence of its own before Dataverse's words, which are written for administrators.
    const refused = alicePane.getByRole('alert').filter({ hasText: /^You no longer have the right to change this conversation\. Principal user .+ swb_conversation.*Dismiss$/ });
    await refused.waitFor({ timeout: 30_000 });

    await until('the pane to say who has it now', async () => (await alicePane.getByTestId('pane-standing').textContent()) === 'Transferred to Bruno Petit. You can read this conversation but no longer write in it.', 30_000);
    expect(await alicePane.getByRole('textbox').isDisabled()).toBe(true);
    for (const name of ['Consult', 'Transfer', 'End conversation']) expect(await alicePane.getByRole('button', { name }).isDisabled()).toBe(true);
    const [phase, shown] = await until('the timer to stop', async () => {
      const r = await timer(alice);
      return r[0] === 'Your session ended' ? r : undefined;
    });
    await workspace.waitForTimeout(2_500);
    expect(await timer(alice)).toEqual([phase, shown]);
    // And it left her inbox.
    await until('the conversation to leave Alice\'s inbox', async () => (await alice.getByRole('button', { name: 'Resume the conversation with Jules' }).count()) === 0);
  });

  it('at 1280×800 nothing wraps or sticks out, the summary is on screen, each pane has one agent picker and "Close view" says what it does — in English and in French', async () => {
    // Bruno, now primary, ends the conversation: his inbox shows the wrap-up pill.
    const bruno = pane(workspace, 1);
    await bruno.getByRole('button', { name: 'Resume the conversation with Jules' }).click({ timeout: 30_000 });
    await bruno.getByTestId('communication-pane').getByRole('button', { name: 'End conversation' }).click({ timeout: 30_000 });
    await bruno.getByTestId('agent-inbox').getByText('Wrap-up', { exact: true }).waitFor({ timeout: 30_000 });
    for (const lang of ['en', 'fr']) {
      if (lang === 'fr') await workspace.goto(`${workspace.url()}&lang=fr`);
      await pane(workspace, 0).getByTestId('communication-pane').waitFor({ timeout: 30_000 });
      await pane(workspace, 1).getByTestId('conversation-summary').locator('dl').first().waitFor({ timeout: 30_000 });
      await workspace.waitForTimeout(1_000);
      expect({ lang, problems: await layoutProblems(workspace) }).toEqual({ lang, problems: [] });
      for (const i of [0, 1]) {
        const frame = workspace.frames().find((f) => f.name() === `pane-${i}`)!;
        const summaryTop = await frame.locator('#summary').evaluate((el) => el.getBoundingClientRect().top + (window.frameElement?.getBoundingClientRect().top ?? 0));
        expect(summaryTop).toBeLessThan(VIEWPORT.height - 200);
        // The pane's own header (and its "Work as" picker) is left out inside the workspace.
        expect(await frame.locator('#agent-switch, header').count()).toBe(0);
        const close = frame.locator('#close-conversation');
        const help = await frame.locator(`#${await close.getAttribute('aria-describedby')}`).textContent();
        expect(help).toBe(lang === 'fr' ? 'Ferme seulement cette vue : la conversation reste ouverte et vous attend dans Mes conversations ouvertes.' : 'Closes this view only: the conversation stays open and waits for you under My open conversations.');
      }
      await expect(workspace.getByRole('combobox', { name: 'Agent' }).count()).resolves.toBe(2);
    }
  });

  it('in French the page, the controls, the summary\'s labels and the quick replies are French; without ?lang each agent gets their own language', async () => {
    // Bruno, who has more room, steps away: Léa's chat goes to Alice.
    await setPresence('bruno', BasePresence.Away);
    await startChat({ firstname: 'Léa', email: 'lea@nowhere.example', topic: 'An order' }, 'Ma commande est en retard');
    const page = await browser.context.newPage();
    await page.goto(`${stack.web}/workspace?agents=alice,chloe&lang=fr`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');
    await page.getByRole('heading', { name: 'Espace de travail des agents Switchboard' }).waitFor();
    expect(await page.locator('iframe[name="pane-0"]').getAttribute('title')).toBe('Espace de travail — Alice Martin');
    const alice = pane(page, 0);
    await alice.getByRole('combobox', { name: 'Ma présence' }).waitFor({ timeout: 30_000 });
    const card = alice.getByRole('group', { name: 'Léa' });
    await card.waitFor({ timeout: 60_000 });
    await expect(card.getByTestId('offer-where').textContent()).resolves.toBe('Chat en direct · Web support');
    expect(await card.getByTestId('offer-waited').textContent()).toMatch(/^En attente depuis \d+:\d\d · non identifié$/);
    await card.getByRole('button', { name: 'Accepter la conversation avec Léa' }).click();
    const summary = alice.getByTestId('conversation-summary');
    await summary.getByRole('heading', { name: 'Réponses avant chat' }).waitFor({ timeout: 30_000 });
    // The widget's own question labels, in French, and the choice's label.
    await until('the pre-chat labels', async () => JSON.stringify(await pairs(alice, 'summary-prechat')) === JSON.stringify([['Prénom', 'Léa'], ['Courriel', 'lea@nowhere.example'], ['À quel sujet ?', 'Une commande']]));
    expect((await pairs(alice, 'summary-context')).map(([k]) => k)).toEqual(['Page', 'Adresse de la page']);
    const alicePane = alice.getByTestId('communication-pane');
    await until('Alice to be primary', async () => !(await alicePane.getByRole('button', { name: 'Réponses rapides' }).isDisabled()), 30_000);
    await alicePane.getByRole('button', { name: 'Réponses rapides' }).click();
    await expect(alice.getByRole('menuitem').allTextContents()).resolves.toEqual(['Salutation']);
    await page.keyboard.press('Escape');

    // The SMS she took in the first scenario: its context reads as our number and the provider.
    await alice.getByRole('button', { name: 'Reprendre la conversation avec +33611223344' }).click({ timeout: 30_000 });
    await alicePane.getByText('Bonjour, un renseignement').waitFor({ timeout: 30_000 });
    await until('the SMS context labels', async () => JSON.stringify(await pairs(alice, 'summary-context')) === JSON.stringify([['Notre numéro', '+33757000100'], ['Fournisseur SMS', 'TeleSign']]));
    const smsId = /[?&]alice=([0-9a-f-]{36})/.exec(page.url())![1]!;

    // No ?lang: the page is English, each pane speaks its agent's language, and Alice, who works in
    // English, is offered English templates (and the SMS one), not the French greeting.
    await page.goto(`${stack.web}/workspace?agents=chloe,alice&alice=${smsId}`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await pane(page, 0).getByRole('combobox', { name: 'Ma présence' }).waitFor({ timeout: 30_000 });
    const english = pane(page, 1);
    await english.getByRole('combobox', { name: 'My presence' }).waitFor({ timeout: 30_000 });
    const englishPane = english.getByTestId('communication-pane');
    await until('the quick replies to be offered', async () => !(await englishPane.getByRole('button', { name: 'Quick replies' }).isDisabled()), 30_000);
    await englishPane.getByRole('button', { name: 'Quick replies' }).click();
    await expect(english.getByRole('menuitem').allTextContents()).resolves.toEqual(['Greeting', 'Order shipped']);
    await page.close();
  });
});
