// The functions app as deployed, in process: the real composition (compose() with the shipped
// service factories) served by the dev host on port 0, against the Dataverse emulator on port 0
// and a private in-memory Azurite (the routing queue). Seeded with one SMS channel per provider,
// a chat widget with one allowed origin, and a contact. The suites attack it over HTTP and read
// the emulator's SQLite directly to prove what was (not) written.
import { randomBytes } from 'node:crypto';
import { metadata, AssignmentMethod, AuthorKind, BasePresence, ChannelType, MessageDirection, Provider, Visibility } from '@switchboard/solution';
import { startAzuriteQueue, type AzuriteQueue } from '@switchboard/functions/queue/azurite.testing';
import { DynamicsWebApi } from 'dynamics-web-api';
import { createEmulator, type Emulator } from '@switchboard/dev/dataverse';
import { startFunctionsHost, type FunctionsDevHost } from '@switchboard/dev/functions-host';

export const PUBLIC_BASE = 'https://swb-security.example.test';
export const ALLOWED_ORIGIN = 'https://shop.example.test';
export const FUNCTION_KEY = 'security-function-key-0001';

// Fresh per run: nothing in the suite may depend on a secret being guessable.
export const SECRETS = {
  WEBHOOK_KEY: `wh-${randomBytes(16).toString('hex')}`,
  CHAT_TOKEN_KEY: randomBytes(32).toString('hex'),
  SWITCHBOARD_ADMIN_KEY: `admin-${randomBytes(16).toString('hex')}`,
  SWB_SEC_TWILIO_TOKEN: randomBytes(16).toString('hex'),
  SWB_SEC_TELESIGN_APIKEY: randomBytes(32).toString('base64'),
  // Never used to send here; a syntactically valid connection string to a closed port.
  SWB_SEC_ACS_CONNECTION: `endpoint=http://127.0.0.1:9/;accesskey=${randomBytes(32).toString('base64')}`,
  SWB_SEC_ACS_EVENTGRID_KEY: randomBytes(24).toString('hex'),
};

export const TWILIO_SID = 'AC5ec0000000000000000000000000001';
export const TELESIGN_CUSTOMER = '5EC00000-SECU-4000-8000-000000000001';

export interface Seeded {
  twilio: string;
  telesign: string;
  acs: string;
  widget: string;
  contact: string;
  numbers: { twilio: string; telesign: string; acs: string };
}

export interface WriteCounts {
  swb_message: number;
  swb_conversation: number;
  swb_optout: number;
  /** Dataverse's database-wide rowversion: any write anywhere moves it. */
  version: number;
}

export interface SecurityStack {
  emulator: Emulator;
  host: FunctionsDevHost;
  azurite: AzuriteQueue;
  api: DynamicsWebApi;
  baseUrl: string;
  seeded: Seeded;
  counts(): WriteCounts;
  /** Another functions host on the same emulator and queue, with some settings changed (stopped with the stack). */
  startHost(overrides: Record<string, string>): Promise<FunctionsDevHost>;
  stop(): Promise<void>;
}

async function seed(api: DynamicsWebApi): Promise<Seeded> {
  const create = async (collection: string, data: Record<string, unknown>) => (await api.create({ collection, data })) as string;
  const queue = await create('queues', { name: 'Security', swb_priority: 10, swb_assignmentmethod: AssignmentMethod.HighestCapacity });
  const ws = (type: ChannelType, name: string) =>
    create('swb_workstreams', {
      swb_name: name,
      swb_channeltype: type,
      swb_capacityunits: 1,
      swb_offertimeoutseconds: 60,
      swb_allowedpresences: `${BasePresence.Available},${BasePresence.Busy}`,
      'swb_fallbackqueueid@odata.bind': `/queues(${queue})`,
    });
  const chatWs = await ws(ChannelType.LiveChat, 'Security chat');
  const smsWs = await ws(ChannelType.Sms, 'Security SMS');
  const numbers = { twilio: '+13175550100', telesign: '+33757000100', acs: '+447700900100' };
  const channel = (name: string, provider: Provider, number: string, extra: Record<string, unknown>) =>
    create('swb_channels', {
      swb_name: name,
      swb_channeltype: ChannelType.Sms,
      swb_provider: provider,
      swb_phonenumber: number,
      swb_isenabled: true,
      'swb_workstreamid@odata.bind': `/swb_workstreams(${smsWs})`,
      ...extra,
    });
  const twilio = await channel('Twilio', Provider.Twilio, numbers.twilio, { swb_accountid: TWILIO_SID, swb_secretsettingname: 'SWB_SEC_TWILIO_TOKEN', swb_defaultregion: 'US' });
  const telesign = await channel('TeleSign', Provider.TeleSign, numbers.telesign, { swb_accountid: TELESIGN_CUSTOMER, swb_secretsettingname: 'SWB_SEC_TELESIGN_APIKEY', swb_defaultregion: 'FR' });
  const acs = await channel('ACS', Provider.Acs, numbers.acs, { swb_secretsettingname: 'SWB_SEC_ACS_CONNECTION', swb_callbacksecretsettingname: 'SWB_SEC_ACS_EVENTGRID_KEY', swb_defaultregion: 'GB' });
  const widget = await create('swb_chatwidgets', {
    swb_name: 'Security widget',
    swb_allowedorigins: ALLOWED_ORIGIN,
    swb_prechatquestions: JSON.stringify([
      { id: 'firstname', type: 'text', required: true, contactField: 'firstname', label: { 1033: 'First name' } },
      { id: 'email', type: 'email', required: true, contactField: 'emailaddress1', label: { 1033: 'Email' } },
    ]),
    swb_defaultlocale: 'en',
    swb_isenabled: true,
    'swb_workstreamid@odata.bind': `/swb_workstreams(${chatWs})`,
  });
  const contact = await create('contacts', { firstname: 'Camille', lastname: 'Bernard', emailaddress1: 'camille@example.com', mobilephone: '+13175550147' });
  return { twilio, telesign, acs, widget, contact, numbers };
}

export async function startSecurityStack(): Promise<SecurityStack> {
  const emulator = createEmulator({ metadata, db: ':memory:' });
  await emulator.listen(0);
  const serverUrl = emulator.url.replace('/api/data/v9.2/', '');
  let azurite: AzuriteQueue | undefined;
  try {
    azurite = await startAzuriteQueue();
    const api = new DynamicsWebApi({ serverUrl, dataApi: { version: '9.2' }, onTokenRefresh: async () => emulator.appToken, propagateErrors: true });
    const seeded = await seed(api);
    const settings = {
      ...SECRETS,
      DATAVERSE_URL: serverUrl,
      DATAVERSE_AUTH: 'static-token',
      DATAVERSE_STATIC_TOKEN: emulator.appToken,
      AzureWebJobsStorage: azurite.connectionString,
      PUBLIC_BASE_URL: PUBLIC_BASE,
      SWB_ROUTING_QUEUE: 'swb-routing',
      // The suites play a CDN in front of the app (Front Door), which appends the client's
      // address; the dev host then appends the suite's own, as Azure's front end would. So the
      // app trusts two hops, and each attack can speak for many "clients" without forging.
      SWITCHBOARD_TRUSTED_PROXY_HOPS: '2',
    };
    const host = await startFunctionsHost({ port: 0, settings, functionKey: FUNCTION_KEY, enableQueues: false, enableTimers: false, log: () => undefined });
    const extraHosts: FunctionsDevHost[] = [];
    const countOf = (table: string) => (emulator.store.reader.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    const az = azurite;
    return {
      emulator,
      host,
      azurite: az,
      api,
      baseUrl: host.url,
      seeded,
      counts: () => ({
        swb_message: countOf('swb_message'),
        swb_conversation: countOf('swb_conversation'),
        swb_optout: countOf('swb_optout'),
        version: Number((emulator.store.reader.prepare(`SELECT value FROM _emu_meta WHERE key = 'version'`).get() as { value: string } | undefined)?.value ?? 0),
      }),
      async startHost(overrides: Record<string, string>) {
        const extra = await startFunctionsHost({ port: 0, settings: { ...settings, ...overrides }, functionKey: FUNCTION_KEY, enableQueues: false, enableTimers: false, log: () => undefined });
        extraHosts.push(extra);
        return extra;
      },
      async stop() {
        for (const extra of extraHosts) await extra.stop();
        await host.stop();
        await az.stop();
        await emulator.close();
      },
    };
  } catch (err) {
    await azurite?.stop();
    await emulator.close();
    throw err;
  }
}

/** An internal note and a public agent message on a conversation, written as Dataverse would store them. */
export async function seedAgentMessages(api: DynamicsWebApi, conversationId: string, note: string, reply: string): Promise<void> {
  const base = { 'swb_conversationid@odata.bind': `/swb_conversations(${conversationId})`, swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Agent };
  await api.create({ collection: 'swb_messages', data: { ...base, swb_body: note, swb_visibility: Visibility.Internal, swb_sequence: 900 } });
  await api.create({ collection: 'swb_messages', data: { ...base, swb_body: reply, swb_visibility: Visibility.Public, swb_sequence: 901, swb_authorname: 'Agent' } });
}
