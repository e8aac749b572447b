// npx tsx dev/src/ai-language/cli.ts [--port 0] [--host 127.0.0.1] [--key K]
// Starts the Azure AI Language stand-in (sentiment) and prints what the functions app needs:
// the endpoint and the key.
import { parseArgs } from 'node:util';
import { ANALYZE_PATH, HOOKS_PREFIX, createAiLanguageStandIn } from './stand-in';
import { closeOnSignals, runCli } from '../cli-lifecycle';

const DEFAULT_KEY = 'ai-language-dev-key';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      key: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`Azure AI Language stand-in (sentiment analysis, scored by the offline lexicon).
  --port N     listen port (env SWITCHBOARD_AI_LANGUAGE_PORT, default 0 = any free port)
  --host ADDR  listen address (default 127.0.0.1)
  --key K      the resource key clients must send (env SWITCHBOARD_AI_LANGUAGE_KEY, default ${DEFAULT_KEY})`);
    return;
  }
  const port = Number(values.port ?? process.env['SWITCHBOARD_AI_LANGUAGE_PORT'] ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${values.port}`);
  const key = values.key ?? process.env['SWITCHBOARD_AI_LANGUAGE_KEY'] ?? DEFAULT_KEY;
  const standIn = createAiLanguageStandIn({ key, log: (line) => console.error(`[ai-language] ${line}`) });
  const { url } = await standIn.listen(port, values.host ?? '127.0.0.1');
  // one write, so whoever reads the first line gets the rest with it
  console.log(
    [
      `Azure AI Language stand-in: ${url}`,
      `  key ${key}  (Ocp-Apim-Subscription-Key)`,
      `  POST ${url}${ANALYZE_PATH}?api-version=2023-04-01  kind SentimentAnalysis, at most 10 documents`,
      `  hooks: GET ${url}${HOOKS_PREFIX}/stats  (same key)`,
    ].join('\n'),
  );
  closeOnSignals(() => standIn.close());
}

runCli(main);
