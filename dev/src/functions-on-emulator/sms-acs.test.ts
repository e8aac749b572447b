import { ChannelType, Provider } from '@switchboard/solution';
import { ADMIN_KEY, CHAT_KEY, TWILIO_TOKEN, startStack, type Stack } from './stack.testing';

const EVENT_GRID_KEY = 'event-grid-key-for-tests-0123456789';
let stack: Stack;
let channelId: string;

beforeAll(async () => {
  stack = await startStack({ graph: { settings: { SWB_TWILIO_TOKEN: TWILIO_TOKEN, CHAT_TOKEN_KEY: CHAT_KEY, SWITCHBOARD_ADMIN_KEY: ADMIN_KEY, SWB_ACS_EVENTGRID_KEY: EVENT_GRID_KEY } } });
  channelId = (await stack.api.create({
    collection: 'swb_channels',
    data: {
      swb_name: 'ACS', swb_channeltype: ChannelType.Sms, swb_provider: Provider.Acs, swb_phonenumber: '+18005551234',
      swb_secretsettingname: 'SWB_ACS_CONNECTION', swb_callbacksecretsettingname: 'SWB_ACS_EVENTGRID_KEY', swb_isenabled: true,
    },
  })) as string;
});
afterAll(() => stack.stop());

const received = (id: string, from: string, message: string) =>
  JSON.stringify([{
    id,
    topic: '/subscriptions/0/resourceGroups/rg/providers/microsoft.communication/communicationservices/swb',
    subject: '/phonenumber/18005551234',
    data: { MessageId: id, From: from, To: '18005551234', Message: message, ReceivedTimestamp: '2026-11-24T10:00:00Z' },
    eventType: 'Microsoft.Communication.SMSReceived',
    dataVersion: '1.0',
    metadataVersion: '1',
    eventTime: '2026-11-24T10:00:01Z',
  }]);

const post = (body: string, key = EVENT_GRID_KEY) =>
  fetch(`${stack.baseUrl}/api/sms/acs/${channelId}?key=${encodeURIComponent(key)}`, { method: 'POST', headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' }, body });

it('an Event Grid SMSReceived event is stored once, even when Event Grid redelivers it', async () => {
  const body = received('Incoming_20261124100000a1b2c3d4-0000-4000-8000-000000000001', '15555550142', 'Hello from ACS');
  expect((await post(body)).status).toBe(200);
  expect((await post(body)).status).toBe(200);
  const convs = await stack.api.retrieveMultiple<Record<string, unknown>>({ collection: 'swb_conversations', filter: `_swb_channelid_value eq ${channelId}` });
  expect(convs.value).toHaveLength(1);
  expect(convs.value[0]!['swb_customerphone']).toBe('+15555550142');
  const msgs = await stack.api.retrieveMultiple<Record<string, unknown>>({ collection: 'swb_messages', filter: `_swb_conversationid_value eq ${convs.value[0]!['activityid']}` });
  expect(msgs.value.map((m) => m['swb_body'])).toEqual(['Hello from ACS']);
});

it('a wrong key is refused with 403 and stores nothing', async () => {
  const res = await post(received('Incoming_20261124100000a1b2c3d4-0000-4000-8000-000000000002', '15555550143', 'forged'), 'not-the-key-not-the-key-not-the');
  expect(res.status).toBe(403);
  const convs = await stack.api.retrieveMultiple({ collection: 'swb_conversations', filter: `swb_customerphone eq '+15555550143'` });
  expect(convs.value).toHaveLength(0);
});
