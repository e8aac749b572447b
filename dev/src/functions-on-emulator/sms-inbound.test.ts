import { AuthorKind, AutomatedMessageTrigger, ChannelType, ConversationState, IdentificationResult, OfferResponse, OverflowAction, OverflowCondition } from '@switchboard/solution';
import { TWILIO_TOKEN, postSignedTwilio, seedRouting, seedTwilioChannel, startStack, twilioInbound, type Stack } from './stack.testing';
import { startStandIn, type StandIn } from '@switchboard/functions/channels/testing/stand-in';

let stack: Stack;
let twilio: StandIn;
let channelId: string;

beforeAll(async () => {
  twilio = await startStandIn();
  twilio.respondWith(() => ({ status: 201, body: { sid: `SMreply${twilio.requests.length}`, status: 'queued' } }));
  stack = await startStack({ twilioApiBaseUrl: twilio.baseUrl });
  channelId = await seedTwilioChannel(stack.api);
});
afterAll(async () => {
  await stack.stop();
  await twilio.close();
});

function postTwilio(path: string, fields: Record<string, string>, token = TWILIO_TOKEN): Promise<Response> {
  return postSignedTwilio(stack, path, fields, token);
}

const inbound = twilioInbound;

async function conversationsOf(phone: string) {
  const r = await stack.api.retrieveMultiple<Record<string, unknown>>({ collection: 'swb_conversations', filter: `swb_customerphone eq '${phone}' and _swb_channelid_value eq ${channelId}` });
  return r.value;
}

async function messagesOf(conversationId: string) {
  const r = await stack.api.retrieveMultiple<Record<string, unknown>>({ collection: 'swb_messages', filter: `_swb_conversationid_value eq ${conversationId}`, orderBy: ['swb_sequence asc'] });
  return r.value;
}

it('an SMS from a number typed differently from the contact mobile phone is identified as that contact', async () => {
  const contactId = await stack.api.create({ collection: 'contacts', data: { firstname: 'Dana', lastname: 'Scully', mobilephone: '(317) 555-0123' } });
  const res = await postTwilio(`/api/sms/twilio/${channelId}`, inbound('SM0000000000000000000000000000a001', '+13175550123', 'Hi, my order is late'));
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('<Response');
  const [conv] = await conversationsOf('+13175550123');
  expect(conv!['_swb_customerid_value']).toBe(contactId);
  expect(conv!['swb_identificationresult']).toBe(IdentificationResult.Identified);
  expect(conv!['swb_state']).toBe(ConversationState.Open);
  const msgs = await messagesOf(conv!['activityid'] as string);
  expect(msgs.map((m) => m['swb_body'])).toEqual(['Hi, my order is late']);
});

it('two contacts with the same number leave the conversation ambiguous, with both candidates kept for the agent', async () => {
  const a = await stack.api.create({ collection: 'contacts', data: { lastname: 'Twin A', mobilephone: '+1 317 555 0188' } });
  const b = await stack.api.create({ collection: 'accounts', data: { name: 'Twin B Ltd', telephone1: '317-555-0188' } });
  await postTwilio(`/api/sms/twilio/${channelId}`, inbound('SM0000000000000000000000000000a002', '+13175550188', 'hello'));
  const [conv] = await conversationsOf('+13175550188');
  expect(conv!['swb_identificationresult']).toBe(IdentificationResult.Ambiguous);
  expect(JSON.parse(conv!['swb_candidateids'] as string)).toEqual(expect.arrayContaining([{ table: 'contact', id: a }, { table: 'account', id: b }]));
  expect(conv!['_swb_customerid_value'] ?? null).toBeNull();
});

it('a provider retry, and two concurrent deliveries of the same webhook, store one conversation and one message', async () => {
  const fields = inbound('SM0000000000000000000000000000a003', '+13175550177', 'first text');
  const first = await Promise.all([postTwilio(`/api/sms/twilio/${channelId}`, fields), postTwilio(`/api/sms/twilio/${channelId}`, fields)]);
  expect(first.map((r) => r.status)).toEqual([200, 200]);
  const retry = await postTwilio(`/api/sms/twilio/${channelId}`, fields);
  expect(retry.status).toBe(200);
  const convs = await conversationsOf('+13175550177');
  expect(convs).toHaveLength(1);
  const msgs = await messagesOf(convs[0]!['activityid'] as string);
  expect(msgs).toHaveLength(1);
  // A second, different message joins the same conversation with the next sequence.
  await postTwilio(`/api/sms/twilio/${channelId}`, inbound('SM0000000000000000000000000000a004', '+13175550177', 'second text'));
  const after = await messagesOf(convs[0]!['activityid'] as string);
  expect(after.map((m) => m['swb_body'])).toEqual(['first text', 'second text']);
  expect((after[1]!['swb_sequence'] as number) > (after[0]!['swb_sequence'] as number)).toBe(true);
});

it('different first messages from one new number arriving together still open a single conversation', async () => {
  await Promise.all(
    ['b1', 'b2', 'b3'].map((s, i) => postTwilio(`/api/sms/twilio/${channelId}`, inbound(`SM0000000000000000000000000000a0${s}`, '+13175550166', `burst ${i}`))),
  );
  const convs = await conversationsOf('+13175550166');
  expect(convs).toHaveLength(1);
  expect(await messagesOf(convs[0]!['activityid'] as string)).toHaveLength(3);
});

it('a bad signature is refused with 403 and writes nothing', async () => {
  const res = await postTwilio(`/api/sms/twilio/${channelId}`, inbound('SM0000000000000000000000000000a005', '+13175550155', 'forged'), 'wrong-token-wrong-token-wrong-tok');
  expect(res.status).toBe(403);
  expect(await conversationsOf('+13175550155')).toHaveLength(0);
});

it('an unknown channel is 404', async () => {
  const res = await postTwilio('/api/sms/twilio/6a1f4c7e-0000-4000-8000-000000000000', inbound('SM0000000000000000000000000000a006', '+13175550155', 'x'));
  expect(res.status).toBe(404);
});

it('STOP records an opt-out for the number and channel and is never routed; START lifts it', async () => {
  const res = await postTwilio(`/api/sms/twilio/${channelId}`, inbound('SM0000000000000000000000000000a007', '+13175550144', ' Stop '));
  expect(res.status).toBe(200);
  const optOut = await stack.api.retrieve<Record<string, unknown>>({ collection: 'swb_optouts', key: `swb_phonenumber='+13175550144',swb_channelid=${channelId}` });
  expect(optOut['swb_isoptedout']).toBe(true);
  expect(await conversationsOf('+13175550144')).toHaveLength(0);
  expect(await stack.graph.optOuts.isOptedOut(channelId, '+13175550144')).toBe(true);
  const refused = await stack.graph.delivery.deliver(channelId, '+13175550144', 'promo');
  expect(refused.ok).toBe(false);
  await postTwilio(`/api/sms/twilio/${channelId}`, inbound('SM0000000000000000000000000000a008', '+13175550144', 'START'));
  expect(await stack.graph.optOuts.isOptedOut(channelId, '+13175550144')).toBe(false);
  // "yes" from a number that is not opted out is an ordinary answer, routed like any message.
  await postTwilio(`/api/sms/twilio/${channelId}`, inbound('SM0000000000000000000000000000a009', '+13175550144', 'Yes'));
  expect(await conversationsOf('+13175550144')).toHaveLength(1);
});

it('a replayed START, signed and identical, does not opt a number back in after a later STOP', async () => {
  const number = '+13175550177';
  const send = (sid: string, body: string) => postTwilio(`/api/sms/twilio/${channelId}`, inbound(sid, number, body));
  await send('SM0000000000000000000000000000b001', 'STOP');
  const start = inbound('SM0000000000000000000000000000b002', number, 'START');
  expect((await postTwilio(`/api/sms/twilio/${channelId}`, start)).status).toBe(200);
  expect(await stack.graph.optOuts.isOptedOut(channelId, number)).toBe(false);
  await send('SM0000000000000000000000000000b003', 'STOP');
  expect(await stack.graph.optOuts.isOptedOut(channelId, number)).toBe(true);
  const confirmationsBefore = twilio.requests.length;
  // The attacker (or a confused retry) sends the very same signed START again.
  expect((await postTwilio(`/api/sms/twilio/${channelId}`, start)).status).toBe(200);
  expect(await stack.graph.optOuts.isOptedOut(channelId, number)).toBe(true);
  expect(twilio.requests.length).toBe(confirmationsBefore);
});

it('a keyword is applied in the order the customer sent it: an older START reported after a STOP loses', async () => {
  const number = '+13175550178';
  const record = (id: string, optedOut: boolean, at: string) =>
    stack.graph.optOuts.record({ channelId, number, optedOut, keyword: optedOut ? 'STOP' : 'START', providerMessageId: id, at: new Date(at) });
  await record('ts-1', true, '2026-11-24T10:00:00Z');
  const late = await record('ts-3', true, '2026-11-24T10:02:00Z');
  expect(late).toMatchObject({ before: true, after: true, duplicate: false });
  const older = await record('ts-2', false, '2026-11-24T10:01:00Z');
  expect(older).toMatchObject({ before: true, after: true, duplicate: false });
  expect(await stack.graph.optOuts.isOptedOut(channelId, number)).toBe(true);
  expect(await record('ts-2', false, '2026-11-24T10:03:00Z')).toMatchObject({ duplicate: true, after: true });
});

it('a new SMS conversation is created waiting in its queue and offered to the available agent with capacity there, not to the others', async () => {
  const seed = await seedRouting(stack.api, ChannelType.Sms, [
    { name: 'Full Agent', queue: 'main', max: 2, used: 2 },
    { name: 'Away Agent', queue: 'main', presence: 612400003 },
    { name: 'Free Agent', queue: 'main', max: 3 },
    { name: 'Other Queue Agent', queue: 'other', max: 5 },
  ]);
  await stack.api.update({ collection: 'swb_channels', key: channelId, data: { 'swb_workstreamid@odata.bind': `/swb_workstreams(${seed.workstreamId})` } });
  stack.queue.items.splice(0);
  await postTwilio(`/api/sms/twilio/${channelId}`, inbound('SM0000000000000000000000000000a010', '+13175550133', 'route me'));
  // Placed where it was created: already waiting in its queue, which is routed once (and the text's sentiment scored).
  const [placed] = await conversationsOf('+13175550133');
  expect(placed).toMatchObject({ swb_state: ConversationState.Waiting, _swb_queueid_value: seed.queueId, swb_lastmessagesequence: 1 });
  expect(stack.queue.items.map((i) => i.body)).toEqual([expect.objectContaining({ kind: 'route-queue', queueId: seed.queueId }), expect.objectContaining({ kind: 'score-sentiment' })]);
  await stack.drain();
  const [conv] = await conversationsOf('+13175550133');
  const offers = await stack.api.retrieveMultiple<Record<string, unknown>>({ collection: 'swb_offers', filter: `_swb_conversationid_value eq ${conv!['activityid']}` });
  expect(offers.value).toHaveLength(1);
  expect(offers.value[0]!['_swb_agentid_value']).toBe(seed.agents[2]!.id);
  expect(offers.value[0]!['swb_response']).toBe(OfferResponse.Pending);
  const status = await stack.api.retrieve<Record<string, unknown>>({ collection: 'swb_agentstatuses', key: seed.agents[2]!.statusId });
  expect(status['swb_capacityused']).toBe(1);
  // Routing the same work again (a duplicate queue item) makes no second offer.
  await stack.graph.routingWorker.run({ kind: 'route-queue', queueId: seed.queueId, reason: 'duplicate' });
  const again = await stack.api.retrieveMultiple({ collection: 'swb_offers', filter: `_swb_conversationid_value eq ${conv!['activityid']}` });
  expect(again.value).toHaveLength(1);
});

it("an SMS arriving outside the queue operating hours is answered with the queue's own overflow message and closed, not queued", async () => {
  const hoursId = (await stack.api.create({ collection: 'swb_operatinghourses', data: { swb_name: 'never', swb_timezone: 'America/Indiana/Indianapolis', swb_weeklyschedule: '{}' } })) as string;
  // The queue names its own message; the generic "outside hours" one must not be used.
  const own = (await stack.api.create({ collection: 'swb_automatedmessages', data: { swb_name: 'night queue', swb_trigger: AutomatedMessageTrigger.OutsideOperatingHours, swb_locale: 'xx', swb_text: 'The night line opens at 8am.', swb_isenabled: true } })) as string;
  const queueId = (await stack.api.create({
    collection: 'queues',
    data: {
      name: 'Night', 'swb_operatinghoursid@odata.bind': `/swb_operatinghourses(${hoursId})`, swb_overflowconditions: `${OverflowCondition.OutsideOperatingHours}`,
      swb_overflowaction: OverflowAction.AutomatedMessage, 'swb_overflowmessageid@odata.bind': `/swb_automatedmessages(${own})`,
    },
  })) as string;
  const workstreamId = (await stack.api.create({ collection: 'swb_workstreams', data: { swb_name: 'Night SMS', swb_channeltype: ChannelType.Sms, 'swb_fallbackqueueid@odata.bind': `/queues(${queueId})` } })) as string;
  const nightChannel = await seedTwilioChannel(stack.api, { swb_name: 'Night line', swb_phonenumber: '+13175550101', 'swb_workstreamid@odata.bind': `/swb_workstreams(${workstreamId})` });
  await stack.api.create({ collection: 'swb_automatedmessages', data: { swb_name: 'closed', swb_trigger: AutomatedMessageTrigger.OutsideOperatingHours, swb_locale: 'en', swb_text: 'We are closed; we will text you back tomorrow.', swb_isenabled: true } });
  const before = twilio.requests.length;
  const path = `/api/sms/twilio/${nightChannel}`;
  const fields = inbound('SM0000000000000000000000000000c001', '+13175550122', 'anyone there?');
  const res = await postTwilio(path, fields);
  expect(res.status).toBe(200);
  await stack.drain();
  const convs = await stack.api.retrieveMultiple<Record<string, unknown>>({ collection: 'swb_conversations', filter: `_swb_channelid_value eq ${nightChannel}` });
  expect(convs.value).toHaveLength(1);
  expect(convs.value[0]!['swb_state']).toBe(ConversationState.Closed);
  const texts = twilio.requests.slice(before).map((r) => new URLSearchParams(r.body));
  expect(texts.map((t) => [t.get('To'), t.get('Body')])).toEqual([['+13175550122', 'The night line opens at 8am.']]);
  expect(await stack.api.retrieveMultiple({ collection: 'swb_offers', filter: `_swb_conversationid_value eq ${convs.value[0]!['activityid']}` })).toMatchObject({ value: [] });
});

it("a first text is answered in the language the customer's number suggests: a French mobile in French, a US number in English", async () => {
  await stack.api.create({ collection: 'swb_automatedmessages', data: { swb_name: 'received en', swb_trigger: AutomatedMessageTrigger.ConversationStarted, swb_channeltype: ChannelType.Sms, swb_locale: 'en', swb_text: 'Thanks, we will text you back.', swb_isenabled: true } });
  await stack.api.create({ collection: 'swb_automatedmessages', data: { swb_name: 'received fr', swb_trigger: AutomatedMessageTrigger.ConversationStarted, swb_channeltype: ChannelType.Sms, swb_locale: 'fr', swb_text: 'Merci, nous vous répondons par SMS.', swb_isenabled: true } });
  const sent: string[] = [];
  for (const [sid, from] of [['SM0000000000000000000000000000lf01', '+33612340001'], ['SM0000000000000000000000000000lf02', '+13175550191']] as const) {
    expect((await postTwilio(`/api/sms/twilio/${channelId}`, inbound(sid, from, 'Hello'))).status).toBe(200);
    const [conv] = await conversationsOf(from);
    sent.push(`${conv!['swb_language']}: ${(await messagesOf(conv!['activityid'] as string)).filter((m) => m['swb_authorkind'] !== AuthorKind.Customer).map((m) => m['swb_body']).join(' | ')}`);
  }
  expect(sent).toEqual(['fr: Merci, nous vous répondons par SMS.', 'en: Thanks, we will text you back.']);
});

it('a STOP in the middle of a conversation is in its transcript, once even if the provider sends it again, and opens nothing new; the next reply is refused as opted out', async () => {
  const number = '+13175550192';
  expect((await postTwilio(`/api/sms/twilio/${channelId}`, inbound('SM0000000000000000000000000000s001', number, 'Where is my parcel?'))).status).toBe(200);
  const stop = inbound('SM0000000000000000000000000000s002', number, 'STOP');
  expect((await postTwilio(`/api/sms/twilio/${channelId}`, stop)).status).toBe(200);
  expect((await postTwilio(`/api/sms/twilio/${channelId}`, stop)).status).toBe(200);
  const conversations = await conversationsOf(number);
  expect(conversations).toHaveLength(1);
  const customer = (await messagesOf(conversations[0]!['activityid'] as string)).filter((m) => m['swb_authorkind'] === AuthorKind.Customer);
  expect(customer.map((m) => [m['swb_sequence'], m['swb_body']])).toEqual([[1, 'Where is my parcel?'], [expect.any(Number), 'STOP']]);
  expect(await stack.graph.optOuts.isOptedOut(channelId, number)).toBe(true);
  const refused = await stack.graph.delivery.deliver(channelId, number, 'We shipped it');
  expect(refused).toMatchObject({ ok: false, failure: { code: 'recipient-opted-out' } });
});
