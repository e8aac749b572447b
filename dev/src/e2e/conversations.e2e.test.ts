// Whole conversations through the local stack as people use it: `npm start`'s entry point
// on free ports, the real widget in chromium on the demo shop, the real PCF bundles in the
// agent workspace, SMS through the phone simulator. Then Ctrl-C, and nothing may be left.
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { BasePresence, ChannelType, ConversationState, DeliveryStatus, MessageDirection, OfferResponse, SessionRole, SessionState } from '@switchboard/solution';
import { AGENTS, CONTACTS, IDS } from '../seed/demo-data';
import { TestWebApi, until } from './dataverse-client';
import { openAgentWorkspace, setPresenceAs, startShopChat, textFromPhone } from './people';
import { groupAlive, isRunning, startStackProcess, type StackProcess } from './stack-process';

jest.setTimeout(120_000);

let stack: StackProcess;
let browser: LaunchedBrowser;
let app: TestWebApi;
/** The chat of scenario 1: Alice accepts it, transfers it to Bruno, who ends and closes it. */
let chat: ConversationRef | undefined;
const agent = (key: string) => AGENTS.find((a) => a.key === key)!;
/** Every local page address the browser asked for and got 404 (a missing favicon, a broken link). */
const missing: string[] = [];

beforeAll(async () => {
  stack = await startStackProcess({ readyTimeoutMs: 150_000 });
  app = new TestWebApi(stack.dataverseApi, 'switchboard-dev-app-token');
  browser = await launchBrowser();
  browser.context.on('response', (r) => {
    if (r.status() === 404 && r.url().startsWith(stack.web)) missing.push(r.url());
  });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

async function setPresence(key: string, presence: BasePresence): Promise<void> {
  await setPresenceAs(stack.dataverseApi, key, presence);
}

function openWorkspace(key: string, conversationId?: string): Promise<Page> {
  return openAgentWorkspace(browser.context, stack.web, key, conversationId);
}

interface ConversationRef {
  activityid: string;
  _swb_queueid_value: string | null;
}

/** The customer's newest conversation on that channel, once identified and queued. */
async function routedConversationOf(customerId: string, channel: ChannelType): Promise<ConversationRef> {
  return until('the conversation to be identified and queued', async () => {
    const rows = await app.list<ConversationRef>(`swb_conversations?$select=activityid,_swb_queueid_value&$filter=_swb_customerid_value eq ${customerId} and swb_channeltype eq ${channel}&$orderby=createdon desc&$top=1`);
    return rows[0]?._swb_queueid_value ? rows[0] : undefined;
  });
}

async function pendingOfferOf(conversationId: string): Promise<{ _swb_agentid_value: string }> {
  return until('an offer', async () => {
    const rows = await app.list<{ _swb_agentid_value: string }>(`swb_offers?$select=_swb_agentid_value&$filter=_swb_conversationid_value eq ${conversationId} and swb_response eq ${OfferResponse.Pending}`);
    return rows[0];
  });
}

/** A customer opens the demo shop, answers the pre-chat survey as the contact and sends a first message. */
function startChat(customer: LaunchedBrowser, contact: { firstname: string; emailaddress1: string }, message: string): Promise<{ shop: Page; dialog: Locator }> {
  return startShopChat(customer.context, stack.web, { firstname: contact.firstname, email: contact.emailaddress1 }, message);
}

/** What the session timer shows, as [phase, elapsed seconds]. */
async function timerReading(page: Page): Promise<[string, number]> {
  const label = (await page.locator('#timer').getByRole('timer').first().getAttribute('aria-label', { timeout: 30_000 })) ?? '';
  const m = /^(.*): (?:(\d+):)?(\d+):(\d\d)$/.exec(label);
  if (!m) throw new Error(`unexpected timer label "${label}"`);
  return [m[1]!, Number(m[2] ?? 0) * 3600 + Number(m[3]) * 60 + Number(m[4])];
}

async function conversationRow(id: string): Promise<Record<string, unknown>> {
  return app.get(`swb_conversations(${id})?$select=swb_state,_swb_primaryagentid_value,_ownerid_value,swb_activeon,swb_wrapupon,swb_closedon`);
}

interface OpenSession { swb_role: number; swb_joinedon: string | null; createdon: string; swb_wrapupon: string | null }

async function openSessionOf(conversationId: string, key: string): Promise<OpenSession | undefined> {
  const rows = await app.list<OpenSession>(
    `swb_sessions?$select=swb_role,swb_joinedon,createdon,swb_wrapupon&$filter=_swb_conversationid_value eq ${conversationId} and _swb_agentid_value eq ${agent(key).id} and swb_state ne ${SessionState.Closed}`,
  );
  return rows[0];
}

async function capacityUsed(key: string): Promise<number> {
  return Number((await app.get<{ swb_capacityused: number }>(`swb_agentstatuses(${agent(key).statusId})?$select=swb_capacityused`)).swb_capacityused);
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
    const { shop, dialog } = await startChat(browser, camille, 'Hello, where is my tent?');

    const conversation = await routedConversationOf(camille.id, ChannelType.LiveChat);
    chat = conversation;
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

  it('Alice consults Bruno, who sees the conversation in his inbox but cannot transfer it; then Alice transfers it to him and he becomes its primary agent and owner, with its capacity', async () => {
    const conversation = chat!;
    const alice = await openWorkspace('alice', conversation.activityid);
    const alicePane = alice.getByTestId('communication-pane');
    await alicePane.getByText('Hello, where is my tent?').waitFor({ timeout: 30_000 });
    await alicePane.getByRole('button', { name: 'Consult' }).click();
    const consult = alice.getByRole('dialog', { name: 'Consult an agent' });
    await consult.getByRole('combobox', { name: 'Agent' }).selectOption({ label: 'Bruno Petit (3 free)' });
    await consult.getByRole('button', { name: 'Invite' }).click();
    await until('Bruno\'s consult session', async () => (await openSessionOf(conversation.activityid, 'bruno'))?.swb_role === SessionRole.Consult);

    // Bruno finds the invitation in his inbox and opens it: he reads the transcript but only the primary agent may transfer.
    const bruno = await openWorkspace('bruno');
    const invitation = bruno.getByTestId('agent-inbox').getByRole('listitem').filter({ hasText: 'Consulting' });
    await invitation.getByRole('button', { name: 'Resume the conversation with Camille Bernard' }).click({ timeout: 30_000 });
    const brunoPane = bruno.getByTestId('communication-pane');
    await brunoPane.getByText('Hi Camille, it ships tomorrow.').waitFor({ timeout: 30_000 });
    await brunoPane.getByTestId('pane-standing').getByText('You are consulting with Alice Martin, the primary agent. Only the primary agent can consult, transfer or end.').waitFor({ timeout: 30_000 });
    expect(await brunoPane.getByRole('button', { name: 'Transfer' }).isDisabled()).toBe(true);
    expect(await brunoPane.getByRole('button', { name: 'End conversation' }).isDisabled()).toBe(true);
    // Going around the disabled button, straight to the Web API as Bruno, is refused too and changes nothing.
    const refused = await fetch(`${stack.dataverseApi}swb_conversations(${conversation.activityid})`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${agent('bruno').token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ 'swb_primaryagentid@odata.bind': `/systemusers(${agent('bruno').id})` }),
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect((await conversationRow(conversation.activityid))['_swb_primaryagentid_value']).toBe(agent('alice').id);

    // Alice transfers it to Bruno.
    await alicePane.getByRole('button', { name: 'Transfer' }).click();
    const transfer = alice.getByRole('dialog', { name: 'Transfer the conversation' });
    await transfer.getByRole('radio', { name: 'An agent' }).check();
    await transfer.getByRole('combobox', { name: 'Agent' }).selectOption({ label: 'Bruno Petit' });
    await transfer.getByRole('button', { name: 'Transfer' }).click();
    await until('Bruno to be primary agent and owner', async () => {
      const row = await conversationRow(conversation.activityid);
      return row['_swb_primaryagentid_value'] === agent('bruno').id && row['_ownerid_value'] === agent('bruno').id && row['swb_state'] === ConversationState.Active;
    });
    await until('Bruno\'s session to be the primary one and Alice\'s to be over', async () =>
      (await openSessionOf(conversation.activityid, 'bruno'))?.swb_role === SessionRole.Primary && (await openSessionOf(conversation.activityid, 'alice')) === undefined,
    );
    await until('the capacity to move from Alice to Bruno', async () => (await capacityUsed('alice')) === 0 && (await capacityUsed('bruno')) === 1);
    // Each pane follows: Alice's turns read-only and says to whom it went, Bruno gets the actions and answers the customer.
    await alicePane.getByTestId('pane-standing').getByText('Transferred to Bruno Petit. You can read this conversation but no longer write in it.').waitFor({ timeout: 30_000 });
    expect(await alicePane.getByRole('textbox').isDisabled()).toBe(true);
    await until('Bruno\'s actions to be enabled', async () => !(await brunoPane.getByRole('button', { name: 'End conversation' }).isDisabled()));
    const reply = brunoPane.getByRole('textbox', { name: 'Reply to the customer' });
    await reply.fill('Bruno here, I am taking over.');
    await reply.press('Enter');
    await brunoPane.locator('text=Bruno here, I am taking over.').waitFor({ timeout: 30_000 });
    await alice.close();
    await bruno.close();
  });

  it('Bruno refreshes his page: the conversation resumes with its whole transcript and a timer counted from when he joined, not from the reload', async () => {
    const conversation = chat!;
    const bruno = await openWorkspace('bruno', conversation.activityid);
    const pane = bruno.getByTestId('communication-pane');
    await pane.getByText('Bruno here, I am taking over.').waitFor({ timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 2_000));
    await bruno.reload();
    await bruno.getByTestId('agent-inbox').waitFor({ timeout: 30_000 });
    // The URL carries the conversation, as a model-driven form's does: it reopens by itself.
    for (const text of ['Hello, where is my tent?', 'Hi Camille, it ships tomorrow.', 'Note: customer asked twice, check the warehouse.', 'Bruno here, I am taking over.']) {
      await pane.getByText(text).waitFor({ timeout: 30_000 });
    }
    const session = (await openSessionOf(conversation.activityid, 'bruno'))!;
    const [phase, shown] = await until('the timer after the reload', async () => {
      const r = await timerReading(bruno).catch(() => undefined);
      return r && r[0] === 'In session' ? r : undefined;
    });
    // A consult invited from the pane carries no browser time: it joined when the row was created.
    const expected = (Date.now() - Date.parse(session.swb_joinedon ?? session.createdon)) / 1000;
    expect(phase).toBe('In session');
    expect(shown).toBeGreaterThanOrEqual(2);
    expect(Math.abs(shown - expected)).toBeLessThanOrEqual(3);
    await bruno.close();
  });

  it('an SMS typed with a local number identifies the contact and is offered in the SMS queue; the agent\'s reply arrives on the simulator and shows Delivered; after STOP (which she reads in the transcript) the number is opted out, her next reply says it was not delivered because of it, and nothing more is sent', async () => {
    const emile = CONTACTS[2]!;
    const typed = '06 98 76 54 32';
    const send = async (body: string) => {
      expect((await textFromPhone(stack.web, typed, body)).status).toBe(200);
    };
    const outbound = async () => {
      const t = (await (await fetch(`${stack.web}/phone/api/thread?provider=telesign&from=${encodeURIComponent(typed)}`)).json()) as { entries: { direction: string; body: string }[] };
      return t.entries.filter((e) => e.direction === 'out').map((e) => e.body);
    };
    await send('Bonjour, ma commande ?');
    const conversation = await routedConversationOf(emile.id, ChannelType.Sms);
    expect(conversation._swb_queueid_value).toBe(IDS.queues.sms);
    expect((await pendingOfferOf(conversation.activityid))._swb_agentid_value).toBe(agent('alice').id);
    // A French mobile is answered in French (the seed has the reply in both languages).
    await until('the automatic reply in French on the simulator', async () => (await outbound()).includes('Merci pour votre message, un conseiller vous répondra bientôt.'));
    expect((await app.get<{ swb_language: string }>(`swb_conversations(${conversation.activityid})?$select=swb_language`)).swb_language).toBe('fr');

    // Alice accepts it in her inbox and answers in the pane: the reply goes out through TeleSign's stand-in to the phone.
    const alice = await openWorkspace('alice');
    await alice.getByTestId('agent-inbox').getByRole('button', { name: /^Accept / }).click({ timeout: 30_000 });
    await alice.waitForURL(new RegExp(`conversation=${conversation.activityid}`), { timeout: 30_000 });
    const pane = alice.getByTestId('communication-pane');
    await pane.getByText('Bonjour, ma commande ?').waitFor({ timeout: 30_000 });
    const reply = pane.getByRole('textbox', { name: 'Reply to the customer' });
    await reply.fill('Bonjour Émile, elle part demain.');
    await reply.press('Enter');
    await until('the agent\'s reply on the simulator', async () => (await outbound()).includes('Bonjour Émile, elle part demain.'), 30_000);
    // The phone has it: TeleSign's delivery report reaches the pane.
    const sentReply = pane.locator('[data-kind="Agent"]', { hasText: 'Bonjour Émile, elle part demain.' });
    await sentReply.getByTestId('delivery-status').filter({ hasText: /^Delivered$/ }).waitFor({ timeout: 30_000 });
    // The phone simulator's page shows it in the thread, as the customer's phone would.
    const phone = await browser.context.newPage();
    await phone.goto(`${stack.web}/phone`);
    await phone.locator('#provider').selectOption('telesign');
    await phone.locator('#from').fill(typed);
    await phone.locator('#from').dispatchEvent('change');
    await phone.locator('#thread li[data-direction="out"] .bubble', { hasText: 'Bonjour Émile, elle part demain.' }).waitFor({ timeout: 30_000 });
    await phone.close();

    await send('STOP');
    await until('the opt-out', async () => (await app.list(`swb_optouts?$filter=swb_phonenumber eq '${emile.mobilephone}' and swb_isoptedout eq true`)).length === 1);
    await until('the unsubscribe confirmation', async () => (await outbound()).some((b) => /unsubscribed/i.test(b)));
    // Alice reads the STOP in the transcript, and her next reply says why it was not delivered.
    await pane.locator('[data-kind="Customer"] p', { hasText: /^STOP$/ }).waitFor({ timeout: 30_000 });
    const sentBefore = (await outbound()).length;
    await reply.fill('Vous êtes toujours là ?');
    await reply.press('Enter');
    await pane.locator('[data-kind="Agent"]', { hasText: 'Vous êtes toujours là ?' }).getByTestId('delivery-status')
      .filter({ hasText: 'Not delivered: the customer opted out of texts (STOP)' }).waitFor({ timeout: 30_000 });
    await alice.close();
    await send('Toujours là ?');
    await until('the message to be stored', async () => (await app.list(`swb_messages?$filter=_swb_conversationid_value eq ${conversation.activityid} and swb_body eq 'Toujours là ?'`)).length === 1);
    // Anything triggered by that message would have gone out within a couple of seconds.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await outbound()).length).toBe(sentBefore);
  });

  it.each(['twilio', 'telesign', 'acs'] as const)('an SMS from the simulator through %s is accepted by the functions app (signed as the provider signs) and the automatic reply comes back through the provider stand-in, in the customer\'s language, and is marked Delivered by the provider\'s delivery report', async (provider) => {
    const from = provider === 'twilio' ? '(317) 555-0147' : provider === 'telesign' ? '06 12 00 00 01' : '07400 123456';
    const sent = await textFromPhone(stack.web, from, `Hello via ${provider}`, provider);
    expect({ status: sent.status, detail: sent.detail }).toEqual({ status: 200, detail: undefined });
    const thread = await until(`the automatic reply on ${provider}`, async () => {
      const t = (await (await fetch(`${stack.web}/phone/api/thread?provider=${provider}&from=${encodeURIComponent(from)}`)).json()) as { entries: { direction: string; body: string }[] };
      return t.entries.some((e) => e.direction === 'out') ? t.entries : undefined;
    });
    // Each in the language the customer's number suggests: the French mobile in French.
    expect(thread.find((e) => e.direction === 'out')?.body).toBe(provider === 'telesign' ? 'Merci pour votre message, un conseiller vous répondra bientôt.' : 'Thanks for your message, an agent will reply soon.');
    // Each provider's delivery report (Twilio's status callback, TeleSign's transaction callback,
    // ACS's SMSDeliveryReportReceived event) marks the stored reply Delivered.
    await until(`the ${provider} delivery report`, async () => {
      const [conv] = await app.list<{ activityid: string }>(`swb_conversations?$select=activityid&$filter=swb_customerphone eq '${sent.customer}'&$orderby=createdon desc&$top=1`);
      if (!conv) return false;
      const out = await app.list<{ swb_deliverystatus: number }>(`swb_messages?$select=swb_deliverystatus&$filter=_swb_conversationid_value eq ${conv.activityid} and swb_direction eq ${MessageDirection.Outbound}`);
      return out.length > 0 && out.every((m) => m.swb_deliverystatus === DeliveryStatus.Delivered);
    });
  });

  it('Bruno ends the conversation: wrap-up starts its own timer and still holds his capacity, so a new chat waits; when he closes it the capacity is released and the waiting chat is offered to him', async () => {
    const conversation = chat!;
    // Bruno takes one conversation at a time today (an admin's setting); Alice is away.
    await app.patch(`swb_agentstatuses(${agent('bruno').statusId})`, { swb_capacitymax: 1 });
    await setPresence('alice', BasePresence.Away);
    const bruno = await openWorkspace('bruno', conversation.activityid);
    const pane = bruno.getByTestId('communication-pane');
    await pane.getByText('Bruno here, I am taking over.').waitFor({ timeout: 30_000 });
    await until('a running session timer', async () => {
      const [phase, shown] = await timerReading(bruno);
      return phase === 'In session' && shown >= 3;
    });
    await pane.getByRole('button', { name: 'End conversation' }).click();
    await pane.getByText('Conversation ended; wrap-up started').waitFor({ timeout: 30_000 });
    const wrapUpOn = await until('the wrap-up time on the session', async () => (await openSessionOf(conversation.activityid, 'bruno'))?.swb_wrapupon ?? undefined);
    // The timer shows the phase as soon as the state changes and counts from the stamp once it has
    // read it (the conversation-state step writes it, asynchronously: seconds later on a busy machine).
    const [phase, shown] = await until('the wrap-up timer counting from the wrap-up stamp', async () => {
      const r = await timerReading(bruno);
      return r[0] === 'Wrap-up' && Math.abs(r[1] - (Date.now() - Date.parse(wrapUpOn)) / 1000) <= 3 ? r : undefined;
    }, 30_000);
    expect(phase).toBe('Wrap-up');
    expect(shown).toBeLessThan(15);
    expect(await capacityUsed('bruno')).toBe(1);

    // Dana starts a chat from another browser: nobody can take it, so it waits in Web support.
    const dana = CONTACTS[1]!;
    const customer = await launchBrowser();
    try {
      await startChat(customer, dana, 'Do you ship to Canada?');
      const waiting = await routedConversationOf(dana.id, ChannelType.LiveChat);
      expect(waiting._swb_queueid_value).toBe(IDS.queues.web);
      // Routing had its chance (the conversation is queued) and made no offer: Bruno is full.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await app.list(`swb_offers?$filter=_swb_conversationid_value eq ${waiting.activityid}`)).toEqual([]);
      expect((await conversationRow(waiting.activityid))['swb_state']).toBe(ConversationState.Waiting);

      await pane.getByRole('button', { name: 'Close' }).click();
      await pane.getByText('Conversation closed').waitFor({ timeout: 30_000 });
      expect((await conversationRow(conversation.activityid))['swb_state']).toBe(ConversationState.Closed);
      // Closing releases the capacity and wakes routing: Dana's chat is offered to Bruno, who accepts it.
      expect((await pendingOfferOf(waiting.activityid))._swb_agentid_value).toBe(agent('bruno').id);
      await bruno.getByTestId('agent-inbox').getByRole('button', { name: /^Accept / }).click({ timeout: 30_000 });
      await bruno.waitForURL(new RegExp(`conversation=${waiting.activityid}`), { timeout: 30_000 });
      await pane.getByText('Do you ship to Canada?').waitFor({ timeout: 30_000 });
      await until('Dana\'s chat to be active with Bruno', async () => {
        const row = await conversationRow(waiting.activityid);
        return row['swb_state'] === ConversationState.Active && row['_swb_primaryagentid_value'] === agent('bruno').id;
      });
      expect(await capacityUsed('bruno')).toBe(1);
      // The closed chat left Bruno's inbox; the new one is there.
      const inbox = bruno.getByTestId('agent-inbox');
      await inbox.getByRole('button', { name: 'Resume the conversation with Dana Whitfield' }).waitFor({ timeout: 30_000 });
      await until('the closed chat to leave the inbox', async () => (await inbox.getByRole('button', { name: 'Resume the conversation with Camille Bernard' }).count()) === 0);
    } finally {
      await customer.close();
      await bruno.close();
    }
  });

  it('a customer on the cart page who says the chat is about Billing is queued in Billing, with the cart total the page set kept as context', async () => {
    const customer = await launchBrowser();
    try {
      await startShopChat(customer.context, stack.web, { firstname: 'Nadia', email: 'nadia@nowhere.example', topic: 'Billing' }, 'I was charged twice', '/shop/cart');
      const row = await until('the Billing chat', async () =>
        (await app.list<{ _swb_queueid_value: string | null; swb_context: string }>(`swb_conversations?$select=_swb_queueid_value,swb_context&$filter=contains(swb_prechatanswers,'nadia@nowhere.example')`))[0]);
      expect(row._swb_queueid_value).toBe(IDS.queues.billing);
      expect(JSON.parse(row.swb_context)).toMatchObject({ cartTotal: 249, page: 'cart' });
    } finally {
      await customer.close();
    }
  });

  it("the pages ask for nothing that is missing, and npm start's output shows no routine polls or start-up 400s", () => {
    expect(missing).toEqual([]);
    const routine = [/GET \S+\/messages → chat-messages 200 /, /OPTIONS \S+ → [a-z-]+ 204 /, / → dataverse-webhook 400/];
    const noise = stack.output.filter((line) => routine.some((r) => r.test(line)));
    expect(noise).toEqual([]);
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
