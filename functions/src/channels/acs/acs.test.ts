import { createHash, createHmac } from 'node:crypto';
import type { InboundHttpRequest } from '../channel';
import { httpStatusForParseError, httpStatusForVerify } from '../channel';
import { closedPortUrl, startStandIn, type RecordedRequest, type StandIn, type StandInReply } from '../testing/stand-in';
import { createAcsAdapter, sdkAcsSenderFactory, type AcsSenderFactory } from './acs.adapter';
import { mapAcsRecipientResult, mapAcsThrown, parseAcsEventGrid } from './acs.mapper';

// Samples from Microsoft's "Azure Communication Services - telephony and SMS events" page
// (Event Grid schema; the page writes data keys PascalCase and numbers as bare digits).
const RECEIVED_DOCS = JSON.stringify([{
  id: 'Incoming_20200918002745d29ebbea-3341-4466-9690-0a03af35228e',
  topic: '/subscriptions/50ad1522-5c2c-4d9a-a6c8-67c11ecb75b8/resourcegroups/acse2e/providers/microsoft.communication/communicationservices/{communication-services-resource-name}',
  subject: '/phonenumber/15555555555',
  data: { MessageId: 'Incoming_20200918002745d29ebbea-3341-4466-9690-0a03af35228e', From: '15555555555', To: '15555555555', Message: 'Great to connect with ACS events', ReceivedTimestamp: '2020-09-18T00:27:45.32Z' },
  eventType: 'Microsoft.Communication.SMSReceived',
  dataVersion: '1.0',
  metadataVersion: '1',
  eventTime: '2020-09-18T00:27:47Z',
}]);
const DELIVERY_DOCS = JSON.stringify([{
  id: 'Outgoing_202009180022138813a09b-0cbf-4304-9b03-1546683bb910',
  topic: '/subscriptions/{subscription-id}/resourceGroups/{group-name}/providers/microsoft.communication/communicationservices/{communication-services-resource-name}',
  subject: '/phonenumber/15555555555',
  data: {
    MessageId: 'Outgoing_202009180022138813a09b-0cbf-4304-9b03-1546683bb910', From: '15555555555', To: '+15555555555',
    DeliveryStatus: 'Delivered', DeliveryStatusDetails: 'No error.', ReceivedTimestamp: '2020-09-18T00:22:20.2855749Z',
    DeliveryAttempts: [{ Timestamp: '2020-09-18T00:22:14.9315918Z', SegmentsSucceeded: 1, SegmentsFailed: 0 }],
  },
  eventType: 'Microsoft.Communication.SMSDeliveryReportReceived',
  dataVersion: '1.0',
  metadataVersion: '1',
  eventTime: '2020-09-18T00:22:20Z',
}]);
// Event Grid's subscription validation event, as in "Webhook event delivery" (Event Grid docs).
const VALIDATION = JSON.stringify([{
  id: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66',
  topic: '/subscriptions/xx/resourceGroups/xx/providers/Microsoft.Storage/storageAccounts/xx',
  subject: '',
  data: {
    validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
    validationUrl: 'https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/myeventsub/validate?id=0000000000-0000-0000-0000-00000000000000&t=2022-10-28T04:23:35.1981776Z&apiVersion=2018-05-01-preview&token=1A1A1A1A',
  },
  eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
  eventTime: '2022-10-28T04:23:35.1981776Z',
  metadataVersion: '1',
  dataVersion: '1',
}]);
// The same SMS as CloudEvents 1.0 (one event per request), with data in the wire's camelCase
// names (AcsSmsReceivedEventData / AcsSmsDeliveryReportReceivedEventData in @azure/eventgrid).
const RECEIVED_CLOUDEVENT = JSON.stringify({
  id: 'Incoming_20240502100000a1b2c3d4-0000-4000-8000-000000000001',
  source: '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg/providers/microsoft.communication/communicationservices/switchboard-acs',
  subject: '/phonenumber/18005551234',
  type: 'Microsoft.Communication.SMSReceived',
  time: '2024-05-02T10:00:01Z',
  specversion: '1.0',
  data: { messageId: 'Incoming_20240502100000a1b2c3d4-0000-4000-8000-000000000001', from: '+33612345678', to: '+18005551234', message: 'ARRÊT', receivedTimestamp: '2024-05-02T10:00:00.5Z', segmentCount: 1 },
});
const FAILED_CLOUDEVENTS_BATCH = JSON.stringify([{
  id: 'Outgoing_20240502100500e5f6-0000-4000-8000-000000000002',
  source: '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg/providers/microsoft.communication/communicationservices/switchboard-acs',
  subject: '/phonenumber/18005551234',
  type: 'Microsoft.Communication.SMSDeliveryReportReceived',
  time: '2024-05-02T10:05:03Z',
  specversion: '1.0',
  data: {
    messageId: 'Outgoing_20240502100500e5f6-0000-4000-8000-000000000002', from: '+18005551234', to: '+33612345678',
    deliveryStatus: 'Failed', deliveryStatusDetails: 'Message has been rejected by the carrier.', receivedTimestamp: '2024-05-02T10:05:02Z',
    deliveryAttempts: [{ timestamp: '2024-05-02T10:05:01Z', segmentsSucceeded: 0, segmentsFailed: 1 }], tag: 'msg-42',
  },
}]);

const EVENT_GRID_KEY = 'kq3Zr8mN1pL0xV7sT2wY5uB9';
const CONNECTION_KEY = Buffer.from('acs-access-key-for-tests-only-0123456789').toString('base64');

function post(body: string, url = `/api/sms/acs/c1?key=${EVENT_GRID_KEY}`, headers: Record<string, string> = {}): InboundHttpRequest {
  return { method: 'POST', url, headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification', ...headers }, rawBody: body };
}

describe('ACS mapper (Event Grid)', () => {
  it('answers a SubscriptionValidationEvent with its validation code', () => {
    const result = parseAcsEventGrid(post(VALIDATION));
    expect(result.ok && result.events).toEqual([{
      kind: 'validation', provider: 'acs',
      reply: { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' }) },
    }]);
  });

  it('answers the CloudEvents OPTIONS handshake by allowing the requesting origin', () => {
    const result = parseAcsEventGrid({ method: 'OPTIONS', url: '/api/sms/acs/c1?key=x', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' }, rawBody: '' });
    expect(result.ok && result.events[0]).toMatchObject({ kind: 'validation', reply: { status: 200, headers: { 'WebHook-Allowed-Origin': 'eventgrid.azure.net' } } });
  });

  it('an SMSReceived event (Event Grid schema, documented sample) becomes a message keyed by MessageId', () => {
    const result = parseAcsEventGrid(post(RECEIVED_DOCS));
    expect(result.ok && result.events).toEqual([{
      kind: 'message', provider: 'acs', providerMessageId: 'Incoming_20200918002745d29ebbea-3341-4466-9690-0a03af35228e',
      from: '+15555555555', to: '+15555555555', body: 'Great to connect with ACS events', mediaUrls: [], receivedAt: '2020-09-18T00:27:45.32Z',
    }]);
  });

  it('an SMSReceived CloudEvent with camelCase data parses to the same shape', () => {
    const result = parseAcsEventGrid(post(RECEIVED_CLOUDEVENT));
    expect(result.ok && result.events).toEqual([{
      kind: 'message', provider: 'acs', providerMessageId: 'Incoming_20240502100000a1b2c3d4-0000-4000-8000-000000000001',
      from: '+33612345678', to: '+18005551234', body: 'ARRÊT', mediaUrls: [], receivedAt: '2024-05-02T10:00:00.5Z',
    }]);
  });

  it('a delivered report is a final delivered status', () => {
    const result = parseAcsEventGrid(post(DELIVERY_DOCS));
    expect(result.ok && result.events).toEqual([{
      kind: 'status', provider: 'acs', providerMessageId: 'Outgoing_202009180022138813a09b-0cbf-4304-9b03-1546683bb910',
      status: 'delivered', final: true, providerStatus: 'Delivered', to: '+15555555555', occurredAt: '2020-09-18T00:22:20.2855749Z',
    }]);
  });

  it('a failed report in a CloudEvents batch keeps the carrier\'s reason', () => {
    const result = parseAcsEventGrid(post(FAILED_CLOUDEVENTS_BATCH));
    expect(result.ok && result.events[0]).toMatchObject({ kind: 'status', status: 'failed', final: true, errorMessage: 'Message has been rejected by the carrier.', clientReference: 'msg-42' });
  });

  it('other event types on the same subscription are ignored, not rejected', () => {
    const other = JSON.stringify([{ id: '1', eventType: 'Microsoft.Communication.ChatMessageReceived', subject: 'x', data: {}, eventTime: '2024-01-01T00:00:00Z', dataVersion: '1.0' }]);
    const result = parseAcsEventGrid(post(other));
    expect(result.ok && result.events[0]?.kind).toBe('ignored');
  });

  it.each([
    ['{not json', 'malformed-body'],
    ['"a string"', 'malformed-body'],
    ['[1]', 'malformed-body'],
    ['[{"id":"1","data":{}}]', 'missing-field'],
    ['[{"eventType":"Microsoft.Communication.SMSReceived","data":{"messageId":"m"}}]', 'missing-field'],
    ['[{"eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","data":{}}]', 'missing-field'],
  ])('a malformed delivery is a typed 400: %s', (body, code) => {
    const result = parseAcsEventGrid(post(body));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(httpStatusForParseError(result.error)).toBe(400);
    }
  });

  it('a GET is refused as a 405', () => {
    const result = parseAcsEventGrid({ method: 'GET', url: '/', headers: {}, rawBody: '' });
    expect(!result.ok && httpStatusForParseError(result.error)).toBe(405);
  });

  it.each([
    [{ to: '+33612345678', httpStatusCode: 400, successful: false, errorMessage: 'Invalid To phone number format.' }, 'invalid-recipient'],
    [{ to: '+33612345678', httpStatusCode: 400, successful: false, errorMessage: 'The From phone number is not owned by this resource.' }, 'number-not-owned'],
    [{ to: '+33612345678', httpStatusCode: 401, successful: false, errorMessage: 'Unauthorized' }, 'credentials-rejected'],
    [{ to: '+33612345678', httpStatusCode: 429, successful: false, errorMessage: 'Too many requests' }, 'rate-limited'],
  ])('a failed recipient result %j maps to %s', (result, code) => {
    expect(mapAcsRecipientResult(result)).toMatchObject({ ok: false, failure: { code } });
  });

  it('an SDK error without an HTTP status is a retryable unreachable', () => {
    expect(mapAcsThrown({ code: 'REQUEST_SEND_ERROR', message: 'connect ECONNREFUSED' })).toMatchObject({ ok: false, failure: { code: 'unreachable', retryable: true } });
  });
});

describe('ACS adapter: Event Grid key', () => {
  const adapter = createAcsAdapter({ senderFactory: sdkAcsSenderFactory() });
  const secrets = { connectionString: `endpoint=https://x.communication.azure.com/;accesskey=${CONNECTION_KEY}`, eventGridKey: EVENT_GRID_KEY };

  it('accepts the key in the endpoint URL\'s query string (also present on the validation handshake)', () => {
    expect(adapter.verify(post(VALIDATION), secrets, '')).toEqual({ ok: true });
  });

  it('accepts the key as a delivery-property header', () => {
    expect(adapter.verify(post(RECEIVED_DOCS, '/api/sms/acs/c1', { 'X-Switchboard-Key': EVENT_GRID_KEY }), secrets, '')).toEqual({ ok: true });
  });

  it('rejects a wrong key with 403 and a missing key with 403', () => {
    const wrong = adapter.verify(post(RECEIVED_DOCS, '/api/sms/acs/c1?key=guess'), secrets, '');
    expect(wrong).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(httpStatusForVerify(wrong)).toBe(403);
    const missing = adapter.verify(post(RECEIVED_DOCS, '/api/sms/acs/c1'), secrets, '');
    expect(httpStatusForVerify(missing)).toBe(403);
  });

  it('a channel without its Event Grid key setting is our 500, whatever the caller sends', () => {
    expect(httpStatusForVerify(adapter.verify(post(RECEIVED_DOCS), { connectionString: 'x' }, ''))).toBe(500);
  });

  it('acknowledges a handshake with its own reply and anything else with a bare 200', () => {
    const parsed = parseAcsEventGrid(post(VALIDATION));
    expect(parsed.ok && adapter.acknowledge(parsed.events).body).toBe('{"validationResponse":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6"}');
    expect(adapter.acknowledge([])).toEqual({ status: 200, headers: {} });
  });
});

// A stand-in for the ACS SMS endpoint that checks the SDK's HMAC-SHA256 request signature
// the way the service does, so a wrong access key is refused for real.
function acsStandIn(accessKey: string, reply: (body: { smsRecipients: { to: string }[] }) => StandInReply) {
  return (req: RecordedRequest): StandInReply => {
    const contentHash = createHash('sha256').update(req.body, 'utf8').digest('base64');
    const stringToSign = `${req.method}\n${req.url}\n${String(req.headers['x-ms-date'])};${String(req.headers.host)};${contentHash}`;
    const expected = createHmac('sha256', Buffer.from(accessKey, 'base64')).update(stringToSign, 'utf8').digest('base64');
    const given = /Signature=(.+)$/.exec(String(req.headers.authorization))?.[1];
    if (req.headers['x-ms-content-sha256'] !== contentHash || given !== expected) {
      return { status: 401, body: { error: { code: 'Denied', message: 'Denied by the resource provider.' } } };
    }
    return reply(JSON.parse(req.body) as { smsRecipients: { to: string }[] });
  };
}

describe('ACS adapter: outbound through @azure/communication-sms', () => {
  let standIn: StandIn;
  let factory: AcsSenderFactory;
  beforeAll(async () => {
    standIn = await startStandIn();
    factory = sdkAcsSenderFactory({ maxRetries: 0 });
  });
  afterAll(async () => {
    await standIn.close();
  });

  const secretsFor = (key: string) => ({ connectionString: `endpoint=${standIn.baseUrl}/;accesskey=${key}`, eventGridKey: EVENT_GRID_KEY });

  it('sends through the real SDK with a delivery report requested and returns ACS\'s message id', async () => {
    standIn.respondWith(acsStandIn(CONNECTION_KEY, (body) => ({
      status: 202,
      body: { value: body.smsRecipients.map((r) => ({ to: r.to, messageId: 'Outgoing_20240502101010a1b2-0000-4000-8000-000000000003', httpStatusCode: 202, repeatabilityResult: 'accepted', successful: true })) },
    })));
    const adapter = createAcsAdapter({ senderFactory: factory });
    const result = await adapter.send({ from: '+18005551234', to: '+33612345678', body: 'Un conseiller arrive.', clientReference: 'msg-42' }, secretsFor(CONNECTION_KEY));

    expect(result).toEqual({ ok: true, providerMessageId: 'Outgoing_20240502101010a1b2-0000-4000-8000-000000000003', status: 'queued' });
    const sent = standIn.requests.at(-1)!;
    expect(sent.url).toBe('/sms?api-version=2021-03-07');
    expect(JSON.parse(sent.body)).toMatchObject({
      from: '+18005551234', message: 'Un conseiller arrive.',
      smsRecipients: [{ to: '+33612345678' }],
      smsSendOptions: { enableDeliveryReport: true, tag: 'msg-42' },
    });
  });

  it('a wrong access key is refused by the endpoint and reported as credentials-rejected', async () => {
    standIn.respondWith(acsStandIn(CONNECTION_KEY, () => ({ status: 500 })));
    const adapter = createAcsAdapter({ senderFactory: factory });
    const wrongKey = Buffer.from('not the key').toString('base64');
    const result = await adapter.send({ from: '+18005551234', to: '+33612345678', body: 'x' }, secretsFor(wrongKey));
    expect(result).toMatchObject({ ok: false, failure: { code: 'credentials-rejected', httpStatus: 401, retryable: false } });
  });

  it('a recipient refused inside an accepted request is a failure for that message', async () => {
    standIn.respondWith(acsStandIn(CONNECTION_KEY, (body) => ({
      status: 202,
      body: { value: body.smsRecipients.map((r) => ({ to: r.to, httpStatusCode: 400, successful: false, errorMessage: 'Invalid To phone number format.' })) },
    })));
    const adapter = createAcsAdapter({ senderFactory: factory });
    const result = await adapter.send({ from: '+18005551234', to: '+3361', body: 'x' }, secretsFor(CONNECTION_KEY));
    expect(result).toMatchObject({ ok: false, failure: { code: 'invalid-recipient', httpStatus: 400 } });
  });

  it('an unreachable endpoint is a retryable unreachable failure', async () => {
    const adapter = createAcsAdapter({ senderFactory: factory });
    const result = await adapter.send({ from: '+18005551234', to: '+33612345678', body: 'x' }, { connectionString: `endpoint=${await closedPortUrl()}/;accesskey=${CONNECTION_KEY}` });
    expect(result).toMatchObject({ ok: false, failure: { code: 'unreachable', retryable: true } });
  });

  it('refuses plain http to anything but loopback, so a mistyped production endpoint never sends the key in clear', async () => {
    const adapter = createAcsAdapter({ senderFactory: factory });
    const result = await adapter.send({ from: '+18005551234', to: '+33612345678', body: 'x' }, { connectionString: `endpoint=http://acs.example.com/;accesskey=${CONNECTION_KEY}` });
    expect(result).toMatchObject({ ok: false, failure: { code: 'invalid-configuration', retryable: false } });
  });

  it('a connection string without an endpoint is a configuration error, not a retry', async () => {
    const adapter = createAcsAdapter({ senderFactory: factory });
    const result = await adapter.send({ from: '+18005551234', to: '+33612345678', body: 'x' }, { connectionString: 'accesskey=abc' });
    expect(result).toMatchObject({ ok: false, failure: { code: 'invalid-configuration', retryable: false } });
  });
});
