// The post-chat survey as people meet it on the local stack: the admin (here, the app) turns the
// survey on for the shop's chat workstream; a customer chats, the agent ends the conversation,
// and the widget asks for a rating, still after a reload, never again once answered; a French
// customer is asked in French and answers with the keyboard alone.
import type { Locator, Page } from 'playwright-core';
import { BasePresence, ChannelType } from '@switchboard/solution';
import { IDS } from '../seed/demo-data';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { TestWebApi, until } from './dataverse-client';
import { openAgentWorkspace, setPresenceAs, startShopChat } from './people';
import { startStackProcess, type StackProcess } from './stack-process';

jest.setTimeout(180_000);

const APP_TOKEN = 'switchboard-dev-app-token';

let stack: StackProcess;
let app: TestWebApi;
let agentBrowser: LaunchedBrowser;
const browsers: LaunchedBrowser[] = [];

beforeAll(async () => {
  stack = await startStackProcess({ readyTimeoutMs: 150_000, echo: process.env['SWB_E2E_ECHO'] === '1' });
  app = new TestWebApi(stack.dataverseApi, APP_TOKEN);
  agentBrowser = await browser();
  // Bruno takes the shop's chats: Alice, the other agent of Web support, is away.
  await setPresenceAs(stack.dataverseApi, 'alice', BasePresence.Away);
  // The admin turns the survey on for the chat workstream, with the built-in wording.
  await app.patch(`swb_workstreams(${IDS.workstreams.chat})`, { swb_surveyenabled: true });
  // The widget configuration says so once the app has read the changed workstream (its cache of
  // the routing configuration is refreshed by the change's webhook): what a new page load gets.
  await until('the widget configuration to offer the survey', async () => {
    const res = await fetch(`${stack.functions}/api/chat/${IDS.widget}/config?locale=en`, { headers: { origin: stack.web } });
    return res.ok && ((await res.json()) as { survey?: unknown }).survey !== undefined;
  }, 60_000);
}, 900_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await stack?.stop();
}, 60_000);

async function browser(locale?: string): Promise<LaunchedBrowser> {
  const b = await launchBrowser(locale ? { locale } : {});
  browsers.push(b);
  return b;
}

interface SurveyedRow {
  activityid: string;
  swb_state: number;
  swb_csatrating: number | null;
  swb_csatcomment: string | null;
  swb_csatrespondedon: string | null;
}

/** The shop chat of the customer who gave that first name. */
function chatOf(firstname: string): Promise<SurveyedRow> {
  return until(`${firstname}'s chat`, async () =>
    (await app.list<SurveyedRow>(`swb_conversations?$select=activityid,swb_state,swb_csatrating,swb_csatcomment,swb_csatrespondedon&$filter=contains(swb_prechatanswers,'${firstname}') and swb_channeltype eq ${ChannelType.LiveChat}`))[0]);
}

function conversation(id: string): Promise<SurveyedRow> {
  return app.get<SurveyedRow>(`swb_conversations(${id})?$select=activityid,swb_state,swb_csatrating,swb_csatcomment,swb_csatrespondedon`);
}

/** Bruno accepts the chat in his inbox, answers it, and ends it: the customer sees his answer first. */
async function brunoAnswersAndEnds(conversationId: string, customerDialog: Locator, answer: string): Promise<Page> {
  const bruno = await openAgentWorkspace(agentBrowser.context, stack.web, 'bruno');
  await bruno.getByTestId('agent-inbox').getByRole('button', { name: /^Accept / }).click({ timeout: 30_000 });
  await bruno.waitForURL(new RegExp(`conversation=${conversationId}`), { timeout: 30_000 });
  const pane = bruno.getByTestId('communication-pane');
  const reply = pane.getByRole('textbox', { name: 'Reply to the customer' });
  await reply.fill(answer, { timeout: 30_000 });
  await reply.press('Enter');
  await customerDialog.locator('.msg.agent .text', { hasText: answer }).waitFor({ timeout: 30_000 });
  await pane.getByRole('button', { name: 'End conversation' }).click();
  await pane.getByText('Conversation ended; wrap-up started').waitFor({ timeout: 30_000 });
  return bruno;
}

/** Whether the element has the keyboard focus (inside the widget's shadow root). */
function focused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el);
}

describe('the post-chat survey', () => {
  it('when the agent ends the chat the customer is asked to rate it, still after a reload, rates 4 with a comment, and is not asked again', async () => {
    const customer = await browser();
    const { shop, dialog } = await startShopChat(customer.context, stack.web, { firstname: 'Olivia', email: 'olivia@example.com' }, 'The bell on my new bike is broken.');
    const chat = await chatOf('Olivia');
    const bruno = await brunoAnswersAndEnds(chat.activityid, dialog, 'Sorry about that, Olivia: a new bell ships today.');

    const survey = dialog.getByRole('group', { name: 'How would you rate our help?' });
    await survey.waitFor({ timeout: 30_000 });
    await dialog.getByText('This chat has ended. Thank you!').waitFor();
    expect(await survey.getByRole('radio').count()).toBe(5);

    // The page reloads before she answers: the widget still asks about the chat that ended.
    await shop.reload();
    await survey.waitFor({ timeout: 30_000 });
    await survey.getByRole('radio', { name: '4 – Good' }).check();
    await dialog.getByLabel('Anything you would like to add?').fill('Quick and friendly, thank you.');
    await dialog.getByRole('button', { name: 'Send rating' }).click();
    await dialog.getByText('Thank you for your feedback!').waitFor({ timeout: 30_000 });
    const rated = await until('the rating to be stored', async () => {
      const row = await conversation(chat.activityid);
      return row.swb_csatrating !== null ? row : undefined;
    });
    expect(rated).toMatchObject({ swb_csatrating: 4, swb_csatcomment: 'Quick and friendly, thank you.', swb_csatrespondedon: expect.any(String) });

    // Answered: the next page load offers a new chat, not the question again.
    await shop.reload();
    await dialog.getByRole('button', { name: 'Start chat' }).waitFor({ timeout: 30_000 });
    expect(await dialog.getByRole('group', { name: 'How would you rate our help?' }).count()).toBe(0);

    const pane = bruno.getByTestId('communication-pane');
    await pane.getByRole('button', { name: 'Close' }).click();
    await pane.getByText('Conversation closed').waitFor({ timeout: 30_000 });
    await bruno.close();
  });

  it('a customer whose browser speaks French is asked in French and rates with the keyboard alone', async () => {
    const customer = await browser('fr-FR');
    const shop = await customer.context.newPage();
    await shop.goto(`${stack.web}/shop`);
    await shop.getByRole('button', { name: 'Discuter avec nous' }).click();
    const dialog = shop.getByRole('dialog', { name: 'Discutez avec nous' });
    await dialog.getByLabel('Prénom').fill('Margaux');
    await dialog.getByLabel('Courriel').fill('margaux@example.fr');
    await dialog.getByRole('button', { name: 'Commencer la discussion' }).click();
    await dialog.getByLabel('Votre message').fill('Bonjour, ma sonnette ne marche plus.');
    await dialog.getByLabel('Votre message').press('Enter');
    const chat = await chatOf('Margaux');
    const bruno = await brunoAnswersAndEnds(chat.activityid, dialog, 'Bonjour Margaux, une nouvelle sonnette part aujourd’hui.');

    const survey = dialog.getByRole('group', { name: 'Comment évaluez-vous notre aide ?' });
    await survey.waitFor({ timeout: 30_000 });
    // The question takes the focus from the compose box; Space picks 1, the arrows move to 5.
    const first = survey.getByRole('radio', { name: '1 – Très mauvaise' });
    await until('the first rating to have the focus', () => focused(first));
    await shop.keyboard.press('Space');
    for (let i = 0; i < 4; i++) await shop.keyboard.press('ArrowRight');
    expect(await survey.getByRole('radio', { name: '5 – Excellente' }).isChecked()).toBe(true);
    await shop.keyboard.press('Tab');
    await shop.keyboard.type('Très efficace, merci.');
    await shop.keyboard.press('Tab');
    await shop.keyboard.press('Enter');
    await dialog.getByText('Merci pour votre avis !').waitFor({ timeout: 30_000 });
    // The next step is a new chat: the focus is there.
    await until('the focus to move to a new chat', () => focused(dialog.getByRole('button', { name: 'Nouvelle discussion' })));
    const rated = await until('the rating to be stored', async () => {
      const row = await conversation(chat.activityid);
      return row.swb_csatrating !== null ? row : undefined;
    });
    expect(rated).toMatchObject({ swb_csatrating: 5, swb_csatcomment: 'Très efficace, merci.' });
    await bruno.close();
  });
});
