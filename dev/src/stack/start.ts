// `npm start`: builds what is stale, starts Azurite, the Dataverse emulator, the functions dev
// host and the :7072 web server, seeds the demo organisation, registers the plugin steps, and
// prints the URLs. Ctrl-C (or SIGTERM) stops every process it started.
import fs from 'node:fs';
import path from 'node:path';
import { APP_USER_ID } from '../dataverse';
import { ACS_ACCESS_KEY, BOT_SECRETS, IDS } from '../seed/demo-data';
import { seedDemoData } from '../seed/seed';
import { demoSecrets } from '../web/phone-simulator';
import { startWebServer, type WebServer } from '../web/server';
import { buildStale } from './build';
import { azuriteConnectionString, PUSH_HUB, REPO_ROOT, stackConfig, urls, webPubSubConnectionString } from './config';
import { isRoutine } from './log-filter';
import { registerPluginSteps, webhookRouteWired } from './plugin-steps';
import { httpReady, Supervisor, tcpReady } from './supervisor';

const started = Date.now();
const log = (line: string) => process.stdout.write(`${line}\n`);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const bin = (name: string) => path.join(REPO_ROOT, 'node_modules', '.bin', name);

async function main(): Promise<void> {
  const config = stackConfig();
  const u = urls(config);
  // What happens all the time would bury what matters: the sweeper's uneventful runs, the
  // widget's polls and CORS preflights that succeed, the start-up wiring probe, the favicon.
  const supervisor = new Supervisor({ log: (line) => isRoutine(line) || log(line) });
  let web: WebServer | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (code: number) => {
    stopping ??= (async () => {
      log('[stack] stopping…');
      await web?.close();
      await supervisor.stopAll();
      log('[stack] stopped');
      process.exit(code);
    })();
    return stopping;
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    if (config.build !== 'none') {
      const b = buildStale(log, config.build);
      log(`[build] ${b.built.length ? `built ${b.built.join(', ')}` : 'everything up to date'} (${(b.ms / 1000).toFixed(1)} s)`);
    }
    fs.mkdirSync(config.dataDir, { recursive: true });

    await supervisor.start({
      name: 'azurite',
      command: bin('azurite-queue'),
      args: [
        '--queueHost', '127.0.0.1', '--queuePort', String(config.azuritePort), '--disableTelemetry', '--skipApiVersionCheck', '--silent',
        ...(config.ephemeral ? ['--inMemoryPersistence'] : ['--location', path.join(config.dataDir, 'azurite')]),
      ],
      ready: tcpReady('127.0.0.1', config.azuritePort),
    });

    const db = config.ephemeral ? ':memory:' : path.join(config.dataDir, 'dataverse.sqlite');
    await supervisor.start({
      name: 'dataverse',
      command: bin('tsx'),
      args: ['dev/src/dataverse/cli.ts', '--port', String(config.dataversePort), '--db', db, '--app-token', config.appToken],
      cwd: REPO_ROOT,
      ready: httpReady(`${u.dataverseApi}WhoAmI`, { headers: { authorization: `Bearer ${config.appToken}` } }),
    });

    const seeded = await seedDemoData({
      apiUrl: u.dataverseApi,
      appToken: config.appToken,
      webOrigin: u.web,
      bots: { directLineUrl: u.directLine, webhookBotUrl: u.webhookBot },
      log: (l) => log(`[seed] ${l}`),
    });
    log(seeded.seeded ? `[seed] demo data written (${seeded.rows} rows)` : '[seed] demo data already present');

    // Live updates: the stand-in tells the functions app when a connection closes (presence) and
    // when an agent types (told to the customer).
    if (config.push) await supervisor.start({
      name: 'webpubsub',
      command: bin('tsx'),
      args: [
        'dev/src/webpubsub/cli.ts', '--port', String(config.webPubSubPort), '--access-key', config.webPubSubKey,
        '--event-handler', `${PUSH_HUB}=${u.functions}/api/push/events`, '--system-events', 'disconnected', '--user-events', 'typing,sent',
      ],
      cwd: REPO_ROOT,
      ready: tcpReady('127.0.0.1', config.webPubSubPort),
    });

    // Bots at the front door: the FAQ bot behind a Direct Line stand-in, and the sample webhook
    // bot, which calls the functions app back (signed) under its bot row's id.
    await supervisor.start({
      name: 'directline',
      command: bin('tsx'),
      args: ['dev/src/directline/cli.ts', '--port', String(config.directLinePort), '--secret', BOT_SECRETS.SWB_BOT_FAQ_DIRECTLINE_SECRET],
      cwd: REPO_ROOT,
      ready: tcpReady('127.0.0.1', config.directLinePort),
    });
    await supervisor.start({
      name: 'webhook-bot',
      command: bin('tsx'),
      args: ['dev/src/webhook-bot/cli.ts', '--port', String(config.webhookBotPort), '--bot-id', IDS.bots.webhook, '--secret', BOT_SECRETS.SWB_BOT_WEBHOOK_SECRET, '--switchboard-url', u.functions],
      cwd: REPO_ROOT,
      ready: tcpReady('127.0.0.1', config.webhookBotPort),
    });

    const secrets = { ...demoSecrets(`endpoint=${u.acs}/;accesskey=${ACS_ACCESS_KEY}`), ...BOT_SECRETS };
    await supervisor.start({
      name: 'functions',
      command: bin('tsx'),
      args: ['dev/src/functions-host/cli.ts', '--port', String(config.functionsPort), '--function-key', config.functionKey],
      cwd: REPO_ROOT,
      env: {
        DATAVERSE_URL: u.dataverse,
        DATAVERSE_AUTH: 'static-token',
        DATAVERSE_STATIC_TOKEN: config.appToken,
        AzureWebJobsStorage: azuriteConnectionString(config),
        WEBHOOK_KEY: config.webhookKey,
        PUBLIC_BASE_URL: u.functions,
        SWB_ROUTING_QUEUE: 'swb-routing',
        CHAT_TOKEN_KEY: 'local-chat-token-key-0123456789abcdef',
        SWITCHBOARD_ADMIN_KEY: 'local-admin-key-0123456789',
        SWITCHBOARD_DEFAULT_REGION: 'FR',
        // The application user's reassignments (routing, offer acceptance) are not transfers.
        SWITCHBOARD_APP_USER_ID: APP_USER_ID,
        SWITCHBOARD_TWILIO_API_BASE_URL: `${u.web}/twilio`,
        SWITCHBOARD_TELESIGN_API_BASE_URL: `${u.web}/telesign`,
        ...(config.push ? { SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING: webPubSubConnectionString(config), SWITCHBOARD_WEBPUBSUB_HUB: PUSH_HUB } : {}),
        ...(config.presenceGraceSeconds ? { SWITCHBOARD_PRESENCE_GRACE_SECONDS: config.presenceGraceSeconds } : {}),
        ...secrets,
      },
      ready: httpReady(`${u.functions}/api/health`),
      readyTimeoutMs: 90_000,
    });

    if (await webhookRouteWired(u.functions, config.webhookKey)) {
      const r = await registerPluginSteps({
        apiUrl: u.dataverseApi,
        appToken: config.appToken,
        stepsFile: path.join(REPO_ROOT, 'plugins', 'dist', 'steps.json'),
        functionsApiBase: `${u.functions}/api`,
        webhookKey: config.webhookKey,
      });
      log(`[steps] ${r.endpoints} webhook endpoints → ${u.functions}/api/dataverse/…, ${r.stepsCreated} steps registered, ${r.stepsExisting} already there`);
      for (const [name, why] of Object.entries(r.skipped)) log(`[steps] skipped "${name}": ${why}`);
    } else {
      log('[steps] NOT registered: the functions app answers 501 on /api/dataverse/{step} (its PluginWebhookService is not plugged in yet); rows change without plugin steps');
    }

    web = await startWebServer({
      port: config.webPort,
      functionsUrl: u.functions,
      publicBaseUrl: u.functions,
      dataverseApi: u.dataverseApi,
      secrets,
      acsAccessKey: ACS_ACCESS_KEY,
      acsPort: config.acsPort,
      cacheDir: path.join(REPO_ROOT, '.data', 'cache'),
      log: (l) => log(`[web] ${l}`),
    });

    log('');
    log(`Switchboard is running (ready in ${elapsed()}):`);
    log(`  agent workspace   ${u.web}/workspace            (two agents side by side; one: ${u.web}/workspace/agent?agent=alice)`);
    log(`  widget demo       ${u.web}/shop   (bot first: ${u.web}/help)`);
    log(`  phone simulator   ${u.web}/phone`);
    log(`  functions         ${u.functions}/api/health`);
    log(`  Dataverse         ${u.dataverseApi}   (app token ${config.appToken}; agents: dev:alice@switchboard.dev …)`);
    log(`  Azurite queues    http://127.0.0.1:${config.azuritePort}`);
    log(`  SMS provider stand-ins: Twilio ${u.web}/twilio, TeleSign ${u.web}/telesign, ACS ${u.acs}`);
    log(config.push ? `  Web PubSub stand-in ${u.webPubSub}   (hub ${PUSH_HUB}; events to ${u.functions}/api/push/events)` : '  Web PubSub        off (SWITCHBOARD_PUSH=off): every desk and widget polls');
    log(`  bots              FAQ bot over Direct Line ${u.directLine}; sample webhook bot ${u.webhookBot}`);
    log(`[stack] pids ${supervisor.pids.join(' ')}`);
    log(`[stack] ready in ${elapsed()}  — Ctrl-C stops everything`);
  } catch (err) {
    log(`[stack] failed: ${(err as Error).message}`);
    await stop(1);
  }
}

void main();
