import {
  AuthorKind,
  AutomatedMessageTrigger,
  ChannelType,
  ConversationState,
  DeliveryStatus,
  MessageDirection,
  TemplateKind,
  Visibility,
} from '@switchboard/solution';
import { registerWebhookStep } from '../dataverse/testing/register-step';
import { startStandIn, type StandIn } from '@switchboard/functions/channels/testing/stand-in';
import { ADMIN_KEY, FUNCTION_KEY, PUBLIC_BASE, WEBHOOK_KEY, postSignedTwilio, seedTwilioChannel, startStack, type Stack } from './stack.testing';

let stack: Stack;
let twilio: StandIn;
let channelId: string;

beforeAll(async () => {
  twilio = await startStandIn();
  twilio.respondWith(() => ({ status: 201, body: { sid: `SMout${String(twilio.requests.length).padStart(30, '0')}`, status: 'queued' } }));
  stack = await startStack({ twilioApiBaseUrl: twilio.baseUrl });
  channelId = await seedTwilioChannel(stack.api);
});
afterAll(async () => {
  await stack.stop();
  await twilio.close();
});

async function smsConversation(phone: string, extra: Record<string, unknown> = {}): Promise<string> {
  return (await stack.api.create({
    collection: 'swb_conversations',
    data: {
      subject: 'SMS',
      swb_state: ConversationState.Active,
      swb_channeltype: ChannelType.Sms,
      'swb_channelid@odata.bind': `/swb_channels(${channelId})`,
      swb_customerphone: phone,
      ...extra,
    },
  })) as string;
}

async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const message = (id: string) => stack.api.retrieve<Record<string, any>>({ collection: 'swb_messages', key: id });

function postStatus(fields: Record<string, string>) {
  return postSignedTwilio(stack, `/api/sms/twilio/${channelId}/status`, fields);
}

it("an agent's reply saved in Dataverse goes out through Twilio's REST API, and its delivery status is written back", async () => {
  await registerWebhookStep(stack.api, {
    name: 'message-created',
    url: `${stack.baseUrl}/api/dataverse/message-created`,
    key: WEBHOOK_KEY,
    message: 'Create',
    table: 'swb_message',
    stage: 40,
    mode: 'async',
  });
  const conversationId = await smsConversation('+13175550111');
  const before = twilio.requests.length;
  const id = (await stack.api.create({
    collection: 'swb_messages',
    data: {
      swb_body: 'Your parcel ships today.',
      swb_sequence: 1,
      swb_direction: MessageDirection.Outbound,
      swb_authorkind: AuthorKind.Agent,
      swb_visibility: Visibility.Public,
      swb_deliverystatus: DeliveryStatus.Pending,
      'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})`,
    },
  })) as string;
  const sent = await waitFor(() => message(id), (m) => m['swb_deliverystatus'] === DeliveryStatus.Queued && !!m['swb_providermessageid']);
  expect(sent['swb_providermessageid']).toMatch(/^SMout/);
  expect(sent['swb_senton']).toBeTruthy();
  const call = twilio.requests[before]!;
  expect(call.url).toBe('/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json');
  const form = new URLSearchParams(call.body);
  expect(form.get('To')).toBe('+13175550111');
  expect(form.get('Body')).toBe('Your parcel ships today.');
  expect(form.get('StatusCallback')).toBe(`${PUBLIC_BASE}/api/sms/twilio/${channelId}/status`);

  const sid = sent['swb_providermessageid'] as string;
  const base = { MessageSid: sid, SmsSid: sid, AccountSid: 'AC00000000000000000000000000000001', From: '+13175550100', To: '+13175550111' };
  expect((await postStatus({ ...base, MessageStatus: 'delivered', SmsStatus: 'delivered' })).status).toBe(200);
  expect((await message(id))['swb_deliverystatus']).toBe(DeliveryStatus.Delivered);
  expect((await message(id))['swb_deliveredon']).toBeTruthy();
  // A late "sent" (callbacks are reordered) never moves a delivered message back.
  expect((await postStatus({ ...base, MessageStatus: 'sent', SmsStatus: 'sent' })).status).toBe(200);
  expect((await message(id))['swb_deliverystatus']).toBe(DeliveryStatus.Delivered);
  // An internal note is never sent.
  const note = (await stack.api.create({
    collection: 'swb_messages',
    data: { swb_body: 'internal only', swb_sequence: 2, swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Agent, swb_visibility: Visibility.Internal, 'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})` },
  })) as string;
  await new Promise((r) => setTimeout(r, 300));
  expect(twilio.requests.some((r) => r.body.includes('internal+only'))).toBe(false);
  expect((await message(note))['swb_providermessageid'] ?? null).toBeNull();
});

it('a failed delivery report records the error on the message', async () => {
  const conversationId = await smsConversation('+13175550112');
  const msg = await stack.graph.automated.render('started', { swb_channeltype: ChannelType.Sms, _swb_workstreamid_value: null, swb_language: null }, {});
  expect(msg).toBeNull();
  const id = '0b3c1d2e-0000-4000-8000-00000000f001';
  await stack.api.upsert({
    collection: 'swb_messages',
    key: id,
    data: { swb_body: 'x', swb_sequence: 1, swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.System, swb_visibility: Visibility.Public, swb_deliverystatus: DeliveryStatus.Sent, swb_providermessageid: 'SMfail000000000000000000000000001', 'swb_channelid@odata.bind': `/swb_channels(${channelId})`, 'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})` },
  });
  const fields = { MessageSid: 'SMfail000000000000000000000000001', AccountSid: 'AC00000000000000000000000000000001', From: '+13175550100', To: '+13175550112', MessageStatus: 'undelivered', ErrorCode: '30003' };
  expect((await postStatus(fields)).status).toBe(200);
  const row = await message(id);
  expect(row['swb_deliverystatus']).toBe(DeliveryStatus.Failed);
  expect(row['swb_error']).toContain('30003');
});

it('automated messages are rendered in the customer language with fallback, stored as public system messages and texted to SMS customers', async () => {
  for (const [locale, text] of [['en', 'Thanks {customer.name|there}, an agent will be with you soon.'], ['fr', 'Merci {customer.name|à vous}, un agent arrive.']]) {
    await stack.api.create({ collection: 'swb_automatedmessages', data: { swb_name: `started ${locale}`, swb_trigger: AutomatedMessageTrigger.ConversationStarted, swb_locale: locale, swb_text: text, swb_isenabled: true } });
  }
  const conversationId = await smsConversation('+13175550113', { swb_language: 'fr-CA' });
  const conv = await stack.api.retrieve<Record<string, any>>({ collection: 'swb_conversations', key: conversationId });
  const before = twilio.requests.length;
  const stored = await stack.graph.automated.send('started', conv as never, { customer: { name: 'Zoé' } });
  expect(stored!.swb_body).toBe('Merci Zoé, un agent arrive.');
  expect(stored!.swb_authorkind).toBe(AuthorKind.System);
  expect(stored!.swb_visibility).toBe(Visibility.Public);
  expect(twilio.requests.length).toBe(before + 1);
  const row = await message(stored!.swb_messageid);
  expect(row['swb_deliverystatus']).toBe(DeliveryStatus.Queued);
  expect(row['swb_providermessageid']).toMatch(/^SMout/);
  // The same event again is not a second message nor a second text.
  await stack.graph.automated.send('started', conv as never, { customer: { name: 'Zoé' } });
  expect(twilio.requests.length).toBe(before + 1);
  // German falls back to the default (English).
  const de = await stack.graph.automated.render('started', { swb_channeltype: ChannelType.Sms, _swb_workstreamid_value: null, swb_language: 'de-DE' }, {});
  expect(de).toBe('Thanks there, an agent will be with you soon.');
});

it('a template goes to many customers: rendered per recipient, opted-out and invalid numbers skipped, never sent twice', async () => {
  await stack.api.create({ collection: 'swb_messagetemplates', data: { swb_name: 'delivery-notice', swb_kind: TemplateKind.MessageTemplate, swb_locale: 'en', swb_body: 'Hi {customer.firstname|there}, order {order.id} is out for delivery.' } });
  await stack.api.create({ collection: 'swb_messagetemplates', data: { swb_name: 'delivery-notice', swb_kind: TemplateKind.MessageTemplate, swb_locale: 'fr', swb_body: 'Bonjour {customer.firstname|}, la commande {order.id} est en route.' } });
  await stack.graph.optOuts.record({ channelId, number: '+13175550199', optedOut: true, keyword: 'STOP', providerMessageId: 'SMstop0199', at: new Date() });
  const recipients = [
    { phone: '(317) 555-0121', data: { customer: { firstname: 'Ana' }, order: { id: 'A1' } } },
    { phone: '+13175550122', locale: 'fr-CA', data: { customer: { firstname: 'Luc' }, order: { id: 'B2' } } },
    { phone: '+13175550199', data: { order: { id: 'C3' } } },
    { phone: 'not a number', data: {} },
    ...Array.from({ length: 6 }, (_, i) => ({ phone: `+1317555014${i}`, data: { order: { id: `D${i}` } } })),
  ];
  const before = twilio.requests.length;
  const report = await stack.graph.templates.send({ campaignId: 'nov-deliveries', channelId, templateName: 'delivery-notice', recipients, concurrency: 2 });
  expect(report.counts).toMatchObject({ sent: 8, 'opted-out': 1, 'invalid-number': 1, failed: 0 });
  const bodies = twilio.requests.slice(before).map((r) => new URLSearchParams(r.body));
  expect(bodies.find((b) => b.get('To') === '+13175550121')!.get('Body')).toBe('Hi Ana, order A1 is out for delivery.');
  expect(bodies.find((b) => b.get('To') === '+13175550122')!.get('Body')).toBe('Bonjour Luc, la commande B2 est en route.');
  expect(bodies.some((b) => b.get('To') === '+13175550199')).toBe(false);
  const again = await stack.graph.templates.send({ campaignId: 'nov-deliveries', channelId, templateName: 'delivery-notice', recipients, concurrency: 2 });
  expect(again.counts['already-sent']).toBe(8);
  expect(twilio.requests.length).toBe(before + 8);
});

it('when an agent accepts, the customer gets the "assigned" message with the agent first name', async () => {
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
  await stack.api.create({ collection: 'swb_automatedmessages', data: { swb_name: 'assigned', swb_trigger: AutomatedMessageTrigger.AgentAssigned, swb_locale: 'en', swb_text: '{agent.name|An agent} is here to help.', swb_isenabled: true } });
  const agentId = (await stack.api.create({ collection: 'systemusers', data: { fullname: 'Sam Agent', domainname: 'sam.agent@example.test' } })) as string;
  const conversationId = (await stack.api.create({
    collection: 'swb_conversations',
    data: { subject: 'chat', swb_state: ConversationState.Waiting, swb_channeltype: ChannelType.LiveChat },
  })) as string;
  await stack.api.update({ collection: 'swb_conversations', key: conversationId, data: { swb_state: ConversationState.Active, 'swb_primaryagentid@odata.bind': `/systemusers(${agentId})` } });
  const system = () =>
    stack.api
      .retrieveMultiple<Record<string, any>>({ collection: 'swb_messages', filter: `_swb_conversationid_value eq ${conversationId} and swb_authorkind eq ${AuthorKind.System}` })
      .then((r) => r.value);
  const found = await waitFor(system, (v) => v.length > 0);
  expect(found.map((m) => m['swb_body'])).toEqual(['Sam is here to help.']);
  expect(found[0]!['swb_visibility']).toBe(Visibility.Public);
});

it('an administrator sends a template to many customers over POST /api/admin/broadcasts; others are refused', async () => {
  const url = `${stack.baseUrl}/api/admin/broadcasts?code=${FUNCTION_KEY}`;
  const body = JSON.stringify({ campaignId: 'admin-route-1', channelId, templateName: 'delivery-notice', recipients: [{ phone: '+13175550171', data: { customer: { firstname: 'Eve' }, order: { id: 'E5' } } }] });
  const denied = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-switchboard-admin-key': 'not-the-admin-key-at-all' }, body });
  expect(denied.status).toBe(403);
  const before = twilio.requests.length;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-switchboard-admin-key': ADMIN_KEY }, body });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { counts: Record<string, number> }).counts.sent).toBe(1);
  expect(new URLSearchParams(twilio.requests[before]!.body).get('Body')).toBe('Hi Eve, order E5 is out for delivery.');
  const unknown = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-switchboard-admin-key': ADMIN_KEY }, body: body.replace('delivery-notice', 'no-such-template') });
  expect(unknown.status).toBe(404);
});
