import { webcrypto } from 'node:crypto';
import type { InboundHttpRequest, InboundMessage, InboundStatus } from '../channel';
import { httpStatusForParseError, httpStatusForVerify } from '../channel';
import { fetchHttpClient } from '../http';
import { startStandIn, type StandIn } from '../testing/stand-in';
import { createTelesignAdapter } from './telesign.adapter';
import { mapTelesignSendResponse, parseTelesignAuthorization, parseTelesignCallback, telesignSignature } from './telesign.mapper';

// Credentials from TeleSign's "Authenticate callbacks" page (example values, not live).
const CUSTOMER_ID = 'FFFFFFFF-EEEE-DDDD-1234-AB1234567890';
const API_KEY = 'ABC12345yusumoN6BYsBVkh+yRJ5czgsnCehZaOYldPJdmFh6NeX8kunZ2zU1YWaUw/0wV6xfw==';
const SECRETS = { customerId: CUSTOMER_ID, apiKey: API_KEY };

// Inbound SMS as recorded from TeleSign (status 1500 "Delivered to customer", sub_resource
// mo_sms) — the shape TeleSign's Inbound SMS page and engage-callbacks OpenAPI describe.
const MO_RECORDED = JSON.stringify({
  status: { updated_on: '2017-01-27T19:46:55.787464Z', code: 1500, description: 'Delivered to customer' },
  submit_timestamp: '2017-01-27T19:46:55.778000Z',
  errors: [],
  user_response: { phone_number: '33612345678', sender_id: '', mo_message: 'SMS telesign channel default message' },
  sub_resource: 'mo_sms',
  reference_id: '0143D53D86A2030BE20025B600000002',
});
// Every field of MsgSMSCallbacks in developer.telesign.com/enterprise/openapi/engage-callbacks.json,
// with its documented example values (keyword handling on: "Start" to short code 4442).
const MO_DOCUMENTED = JSON.stringify({
  reference_id: '0123456789ABCDEF0123456789ABCDEF',
  status: { updated_on: '2023-10-31T14:47:10.490130Z', description: 'Delivered to customer', code: 1500 },
  user_response: { sender_id: '4442', iso_country_code: 'US', action: 'start', keyword: 'start', phone_number: '11234567890', mo_message: 'Start', price: '0.0075' },
  sub_resource: 'mo_sms',
  errors: {},
  submit_timestamp: '2023-10-31T14:47:10.154000Z',
});
// SMSDeliveryReports example, same OpenAPI document.
const DLR_DELIVERED = JSON.stringify({
  reference_id: 'B56259E45884010488343BAA15FB0002',
  status: { code: 200, description: 'Delivered to handset', updated_on: '2016-10-21T14:05:36.181346Z' },
  additional_info: { mcc: '310', mnc: '004', price: '0.01', currency: 'USD', message_parts_count: 2, message_parts_reference_ids: '35E63E88CB000E049196AD1CFCFFB89C,35E63E88CC7C050491613443467F3F12' },
  external_id: 'CustomExternalID7349',
});
// The failure example of TeleSign's SMS Verify callback page (same envelope for SMS).
const DLR_BLOCKED = JSON.stringify({
  status: { updated_on: '2022-06-23T19:03:44.420798Z', code: 230, description: 'Message blocked by TeleSign' },
  submit_timestamp: '2022-06-23T19:03:44.420798Z',
  errors: [],
  reference_id: 'B56259E45884010488343BAA15FB0003',
  sub_resource: 'sms',
});

// The documented algorithm, computed through WebCrypto so the check does not share code with the mapper.
async function webCryptoSignature(apiKey: string, body: string): Promise<string> {
  const key = await webcrypto.subtle.importKey('raw', Buffer.from(apiKey, 'base64'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await webcrypto.subtle.sign('HMAC', key, new TextEncoder().encode(body));
  return Buffer.from(mac).toString('base64');
}

function callback(body: string, headers: Record<string, string>): InboundHttpRequest {
  return { method: 'POST', url: '/api/sms/telesign/c1', headers: { 'content-type': 'application/json', ...headers }, rawBody: body };
}

describe('TeleSign mapper', () => {
  it('an inbound SMS becomes a message keyed by reference_id, its number given a "+"', () => {
    const result = parseTelesignCallback(MO_DOCUMENTED);
    expect(result).toEqual({
      ok: true,
      events: [{
        kind: 'message', provider: 'telesign', providerMessageId: '0123456789ABCDEF0123456789ABCDEF',
        from: '+11234567890', to: '4442', body: 'Start', mediaUrls: [], receivedAt: '2023-10-31T14:47:10.154000Z',
      }],
    });
  });

  it('the recorded inbound SMS with an empty sender_id still parses; the channel comes from the URL', () => {
    const result = parseTelesignCallback(MO_RECORDED);
    expect(result.ok && (result.events[0] as InboundMessage)).toMatchObject({ from: '+33612345678', to: '', body: 'SMS telesign channel default message', providerMessageId: '0143D53D86A2030BE20025B600000002' });
  });

  it('a delivery report maps code 200 to delivered, final', () => {
    const result = parseTelesignCallback(DLR_DELIVERED);
    expect(result).toEqual({
      ok: true,
      events: [{
        kind: 'status', provider: 'telesign', providerMessageId: 'B56259E45884010488343BAA15FB0002', status: 'delivered', final: true, providerStatus: '200',
        occurredAt: '2016-10-21T14:05:36.181346Z', clientReference: 'CustomExternalID7349',
      }],
    });
  });

  it('a blocked message is a final failure carrying TeleSign\'s code and description', () => {
    const result = parseTelesignCallback(DLR_BLOCKED);
    expect(result.ok && (result.events[0] as InboundStatus)).toMatchObject({ status: 'failed', final: true, errorCode: '230', errorMessage: 'Message blocked by TeleSign' });
  });

  it.each([
    [290, 'queued', false], [292, 'queued', false], [203, 'sent', false], [295, 'sent', false],
    [251, 'sent', true], [200, 'delivered', true], [210, 'failed', true], [211, 'failed', true], [503, 'failed', true], [10032, 'failed', true],
  ])('status code %i maps to %s (final: %s)', (code, status, final) => {
    const body = JSON.stringify({ reference_id: 'R', status: { code, description: 'x', updated_on: '2024-01-01T00:00:00Z' } });
    const result = parseTelesignCallback(body);
    expect(result.ok && result.events[0]).toMatchObject({ kind: 'status', status, final });
  });

  it('a template callback on the same URL is acknowledged and ignored', () => {
    const body = JSON.stringify({ reference_id: 'B56259E45884010488343BAA15FB0002', name: 'WAMarketingTemplate1', channel: 'whatsapp', status: { code: 3850, description: 'Template successfully created', updated_on: '2022-09-21T14:05:36.181346Z' } });
    const result = parseTelesignCallback(body);
    expect(result.ok && result.events[0]?.kind).toBe('ignored');
  });

  it.each([
    ['not json', 'malformed-body'],
    ['[1,2]', 'malformed-body'],
    ['{"sub_resource":"mo_sms"}', 'missing-field'],
    ['{"reference_id":"R","user_response":{"phone_number":"1555"}}', 'missing-field'],
    ['{"status":{"code":200}}', 'missing-field'],
  ])('a malformed callback is a typed 400: %s', (body, code) => {
    const result = parseTelesignCallback(body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(httpStatusForParseError(result.error)).toBe(400);
    }
  });

  it('parses both the Authorization form and a bare X-TS-Authorization signature', () => {
    expect(parseTelesignAuthorization(`TSA ${CUSTOMER_ID}:abc+/=`)).toEqual({ customerId: CUSTOMER_ID, signature: 'abc+/=' });
    expect(parseTelesignAuthorization('abc+/=')).toEqual({ signature: 'abc+/=' });
    expect(parseTelesignAuthorization('Bearer something else')).toBeUndefined();
  });

  it('a send accepted by TeleSign maps to its reference_id', () => {
    const body = JSON.stringify({ reference_id: '35C8B3E5A6B80D06910D7C5C0AB2E5D1', status: { code: 290, description: 'Message in progress', updated_on: '2024-05-02T10:00:00.000000Z' }, additional_info: { message_parts_count: 1 } });
    expect(mapTelesignSendResponse(200, body)).toEqual({ ok: true, providerMessageId: '35C8B3E5A6B80D06910D7C5C0AB2E5D1', status: 'queued' });
  });

  it.each([
    [401, { status: { code: 501, description: 'Not authorized', updated_on: 'x' }, errors: [{ code: -30000, description: 'Invalid Customer ID.' }] }, 'credentials-rejected', '-30000'],
    [401, { status: { code: 501, description: 'Not authorized', updated_on: 'x' }, errors: [{ code: 10022, description: 'Invalid API Key.' }] }, 'credentials-rejected', '10022'],
    [400, { status: { code: 11000, description: 'Invalid value for parameter phone_number.', updated_on: 'x' }, errors: [{ code: 11000, description: 'Invalid value for parameter phone_number.' }] }, 'invalid-recipient', '11000'],
    [200, { reference_id: 'R', status: { code: 508, description: 'Invalid source address', updated_on: 'x' }, errors: [] }, 'number-not-owned', '508'],
    [429, { status: { code: 10019, description: 'Rate Limit Exceeded', updated_on: 'x' }, errors: [{ code: 10019, description: 'Rate Limit Exceeded' }] }, 'rate-limited', '10019'],
    [402, { status: { code: 10030, description: 'Insufficient funds in prepaid wallet.', updated_on: 'x' }, errors: [{ code: 10030, description: 'Insufficient funds in prepaid wallet.' }] }, 'account-inactive', '10030'],
  ])('HTTP %i %j maps to %s', (status, body, code, providerCode) => {
    expect(mapTelesignSendResponse(status, JSON.stringify(body))).toMatchObject({ ok: false, failure: { code, providerCode, httpStatus: status } });
  });
});

describe('TeleSign adapter: callback authentication', () => {
  const adapter = createTelesignAdapter({ http: fetchHttpClient() });

  it('our signature is the documented HMAC-SHA256 of the raw body with the base64-decoded API key', async () => {
    expect(telesignSignature(API_KEY, MO_DOCUMENTED)).toBe(await webCryptoSignature(API_KEY, MO_DOCUMENTED));
  });

  it('accepts a callback signed as TeleSign signs it, in Authorization', async () => {
    const signature = await webCryptoSignature(API_KEY, DLR_DELIVERED);
    expect(adapter.verify(callback(DLR_DELIVERED, { Authorization: `TSA ${CUSTOMER_ID}:${signature}` }), SECRETS, '')).toEqual({ ok: true });
  });

  it('accepts the bare signature in X-TS-Authorization when Authorization was stripped by a proxy', async () => {
    const signature = await webCryptoSignature(API_KEY, MO_RECORDED);
    expect(adapter.verify(callback(MO_RECORDED, { 'X-TS-Authorization': signature }), SECRETS, '')).toEqual({ ok: true });
  });

  it('signs the UTF-8 bytes of the raw body: an accented STOP verifies', async () => {
    const body = MO_DOCUMENTED.replace('"Start"', '"Arrêt 🙏"');
    const signature = await webCryptoSignature(API_KEY, body);
    expect(adapter.verify(callback(body, { Authorization: `TSA ${CUSTOMER_ID}:${signature}` }), SECRETS, '')).toEqual({ ok: true });
  });

  it('rejects a body changed after signing', async () => {
    const signature = await webCryptoSignature(API_KEY, MO_DOCUMENTED);
    const tampered = MO_DOCUMENTED.replace('"Start"', '"STOP"');
    const result = adapter.verify(callback(tampered, { Authorization: `TSA ${CUSTOMER_ID}:${signature}` }), SECRETS, '');
    expect(result).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(httpStatusForVerify(result)).toBe(403);
  });

  it('rejects a callback signed for another customer id even with a valid HMAC', async () => {
    const signature = await webCryptoSignature(API_KEY, MO_DOCUMENTED);
    const result = adapter.verify(callback(MO_DOCUMENTED, { Authorization: `TSA 00000000-0000-0000-0000-000000000000:${signature}` }), SECRETS, '');
    expect(result).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a signature made with another API key', async () => {
    const otherKey = Buffer.from('another key entirely').toString('base64');
    const signature = await webCryptoSignature(otherKey, MO_DOCUMENTED);
    expect(adapter.verify(callback(MO_DOCUMENTED, { Authorization: `TSA ${CUSTOMER_ID}:${signature}` }), SECRETS, '')).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('an unsigned callback is a 403 and a channel without its API key setting is our 500', () => {
    const unsigned = adapter.verify(callback(MO_DOCUMENTED, {}), SECRETS, '');
    expect(httpStatusForVerify(unsigned)).toBe(403);
    const noKey = adapter.verify(callback(MO_DOCUMENTED, { Authorization: 'TSA x:y' }), { customerId: CUSTOMER_ID }, '');
    expect(httpStatusForVerify(noKey)).toBe(500);
  });
});

describe('TeleSign adapter: outbound through the REST API', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(async () => {
    await standIn.close();
  });

  it('posts phone_number without "+", message and message_type ARN to /v1/messaging with Basic auth', async () => {
    standIn.respondWith(() => ({ status: 200, body: { reference_id: '35C8B3E5A6B80D06910D7C5C0AB2E5D1', status: { code: 290, description: 'Message in progress', updated_on: '2024-05-02T10:00:00Z' } } }));
    const adapter = createTelesignAdapter({ http: fetchHttpClient(), apiBaseUrl: standIn.baseUrl });
    const result = await adapter.send({ from: '+15558675310', to: '+33 6 12 34 56 78', body: 'Votre conseiller vous répond.' }, SECRETS);

    expect(result).toEqual({ ok: true, providerMessageId: '35C8B3E5A6B80D06910D7C5C0AB2E5D1', status: 'queued' });
    const sent = standIn.requests.at(-1)!;
    expect(sent.url).toBe('/v1/messaging');
    expect(sent.headers.authorization).toBe(`Basic ${Buffer.from(`${CUSTOMER_ID}:${API_KEY}`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(sent.body))).toEqual({ phone_number: '33612345678', message: 'Votre conseiller vous répond.', message_type: 'ARN', sender_id: '15558675310' });
  });

  it('a rejected customer id comes back as credentials-rejected', async () => {
    standIn.respondWith(() => ({ status: 401, body: { status: { code: 501, description: 'Not authorized', updated_on: '2024-05-02T10:00:00Z' }, errors: [{ code: -30000, description: 'Invalid Customer ID.' }] } }));
    const adapter = createTelesignAdapter({ http: fetchHttpClient(), apiBaseUrl: standIn.baseUrl });
    const result = await adapter.send({ from: '', to: '+33612345678', body: 'x' }, SECRETS);
    expect(result).toMatchObject({ ok: false, failure: { code: 'credentials-rejected', providerCode: '-30000', retryable: false } });
  });
});
