// npm run webpubsub -w dev -- [--port N] [--host H] [--access-key K]
//   [--event-handler HUB=URL_TEMPLATE ...] [--system-events connect,connected,disconnected] [--user-events '*'|a,b]
// Prints the connection string to give the server SDK (the functions app's setting).
import { createWebPubSubStandIn } from './stand-in';
import { SYSTEM_EVENTS, type EventHandlerSettings, type SystemEvent } from './upstream-dispatcher';
import { closeOnSignals, runCli } from '../cli-lifecycle';

function parseArgs(argv: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`Unexpected argument '${a}'`);
    const eq = a.indexOf('=');
    const [key, value] = eq > 0 ? [a.slice(2, eq), a.slice(eq + 1)] : [a.slice(2), argv[++i] ?? ''];
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const known = ['port', 'host', 'access-key', 'event-handler', 'system-events', 'user-events'];
  for (const k of args.keys()) if (!known.includes(k)) throw new Error(`Unknown option --${k} (known: ${known.map((x) => `--${x}`).join(' ')})`);
  const one = (k: string) => args.get(k)?.at(-1);

  const port = Number(one('port') ?? process.env.SWITCHBOARD_WEBPUBSUB_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port takes a port number (0 for any free port)');
  const systemEvents = (one('system-events') ?? 'connected,disconnected').split(',').map((s) => s.trim()).filter(Boolean);
  for (const e of systemEvents) if (!(SYSTEM_EVENTS as readonly string[]).includes(e)) throw new Error(`--system-events: '${e}' is not one of ${SYSTEM_EVENTS.join(', ')}`);
  const userEventsText = one('user-events');
  const userEvents: '*' | string[] = userEventsText === '*' ? '*' : (userEventsText ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const eventHandlers: Record<string, EventHandlerSettings> = {};
  for (const spec of args.get('event-handler') ?? []) {
    const eq = spec.indexOf('=');
    if (eq < 1) throw new Error(`--event-handler takes HUB=URL_TEMPLATE, not '${spec}'`);
    eventHandlers[spec.slice(0, eq)] = { urlTemplate: spec.slice(eq + 1), systemEvents: systemEvents as SystemEvent[], userEvents };
  }

  const standIn = createWebPubSubStandIn({
    accessKey: one('access-key') ?? process.env.SWITCHBOARD_WEBPUBSUB_ACCESS_KEY,
    eventHandlers,
    log: (line) => console.error(`[webpubsub] ${line}`),
  });
  const { url, connectionString } = await standIn.listen(port, one('host') ?? '127.0.0.1');
  console.log(`Web PubSub stand-in: ${url}  (REST ${url}/api/hubs/{hub}/..., clients ${url.replace('http', 'ws')}/client/hubs/{hub})`);
  console.log(`Connection string: ${connectionString}`);
  for (const [hub, h] of Object.entries(eventHandlers)) console.log(`Event handler for hub ${hub}: ${h.urlTemplate} (system: ${h.systemEvents?.join(',') || 'none'}; user: ${h.userEvents === '*' ? '*' : h.userEvents?.join(',') || 'none'})`);

  closeOnSignals(() => standIn.close());
}

runCli(main);
