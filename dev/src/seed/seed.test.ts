// Seeding and step registration run on every `npm start` against a database that survives
// restarts: the second run must change nothing, and agents must work with their own tokens.
import { pluginRegistrations, stepRegistry } from '@switchboard/plugins';
import { metadata } from '@switchboard/solution';
import { createEmulator, type Emulator } from '../dataverse';
import { registerPluginSteps } from '../stack/plugin-steps';
import { AGENTS, CHANNELS, IDS } from './demo-data';
import { seedDemoData } from './seed';

let emulator: Emulator;
let api: string;
const APP = 'switchboard-dev-app-token';

beforeAll(async () => {
  emulator = createEmulator({ metadata, db: ':memory:' });
  api = (await emulator.listen(0)).url;
});
afterAll(async () => {
  await emulator.close();
});

async function get(path: string, token = APP): Promise<{ status: number; body: { value?: Record<string, unknown>[] } & Record<string, unknown> }> {
  const res = await fetch(api + path, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  return { status: res.status, body: (await res.json()) as { value?: Record<string, unknown>[] } };
}

it('seeds the demo organisation once; a second start finds it and writes nothing', async () => {
  const first = await seedDemoData({ apiUrl: api, appToken: APP, webOrigin: 'http://127.0.0.1:7072' });
  expect(first.seeded).toBe(true);
  const version = (await get('swb_chatwidgets?$select=versionnumber')).body.value![0]!['versionnumber'];
  const second = await seedDemoData({ apiUrl: api, appToken: APP, webOrigin: 'http://127.0.0.1:7072' });
  expect(second).toEqual({ seeded: false, rows: 0 });
  expect((await get('swb_chatwidgets?$select=versionnumber')).body.value![0]!['versionnumber']).toBe(version);
  expect((await get('swb_channels?$select=swb_channelid')).body.value!.map((c) => c['swb_channelid']).sort()).toEqual(CHANNELS.map((c) => c.id).sort());
});

// Seeded agents and supervisors are in their column security profile, so they read the secured
// capacity columns: https://learn.microsoft.com/power-apps/developer/data-platform/column-level-security
it('each seeded agent signs in with their dev token, sees their own status row and belongs to their queues', async () => {
  for (const a of AGENTS) {
    const me = await get(`swb_agentstatuses(${a.statusId})?$select=swb_capacitymax`, a.token);
    expect(me.status).toBe(200);
    expect(me.body['swb_capacitymax']).toBe(a.capacityMax);
  }
  for (const a of AGENTS) {
    const profiles = (await get(`systemusers(${a.id})/systemuserprofiles_association?$select=name`)).body.value!.map((p) => p['name']);
    expect({ agent: a.key, profiles }).toEqual({ agent: a.key, profiles: [a.role === 'agent' ? 'Switchboard Agent' : 'Switchboard Supervisor'] });
  }
  const members = (await get(`queues(${IDS.queues.web})/queuemembership_association?$select=systemuserid`)).body.value!.map((u) => u['systemuserid']);
  expect(members.sort()).toEqual(AGENTS.filter((a) => a.queues.includes('web')).map((a) => a.id).sort());
});

it('a start on a database seeded before column security gives the demo agents their profile', async () => {
  const alice = AGENTS.find((a) => a.key === 'alice')!;
  const [profile] = (await get(`systemusers(${alice.id})/systemuserprofiles_association?$select=fieldsecurityprofileid`)).body.value!;
  const unlink = await fetch(`${api}systemusers(${alice.id})/systemuserprofiles_association(${String(profile!['fieldsecurityprofileid'])})/$ref`, { method: 'DELETE', headers: { authorization: `Bearer ${APP}` } });
  expect(unlink.status).toBe(204);
  expect((await get(`swb_agentstatuses(${alice.statusId})?$select=swb_capacitymax`, alice.token)).body['swb_capacitymax']).toBeNull();
  expect(await seedDemoData({ apiUrl: api, appToken: APP, webOrigin: 'http://127.0.0.1:7072' })).toEqual({ seeded: false, rows: 0 });
  expect((await get(`swb_agentstatuses(${alice.statusId})?$select=swb_capacitymax`, alice.token)).body['swb_capacitymax']).toBe(alice.capacityMax);
});

it('registers every plugin step once, pointed at the functions host; a restart on another port only moves the endpoints', async () => {
  // The same registrations plugins/dist/steps.json is built from.
  const manifest = pluginRegistrations(stepRegistry);
  const first = await registerPluginSteps({ apiUrl: api, appToken: APP, manifest, functionsApiBase: 'http://127.0.0.1:7071/api', webhookKey: 'k'.repeat(20) });
  expect(first.stepsCreated).toBeGreaterThan(0);
  const again = await registerPluginSteps({ apiUrl: api, appToken: APP, manifest, functionsApiBase: 'http://127.0.0.1:9999/api', webhookKey: 'k'.repeat(20) });
  expect(again).toMatchObject({ stepsCreated: 0, stepsExisting: first.stepsCreated });
  const endpoints = (await get('serviceendpoints?$select=url,authvalue')).body.value!;
  expect(endpoints.length).toBe(first.endpoints);
  for (const e of endpoints) expect(String(e['url'])).toMatch(/^http:\/\/127\.0\.0\.1:9999\/api\/dataverse\/[a-z-]+$/);
});

it('the widget\'s own waiting note is the only greeting of a queued chat; a database seeded with the old duplicate gets it switched off', async () => {
  const enabled = async () => (await get('swb_automatedmessages?$select=swb_name&$filter=swb_isenabled eq true')).body.value!.map((m) => m['swb_name']);
  // The SMS reply, in English and in French (a French number is answered in French).
  expect((await enabled()).sort()).toEqual(['SMS received', 'SMS reçu']);
  const [retired] = IDS.retiredAutomatedMessages;
  const put = await fetch(`${api}swb_automatedmessages(${retired})`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${APP}`, 'content-type': 'application/json' },
    body: JSON.stringify({ swb_name: 'Chat queued', swb_trigger: 612400001, swb_channeltype: 612400000, swb_text: 'Thanks! An agent will be with you shortly.', swb_isenabled: true }),
  });
  expect(put.status).toBeLessThan(300);
  expect((await enabled()).sort()).toEqual(['Chat queued', 'SMS received', 'SMS reçu']);
  await seedDemoData({ apiUrl: api, appToken: APP, webOrigin: 'http://127.0.0.1:7072' });
  // The SMS reply, in English and in French (a French number is answered in French).
  expect((await enabled()).sort()).toEqual(['SMS received', 'SMS reçu']);
});
