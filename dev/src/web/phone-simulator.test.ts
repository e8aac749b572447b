// The simulator's requests must pass the functions app's own verification and parsing, and a
// tampered one must not: the same adapters that guard production check them here.
import { createSmsAdapters } from '@switchboard/functions/channels/registry';
import { CHANNELS, TELESIGN_CUSTOMER_ID, TWILIO_ACCOUNT_SID } from '../seed/demo-data';
import { phonePage } from './pages';
import { demoSecrets, PhoneSimulator, type ProviderKey } from './phone-simulator';

const PUBLIC = 'https://swb-demo.example.test';
const secrets = demoSecrets('endpoint=http://127.0.0.1:1/;accesskey=a2V5');
const simulator = new PhoneSimulator({ functionsUrl: 'http://127.0.0.1:1', publicBaseUrl: PUBLIC, secrets });
const adapters = createSmsAdapters({});

const roles: Record<ProviderKey, Record<string, string>> = {
  twilio: { accountSid: TWILIO_ACCOUNT_SID, authToken: secrets['SWB_TWILIO_DEMO_TOKEN']! },
  telesign: { customerId: TELESIGN_CUSTOMER_ID, apiKey: secrets['SWB_TELESIGN_DEMO_APIKEY']! },
  acs: { connectionString: secrets['SWB_ACS_DEMO_CONNECTION']!, eventGridKey: secrets['SWB_ACS_DEMO_EVENTGRID_KEY']! },
};

function inbound(provider: ProviderKey, body = 'Bonjour') {
  const channel = CHANNELS.find((c) => c.key === provider)!;
  const from = simulator.e164(provider === 'twilio' ? '(317) 555-0147' : provider === 'telesign' ? '06 12 34 56 78' : '07400 123456', provider)!;
  const r = simulator.signedRequest(channel, from, body);
  const path = r.url.slice('http://127.0.0.1:1'.length);
  return { from, channel, req: { method: 'POST', url: PUBLIC + path, headers: r.headers, rawBody: r.body } };
}

describe('phone simulator', () => {
  it('reads a locally typed number in the channel\'s region, as the carrier would send it', () => {
    expect(simulator.e164('06 12 34 56 78', 'telesign')).toBe('+33612345678');
    expect(simulator.e164('(317) 555-0147', 'twilio')).toBe('+13175550147');
    expect(simulator.e164('07400 123456', 'acs')).toBe('+447400123456');
    expect(simulator.e164('12', 'twilio')).toBeUndefined();
  });

  it("takes any number a carrier would carry: Ofcom's 07700 900123 test number in the UK, but not a French mobile on the US number", () => {
    expect(simulator.e164('07700 900123', 'acs')).toBe('+447700900123');
    expect(simulator.e164('06 12 34 56 78', 'twilio')).toBeUndefined();
  });

  it("opens with a customer number of the first channel's own country, and each channel offers one of its own", () => {
    const html = phonePage();
    expect(html).toContain(`value="${CHANNELS[0]!.sampleCustomer}"`);
    for (const c of CHANNELS) expect(simulator.e164(c.sampleCustomer, c.key)).toMatch(/^\+/);
  });

  it.each(['twilio', 'telesign', 'acs'] as const)('a %s inbound SMS passes that provider\'s verification and parses to the typed message', (provider) => {
    const { req, from, channel } = inbound(provider, 'Où est ma commande ?');
    // The functions handler passes the URL rebuilt from PUBLIC_BASE_URL: what Twilio signed.
    expect(adapters[provider].verify(req, roles[provider], req.url)).toEqual({ ok: true });
    const parsed = adapters[provider].parseInbound(req);
    expect(parsed).toMatchObject({ ok: true, events: [{ kind: 'message', from, to: channel.number, body: 'Où est ma commande ?' }] });
  });

  it.each(['twilio', 'telesign', 'acs'] as const)('a %s inbound SMS altered after signing is refused', (provider) => {
    const { req } = inbound(provider);
    const tampered =
      provider === 'acs'
        ? { ...req, url: req.url.replace(/key=[^&]+/, 'key=wrong-key-000000000000000000') }
        : { ...req, rawBody: req.rawBody.replace('Bonjour', 'Bonsoir') };
    expect(adapters[provider].verify(tampered, roles[provider], tampered.url)).toMatchObject({ ok: false });
  });

  it('the Twilio and TeleSign stand-ins refuse wrong credentials like the real APIs', () => {
    const twilio = simulator.twilioSend(`/twilio/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Messages.json`, { authorization: `Basic ${Buffer.from(`${TWILIO_ACCOUNT_SID}:nope`).toString('base64')}` }, 'To=%2B33612345678&From=%2B13175550100&Body=x');
    expect(twilio.status).toBe(401);
    const telesign = simulator.telesignSend({ authorization: `Basic ${Buffer.from(`${TELESIGN_CUSTOMER_ID}:nope`).toString('base64')}` }, 'phone_number=33612345678&message=x');
    expect(telesign.status).toBe(401);
    expect(simulator.thread.filter((e) => e.direction === 'out')).toEqual([]);
  });
});
