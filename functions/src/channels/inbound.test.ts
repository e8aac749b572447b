import { createHmac } from 'node:crypto';
import type { InboundHttpRequest, SmsChannelConfig } from './channel';
import { receiveInbound, type InboundArgs } from './inbound';
import { createSmsAdapters } from './registry';
import { appSettingsSecretResolver } from './secrets';

const adapters = createSmsAdapters();
const settings = appSettingsSecretResolver({
  SWB_TW_SID: 'AC7ef44158dbb01b972d64d7e5c851c8d7',
  SWB_TW_TOKEN: 'twilio-token',
  SWB_TS_CUSTOMER: 'FFFFFFFF-EEEE-DDDD-1234-AB1234567890',
  SWB_TS_KEY: 'ABC12345yusumoN6BYsBVkh+yRJ5czgsnCehZaOYldPJdmFh6NeX8kunZ2zU1YWaUw/0wV6xfw==',
  SWB_EG_KEY: 'eg-key-0123456789abcdefghij',
});
const twilio: SmsChannelConfig = { channelId: 'tw', provider: 'twilio', fromNumber: '+13177933221', secretSettingNames: { accountSid: 'SWB_TW_SID', authToken: 'SWB_TW_TOKEN' } };
const telesign: SmsChannelConfig = { channelId: 'ts', provider: 'telesign', fromNumber: '+15558675310', secretSettingNames: { customerId: 'SWB_TS_CUSTOMER', apiKey: 'SWB_TS_KEY' } };
// Only the Event Grid key is set: receiving must not need the outbound connection string.
const acs: SmsChannelConfig = { channelId: 'acs', provider: 'acs', fromNumber: '+18005551234', secretSettingNames: { connectionString: 'SWB_UNSET', eventGridKey: 'SWB_EG_KEY' } };

// nyaruka/courier's recorded Twilio inbound SMS.
const TWILIO_INBOUND =
  'ToCountry=US&ToState=IN&SmsMessageSid=SMa741ddeb574e5dda5516c73417fcd28a&NumMedia=0&ToCity=&FromZip=46204&SmsSid=SMa741ddeb574e5dda5516c73417fcd28a&FromState=IN&SmsStatus=received&FromCity=INDIANAPOLIS&Body=Hi+there+from+Twilio&FromCountry=US&To=%2B13177933221&ToZip=&NumSegments=1&MessageSid=SMa741ddeb574e5dda5516c73417fcd28a&AccountSid=AC7ef44158dbb01b972d64d7e5c851c8d7&From=%2B13177592786&ApiVersion=2010-04-01';
const PUBLIC_URL = 'https://sb.example.com/api/sms/twilio/tw';

function twilioSigned(body: string, url = PUBLIC_URL, token = 'twilio-token'): InboundHttpRequest {
  const params = Object.fromEntries(new URLSearchParams(body));
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return { method: 'POST', url: '/api/sms/twilio/tw', headers: { 'x-twilio-signature': createHmac('sha1', token).update(data).digest('base64') }, rawBody: body };
}

function args(over: Partial<InboundArgs>): InboundArgs {
  return { adapters, provider: 'twilio', channel: twilio, secrets: settings, request: twilioSigned(TWILIO_INBOUND), publicUrl: PUBLIC_URL, ...over };
}

describe('receiving a provider callback', () => {
  it('an authentic Twilio SMS yields one message to store and empty TwiML to answer', () => {
    const outcome = receiveInbound(args({}));
    expect(outcome.kind).toBe('events');
    if (outcome.kind === 'events') {
      expect(outcome.events).toEqual([expect.objectContaining({ kind: 'message', providerMessageId: 'SMa741ddeb574e5dda5516c73417fcd28a', body: 'Hi there from Twilio' })]);
      expect(outcome.reply.body).toContain('<Response>');
    }
  });

  it('an unknown channel is a 404 and nothing to store', () => {
    const outcome = receiveInbound(args({ channel: undefined }));
    expect(outcome).toMatchObject({ kind: 'reply', reply: { status: 404 } });
    expect(JSON.parse((outcome as { reply: { body: string } }).reply.body)).toEqual({ error: { code: 'unknown-channel', message: 'No such SMS channel.' } });
  });

  it('a channel of another provider is treated as unknown', () => {
    expect(receiveInbound(args({ channel: telesign }))).toMatchObject({ kind: 'reply', reply: { status: 404 } });
  });

  it('a forged signature is a 403 and nothing to store', () => {
    expect(receiveInbound(args({ request: twilioSigned(TWILIO_INBOUND, PUBLIC_URL, 'forger') }))).toMatchObject({ kind: 'reply', reply: { status: 403 } });
  });

  it('a signed but malformed body is a 400 and nothing to store', () => {
    expect(receiveInbound(args({ request: twilioSigned('Body=hello') }))).toMatchObject({ kind: 'reply', reply: { status: 400 } });
  });

  it('a channel whose auth token setting is unset is our 500, without naming the setting to the caller', () => {
    const broken = { ...twilio, secretSettingNames: { accountSid: 'SWB_TW_SID', authToken: 'SWB_NOT_SET' } };
    const outcome = receiveInbound(args({ channel: broken }));
    expect(outcome).toMatchObject({ kind: 'reply', reply: { status: 500 } });
    expect((outcome as { reply: { body: string } }).reply.body).not.toContain('SWB_');
  });

  it('Event Grid\'s validation handshake is answered with nothing to store, even without the outbound connection string', () => {
    const body = JSON.stringify([{ id: '1', topic: 't', subject: '', eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', eventTime: '2024-01-01T00:00:00Z', dataVersion: '1', metadataVersion: '1', data: { validationCode: 'abc-123' } }]);
    const outcome = receiveInbound(args({ provider: 'acs', channel: acs, request: { method: 'POST', url: '/api/sms/acs/acs?key=eg-key-0123456789abcdefghij', headers: {}, rawBody: body }, publicUrl: '' }));
    expect(outcome).toEqual({ kind: 'reply', reply: { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"validationResponse":"abc-123"}' } });
  });

  it('a TeleSign delivery report signed with the channel\'s key yields one status to store', () => {
    const body = JSON.stringify({ reference_id: 'B56259E45884010488343BAA15FB0002', status: { code: 200, description: 'Delivered to handset', updated_on: '2016-10-21T14:05:36.181346Z' } });
    const signature = createHmac('sha256', Buffer.from('ABC12345yusumoN6BYsBVkh+yRJ5czgsnCehZaOYldPJdmFh6NeX8kunZ2zU1YWaUw/0wV6xfw==', 'base64')).update(body).digest('base64');
    const outcome = receiveInbound(args({
      provider: 'telesign', channel: telesign, publicUrl: '',
      request: { method: 'POST', url: '/api/sms/telesign/ts', headers: { authorization: `TSA FFFFFFFF-EEEE-DDDD-1234-AB1234567890:${signature}` }, rawBody: body },
    }));
    expect(outcome).toMatchObject({ kind: 'events', events: [{ kind: 'status', status: 'delivered' }], reply: { status: 200 } });
  });
});
