import { ChannelType, IdentificationResult, Provider } from '@switchboard/solution';
import { telesignSignature } from '@switchboard/functions/channels/telesign/telesign.mapper';
import { startStandIn, type StandIn } from '@switchboard/functions/channels/testing/stand-in';
import { ADMIN_KEY, CHAT_KEY, TWILIO_TOKEN, startStack, type Stack } from './stack.testing';

const CUSTOMER_ID = 'FFFFFFFF-EEEE-DDDD-1234-AB1234567890';
const API_KEY = 'ABC12345yusumoN6BYsBVkh+yRJ5czgsnCehZaOYldPJdmFh6NeX8kunZ2zU1YWaUw/0wV6xfw==';

let stack: Stack;
let telesign: StandIn;
let channelId: string;

beforeAll(async () => {
  telesign = await startStandIn();
  telesign.respondWith(() => ({ status: 200, body: { reference_id: `REF${telesign.requests.length}`, status: { code: 290, description: 'Message in progress', updated_on: '2026-11-24T10:00:00Z' } } }));
  stack = await startStack({
    graph: {
      settings: { SWB_TWILIO_TOKEN: TWILIO_TOKEN, CHAT_TOKEN_KEY: CHAT_KEY, SWITCHBOARD_ADMIN_KEY: ADMIN_KEY, SWB_TELESIGN_KEY: API_KEY },
      adapterOptions: { apiBaseUrls: { telesign: telesign.baseUrl } },
    },
  });
  channelId = (await stack.api.create({
    collection: 'swb_channels',
    data: { swb_name: 'TeleSign FR', swb_channeltype: ChannelType.Sms, swb_provider: Provider.TeleSign, swb_phonenumber: '+33700000000', swb_accountid: CUSTOMER_ID, swb_secretsettingname: 'SWB_TELESIGN_KEY', swb_defaultregion: 'FR', swb_isenabled: true },
  })) as string;
});
afterAll(async () => {
  await stack.stop();
  await telesign.close();
});

function mo(reference: string, phone: string, text: string): string {
  return JSON.stringify({
    status: { updated_on: '2026-11-24T10:46:55.787464Z', code: 1500, description: 'Delivered to customer' },
    submit_timestamp: '2026-11-24T10:46:55.778000Z',
    errors: [],
    user_response: { phone_number: phone, sender_id: '', mo_message: text },
    sub_resource: 'mo_sms',
    reference_id: reference,
  });
}

const post = (body: string) =>
  fetch(`${stack.baseUrl}/api/sms/telesign/${channelId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `TSA ${CUSTOMER_ID}:${telesignSignature(API_KEY, body)}` },
    body,
  });

it('a French ARRÊT on TeleSign is recorded and confirmed in French through the TeleSign API', async () => {
  const res = await post(mo('0143D53D86A2030BE20025B600000010', '33612345670', 'Arrêt'));
  expect(res.status).toBe(200);
  expect(await stack.graph.optOuts.isOptedOut(channelId, '+33612345670')).toBe(true);
  expect(telesign.requests).toHaveLength(1);
  const sent = new URLSearchParams(telesign.requests[0]!.body);
  expect(sent.get('phone_number')).toBe('33612345670');
  expect(sent.get('message')).toMatch(/désinscrit/);
  // The same STOP retried by TeleSign is not confirmed twice.
  await post(mo('0143D53D86A2030BE20025B600000010', '33612345670', 'Arrêt'));
  expect(telesign.requests).toHaveLength(1);
});

it('a French customer saved with a national number is identified from the TeleSign number without +', async () => {
  const contactId = await stack.api.create({ collection: 'contacts', data: { lastname: 'Martin', mobilephone: '06 12 34 56 78' } });
  const res = await post(mo('0143D53D86A2030BE20025B600000011', '33612345678', 'Bonjour, ma commande ?'));
  expect(res.status).toBe(200);
  const convs = await stack.api.retrieveMultiple<Record<string, unknown>>({ collection: 'swb_conversations', filter: `swb_customerphone eq '+33612345678'` });
  expect(convs.value).toHaveLength(1);
  expect(convs.value[0]!['_swb_customerid_value']).toBe(contactId);
  expect(convs.value[0]!['swb_identificationresult']).toBe(IdentificationResult.Identified);
});
