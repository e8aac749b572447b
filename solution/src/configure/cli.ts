// `npm run configure -- --environment https://<org>.crm.dynamics.com [options]`: reads the built
// registrations (plugins/dist/steps.json) and the model's roles, connects with a token, runs
// configure() and prints its report. The token and the webhook key are never printed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamicsWebApi } from 'dynamics-web-api';
import { model } from '../model/model';
import type { PluginRegistrations } from '../pack/plugin-steps';
import { parseOptions } from '../cli/options';
import { functionsApiBase } from '../pack/functions-url';
import { configure, ConfigureError } from './configure';

export const USAGE = `usage: npm run configure -- --environment https://<org>.crm.dynamics.com [options]

  --environment     the Dataverse environment the Switchboard solution was imported into (required)
  --functions-url   the functions app's address; endpoints are moved to <address>/api/dataverse/...
  --webhook-key     the webhook key the functions app expects (better: SWITCHBOARD_WEBHOOK_KEY,
                    which stays out of the shell history); never printed
  --app-user        the functions app's application user (its application id or user id): added to
                    the Switchboard Administrator column-security profile, so it may set the
                    secured columns (capacity, offer expiry, lifecycle times)
  --token           a bearer token for the environment (or SWITCHBOARD_DATAVERSE_TOKEN); without one,
                    @azure/identity's DefaultAzureCredential signs in (az login, managed identity, ...)
  --dry-run         report what would change, write nothing

Safe to run again: a second run with the same options changes nothing.`;

export interface CliIo {
  log: (line: string) => void;
  error: (line: string) => void;
}

export interface CliDeps {
  repoRoot: string;
  /** Default: DefaultAzureCredential for `<environment>/.default`. */
  getToken?: (scope: string) => Promise<string>;
  timeoutMs?: number;
}

type Parsed = { environment: URL; functionsUrl?: string; webhookKey?: string; token?: string; appUser?: string; dryRun: boolean };

function parse(argv: string[], env: NodeJS.ProcessEnv): Parsed {
  let options: Record<string, string | true>;
  try {
    options = parseOptions(argv, { environment: 'value', 'functions-url': 'value', 'webhook-key': 'value', token: 'value', 'app-user': 'value', 'dry-run': 'flag' }, USAGE);
  } catch (e) {
    throw new ConfigureError((e as Error).message);
  }
  const values = options as Record<string, string>;
  const dryRun = options['dry-run'] === true;
  if (!values.environment) throw new ConfigureError(`--environment is required: the address of the environment the solution was imported into, e.g. https://contoso.crm.dynamics.com\n${USAGE}`);
  let environment: URL;
  try {
    environment = new URL(values.environment);
  } catch {
    throw new ConfigureError(`--environment '${values.environment}' is not an absolute URL, e.g. https://contoso.crm.dynamics.com`);
  }
  const local = environment.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(environment.hostname);
  if (environment.protocol !== 'https:' && !local) throw new ConfigureError(`--environment '${values.environment}' must use https`);
  if (values['functions-url'] !== undefined) {
    try {
      functionsApiBase(values['functions-url']);
    } catch (e) {
      throw new ConfigureError((e as Error).message);
    }
  }
  const webhookKey = values['webhook-key'] ?? env.SWITCHBOARD_WEBHOOK_KEY;
  const token = values.token ?? env.SWITCHBOARD_DATAVERSE_TOKEN;
  return {
    environment,
    dryRun,
    ...(values['functions-url'] ? { functionsUrl: values['functions-url'] } : {}),
    ...(webhookKey ? { webhookKey } : {}),
    ...(token ? { token } : {}),
    ...(values['app-user'] ? { appUser: values['app-user'] } : {}),
  };
}

function readRegistrations(repoRoot: string): PluginRegistrations {
  const file = join(repoRoot, 'plugins', 'dist', 'steps.json');
  if (!existsSync(file)) throw new ConfigureError(`${file} is missing: run npm run build -w plugins first (it lists the endpoints and steps to configure)`);
  return JSON.parse(readFileSync(file, 'utf8')) as PluginRegistrations;
}

function adminProfile(): { id: string; name: string } {
  const p = model.fieldSecurityProfiles.find((x) => x.name[1033] === 'Switchboard Administrator');
  if (!p) throw new ConfigureError('the data model has no Switchboard Administrator column-security profile');
  return { id: p.id, name: p.name[1033] };
}

async function defaultToken(scope: string): Promise<string> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  const token = await new DefaultAzureCredential().getToken(scope);
  if (!token) throw new ConfigureError(`no token for ${scope}: sign in with az login, or pass --token`);
  return token.token;
}

/** Explains what the admin can do about a failed request instead of a stack trace. */
function describe(e: unknown, environment: URL): string {
  const x = e as { status?: number; code?: string; message?: string };
  if (x?.code && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(x.code)) {
    return `cannot reach ${environment.origin} (${x.code}): check --environment, the network and the proxy`;
  }
  if (x?.status === 401) return `${environment.origin} refused the token (401): sign in again (az login) or pass a fresh --token`;
  if (x?.status === 403) return `${environment.origin} refused the request (403): the signed-in user needs the System Administrator or System Customizer role`;
  if (x?.status) return `${environment.origin} answered ${x.status}: ${x.message ?? ''}`.trim();
  if (x instanceof ConfigureError || (x as Error)?.name === 'ConfigureError') return x.message ?? String(e);
  return `${x?.message ?? String(e)}`;
}

/** Returns the exit code: 0 when everything is in place (after any changes), 1 otherwise. */
export async function runConfigure(argv: string[], env: NodeJS.ProcessEnv, io: CliIo, deps: CliDeps): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv, env);
  } catch (e) {
    io.error(`configure: ${(e as Error).message}`);
    return 1;
  }
  const { environment } = parsed;
  try {
    const registrations = readRegistrations(deps.repoRoot);
    const getToken = deps.getToken ?? defaultToken;
    const api = new DynamicsWebApi({
      serverUrl: environment.origin,
      dataApi: { version: '9.2' },
      onTokenRefresh: async () => parsed.token ?? (await getToken(`${environment.origin}/.default`)),
      propagateErrors: true,
      timeout: deps.timeoutMs ?? 30_000,
    });
    io.log(`Switchboard configure: ${environment.origin}${parsed.dryRun ? ' (dry run: nothing is written)' : ''}`);
    const report = await configure(api, {
      registrations,
      roles: model.roles.map((r) => ({ id: r.id, name: r.name[1033] })),
      dryRun: parsed.dryRun,
      ...(parsed.functionsUrl !== undefined ? { functionsUrl: parsed.functionsUrl } : {}),
      ...(parsed.webhookKey !== undefined ? { webhookKey: parsed.webhookKey } : {}),
      ...(parsed.appUser !== undefined ? { appUser: parsed.appUser, appProfile: adminProfile() } : {}),
    }, io.log);
    const changed = parsed.dryRun ? `${report.changes} change(s) would be made` : report.changes ? `${report.changes} change(s) made` : 'nothing to change: everything was already in place';
    io.log(report.problems ? `Result: ${changed}; ${report.problems} problem(s) to fix (above).` : `Result: ${changed}.`);
    return report.problems ? 1 : 0;
  } catch (e) {
    io.error(`configure: ${describe(e, environment)}`);
    return 1;
  }
}
