// npm run dataverse -- --port 7070 --db dev.db [--app-token T] [--faults 429:0.05,503:0.02] [--budget requests:6000,window:300,concurrent:52] [--trace]
// --trace (or SWITCHBOARD_DATAVERSE_TRACE=1) prints one line per operation: caller, method, path, status.
import { metadata, model } from '@switchboard/solution';
import { choiceLabelsFromModel } from './choice-labels';
import { DEFAULT_APP_TOKEN, STATS_PATH, createEmulator, parseFaults } from './emulator';
import { parseBudget } from './service-protection';
import { closeOnSignals, runCli } from '../cli-lifecycle';

function args(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`Unexpected argument '${a}'`);
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (a === '--trace') out['trace'] = 'true';
    else out[a.slice(2)] = argv[++i] ?? '';
  }
  return out;
}

async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  const known = new Set(['port', 'db', 'app-token', 'faults', 'budget', 'host', 'trace']);
  for (const k of Object.keys(a)) if (!known.has(k)) throw new Error(`Unknown option --${k} (known: ${[...known].map((x) => `--${x}`).join(' ')})`);
  const port = Number(a.port ?? process.env.SWITCHBOARD_DATAVERSE_PORT ?? 7070);
  const db = a.db ?? process.env.SWITCHBOARD_DATAVERSE_DB ?? ':memory:';
  const appToken = a['app-token'] ?? process.env.SWITCHBOARD_DATAVERSE_APP_TOKEN ?? DEFAULT_APP_TOKEN;
  const faults = parseFaults(a.faults ?? process.env.SWITCHBOARD_DATAVERSE_FAULTS);
  const budgetSpec = a.budget ?? process.env.SWITCHBOARD_DATAVERSE_BUDGET;
  const budget = parseBudget(budgetSpec);
  const trace = a.trace === 'true' || process.env.SWITCHBOARD_DATAVERSE_TRACE === '1' ? (l: string) => console.log(`[dataverse] trace ${l}`) : undefined;
  const emulator = createEmulator({ metadata, db, appToken, faults, budget, choiceLabels: choiceLabelsFromModel(model), log: (l) => console.error(`[dataverse] ${l}`), ...(trace ? { trace } : {}) });
  const { url } = await emulator.listen(port, a.host ?? '127.0.0.1');
  console.log(`Dataverse emulator: ${url}  (db ${db}${faults.length ? `, faults ${a.faults}` : ''}${budget ? `, budget ${budgetSpec}` : ''})`);
  console.log(`Request statistics: ${new URL(STATS_PATH, url).href} (GET, POST .../reset; application token)`);
  console.log(`Application user token: ${appToken === DEFAULT_APP_TOKEN ? `${appToken} (default)` : '(from --app-token)'}`);
  closeOnSignals(() => emulator.close());
}

runCli(main);
