// npm run configure against the Dataverse emulator over HTTP: the solution's webhook components are
// put in place the way an import would (endpoints with the packer's placeholder URL, the table
// steps), then the script is run as an admin would run it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamicsWebApi } from 'dynamics-web-api';
import { metadata, processingStepRow, type PluginRegistrations } from '@switchboard/solution';
import { runConfigure } from '@switchboard/solution/configure/cli';
import { endpointId, stepId } from '@switchboard/solution/pack/customizations.emitter';
import { endpointUrl } from '@switchboard/solution/pack/functions-url';
import { PLACEHOLDER_FUNCTIONS_BASE_URL } from '@switchboard/solution/pack/packer';
import { TABLELESS_MESSAGES } from '@switchboard/solution/pack/plugin-steps';
import { pluginRegistrations, stepRegistry } from '@switchboard/plugins';
import { APP_USER_ID, createEmulator, type Emulator } from '../dataverse';

const registrations: PluginRegistrations = pluginRegistrations(stepRegistry);
const KEY = 'k3y-Only-The-Functions-App-Knows-0123456789';
const FUNCTIONS = 'https://contoso-switchboard.azurewebsites.net';
const tableless = registrations.steps.filter((s) => TABLELESS_MESSAGES.includes(s.message));

let repoRoot: string;
beforeAll(() => {
  repoRoot = mkdtempSync(join(tmpdir(), 'swb-configure-'));
  mkdirSync(join(repoRoot, 'plugins', 'dist'), { recursive: true });
  writeFileSync(join(repoRoot, 'plugins', 'dist', 'steps.json'), JSON.stringify(registrations));
});
afterAll(() => rmSync(repoRoot, { recursive: true, force: true }));

interface Env {
  emu: Emulator;
  api: DynamicsWebApi;
  origin: string;
}

async function environment(imported: boolean): Promise<Env> {
  const emu = createEmulator({ metadata, db: ':memory:' });
  await emu.listen(0);
  const origin = emu.url.replace('/api/data/v9.2/', '');
  const api = new DynamicsWebApi({ serverUrl: origin, dataApi: { version: '9.2' }, onTokenRefresh: async () => emu.appToken, propagateErrors: true });
  if (imported) await importSolution(api);
  return { emu, api, origin };
}

/** What importing the packed solution creates: endpoints (placeholder URL, no key) and the steps on tables. */
async function importSolution(api: DynamicsWebApi): Promise<void> {
  for (const e of registrations.serviceEndpoints) {
    await api.create({
      collection: 'serviceendpoints',
      data: { serviceendpointid: endpointId(e.name), name: e.name, contract: 8, authtype: 4, messageformat: 2, url: endpointUrl(e.url, PLACEHOLDER_FUNCTIONS_BASE_URL), description: e.description ?? null },
    });
  }
  for (const s of registrations.steps.filter((x) => !TABLELESS_MESSAGES.includes(x.message))) {
    const [message] = (await api.retrieveMultiple({ collection: 'sdkmessages', filter: `name eq '${s.message}'`, select: ['sdkmessageid'] })).value;
    const [filter] = (await api.retrieveMultiple({ collection: 'sdkmessagefilters', filter: `_sdkmessageid_value eq ${message.sdkmessageid} and primaryobjecttypecode eq '${s.primaryTable}'`, select: ['sdkmessagefilterid'] })).value;
    await api.create({
      collection: 'sdkmessageprocessingsteps',
      data: { sdkmessageprocessingstepid: stepId(s.name), ...processingStepRow(s, { messageId: message.sdkmessageid, filterId: filter.sdkmessagefilterid, endpointId: endpointId(s.serviceEndpoint) }) },
    });
  }
}

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runConfigure(argv, env, { log: (l) => out.push(l), error: (l) => err.push(l) }, { repoRoot, getToken: async () => { throw new Error('tests pass --token'); }, timeoutMs: 5_000 });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const endpoints = async (api: DynamicsWebApi) =>
  (await api.retrieveMultiple<{ serviceendpointid: string; url: string; authvalue: string | null; versionnumber: number }>({ collection: 'serviceendpoints', select: ['serviceendpointid', 'url', 'authvalue', 'versionnumber'] })).value;
const step = async (api: DynamicsWebApi, name: string) =>
  api.retrieve<{ _sdkmessageid_value: string; _eventhandler_value: string }>({ collection: 'sdkmessageprocessingsteps', key: stepId(name), select: ['_sdkmessageid_value', '_eventhandler_value'] }).catch(() => null);

describe('npm run configure against an environment the solution was imported into', () => {
  let env: Env;
  beforeAll(async () => {
    env = await environment(true);
  });
  afterAll(() => env.emu.close());

  it('moves the endpoints to the functions app, sets the webhook key, registers Associate/Disassociate, and prints neither key nor token', async () => {
    expect([...new Set(tableless.map((s) => s.message))].sort()).toEqual(['Associate', 'Disassociate']);
    const r = await run(['--environment', env.origin, '--functions-url', FUNCTIONS, '--token', env.emu.appToken], { SWITCHBOARD_WEBHOOK_KEY: KEY });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const e of await endpoints(env.api)) {
      expect(e.url).toMatch(/^https:\/\/contoso-switchboard\.azurewebsites\.net\/api\/dataverse\/[a-z-]+$/);
      expect(e.authvalue).toBe(KEY);
    }
    for (const s of tableless) {
      const [message] = (await env.api.retrieveMultiple({ collection: 'sdkmessages', filter: `name eq '${s.message}'`, select: ['sdkmessageid'] })).value;
      const row = await step(env.api, s.name);
      expect(row?._sdkmessageid_value).toBe(message.sdkmessageid);
      expect(row?._eventhandler_value).toBe(endpointId(s.serviceEndpoint));
      expect(r.out).toContain(`step '${s.name}': registered on ${s.message}`);
    }
    expect(r.out).toContain(`Result: ${registrations.serviceEndpoints.length * 2 + tableless.length} change(s) made.`);
    expect(r.out).toContain("ok      role 'Switchboard Agent'");
    expect(r.out).not.toContain(KEY);
    expect(r.out).not.toContain(env.emu.appToken);
  });

  it('a second run with the same input changes nothing, and says so', async () => {
    const before = await endpoints(env.api);
    const r = await run(['--environment', env.origin, '--functions-url', FUNCTIONS, '--token', env.emu.appToken], { SWITCHBOARD_WEBHOOK_KEY: KEY });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Result: nothing to change: everything was already in place.');
    expect(r.out).not.toMatch(/^ {2}done/m);
    expect(await endpoints(env.api)).toEqual(before);
  });

  it("puts the functions app's application user in the Administrator column-security profile, once", async () => {
    const appId = '0a7e0005-0000-4000-8000-000000000001'; // the emulator's application user's application id
    const first = await run(['--environment', env.origin, '--token', env.emu.appToken, '--app-user', appId], { SWITCHBOARD_WEBHOOK_KEY: KEY });
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/done {4}application user '# Switchboard application': added to the 'Switchboard Administrator' column-security profile/);
    const profiles = await env.api.retrieve<{ systemuserprofiles_association: { fieldsecurityprofileid: string }[] }>({
      collection: 'systemusers', key: APP_USER_ID, select: ['systemuserid'], expand: [{ property: 'systemuserprofiles_association', select: ['fieldsecurityprofileid'] }],
    });
    expect(profiles.systemuserprofiles_association.map((p) => p.fieldsecurityprofileid)).toEqual([metadata.fieldSecurityProfiles.find((p) => p.name === 'Switchboard Administrator')!.id]);
    const again = await run(['--environment', env.origin, '--token', env.emu.appToken, '--app-user', APP_USER_ID], { SWITCHBOARD_WEBHOOK_KEY: KEY });
    expect(again.out).toContain('Result: nothing to change');
    const unknown = await run(['--environment', env.origin, '--token', env.emu.appToken, '--app-user', '11111111-2222-4333-8444-555555555555'], { SWITCHBOARD_WEBHOOK_KEY: KEY });
    expect([unknown.code, unknown.out]).toEqual([1, expect.stringMatching(/PROBLEM application user '11111111-2222-4333-8444-555555555555': no single user/)]);
  });

  it('a new key is set again, without printing it', async () => {
    const r = await run(['--environment', env.origin, '--token', env.emu.appToken, '--webhook-key', `${KEY}-rotated`]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Result: ${registrations.serviceEndpoints.length} change(s) made.`);
    expect((await endpoints(env.api)).every((e) => e.authvalue === `${KEY}-rotated`)).toBe(true);
    expect(r.out).not.toContain(KEY);
  });
});

describe('npm run configure --dry-run', () => {
  let env: Env;
  beforeAll(async () => {
    env = await environment(true);
  });
  afterAll(() => env.emu.close());

  it('reports what it would change and writes nothing', async () => {
    const before = await endpoints(env.api);
    const r = await run(['--environment', env.origin, '--functions-url', FUNCTIONS, '--token', env.emu.appToken, '--dry-run'], { SWITCHBOARD_WEBHOOK_KEY: KEY });
    expect(r.code).toBe(0);
    expect(r.out).toContain('(dry run: nothing is written)');
    expect(r.out).toContain(`Result: ${registrations.serviceEndpoints.length * 2 + tableless.length} change(s) would be made.`);
    expect(r.out).toMatch(/^ {2}would {3}step 'Associate post-operation: routing-config': registered on Associate/m);
    expect(await endpoints(env.api)).toEqual(before);
    for (const s of tableless) expect(await step(env.api, s.name)).toBeNull();
  });
});

describe('npm run configure refuses, with a sentence saying why', () => {
  it('without --environment', async () => {
    const r = await run(['--functions-url', FUNCTIONS]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^configure: --environment is required: the address of the environment the solution was imported into/);
  });

  it('when the environment cannot be reached', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await run(['--environment', `http://127.0.0.1:${port}`, '--token', 'whatever']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`configure: cannot reach http://127.0.0.1:${port} (ECONNREFUSED): check --environment, the network and the proxy`);
  });

  it('when the token is refused', async () => {
    const env = await environment(true);
    try {
      const r = await run(['--environment', env.origin, '--token', 'not-a-token']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/refused the token \(401\): sign in again \(az login\) or pass a fresh --token/);
    } finally {
      await env.emu.close();
    }
  });

  it('when the solution was not imported: each missing endpoint and step is named, and nothing is created', async () => {
    const env = await environment(false);
    try {
      const r = await run(['--environment', env.origin, '--functions-url', FUNCTIONS, '--token', env.emu.appToken]);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`PROBLEM endpoint '${registrations.serviceEndpoints[0]!.name}'`);
      expect(r.out).toContain('Import the Switchboard solution first.');
      expect(r.out).toContain(`PROBLEM step '${tableless[0]!.name}': cannot be registered before its endpoint`);
      expect(await endpoints(env.api)).toEqual([]);
      for (const s of tableless) expect(await step(env.api, s.name)).toBeNull();
    } finally {
      await env.emu.close();
    }
  });

  it('with an http functions address or an unknown option', async () => {
    expect((await run(['--environment', 'https://contoso.crm.dynamics.com', '--functions-url', 'http://contoso.example.com'])).err).toMatch(/must use https: Dataverse sends the webhook key in the URL/);
    expect((await run(['--environment', 'https://contoso.crm.dynamics.com', '--functions-uri', FUNCTIONS])).err).toMatch(/unknown argument '--functions-uri'/);
  });
});

