import { createHmac } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { InboundHttpRequest, InboundMessage, InboundStatus } from '../channel';
import { httpStatusForParseError, httpStatusForVerify } from '../channel';
import { fetchHttpClient } from '../http';
import { closedPortUrl, startStandIn, type StandIn } from '../testing/stand-in';
import { createTwilioAdapter } from './twilio.adapter';
import { mapTwilioSendResponse, parseTwilioForm, parseTwilioWebhook } from './twilio.mapper';

// Real payloads as Twilio posted them, recorded in nyaruka/courier's Twilio handler
// (handlers/twilio/twilio.go doc comment and twilio_test.go).
const INBOUND =
  'ToCountry=US&ToState=IN&SmsMessageSid=SMa741ddeb574e5dda5516c73417fcd28a&NumMedia=0&ToCity=&FromZip=46204&SmsSid=SMa741ddeb574e5dda5516c73417fcd28a&FromState=IN&SmsStatus=received&FromCity=INDIANAPOLIS&Body=Hi+there+from+Twilio&FromCountry=US&To=%2B13177933221&ToZip=&NumSegments=1&MessageSid=SMa741ddeb574e5dda5516c73417fcd28a&AccountSid=AC7ef44158dbb01b972d64d7e5c851c8d7&From=%2B13177592786&ApiVersion=2010-04-01';
const INBOUND_MEDIA =
  'ToCountry=US&ToState=District+Of+Columbia&SmsMessageSid=SMe287d7109a5a925f182f0e07fe5b223b&NumMedia=2&ToCity=&Body=Msg&FromZip=01022&SmsSid=SMe287d7109a5a925f182f0e07fe5b223b&FromState=MA&SmsStatus=received&FromCity=CHICOPEE&FromCountry=US&To=%2B12028831111&ToZip=&NumSegments=1&MessageSid=SMe287d7109a5a925f182f0e07fe5b223b&AccountSid=acctid&From=%2B14133881111&ApiVersion=2010-04-01&MediaUrl0=cat.jpg&MediaUrl1=dog.jpg';
const STATUS_SENT =
  'MessageStatus=sent&ApiVersion=2010-04-01&SmsSid=SM7ac25b8b7f04410093ff54e1fd2b4256&SmsStatus=sent&To=%2B13177933221&From=%2B13177592786&MessageSid=SM7ac25b8b7f04410093ff54e1fd2b4256&AccountSid=AC7ef44158dbb01b972d64d7e5c851c8d7';
// The same callback as Twilio sends it for a handset that cannot be reached
// (MessageStatus=undelivered with ErrorCode, as in Twilio's status-callback docs).
const STATUS_UNDELIVERED = `${STATUS_SENT.replace('MessageStatus=sent', 'MessageStatus=undelivered').replace('SmsStatus=sent', 'SmsStatus=undelivered')}&ErrorCode=30003`;
// Short codes arrive as bare digits, never E.164.
const INBOUND_SHORT_CODE = INBOUND.replace('To=%2B13177933221', 'To=12345');

const PUBLIC_URL = 'https://switchboard.example.com/api/sms/twilio/7d0c1f8e-0000-4000-8000-000000000001';
const STATUS_URL = `${PUBLIC_URL}/status`;
const AUTH_TOKEN = '9f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99';
const SECRETS = { accountSid: 'AC7ef44158dbb01b972d64d7e5c851c8d7', authToken: AUTH_TOKEN };

function request(body: string, signature?: string, url = '/api/sms/twilio/x'): InboundHttpRequest {
  return {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'X-Twilio-Signature': signature } : {}) },
    rawBody: body,
  };
}

// The algorithm as Twilio documents it, written by hand so the test does not only trust the library.
function handSignature(token: string, url: string, body: string): string {
  const params = parseTwilioForm(body);
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHmac('sha1', token).update(data, 'utf8').digest('base64');
}

describe('Twilio mapper', () => {
  it('an incoming SMS becomes one message carrying the MessageSid as its idempotency key', () => {
    const result = parseTwilioWebhook(INBOUND);
    expect(result).toEqual({
      ok: true,
      events: [{
        kind: 'message', provider: 'twilio', providerMessageId: 'SMa741ddeb574e5dda5516c73417fcd28a',
        from: '+13177592786', to: '+13177933221', body: 'Hi there from Twilio', mediaUrls: [],
      }],
    });
  });

  it('media URLs are kept in order, as many as NumMedia says', () => {
    const result = parseTwilioWebhook(INBOUND_MEDIA);
    expect(result.ok && (result.events[0] as InboundMessage).mediaUrls).toEqual(['cat.jpg', 'dog.jpg']);
  });

  it('a message to a short code keeps the short code as-is', () => {
    const result = parseTwilioWebhook(INBOUND_SHORT_CODE);
    expect(result.ok && (result.events[0] as InboundMessage).to).toBe('12345');
  });

  it('a status callback becomes a status event, not a message', () => {
    const result = parseTwilioWebhook(STATUS_SENT);
    expect(result).toEqual({
      ok: true,
      events: [{ kind: 'status', provider: 'twilio', providerMessageId: 'SM7ac25b8b7f04410093ff54e1fd2b4256', status: 'sent', final: false, providerStatus: 'sent', to: '+13177933221' }],
    });
  });

  it('undelivered is a final failure and keeps Twilio\'s error code', () => {
    const result = parseTwilioWebhook(STATUS_UNDELIVERED);
    const event = result.ok ? (result.events[0] as InboundStatus) : undefined;
    expect(event).toMatchObject({ status: 'failed', final: true, providerStatus: 'undelivered', errorCode: '30003' });
  });

  it.each([
    ['queued', 'queued', false], ['accepted', 'queued', false], ['sending', 'sent', false], ['sent', 'sent', false],
    ['delivered', 'delivered', true], ['read', 'delivered', true], ['failed', 'failed', true], ['canceled', 'failed', true],
  ])('MessageStatus=%s maps to %s (final: %s)', (providerStatus, status, final) => {
    const result = parseTwilioWebhook(`MessageSid=SM1&MessageStatus=${providerStatus}`);
    expect(result.ok && result.events[0]).toMatchObject({ kind: 'status', status, final });
  });

  it('an unknown MessageStatus is acknowledged and ignored rather than rejected (Twilio adds statuses)', () => {
    const result = parseTwilioWebhook('MessageSid=SM1&MessageStatus=teleported');
    expect(result.ok && result.events[0]?.kind).toBe('ignored');
  });

  it.each([
    ['', 'malformed-body'],
    ['{"MessageSid":"SM1"}', 'malformed-body'],
    ['Body=hello&From=%2B1555', 'missing-field'],
    ['MessageSid=SM1&Body=hello', 'missing-field'],
  ])('a malformed body is a typed 400, not an exception: %j', (body, code) => {
    const result = parseTwilioWebhook(body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(httpStatusForParseError(result.error)).toBe(400);
    }
  });

  it('a created message maps to its sid and initial status', () => {
    const body = JSON.stringify({ sid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f', status: 'queued', to: '+33612345678', from: '+13177933221' });
    expect(mapTwilioSendResponse(201, body)).toEqual({ ok: true, providerMessageId: 'SM1f0e8ae6ade43cb3c0ce4525424e404f', status: 'queued' });
  });

  it.each([
    [401, 20003, 'Authenticate', 'credentials-rejected', false],
    [400, 21606, "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account", 'number-not-owned', false],
    [400, 21660, "Mismatch between the 'From' number and the account", 'number-not-owned', false],
    [400, 21211, "Invalid 'To' Phone Number", 'invalid-recipient', false],
    [400, 21610, 'Attempt to send to unsubscribed recipient', 'recipient-opted-out', false],
    [400, 21608, 'The number is unverified. Trial accounts cannot send messages to unverified numbers', 'trial-restriction', false],
    [429, 20429, 'Too Many Requests', 'rate-limited', true],
    [503, 20500, 'Internal Server Error', 'provider-error', true],
  ])('HTTP %i with Twilio error %i maps to a result an admin can act on', (status, code, message, expected, retryable) => {
    const body = JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    const result = mapTwilioSendResponse(status, body);
    expect(result).toEqual({ ok: false, failure: { code: expected, message, httpStatus: status, providerCode: String(code), retryable } });
  });
});

describe('Twilio adapter: signature', () => {
  const adapter = createTwilioAdapter({ http: fetchHttpClient() });

  it('Twilio\'s documented example signature is what our hand-written algorithm computes', () => {
    // https://www.twilio.com/docs/usage/security — auth token 12345.
    const body = 'CallSid=CA1234567890ABCDE&Caller=%2B14158675310&Digits=1234&From=%2B14158675310&To=%2B18005551212';
    expect(handSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', body)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  it('accepts an inbound message signed with the channel\'s auth token for the configured URL', () => {
    const signature = getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL, parseTwilioForm(INBOUND));
    expect(signature).toBe(handSignature(AUTH_TOKEN, PUBLIC_URL, INBOUND));
    expect(adapter.verify(request(INBOUND, signature), SECRETS, PUBLIC_URL)).toEqual({ ok: true });
  });

  it('accepts a status callback signed for the status URL', () => {
    const signature = handSignature(AUTH_TOKEN, STATUS_URL, STATUS_UNDELIVERED);
    expect(adapter.verify(request(STATUS_UNDELIVERED, signature), SECRETS, STATUS_URL)).toEqual({ ok: true });
  });

  it('rejects the same signature presented on another URL (inbound signature replayed to the status route)', () => {
    const signature = handSignature(AUTH_TOKEN, PUBLIC_URL, STATUS_SENT);
    const result = adapter.verify(request(STATUS_SENT, signature), SECRETS, STATUS_URL);
    expect(result).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(httpStatusForVerify(result)).toBe(403);
  });

  it('signs decoded values: a French reply with accents, "+" and emoji verifies', () => {
    const body = INBOUND.replace('Body=Hi+there+from+Twilio', `Body=${encodeURIComponent('Ça marche, merci ! 👍 +33 6 12').replace(/%20/g, '+')}`);
    expect(parseTwilioForm(body).Body).toBe('Ça marche, merci ! 👍 +33 6 12');
    const signature = getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL, parseTwilioForm(body));
    expect(adapter.verify(request(body, signature), SECRETS, PUBLIC_URL)).toEqual({ ok: true });
  });

  it('rejects a body altered after signing', () => {
    const signature = handSignature(AUTH_TOKEN, PUBLIC_URL, INBOUND);
    const tampered = INBOUND.replace('Body=Hi+there+from+Twilio', 'Body=Hi+there+from+Mallory');
    expect(adapter.verify(request(tampered, signature), SECRETS, PUBLIC_URL)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a signature made with another account\'s token', () => {
    const signature = handSignature('another-accounts-token', PUBLIC_URL, INBOUND);
    expect(adapter.verify(request(INBOUND, signature), SECRETS, PUBLIC_URL)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('a missing signature header is a 403, a missing auth token setting is our 500', () => {
    const missing = adapter.verify(request(INBOUND), SECRETS, PUBLIC_URL);
    expect(missing).toMatchObject({ ok: false, reason: 'missing-signature' });
    expect(httpStatusForVerify(missing)).toBe(403);
    const noSecret = adapter.verify(request(INBOUND, 'x'), { accountSid: 'AC1' }, PUBLIC_URL);
    expect(noSecret).toMatchObject({ ok: false, reason: 'missing-secret' });
    expect(httpStatusForVerify(noSecret)).toBe(500);
  });

  it('a malformed public URL setting is our 500, not an exception', () => {
    const result = adapter.verify(request(INBOUND, 'x'), SECRETS, 'sb.example.com/api/sms/twilio/x');
    expect(result).toMatchObject({ ok: false, reason: 'misconfigured' });
    expect(httpStatusForVerify(result)).toBe(500);
  });

  it('a garbage signature header is rejected, not thrown', () => {
    expect(adapter.verify(request(INBOUND, 'ä€ not base64'), SECRETS, PUBLIC_URL)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('answers Twilio with empty TwiML so it sends no automatic reply', () => {
    const reply = adapter.acknowledge([]);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/text\/xml/);
    expect(reply.body).toContain('<Response></Response>');
  });
});

describe('Twilio adapter: outbound through the REST API', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(async () => {
    await standIn.close();
  });
  beforeEach(() => {
    standIn.requests.length = 0;
  });

  it('posts To, From, Body and our StatusCallback with Basic auth to the account\'s Messages.json', async () => {
    standIn.respondWith(() => ({ status: 201, body: { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' } }));
    const adapter = createTwilioAdapter({ http: fetchHttpClient(), apiBaseUrl: standIn.baseUrl });
    const result = await adapter.send({ from: '12345', to: '+33612345678', body: 'Bonjour — ça va ?', statusCallbackUrl: STATUS_URL }, SECRETS);

    expect(result).toEqual({ ok: true, providerMessageId: 'SM0123456789abcdef0123456789abcdef', status: 'queued' });
    const [sent] = standIn.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/2010-04-01/Accounts/AC7ef44158dbb01b972d64d7e5c851c8d7/Messages.json');
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from(`${SECRETS.accountSid}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(sent?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(sent?.body))).toEqual({ To: '+33612345678', From: '12345', Body: 'Bonjour — ça va ?', StatusCallback: STATUS_URL });
  });

  it('a Messaging Service SID as sender goes out as MessagingServiceSid, without From', async () => {
    standIn.respondWith(() => ({ status: 201, body: { sid: 'SM0123456789abcdef0123456789abcdee', status: 'accepted' } }));
    const adapter = createTwilioAdapter({ http: fetchHttpClient(), apiBaseUrl: standIn.baseUrl });
    const result = await adapter.send({ from: 'MG9752274e9e519418a7406176694466fa', to: '+33612345678', body: 'x' }, SECRETS);
    expect(result).toEqual({ ok: true, providerMessageId: 'SM0123456789abcdef0123456789abcdee', status: 'queued' });
    expect(Object.fromEntries(new URLSearchParams(standIn.requests.at(-1)?.body))).toEqual({ To: '+33612345678', MessagingServiceSid: 'MG9752274e9e519418a7406176694466fa', Body: 'x' });
  });

  it('a rejected auth token comes back as credentials-rejected, not an exception', async () => {
    standIn.respondWith(() => ({ status: 401, body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 } }));
    const adapter = createTwilioAdapter({ http: fetchHttpClient(), apiBaseUrl: standIn.baseUrl });
    const result = await adapter.send({ from: '+13177933221', to: '+33612345678', body: 'x' }, SECRETS);
    expect(result).toMatchObject({ ok: false, failure: { code: 'credentials-rejected', providerCode: '20003', retryable: false } });
  });

  it('an unreachable API is a retryable unreachable failure', async () => {
    const adapter = createTwilioAdapter({ http: fetchHttpClient({ timeoutMs: 2000 }), apiBaseUrl: await closedPortUrl() });
    const result = await adapter.send({ from: '+13177933221', to: '+33612345678', body: 'x' }, SECRETS);
    expect(result).toMatchObject({ ok: false, failure: { code: 'unreachable', retryable: true } });
  });

  it('missing credentials fail before any request is made', async () => {
    const adapter = createTwilioAdapter({ http: fetchHttpClient(), apiBaseUrl: standIn.baseUrl });
    const result = await adapter.send({ from: '+13177933221', to: '+33612345678', body: 'x' }, { authToken: AUTH_TOKEN });
    expect(result).toMatchObject({ ok: false, failure: { code: 'missing-secret' } });
    expect(standIn.requests).toHaveLength(0);
  });
});
