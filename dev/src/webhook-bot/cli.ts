// npx tsx dev/src/webhook-bot/cli.ts [--port 0] [--host 127.0.0.1] [--bot-id faq-webhook-bot] [--secret S] [--switchboard-url http://127.0.0.1:7071] [--mode up|down|silent|slow:<ms>]
// Starts the sample webhook bot and prints where Switchboard should post events and the secret.
import { parseArgs } from 'node:util';
import { parseBotMode } from '../directline/bot';
import { createWebhookBot } from './webhook-bot.stand-in';
import { closeOnSignals, runCli } from '../cli-lifecycle';

const DEFAULT_BOT_ID = 'faq-webhook-bot';
const DEFAULT_SECRET = 'webhook-bot-dev-secret';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'bot-id': { type: 'string' },
      secret: { type: 'string' },
      'switchboard-url': { type: 'string' },
      mode: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`Sample webhook bot for Switchboard (FAQ answers, hand-off on "agent").
  --port N               listen port (env SWITCHBOARD_WEBHOOK_BOT_PORT, default 0 = any free port)
  --host ADDR            listen address (default 127.0.0.1)
  --bot-id ID            the bot's id in Switchboard's callback URLs (default ${DEFAULT_BOT_ID})
  --secret S             shared signing secret (env SWITCHBOARD_WEBHOOK_BOT_SECRET, default ${DEFAULT_SECRET})
  --switchboard-url URL  functions app base (default http://127.0.0.1:$SWB_FUNCTIONS_PORT, 7071)
  --mode M               up, down, silent or slow:<ms> (default up)`);
    return;
  }
  const port = Number(values.port ?? process.env['SWITCHBOARD_WEBHOOK_BOT_PORT'] ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${values.port}`);
  const botId = values['bot-id'] ?? DEFAULT_BOT_ID;
  const secret = values.secret ?? process.env['SWITCHBOARD_WEBHOOK_BOT_SECRET'] ?? DEFAULT_SECRET;
  const switchboardUrl = values['switchboard-url'] ?? `http://127.0.0.1:${process.env['SWB_FUNCTIONS_PORT'] ?? 7071}`;
  const bot = createWebhookBot({ botId, secret, switchboardUrl, log: (line) => console.error(`[webhook-bot] ${line}`) });
  if (values.mode) bot.setMode(parseBotMode(values.mode));
  const { url } = await bot.listen(port, values.host ?? '127.0.0.1');
  // one write, so whoever reads the first line (the stack) gets the rest with it
  console.log(
    [
      `Webhook bot: ${url}`,
      `  bot id ${botId}, secret ${secret}`,
      `  calls back ${switchboardUrl.replace(/\/+$/, '')}/api/bots/${encodeURIComponent(botId)}/conversations/{id}/{messages|handoff|end}`,
    ].join('\n'),
  );
  closeOnSignals(() => bot.close());
}

runCli(main);
