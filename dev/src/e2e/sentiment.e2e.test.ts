// Sentiment as the agent and the supervisor meet it, through the local stack: `npm start`'s
// entry point on free ports (the functions app with its default settings: the offline lexicon
// scores), the real widget on the demo shop, the real ConversationSummary and SupervisorDesk
// bundles. An angry customer writes; the message is scored off the customer's request, and the
// agent who takes the chat sees "Very negative" and an alert in the summary, the supervisor a
// flagged row; the customer calms down and both follow, pushed. Then Ctrl-C, and nothing may be left.
import { ChannelType, OfferResponse, Sentiment } from '@switchboard/solution';
import { AGENTS, CONTACTS } from '../seed/demo-data';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { TestWebApi, until } from './dataverse-client';
import { openAgentWorkspace, startShopChat } from './people';
import { groupAlive, isRunning, startStackProcess, type StackProcess } from './stack-process';

jest.setTimeout(120_000);

const ANGRY = 'This is unacceptable, I am furious, your service is terrible!';

let stack: StackProcess;
let browser: LaunchedBrowser;
let app: TestWebApi;

beforeAll(async () => {
  stack = await startStackProcess({ readyTimeoutMs: 150_000 });
  app = new TestWebApi(stack.dataverseApi, 'switchboard-dev-app-token');
  browser = await launchBrowser({ viewport: { width: 1500, height: 950 } });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

it("an angry customer's chat reaches the agent's summary as very negative with an alert and the supervisor's desk flags it; once the customer calms down the trend shows it and the alert goes", async () => {
  const camille = CONTACTS[0]!;
  const { shop, dialog } = await startShopChat(browser.context, stack.web, { firstname: camille.firstname, email: camille.emailaddress1 }, ANGRY);
  const conversationId = await until('the chat to be stored and queued', async () => {
    const rows = await app.list<{ activityid: string; _swb_queueid_value: string | null }>(
      `swb_conversations?$select=activityid,_swb_queueid_value&$filter=_swb_customerid_value eq ${camille.id} and swb_channeltype eq ${ChannelType.LiveChat}&$orderby=createdon desc&$top=1`,
    );
    return rows[0]?._swb_queueid_value ? rows[0].activityid : undefined;
  });
  // Scored by the routing worker, not in the customer's request.
  await until('the conversation to be scored', async () => {
    const row = await app.get<{ swb_sentiment: number | null }>(`swb_conversations(${conversationId})?$select=swb_sentiment`);
    return row.swb_sentiment === Sentiment.VeryNegative ? row : undefined;
  }, 30_000);

  // Whoever routing offered it to accepts it in their inbox, which opens the conversation.
  const offer = await until('an offer', async () => {
    const rows = await app.list<{ _swb_agentid_value: string }>(`swb_offers?$select=_swb_agentid_value&$filter=_swb_conversationid_value eq ${conversationId} and swb_response eq ${OfferResponse.Pending}`);
    return rows[0];
  });
  const agent = AGENTS.find((a) => a.id === offer._swb_agentid_value)!;
  const page = await openAgentWorkspace(browser.context, stack.web, agent.key);
  await page.getByTestId('agent-inbox').getByRole('button', { name: /^Accept / }).click({ timeout: 30_000 });
  await page.waitForURL(new RegExp(`conversation=${conversationId}`), { timeout: 30_000 });

  const summary = page.getByTestId('conversation-summary');
  const alert = summary.getByRole('alert');
  await alert.waitFor({ timeout: 30_000 });
  expect(await alert.textContent()).toContain('The customer is upset');
  expect(await alert.textContent()).toContain('Sentiment is very negative.');
  const sentiment = summary.getByRole('region', { name: 'Sentiment' });
  expect(await sentiment.getByTestId('summary-sentiment').textContent()).toBe('Very negative');

  // The supervisor's desk flags the row.
  const desk = await browser.context.newPage();
  await desk.goto(`${stack.web}/workspace/supervisor?poll=2`);
  const row = desk.getByRole('list', { name: 'Ongoing conversations' }).getByRole('listitem').filter({ hasText: 'Camille Bernard' });
  await row.getByText('⚠ Very negative').waitFor({ timeout: 30_000 });
  expect(await row.locator('[data-upset]').count()).toBe(1);

  // The customer calms down: scored, pushed, and the summary draws the trend and drops the alert without a reload.
  await dialog.getByLabel('Your message').fill('Thank you, that is great, you are wonderful!');
  await dialog.getByLabel('Your message').press('Enter');
  await sentiment.getByRole('img', { name: 'Trend of the last 2 messages: from Very negative to Neutral' }).waitFor({ timeout: 30_000 });
  await alert.waitFor({ state: 'detached', timeout: 30_000 });
  await row.getByText('Neutral').waitFor({ timeout: 30_000 });
  expect(await row.locator('[data-upset]').count()).toBe(0);

  await desk.close();
  await page.close();
  await shop.close();
});

it('Ctrl-C stops the whole stack and leaves no process behind', async () => {
  const pids = stack.pids;
  expect(await stack.stop()).toBe(0);
  await until('every stack process to exit', async () => (pids.every((p) => !isRunning(p) && !groupAlive(p)) ? true : undefined), 20_000);
});
