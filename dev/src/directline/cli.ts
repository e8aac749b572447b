// npx tsx dev/src/directline/cli.ts [--port 0] [--host 127.0.0.1] [--secret S] [--omnichannel-secret S] [--token-lifetime 3600] [--mode up|down|silent|slow:<ms>]
// Starts the Direct Line stand-in with the FAQ bot twice, once per hand-off shape, and prints
// what a client needs: the domain and the secrets.
import { parseArgs } from 'node:util';
import { parseBotMode } from './bot';
import { createDirectLineStandIn, HOOKS_PREFIX } from './directline.stand-in';
import { createFaqBot } from './faq.bot';
import { closeOnSignals, runCli } from '../cli-lifecycle';

const DEFAULT_SECRET = 'faq-bot-dev-secret';
const DEFAULT_OMNICHANNEL_SECRET = 'faq-bot-omnichannel-dev-secret';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      secret: { type: 'string' },
      'omnichannel-secret': { type: 'string' },
      'token-lifetime': { type: 'string' },
      mode: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`Bot Framework Direct Line 3.0 stand-in with the FAQ bot.
  --port N                listen port (env SWITCHBOARD_DIRECTLINE_PORT, default 0 = any free port)
  --host ADDR             listen address (default 127.0.0.1)
  --secret S              secret of faq-bot, Copilot Studio hand-off (env SWITCHBOARD_DIRECTLINE_SECRET, default ${DEFAULT_SECRET})
  --omnichannel-secret S  secret of faq-bot-omnichannel, Omnichannel hand-off (env SWITCHBOARD_DIRECTLINE_OMNICHANNEL_SECRET, default ${DEFAULT_OMNICHANNEL_SECRET})
  --token-lifetime S      seconds a conversation token lives (default 3600)
  --mode M                both bots start up, down, silent or slow:<ms> (default up)`);
    return;
  }
  const port = Number(values.port ?? process.env['SWITCHBOARD_DIRECTLINE_PORT'] ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${values.port}`);
  const tokenLifetimeSeconds = Number(values['token-lifetime'] ?? 3600);
  if (!Number.isInteger(tokenLifetimeSeconds) || tokenLifetimeSeconds < 1) throw new Error(`invalid token lifetime: ${values['token-lifetime']}`);
  const secret = values.secret ?? process.env['SWITCHBOARD_DIRECTLINE_SECRET'] ?? DEFAULT_SECRET;
  const omnichannelSecret = values['omnichannel-secret'] ?? process.env['SWITCHBOARD_DIRECTLINE_OMNICHANNEL_SECRET'] ?? DEFAULT_OMNICHANNEL_SECRET;
  const bots = [
    { id: 'faq-bot', name: 'Switchboard FAQ', secrets: [secret], bot: createFaqBot({ shape: 'copilot-studio' }) },
    { id: 'faq-bot-omnichannel', name: 'Switchboard FAQ (Omnichannel)', secrets: [omnichannelSecret], bot: createFaqBot({ shape: 'omnichannel' }) },
  ];
  const standIn = createDirectLineStandIn({ bots, tokenLifetimeSeconds, log: (line) => console.error(`[directline] ${line}`) });
  if (values.mode) for (const b of bots) standIn.setBotMode(b.id, parseBotMode(values.mode));
  const { url } = await standIn.listen(port, values.host ?? '127.0.0.1');
  const origin = new URL(url).origin;
  // one write, so whoever reads the first line (the stack) gets the rest with it
  console.log(
    [
      `Direct Line stand-in: ${url}`,
      `  faq-bot              Copilot Studio hand-off (handoff.initiate)   secret ${secret}`,
      `  faq-bot-omnichannel  Omnichannel hand-off (channelData.tags)      secret ${omnichannelSecret}`,
      `  hooks: GET ${origin}${HOOKS_PREFIX}/stats, PUT ${origin}${HOOKS_PREFIX}/bots/<bot>/mode  (Authorization: Bearer <that bot's secret>)`,
    ].join('\n'),
  );
  closeOnSignals(() => standIn.close());
}

runCli(main);
