// The post-conversation survey on the local stack: the chat customer's rating over
// POST /api/chat/conversations/{id}/csat, and on SMS the question texted through the Twilio
// stand-in when the agent ends the conversation (the conversation-state webhook step, as
// Dataverse calls it) and the customer's reply stored as the answer without a new conversation.
import { AuthorKind, ChannelType, ConversationState, MessageDirection } from '@switchboard/solution';
import { startStandIn, type StandIn } from '@switchboard/functions/channels/testing/stand-in';
import { TokenSigner } from '@switchboard/functions/chat/customer-token';
import { registerWebhookStep } from '../dataverse/testing/register-step';
import { diffStats } from '../dataverse/request-stats';
import { CHAT_KEY, WEBHOOK_KEY, postSignedTwilio, seedRouting, seedTwilioChannel, startStack, twilioInbound, type Stack } from './stack.testing';

let stack: Stack;
let twilio: StandIn;
let channelId: string;
let quietChannelId: string;
let widgetId: string;
let quietWidgetId: string;
let agentId: string;
const ORIGIN = 'https://shop.example';

beforeAll(async () => {
  twilio = await startStandIn();
  twilio.respondWith(() => ({ status: 201, body: { sid: `SMq${String(twilio.requests.length).padStart(31, '0')}`, status: 'queued' } }));
  // Caches on, as deployed: the counts of requests below are those of a warm instance.
  stack = await startStack({ twilioApiBaseUrl: twilio.baseUrl, graph: { cacheTtlMs: 30_000 } });
  // One chat workstream asks (with the admin's French wording), another does not; the SMS one asks in the built-in words.
  const chat = await seedRouting(stack.api, ChannelType.LiveChat, [{ name: 'Survey Agent', queue: 'main' }]);
  agentId = chat.agents[0]!.id;
  await stack.api.update({ collection: 'swb_workstreams', key: chat.workstreamId, data: { swb_surveyenabled: true, swb_surveytexts: JSON.stringify({ fr: 'Notre aide vous a-t-elle plu ?' }) } });
  const quiet = await seedRouting(stack.api, ChannelType.LiveChat, []);
  const widget = (name: string, workstreamId: string) =>
    stack.api.create({
      collection: 'swb_chatwidgets',
      data: {
        swb_name: name,
        swb_allowedorigins: ORIGIN,
        swb_prechatquestions: JSON.stringify([{ id: 'name', label: 'Your name', type: 'text', required: true }]),
        'swb_workstreamid@odata.bind': `/swb_workstreams(${workstreamId})`,
        swb_isenabled: true,
      },
    }) as Promise<string>;
  widgetId = await widget('survey shop', chat.workstreamId);
  quietWidgetId = await widget('quiet shop', quiet.workstreamId);
  const sms = await seedRouting(stack.api, ChannelType.Sms, []);
  await stack.api.update({ collection: 'swb_workstreams', key: sms.workstreamId, data: { swb_surveyenabled: true } });
  channelId = await seedTwilioChannel(stack.api, { 'swb_workstreamid@odata.bind': `/swb_workstreams(${sms.workstreamId})` });
  const quietSms = await seedRouting(stack.api, ChannelType.Sms, []);
  quietChannelId = await seedTwilioChannel(stack.api, { swb_name: 'Twilio quiet', swb_phonenumber: '+13175550109', 'swb_workstreamid@odata.bind': `/swb_workstreams(${quietSms.workstreamId})` });
  await registerWebhookStep(stack.api, {
    name: 'conversation-state',
    url: `${stack.baseUrl}/api/dataverse/conversation-state`,
    key: WEBHOOK_KEY,
    message: 'Update',
    table: 'swb_conversation',
    stage: 40,
    mode: 'async',
    filteringAttributes: ['swb_state', 'swb_primaryagentid'],
    images: [{ alias: 'Image', type: 'both', attributes: ['swb_state', 'swb_primaryagentid', 'swb_queueid', 'swb_workstreamid', 'swb_openedon', 'swb_queuedon', 'swb_firstassignedon', 'swb_activeon', 'swb_wrapupon', 'swb_closedon'] }],
  });
});
afterAll(async () => {
  await stack.stop();
  await twilio.close();
});

async function waitFor<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The functions app's Dataverse requests while `work` runs. */
async function appRequests(work: () => Promise<unknown>): Promise<number> {
  const before = stack.emulator.stats();
  await work();
  return diffStats(before, stack.emulator.stats()).callers['switchboard-app@switchboard.dev']?.requests ?? 0;
}

const conversation = (id: string) => stack.api.retrieve<Record<string, any>>({ collection: 'swb_conversations', key: id });

/** How many conversation-state webhooks the emulator has delivered and seen answered (the survey question is asked before the answer). */
const stateStepsHandled = () =>
  Object.entries(stack.emulator.stats().webhooks).filter(([name]) => name.includes('conversation-state')).reduce((n, [, w]) => n + w.deliveries, 0);

describe('the chat survey route', () => {
  async function call(method: string, path: string, options: { body?: unknown; token?: string } = {}) {
    const headers: Record<string, string> = { origin: ORIGIN };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    const res = await fetch(`${stack.baseUrl}/api/chat${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
  }
  let n = 0;
  async function startChat(widget = widgetId): Promise<{ conversationId: string; token: string }> {
    const res = await call('POST', `/${widget}/conversations`, { body: { answers: { name: 'Ana' }, context: {}, locale: 'en', pageUrl: ORIGIN, clientRequestId: `survey-start-${++n}-abcdef` } });
    expect(res.status).toBe(201);
    return res.body as { conversationId: string; token: string };
  }

  it('the widget config says whether the survey is on, with the admin question in the customer\'s language only where there is one', async () => {
    expect((await call('GET', `/${widgetId}/config?locale=fr-FR`)).body!['survey']).toEqual({ question: 'Notre aide vous a-t-elle plu ?' });
    expect((await call('GET', `/${widgetId}/config?locale=en-GB`)).body!['survey']).toEqual({});
    expect((await call('GET', `/${quietWidgetId}/config?locale=en`)).body!['survey']).toBeUndefined();
  });

  it('a rating is refused while the chat goes on, accepted once it ended, and a second answer replaces the first', async () => {
    const { conversationId, token } = await startChat();
    const early = await call('POST', `/conversations/${conversationId}/csat`, { token, body: { rating: 4 } });
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'conversation_not_ended', message: expect.any(String) } } });
    expect(early.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const ending = stateStepsHandled();
    expect((await call('POST', `/conversations/${conversationId}/end`, { token })).status).toBe(200);
    // The end's own webhook (the state step) is done: what is counted next is the answer alone.
    await waitFor('the end to be handled', async () => stateStepsHandled(), (n) => n > ending);

    let first!: Awaited<ReturnType<typeof call>>;
    // The conversation read for the token, then one write (widget and survey settings cached).
    expect(await appRequests(async () => (first = await call('POST', `/conversations/${conversationId}/csat`, { token, body: { rating: 4, comment: '  Quick and kind.  ' } })))).toBe(2);
    expect(first).toMatchObject({ status: 200, body: { rating: 4, comment: 'Quick and kind.', respondedOn: expect.any(String) } });
    expect(await conversation(conversationId)).toMatchObject({ swb_csatrating: 4, swb_csatcomment: 'Quick and kind.', swb_csatrespondedon: expect.anything() });

    const again = await call('POST', `/conversations/${conversationId}/csat`, { token, body: { rating: 5 } });
    expect(again).toMatchObject({ status: 200, body: { rating: 5 } });
    const row = await conversation(conversationId);
    expect(row['swb_csatrating']).toBe(5);
    expect(row['swb_csatcomment'] ?? null).toBeNull();
  });

  it('a wrong rating or a long comment is 400, another conversation\'s token 401, an unknown conversation 404, and nothing is stored', async () => {
    const { conversationId, token } = await startChat();
    await call('POST', `/conversations/${conversationId}/end`, { token });
    expect(await call('POST', `/conversations/${conversationId}/csat`, { token, body: { rating: 7 } })).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', fields: { rating: expect.any(String) } } } });
    expect(await call('POST', `/conversations/${conversationId}/csat`, { token, body: { rating: 3, comment: 'x'.repeat(1001) } })).toMatchObject({ status: 400, body: { error: { fields: { comment: expect.any(String) } } } });
    const other = await startChat();
    expect((await call('POST', `/conversations/${conversationId}/csat`, { token: other.token, body: { rating: 3 } })).status).toBe(401);
    const unknown = '6a1f4c7e-0000-4000-8000-00000000c5a7';
    const unknownToken = new TokenSigner(CHAT_KEY).issue(unknown, Date.now() + 3600_000, 'n');
    expect(await call('POST', `/conversations/${unknown}/csat`, { token: unknownToken, body: { rating: 3 } })).toMatchObject({ status: 404, body: { error: { code: 'conversation_not_found' } } });
    expect((await conversation(conversationId))['swb_csatrating'] ?? null).toBeNull();
  });

  it('a workstream without the survey refuses a rating, and so does a chat that ended more than 24 hours ago', async () => {
    const quiet = await startChat(quietWidgetId);
    await call('POST', `/conversations/${quiet.conversationId}/end`, { token: quiet.token });
    expect(await call('POST', `/conversations/${quiet.conversationId}/csat`, { token: quiet.token, body: { rating: 5 } })).toMatchObject({ status: 409, body: { error: { code: 'survey_not_offered' } } });

    const late = await startChat();
    await call('POST', `/conversations/${late.conversationId}/end`, { token: late.token });
    await stack.api.update({ collection: 'swb_conversations', key: late.conversationId, data: { swb_closedon: new Date(Date.now() - 25 * 3600_000).toISOString() } });
    expect(await call('POST', `/conversations/${late.conversationId}/csat`, { token: late.token, body: { rating: 5 } })).toMatchObject({ status: 409, body: { error: { code: 'survey_closed' } } });
  });
});

describe('the SMS survey', () => {
  const text = (sid: string, from: string, body: string, channel = channelId) => postSignedTwilio(stack, `/api/sms/twilio/${channel}`, twilioInbound(sid, from, body));
  const conversationsOf = async (phone: string) =>
    (await stack.api.retrieveMultiple<Record<string, any>>({ collection: 'swb_conversations', filter: `swb_customerphone eq '${phone}'`, orderBy: ['createdon asc'] })).value;
  const messagesOf = async (id: string) =>
    (await stack.api.retrieveMultiple<Record<string, any>>({ collection: 'swb_messages', filter: `_swb_conversationid_value eq ${id}`, orderBy: ['swb_sequence asc'] })).value;
  const textsTo = (phone: string) => twilio.requests.map((r) => new URLSearchParams(r.body)).filter((b) => b.get('To') === phone).map((b) => b.get('Body'));

  /** The customer texts, an agent takes the conversation and ends it (wrap-up): its id. */
  async function servedAndEnded(sid: string, phone: string, first: string, channel = channelId): Promise<string> {
    expect((await text(sid, phone, first, channel)).status).toBe(200);
    const [conv] = await conversationsOf(phone);
    const id = conv!['activityid'] as string;
    await stack.api.update({ collection: 'swb_conversations', key: id, data: { swb_state: ConversationState.Active, 'swb_primaryagentid@odata.bind': `/systemusers(${agentId})` } });
    await stack.api.update({ collection: 'swb_conversations', key: id, data: { swb_state: ConversationState.WrapUp } });
    return id;
  }

  it('when the agent ends an SMS conversation the question is texted through Twilio, and the reply "4 thanks!" after the close is the answer, in that conversation, opening none', async () => {
    const phone = '+13175550161';
    const handled = stateStepsHandled();
    const id = await servedAndEnded('SM00000000000000000000000000s0001', phone, 'Where is my order?');
    const asked = await waitFor('the question', async () => textsTo(phone), (t) => t.length > 0);
    expect(asked).toEqual(['How would you rate our help, from 1 (poor) to 5 (excellent)? Reply with a number.']);
    expect((await conversation(id))['swb_csatrequestedon']).toBeTruthy();
    // The agent closes the wrap-up: the same end, no second question.
    await stack.api.update({ collection: 'swb_conversations', key: id, data: { swb_state: ConversationState.Closed } });
    // Taken, ended, closed: each state change handled to the end (the close asked nothing more).
    await waitFor('the state changes to be handled', async () => stateStepsHandled(), (n) => n >= handled + 3);

    const reply = twilioInbound('SM00000000000000000000000000s0002', phone, '4 thanks!');
    // The number's conversations, then the text and the answer in one change set.
    expect(await appRequests(async () => expect((await postSignedTwilio(stack, `/api/sms/twilio/${channelId}`, reply)).status).toBe(200))).toBe(2);
    // Twilio retries the same webhook: still one answer.
    expect((await postSignedTwilio(stack, `/api/sms/twilio/${channelId}`, reply)).status).toBe(200);
    expect(await conversationsOf(phone)).toHaveLength(1);
    expect(await conversation(id)).toMatchObject({ swb_state: ConversationState.Closed, swb_csatrating: 4, swb_csatcomment: 'thanks!', swb_csatrespondedon: expect.anything() });
    const transcript = await messagesOf(id);
    expect(transcript.filter((m) => m['swb_authorkind'] === AuthorKind.System).map((m) => m['swb_body'])).toEqual([asked[0]]);
    expect(transcript.filter((m) => m['swb_direction'] === MessageDirection.Inbound).map((m) => m['swb_body'])).toEqual(['Where is my order?', '4 thanks!']);
    expect(textsTo(phone)).toHaveLength(1);

    // Answered: the next "5" is an ordinary text, which opens a conversation as it always did.
    await text('SM00000000000000000000000000s0003', phone, '5');
    const after = await conversationsOf(phone);
    expect(after).toHaveLength(2);
    expect((await conversation(id))['swb_csatrating']).toBe(4);
  });

  it('a French customer is asked in French and answers "5 sur 5, merci" while the agent is still wrapping up', async () => {
    const phone = '+33612340099';
    const id = await servedAndEnded('SM00000000000000000000000000s0101', phone, 'Bonjour, ma commande ?');
    const [asked] = await waitFor('the question', async () => textsTo(phone), (t) => t.length > 0);
    expect(asked).toBe('Comment évaluez-vous notre aide, de 1 (mauvaise) à 5 (excellente) ? Répondez par un chiffre.');
    await text('SM00000000000000000000000000s0102', phone, '5 sur 5, merci');
    expect(await conversationsOf(phone)).toHaveLength(1);
    expect(await conversation(id)).toMatchObject({ swb_state: ConversationState.WrapUp, swb_csatrating: 5, swb_csatcomment: 'merci' });
  });

  it('a reply that is not a rating opens a new conversation as before, and STOP is an opt-out, not an answer', async () => {
    const phone = '+13175550162';
    const id = await servedAndEnded('SM00000000000000000000000000s0201', phone, 'Hello');
    await waitFor('the question', async () => textsTo(phone), (t) => t.length > 0);
    await stack.api.update({ collection: 'swb_conversations', key: id, data: { swb_state: ConversationState.Closed } });
    await text('SM00000000000000000000000000s0202', phone, 'STOP');
    expect(await stack.graph.optOuts.isOptedOut(channelId, phone)).toBe(true);
    await text('SM00000000000000000000000000s0203', phone, 'START');
    await text('SM00000000000000000000000000s0204', phone, 'One more question about my invoice');
    const all = await conversationsOf(phone);
    expect(all).toHaveLength(2);
    expect((await conversation(id))['swb_csatrating'] ?? null).toBeNull();
  });

  it('no question is texted for a conversation closed while it waited, nor where the workstream has the survey off', async () => {
    const before = stateStepsHandled();
    const waited = '+13175550163';
    await text('SM00000000000000000000000000s0301', waited, 'anyone?');
    const [conv] = await conversationsOf(waited);
    await stack.api.update({ collection: 'swb_conversations', key: conv!['activityid'], data: { swb_state: ConversationState.Closed } });
    const phone = '+13175550164';
    const id = await servedAndEnded('SM00000000000000000000000000s0302', phone, 'Hi', quietChannelId);
    // Three state changes (the close while waiting, taken, ended), each handled to the end.
    await waitFor('the state changes to be handled', async () => stateStepsHandled(), (n) => n >= before + 3);
    expect(textsTo(waited)).toEqual([]);
    expect(textsTo(phone)).toEqual([]);
    expect((await conversation(id))['swb_csatrequestedon'] ?? null).toBeNull();
  });
});
