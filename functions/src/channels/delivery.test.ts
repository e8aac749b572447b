import type { ChannelDirectory, OptOutLookup, SmsChannelConfig } from './channel';
import { createChannelDelivery, type ChannelDeliveryDeps } from './delivery';
import { fetchHttpClient } from './http';
import { createSmsAdapters } from './registry';
import { appSettingsSecretResolver, resolveChannelSecrets } from './secrets';
import { startStandIn, type StandIn } from './testing/stand-in';
import en from './resources/channels.en.json';
import fr from './resources/channels.fr.json';
import { VALIDATION_CODES, channelStrings, validateChannel, validationMessage, validationReportFor } from './validation';

const TWILIO: SmsChannelConfig = {
  channelId: 'c-twilio',
  provider: 'twilio',
  fromNumber: '+13177933221',
  testNumber: '+33612345678',
  secretSettingNames: { accountSid: 'SWB_TWILIO_MAIN_ACCOUNT_SID', authToken: 'SWB_TWILIO_MAIN_AUTH_TOKEN' },
};
const TELESIGN: SmsChannelConfig = {
  channelId: 'c-telesign',
  provider: 'telesign',
  fromNumber: '+15558675310',
  secretSettingNames: { customerId: 'SWB_TS_CUSTOMER_ID', apiKey: 'SWB_TS_API_KEY' },
};
const SETTINGS = {
  SWB_TWILIO_MAIN_ACCOUNT_SID: 'AC7ef44158dbb01b972d64d7e5c851c8d7',
  SWB_TWILIO_MAIN_AUTH_TOKEN: 'token',
  SWB_TS_CUSTOMER_ID: 'FFFFFFFF-EEEE-DDDD-1234-AB1234567890',
  DATAVERSE_CLIENT_SECRET: 'must never leave the app',
};

function directory(...channels: SmsChannelConfig[]): ChannelDirectory {
  return { getChannel: async (id) => channels.find((c) => c.channelId === id) };
}

function optOuts(...numbers: string[]): OptOutLookup {
  return { isOptedOut: async (_channel, number) => numbers.includes(number) };
}

describe('channel delivery', () => {
  let standIn: StandIn;
  let deps: ChannelDeliveryDeps;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(async () => {
    await standIn.close();
  });
  beforeEach(() => {
    standIn.requests.length = 0;
    standIn.respondWith(() => ({ status: 201, body: { sid: 'SM00000000000000000000000000000001', status: 'queued' } }));
    deps = {
      channels: directory(TWILIO, TELESIGN),
      adapters: createSmsAdapters({ http: fetchHttpClient(), apiBaseUrls: { twilio: standIn.baseUrl, telesign: standIn.baseUrl } }),
      secrets: appSettingsSecretResolver(SETTINGS),
      optOuts: optOuts('+33699999999'),
      statusCallbackUrl: (c) => `https://switchboard.example.com/api/sms/twilio/${c.channelId}/status`,
    };
  });

  it('sends from the channel\'s number with the channel\'s secrets and our status callback', async () => {
    const result = await createChannelDelivery(deps).deliver('c-twilio', '+33612345678', 'Bonjour');
    expect(result).toEqual({ ok: true, providerMessageId: 'SM00000000000000000000000000000001', status: 'queued' });
    const form = Object.fromEntries(new URLSearchParams(standIn.requests[0]!.body));
    expect(form).toEqual({ To: '+33612345678', From: '+13177933221', Body: 'Bonjour', StatusCallback: 'https://switchboard.example.com/api/sms/twilio/c-twilio/status' });
  });

  it('nothing is sent to an opted-out number', async () => {
    const result = await createChannelDelivery(deps).deliver('c-twilio', '+33699999999', 'Promo');
    expect(result).toMatchObject({ ok: false, failure: { code: 'recipient-opted-out', retryable: false } });
    expect(standIn.requests).toHaveLength(0);
  });

  it('an unknown channel is reported, not thrown', async () => {
    expect(await createChannelDelivery(deps).deliver('nope', '+33612345678', 'x')).toMatchObject({ ok: false, failure: { code: 'unknown-channel' } });
  });

  it('a channel naming an unset app setting fails with the setting\'s name and sends nothing', async () => {
    const result = await createChannelDelivery(deps).deliver('c-telesign', '+33612345678', 'x');
    expect(result).toMatchObject({ ok: false, failure: { code: 'missing-secret' } });
    expect(!result.ok && result.failure.message).toContain('SWB_TS_API_KEY');
    expect(standIn.requests).toHaveLength(0);
  });
});

describe('secret resolution', () => {
  it('reads only app settings with the Switchboard prefix, so a channel cannot borrow the app\'s own secrets', () => {
    const resolver = appSettingsSecretResolver(SETTINGS);
    expect(resolver.resolve('SWB_TWILIO_MAIN_AUTH_TOKEN')).toBe('token');
    expect(resolver.resolve('DATAVERSE_CLIENT_SECRET')).toBeUndefined();
  });

  it('lists every missing role with its setting name and never a value', () => {
    const result = resolveChannelSecrets(['accountSid', 'authToken', 'extra'], { accountSid: 'SWB_TWILIO_MAIN_ACCOUNT_SID', authToken: 'SWB_UNSET' }, appSettingsSecretResolver(SETTINGS));
    expect(result).toEqual({
      ok: false,
      missing: [{ role: 'authToken', settingName: 'SWB_UNSET' }, { role: 'extra' }],
      message: 'Missing channel secrets: authToken (app setting SWB_UNSET is not set); extra (no setting named on the channel).',
    });
  });
});

describe('validate API key', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(async () => {
    await standIn.close();
  });

  function depsFor(): ChannelDeliveryDeps {
    return {
      channels: directory(TWILIO, TELESIGN),
      adapters: createSmsAdapters({ http: fetchHttpClient(), apiBaseUrls: { twilio: standIn.baseUrl } }),
      secrets: appSettingsSecretResolver(SETTINGS),
      optOuts: optOuts(),
    };
  }

  it('sends the localised test message to the channel\'s test number and reports ok', async () => {
    standIn.respondWith(() => ({ status: 201, body: { sid: 'SM00000000000000000000000000000002', status: 'queued' } }));
    const report = await validateChannel(depsFor(), 'c-twilio', 'fr-FR');
    expect(report).toEqual({ ok: true, code: 'ok', retryable: false, providerMessageId: 'SM00000000000000000000000000000002' });
    const form = Object.fromEntries(new URLSearchParams(standIn.requests.at(-1)!.body));
    expect(form.To).toBe('+33612345678');
    expect(form.Body).toBe(fr.testMessage);
  });

  it('a rejected token reads as credentials-rejected, with Twilio\'s own words as detail', async () => {
    standIn.respondWith(() => ({ status: 401, body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 } }));
    const report = await validateChannel(depsFor(), 'c-twilio', 1036);
    expect(report).toEqual({ ok: false, code: 'credentials-rejected', retryable: false, providerCode: '20003', httpStatus: 401, detail: 'Authenticate' });
    expect(validationMessage(report.code, 1036)).toBe(fr['validation.credentials-rejected']);
  });

  it('a channel without a test number asks for one before sending anything', async () => {
    const before = standIn.requests.length;
    expect(await validateChannel(depsFor(), 'c-telesign', 'en')).toEqual({ ok: false, code: 'no-test-number', retryable: false });
    expect(standIn.requests).toHaveLength(before);
  });

  it('maps each failure code through unchanged and keeps it retryable only when it is', () => {
    expect(validationReportFor({ ok: false, failure: { code: 'rate-limited', retryable: true, message: 'Too Many Requests', httpStatus: 429 } }))
      .toEqual({ ok: false, code: 'rate-limited', retryable: true, detail: 'Too Many Requests', httpStatus: 429 });
  });

  it('every result code has an English and a French message, and the bundles have the same keys', () => {
    for (const code of VALIDATION_CODES) {
      expect(en).toHaveProperty([`validation.${code}`]);
      expect(fr).toHaveProperty([`validation.${code}`]);
      expect(validationMessage(code, 'fr')).not.toBe(validationMessage(code, 'en'));
    }
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it('an unknown language falls back to English', () => {
    expect(channelStrings('de-DE')).toBe(en);
    expect(channelStrings(1031).testMessage).toBe(en.testMessage);
  });
});
