// Where each piece of the local stack listens and keeps its data. Defaults are the DESIGN.md
// contract (7070/7071/7072/10001); every one can be moved by env so a test can run a whole
// stack on free ports next to a developer's `npm start`.
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface StackConfig {
  dataversePort: number;
  functionsPort: number;
  webPort: number;
  azuritePort: number;
  /** stand-in of the ACS SMS endpoint (the SDK wants it at the root of a host) */
  acsPort: number;
  /** the Web PubSub stand-in (live updates to the desk and the widget) */
  webPubSubPort: number;
  webPubSubKey: string;
  /** the Bot Framework Direct Line stand-in (the FAQ bot) and the sample webhook bot */
  directLinePort: number;
  webhookBotPort: number;
  /** SWITCHBOARD_PUSH=off runs the stack without Web PubSub: every client polls (benchmarks compare). */
  push: boolean;
  /** SWITCHBOARD_PRESENCE_GRACE_SECONDS for the functions app (150 when unset); tests shorten it. */
  presenceGraceSeconds?: string;
  dataDir: string;
  /** Fresh data each start (tests): Azurite in memory, emulator on a temp file. */
  ephemeral: boolean;
  /** SWITCHBOARD_BUILD: 'stale' (default) rebuilds what is older than its sources, 'missing' only what was never built, 'none' nothing. */
  build: 'stale' | 'missing' | 'none';
  webhookKey: string;
  functionKey: string;
  appToken: string;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
}

export function stackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  return {
    dataversePort: port(env, 'SWITCHBOARD_DATAVERSE_PORT', 7070),
    functionsPort: port(env, 'SWB_FUNCTIONS_PORT', 7071),
    webPort: port(env, 'SWITCHBOARD_WEB_PORT', 7072),
    azuritePort: port(env, 'SWITCHBOARD_AZURITE_PORT', 10001),
    acsPort: port(env, 'SWITCHBOARD_ACS_STANDIN_PORT', 7073),
    webPubSubPort: port(env, 'SWITCHBOARD_WEBPUBSUB_PORT', 7074),
    directLinePort: port(env, 'SWITCHBOARD_DIRECTLINE_PORT', 7075),
    webhookBotPort: port(env, 'SWITCHBOARD_WEBHOOK_BOT_PORT', 7076),
    push: env['SWITCHBOARD_PUSH'] !== 'off',
    webPubSubKey: env['SWITCHBOARD_WEBPUBSUB_ACCESS_KEY'] ?? 'local-webpubsub-access-key-0123456789',
    ...(env['SWITCHBOARD_PRESENCE_GRACE_SECONDS'] ? { presenceGraceSeconds: env['SWITCHBOARD_PRESENCE_GRACE_SECONDS'] } : {}),
    dataDir: path.resolve(REPO_ROOT, env['SWITCHBOARD_DATA_DIR'] ?? '.data'),
    ephemeral: env['SWITCHBOARD_EPHEMERAL'] === '1',
    build: env['SWITCHBOARD_BUILD'] === 'missing' || env['SWITCHBOARD_BUILD'] === 'none' ? env['SWITCHBOARD_BUILD'] : 'stale',
    webhookKey: env['WEBHOOK_KEY'] ?? 'local-webhook-key-change-me',
    functionKey: env['SWB_FUNCTION_KEY'] ?? 'local-function-key',
    appToken: env['SWITCHBOARD_DATAVERSE_APP_TOKEN'] ?? 'switchboard-dev-app-token',
  };
}

export function urls(c: StackConfig) {
  return {
    dataverse: `http://127.0.0.1:${c.dataversePort}`,
    dataverseApi: `http://127.0.0.1:${c.dataversePort}/api/data/v9.2/`,
    functions: `http://127.0.0.1:${c.functionsPort}`,
    web: `http://127.0.0.1:${c.webPort}`,
    acs: `http://127.0.0.1:${c.acsPort}`,
    webPubSub: `http://127.0.0.1:${c.webPubSubPort}`,
    directLine: `http://127.0.0.1:${c.directLinePort}/v3/directline`,
    webhookBot: `http://127.0.0.1:${c.webhookBotPort}/events`,
  };
}

/** The hub every Switchboard client connects to. */
export const PUSH_HUB = 'switchboard';

/** What the functions app is given to publish through the stand-in. */
export function webPubSubConnectionString(c: StackConfig): string {
  return `Endpoint=http://127.0.0.1:${c.webPubSubPort};AccessKey=${c.webPubSubKey};Version=1.0;`;
}

// Azurite's well-known development account, with the queue endpoint moved to our port.
export function azuriteConnectionString(c: StackConfig): string {
  return [
    'DefaultEndpointsProtocol=http',
    'AccountName=devstoreaccount1',
    'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
    `QueueEndpoint=http://127.0.0.1:${c.azuritePort}/devstoreaccount1`,
  ].join(';');
}
