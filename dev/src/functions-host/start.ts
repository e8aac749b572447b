import fs from 'node:fs';
import path from 'node:path';
import { compose, loadConfig, register, type ServiceFactories } from '@switchboard/functions';
import { FunctionsDevHost } from './dev-host';
import { readQueueSettings } from './host-settings';
import { RegistrationRecorder } from './recorder';

const FUNCTIONS_DIR = path.resolve(__dirname, '..', '..', '..', 'functions');

function values(file: string): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { Values?: Record<string, string> };
  return parsed.Values ?? {};
}

// Same precedence as `func start`: real environment first, then local.settings.json; the
// committed sample fills the gaps so a fresh checkout runs against the local stack.
export function devSettings(env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  return {
    ...values(path.join(FUNCTIONS_DIR, 'local.settings.sample.json')),
    ...values(path.join(FUNCTIONS_DIR, 'local.settings.json')),
    ...env,
  };
}

export interface StartOptions {
  port?: number;
  hostname?: string;
  functionKey?: string;
  enableQueues?: boolean;
  enableTimers?: boolean;
  settings?: Record<string, string | undefined>;
  factories?: ServiceFactories;
  log?: (line: string) => void;
}

export const DEFAULT_FUNCTION_KEY = 'local-function-key';

export async function startFunctionsHost(options: StartOptions = {}): Promise<FunctionsDevHost> {
  const settings = options.settings ?? devSettings();
  const composition = options.factories ? compose(loadConfig(settings), options.factories) : compose(loadConfig(settings));
  const recorder = new RegistrationRecorder();
  register(recorder, composition.table);
  const host = new FunctionsDevHost({
    registrations: recorder.registrations,
    port: options.port ?? 7071,
    hostname: options.hostname ?? '127.0.0.1',
    settings,
    functionKey: options.functionKey ?? DEFAULT_FUNCTION_KEY,
    queue: readQueueSettings(path.join(FUNCTIONS_DIR, 'host.json')),
    ...(options.enableQueues !== undefined ? { enableQueues: options.enableQueues } : {}),
    ...(options.enableTimers !== undefined ? { enableTimers: options.enableTimers } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  await host.start();
  return host;
}
