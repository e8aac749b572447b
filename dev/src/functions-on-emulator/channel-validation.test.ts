import { startStandIn, type StandIn } from '@switchboard/functions/channels/testing/stand-in';
import { ADMIN_KEY, FUNCTION_KEY, seedTwilioChannel, startStack, type Stack } from './stack.testing';

let stack: Stack;
let twilio: StandIn;
let channelId: string;

beforeAll(async () => {
  twilio = await startStandIn();
  stack = await startStack({ twilioApiBaseUrl: twilio.baseUrl });
  channelId = await seedTwilioChannel(stack.api, { swb_testnumber: '+13175550198' });
});
afterAll(async () => {
  await stack.stop();
  await twilio.close();
});

const validate = (headers: Record<string, string>, id = channelId, query = `?code=${FUNCTION_KEY}`) =>
  fetch(`${stack.baseUrl}/api/sms/${id}/validate${query}`, { method: 'POST', headers });

it('validation needs both the function key and the administrator key, and sends nothing otherwise', async () => {
  expect((await validate({ 'x-switchboard-admin-key': ADMIN_KEY }, channelId, '')).status).toBe(401);
  expect((await validate({})).status).toBe(401);
  expect((await validate({ 'x-switchboard-admin-key': 'wrong-admin-key-wrong-admin' })).status).toBe(403);
  expect(twilio.requests).toHaveLength(0);
});

it('a valid channel sends the test SMS to its test number and reports ok in the admin language', async () => {
  twilio.respondWith(() => ({ status: 201, body: { sid: 'SMvalidate00000000000000000000001', status: 'queued' } }));
  const res = await validate({ 'x-switchboard-admin-key': ADMIN_KEY, 'accept-language': 'fr-FR,fr;q=0.9' });
  expect(res.status).toBe(200);
  const body = (await res.json()) as Record<string, string>;
  expect(body).toMatchObject({ ok: true, code: 'ok', providerMessageId: 'SMvalidate00000000000000000000001' });
  expect(body['message']).toMatch(/message de test/i);
  expect(new URLSearchParams(twilio.requests[0]!.body).get('To')).toBe('+13175550198');
});

it('rejected credentials are reported as such, with the provider words', async () => {
  twilio.respondWith(() => ({ status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } }));
  const res = await validate({ 'x-switchboard-admin-key': ADMIN_KEY });
  expect(res.status).toBe(422);
  expect(await res.json()).toMatchObject({ ok: false, code: 'credentials-rejected' });
});

it('an unknown channel is 404', async () => {
  const res = await validate({ 'x-switchboard-admin-key': ADMIN_KEY }, '6a1f4c7e-0000-4000-8000-000000000000');
  expect(res.status).toBe(404);
});
