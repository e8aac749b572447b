import { parseArgs } from 'node:util';
import { DEFAULT_FUNCTION_KEY, startFunctionsHost } from './start';
import { closeOnSignals, runCli } from '../cli-lifecycle';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'function-key': { type: 'string' },
      'no-queues': { type: 'boolean', default: false },
      'no-timers': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`Switchboard functions dev host — serves functions/ registrations like the Azure Functions host.
  --port N            listen port (env SWB_FUNCTIONS_PORT, default 7071; 0 = any free port)
  --host ADDR         listen address (default 127.0.0.1)
  --function-key K    key for authLevel function/admin routes (env SWB_FUNCTION_KEY, default ${DEFAULT_FUNCTION_KEY})
  --no-queues         do not poll Storage queues (Azurite)
  --no-timers         do not run timer triggers
App settings come from the environment, then functions/local.settings.json, then functions/local.settings.sample.json.`);
    return;
  }
  const port = Number(values.port ?? process.env['SWB_FUNCTIONS_PORT'] ?? 7071);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${values.port}`);
  const host = await startFunctionsHost({
    port,
    hostname: values.host ?? '127.0.0.1',
    functionKey: values['function-key'] ?? process.env['SWB_FUNCTION_KEY'] ?? DEFAULT_FUNCTION_KEY,
    enableQueues: !values['no-queues'],
    enableTimers: !values['no-timers'],
  });
  const key = values['function-key'] ?? process.env['SWB_FUNCTION_KEY'] ?? DEFAULT_FUNCTION_KEY;
  console.log(`Functions dev host listening on ${host.url}  (function key for [function key] routes: ${key})\n`);
  for (const r of host.routes()) {
    console.log(`  ${r.name.padEnd(22)} ${r.methods.join(',').padEnd(16)} ${r.url}${r.authLevel === 'anonymous' ? '' : `  [${r.authLevel} key]`}`);
  }
  console.log('');
  closeOnSignals(() => host.stop());
}

runCli(main);
