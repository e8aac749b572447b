import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildBundle } from '../scripts/build';

// Loads the deployable bundle the way the Azure Node worker does: with a stand-in for the
// worker-injected @azure/functions-core module that records every registerFunction call.
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-bundle-'));
  const core = path.join(dir, 'node_modules', '@azure', 'functions-core');
  fs.mkdirSync(core, { recursive: true });
  fs.writeFileSync(
    path.join(core, 'index.js'),
    `globalThis.__registered = [];
     module.exports = {
       setProgrammingModel() {},
       registerFunction(metadata) { globalThis.__registered.push(metadata); return { dispose() {} }; },
       registerHook() { return { dispose() {} }; },
       log() {},
     };`,
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the bundle registers every function with the worker when loaded as the app entry point', async () => {
  const { outfile, bytes } = await buildBundle(path.join(dir, 'dist', 'main.js'));
  expect(bytes).toBeGreaterThan(0);
  const out = execFileSync(process.execPath, ['-e', `require(${JSON.stringify(outfile)}); console.log(JSON.stringify(globalThis.__registered))`], {
    cwd: dir,
    env: {
      PATH: process.env['PATH'],
      DATAVERSE_URL: 'https://contoso.crm.dynamics.com',
      DATAVERSE_AUTH: 'managed-identity',
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      WEBHOOK_KEY: 'x'.repeat(24),
      PUBLIC_BASE_URL: 'https://swb.example.com',
    },
    encoding: 'utf8',
  });
  const registered = JSON.parse(out.trim().split('\n').pop()!) as { name: string; bindings: Record<string, Record<string, unknown>> }[];
  const byName = new Map(registered.map((r) => [r.name, Object.values(r.bindings).find((b) => b['direction'] === 'in')]));
  expect(byName.get('sms-twilio-inbound')).toMatchObject({ type: 'httpTrigger', route: 'sms/twilio/{channelId}', methods: ['POST'], authLevel: 'anonymous' });
  expect(byName.get('sms-validate')).toMatchObject({ type: 'httpTrigger', authLevel: 'function' });
  expect(byName.get('routing-worker')).toMatchObject({ type: 'queueTrigger', queueName: 'swb-routing', connection: 'AzureWebJobsStorage' });
  expect(byName.get('admin-broadcasts')).toMatchObject({ type: 'httpTrigger', authLevel: 'function' });
  expect(byName.get('bot-callback')).toMatchObject({ type: 'httpTrigger', authLevel: 'anonymous', route: 'bots/{botId}/conversations/{id}/{action}' });
  expect(byName.get('insights-fold')).toMatchObject({ type: 'timerTrigger', schedule: '0 */5 * * * *' });
  expect(registered).toHaveLength(20);
}, 60_000);

test('the bundle refuses to start with missing settings and names them', async () => {
  const { outfile } = await buildBundle(path.join(dir, 'dist2', 'main.js'));
  let stderr = '';
  try {
    execFileSync(process.execPath, ['-e', `require(${JSON.stringify(outfile)})`], { cwd: dir, env: { PATH: process.env['PATH'] }, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    stderr = String((err as { stderr?: string }).stderr);
  }
  expect(stderr).toContain('DATAVERSE_URL is required');
  expect(stderr).toContain('WEBHOOK_KEY is required');
}, 60_000);
