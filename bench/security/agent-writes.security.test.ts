// An attacker with a valid agent token, talking to the Web API directly (dynamics-web-api, not
// our controls), tries what an audit found possible: raising their own capacity, texting any
// customer or forging a transcript, reviving an expired offer. Each is refused by Dataverse —
// column security or a synchronous step — and leaves nothing behind; the legitimate path of each
// still works.
import { AgentConnectionState, AuthorKind, BasePresence, ChannelType, ConversationState, DeliveryStatus, MessageDirection, OfferResponse, SessionRole, SessionState, Visibility, metadata } from '@switchboard/solution';
import { startGuardedDataverse, type GuardedDataverse } from './guarded-dataverse';

let dv: GuardedDataverse;
let agent: string;
let other: string;

beforeAll(async () => {
  dv = await startGuardedDataverse();
  agent = dv.userId('agent');
  // A second agent, onboarded like the first, who owns the conversation being attacked.
  other = dv.emulator.seedUser({
    fullname: 'Olga Other', domainname: 'olga@contoso.test',
    roles: [metadata.roles.find((r) => r.name === 'Switchboard Agent')!.id],
    fieldSecurityProfiles: [metadata.fieldSecurityProfiles.find((p) => p.name === 'Switchboard Agent')!.id],
  });
}, 60_000);
afterAll(() => dv.stop());

async function refused(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { status: number; message: string };
  }
  throw new Error('expected Dataverse to refuse the write');
}

const settle = async () => {
  for (let i = 0; i < 100 && dv.emulator.plugins.pending().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
};

async function statusRow(owner: string, capacityMax: number): Promise<string> {
  return (await dv.app.create({
    collection: 'swb_agentstatuses',
    data: {
      'swb_agentid@odata.bind': `/systemusers(${owner})`, 'ownerid@odata.bind': `/systemusers(${owner})`,
      swb_basepresence: BasePresence.Available, swb_connectionstate: AgentConnectionState.Connected, swb_capacityused: 0, swb_capacitymax: capacityMax,
    },
  })) as string;
}

/** An active SMS conversation, created and assigned by the app (as routing does), owned by its primary agent. */
async function activeSms(primary: string): Promise<string> {
  const channel = (await dv.app.create({ collection: 'swb_channels', data: { swb_name: `SMS ${Math.random()}`, swb_channeltype: ChannelType.Sms } })) as string;
  return (await dv.app.create({
    collection: 'swb_conversations',
    data: {
      subject: 'SMS', swb_channeltype: ChannelType.Sms, swb_customerphone: '+33612345678', 'swb_channelid@odata.bind': `/swb_channels(${channel})`,
      swb_state: ConversationState.Active, 'swb_primaryagentid@odata.bind': `/systemusers(${primary})`, 'ownerid@odata.bind': `/systemusers(${primary})`,
    },
  })) as string;
}

const outboundAgentMessage = (conversationId: string, sequence: number, extra: Record<string, unknown> = {}) => ({
  'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})`, swb_sequence: sequence, swb_body: 'Hello from an agent',
  swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Agent, swb_visibility: Visibility.Public, swb_deliverystatus: DeliveryStatus.Pending, ...extra,
});

test("an agent cannot raise their own capacity or override the admin's default presence; they can still set their own presence", async () => {
  const row = await statusRow(agent, 3);
  for (const patch of [{ swb_capacitymax: 50 }, { swb_capacityused: 0 }, { swb_defaultpresence: BasePresence.Available }, { swb_profileusage: '{}' }]) {
    const r = await refused(dv.as('agent').update({ collection: 'swb_agentstatuses', key: row, data: patch }));
    expect([JSON.stringify(patch), r.status]).toEqual([JSON.stringify(patch), 403]);
  }
  const stored = await dv.app.retrieve<Record<string, unknown>>({ collection: 'swb_agentstatuses', key: row, select: ['swb_capacitymax', 'swb_defaultpresence'] });
  expect(stored).toMatchObject({ swb_capacitymax: 3, swb_defaultpresence: null });
  await dv.as('agent').update({ collection: 'swb_agentstatuses', key: row, data: { swb_basepresence: BasePresence.DoNotDisturb, swb_manualoverride: true } });
  // The agent still sees their capacity (read through their column-security profile).
  expect((await dv.as('agent').retrieve<Record<string, unknown>>({ collection: 'swb_agentstatuses', key: row, select: ['swb_capacitymax'] })).swb_capacitymax).toBe(3);
});

test("an agent with no part in a conversation can neither text its customer nor forge its transcript", async () => {
  const conversation = await activeSms(other);
  const sentBefore = dv.delivery.sent.length;
  const reply = await refused(dv.as('agent').create({ collection: 'swb_messages', data: outboundAgentMessage(conversation, 1) }));
  expect(reply.status).toBe(400);
  expect(reply.message).toBe('You are not taking part in this conversation, so you cannot write in it.');
  const forged = await refused(dv.as('agent').create({ collection: 'swb_messages', data: outboundAgentMessage(conversation, 2, { swb_direction: MessageDirection.Inbound, swb_authorkind: AuthorKind.Customer, swb_deliverystatus: DeliveryStatus.Received }) }));
  expect(forged.status).toBe(400);
  await settle();
  expect(dv.delivery.sent.length).toBe(sentBefore);
  expect((await dv.app.retrieveMultiple({ collection: 'swb_messages', filter: `_swb_conversationid_value eq ${conversation}` })).value).toEqual([]);
});

test('even the primary agent cannot write a message as the customer; their real reply is sent once', async () => {
  const conversation = await activeSms(other);
  const olga = dv.asUser('olga@contoso.test');
  const forged = await refused(olga.create({ collection: 'swb_messages', data: outboundAgentMessage(conversation, 1, { swb_direction: MessageDirection.Inbound, swb_authorkind: AuthorKind.Customer }) }));
  expect(forged.status).toBe(400);
  const sentBefore = dv.delivery.sent.length;
  await olga.create({ collection: 'swb_messages', data: outboundAgentMessage(conversation, 1) });
  await settle();
  expect(dv.delivery.sent.slice(sentBefore).map((s) => s.body)).toEqual(['Hello from an agent']);
});

test("a consultant adds internal notes but cannot reply to the customer", async () => {
  const conversation = await activeSms(other);
  await dv.app.create({
    collection: 'swb_sessions',
    data: { subject: 'Consult', 'swb_conversationid@odata.bind': `/swb_conversations(${conversation})`, 'swb_agentid@odata.bind': `/systemusers(${agent})`, swb_role: SessionRole.Consult, swb_state: SessionState.Active },
  });
  await dv.as('agent').create({ collection: 'swb_messages', data: outboundAgentMessage(conversation, 1, { swb_visibility: Visibility.Internal, swb_deliverystatus: null }) });
  const reply = await refused(dv.as('agent').create({ collection: 'swb_messages', data: outboundAgentMessage(conversation, 2) }));
  expect(reply.message).toMatch(/Only the primary agent replies to the customer/);
});

test('an offered agent cannot revive an expired offer or push a live one out: expiry is read from the stored row', async () => {
  const waiting = (await dv.app.create({ collection: 'swb_conversations', data: { subject: 'Waiting', swb_channeltype: ChannelType.LiveChat, swb_state: ConversationState.Waiting } })) as string;
  const offer = async (expiresOn: Date) => (await dv.app.create({
    collection: 'swb_offers',
    data: {
      swb_name: 'Offer', 'swb_conversationid@odata.bind': `/swb_conversations(${waiting})`, 'swb_agentid@odata.bind': `/systemusers(${agent})`,
      'ownerid@odata.bind': `/systemusers(${agent})`, swb_response: OfferResponse.Pending, swb_expireson: expiresOn.toISOString(),
    },
  })) as string;
  const expired = await offer(new Date(Date.now() - 60_000));
  const revive = await refused(dv.as('agent').update({ collection: 'swb_offers', key: expired, data: { swb_expireson: new Date(Date.now() + 3_600_000).toISOString(), swb_response: OfferResponse.Accepted } }));
  // Refused by offer-guard before the write (400), or by column security at it (403): a refusal either way.
  expect([400, 403]).toContain(revive.status);
  const acceptLate = await refused(dv.as('agent').update({ collection: 'swb_offers', key: expired, data: { swb_response: OfferResponse.Accepted } }));
  expect(acceptLate.message).toBe('This offer has expired; the conversation goes to someone else.');
  const live = await offer(new Date(Date.now() + 30_000));
  expect([400, 403]).toContain((await refused(dv.as('agent').update({ collection: 'swb_offers', key: live, data: { swb_expireson: new Date(Date.now() + 365 * 86_400_000).toISOString() } }))).status);
  await settle();
  const conv = await dv.app.retrieve<Record<string, unknown>>({ collection: 'swb_conversations', key: waiting, select: ['swb_state', '_swb_primaryagentid_value'] });
  expect(conv).toMatchObject({ swb_state: ConversationState.Waiting, _swb_primaryagentid_value: null });
  // The live offer is still answerable the honest way.
  await dv.as('agent').update({ collection: 'swb_offers', key: live, data: { swb_response: OfferResponse.Accepted } });
});
