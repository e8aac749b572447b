// After the solution is imported: what an admin would otherwise do by hand in the Plug-in
// Registration Tool, done through the Web API and safe to run again.
// - service endpoints: the functions app's URL (when given) and the webhook key (when given);
// - Associate/Disassociate steps: registered here, because their sdkmessage ids differ per
//   environment and a wrong id in the package fails the whole import;
// - a check that the solution's endpoints, steps and roles are in place.
// A second run with the same input changes nothing. With dryRun nothing is written.
import { createHash } from 'node:crypto';
import type { DynamicsWebApi } from 'dynamics-web-api';
import { endpointId, stepId } from '../pack/customizations.emitter';
import { endpointUrl, functionsApiBase } from '../pack/functions-url';
import { processingStepRow, TABLELESS_MESSAGES, type PluginRegistrations, type StepRegistration } from '../pack/plugin-steps';

export interface ConfigureInput {
  /** Registrations with their `{functionsBaseUrl}` templates, as plugins/dist/steps.json holds them. */
  registrations: PluginRegistrations;
  roles: { id: string; name: string }[];
  /** The functions app's address; endpoints are moved to it when given. */
  functionsUrl?: string;
  /** The webhook key; set on every endpoint when given. Never printed. */
  webhookKey?: string;
  /**
   * The functions app's application user (its Entra application id, or its systemuserid): added
   * to the Administrator column-security profile, without which it could not set capacity,
   * offer expiry or lifecycle times (secured columns) unless it is a System Administrator.
   */
  appUser?: string;
  /** The column-security profile the app user joins: { id, name } of Switchboard Administrator. */
  appProfile?: { id: string; name: string };
  dryRun: boolean;
}

export interface ConfigureReport {
  changes: number;
  problems: number;
}

/** Raised for what the admin must fix before anything can be checked (token, address, solution missing). */
export class ConfigureError extends Error {
  override name = 'ConfigureError';
}

const status = (e: unknown): number | undefined => (typeof e === 'object' && e !== null ? (e as { status?: number }).status : undefined);

async function retrieveOrNull<T>(api: DynamicsWebApi, collection: string, key: string, select: string[]): Promise<T | null> {
  try {
    return await api.retrieve<T>({ collection, key, select });
  } catch (e) {
    if (status(e) === 404) return null;
    throw e;
  }
}

/**
 * serviceendpoint.authvalue cannot be read back (IsValidForRead is false), so a run cannot tell
 * whether the key is already set. The endpoint's description carries a fingerprint of the key it
 * was given instead: an HMAC keyed by the endpoint id, 64 bits of it, which cannot give the key back.
 */
export const keyFingerprint = (endpoint: string, key: string): string =>
  createHash('sha256').update(`switchboard webhook key\0${endpoint}\0${key}`).digest('hex').slice(0, 16);
const FINGERPRINT = /\s*\[webhook key fingerprint [0-9a-f]{16}\]$/;
const withFingerprint = (description: string | null, fingerprint: string) => `${(description ?? '').replace(FINGERPRINT, '')} [webhook key fingerprint ${fingerprint}]`.trim();

interface EndpointRow {
  serviceendpointid: string;
  name: string;
  url: string | null;
  description: string | null;
}
interface StepRow {
  sdkmessageprocessingstepid: string;
  name: string;
  statecode: number;
  _sdkmessageid_value: string | null;
  _eventhandler_value: string | null;
}

/** Runs the checks and fixes against a Web API client; prints one line per finding through `log`. */
export async function configure(api: DynamicsWebApi, input: ConfigureInput, log: (line: string) => void): Promise<ConfigureReport> {
  let changes = 0;
  let problems = 0;
  const change = (line: string) => {
    changes++;
    log(`  ${input.dryRun ? 'would  ' : 'done   '} ${line}`);
  };
  const ok = (line: string) => log(`  ok      ${line}`);
  const problem = (line: string) => {
    problems++;
    log(`  PROBLEM ${line}`);
  };
  const apiBase = input.functionsUrl !== undefined ? functionsApiBase(input.functionsUrl) : undefined;

  log('Service endpoints');
  const present = new Set<string>();
  for (const e of input.registrations.serviceEndpoints) {
    const id = endpointId(e.name);
    const row = await retrieveOrNull<EndpointRow>(api, 'serviceendpoints', id, ['name', 'url', 'description']);
    if (row) present.add(e.name);
    if (!row) {
      problem(`endpoint '${e.name}' (${id}): not in the environment. Import the Switchboard solution first.`);
      continue;
    }
    const update: Record<string, unknown> = {};
    const wanted = apiBase !== undefined ? endpointUrl(e.url, apiBase) : undefined;
    if (wanted !== undefined && row.url !== wanted) {
      update.url = wanted;
      change(`endpoint '${e.name}': url ${row.url ?? '(none)'} → ${wanted}`);
    } else if (wanted === undefined && (row.url ?? '').includes('.invalid/')) {
      problem(`endpoint '${e.name}': url ${row.url} is the packer's placeholder; run again with --functions-url <functions app address>`);
    } else {
      ok(`endpoint '${e.name}': url ${row.url}`);
    }
    if (input.webhookKey === undefined) {
      if (FINGERPRINT.test(row.description ?? '')) ok(`endpoint '${e.name}': webhook key set by an earlier run`);
      else problem(`endpoint '${e.name}': no webhook key set by npm run configure (Dataverse never shows it back); pass --webhook-key or set SWITCHBOARD_WEBHOOK_KEY`);
    } else {
      const fingerprint = keyFingerprint(id, input.webhookKey);
      if ((row.description ?? '').endsWith(`[webhook key fingerprint ${fingerprint}]`)) {
        ok(`endpoint '${e.name}': webhook key already set (fingerprint ${fingerprint})`);
      } else {
        update.authtype = 4; // WebhookKey: sent as ?code=<key>
        update.authvalue = input.webhookKey;
        update.description = withFingerprint(row.description, fingerprint);
        change(`endpoint '${e.name}': webhook key ${input.dryRun ? 'would be set' : 'set'} (fingerprint ${fingerprint})`);
      }
    }
    if (Object.keys(update).length > 0 && !input.dryRun) await api.update({ collection: 'serviceendpoints', key: id, data: update });
  }

  log('Plug-in steps');
  const messageIds = new Map<string, string>();
  const messageId = async (name: string): Promise<string | undefined> => {
    if (!messageIds.has(name)) {
      const found = await api.retrieveMultiple<{ sdkmessageid: string }>({ collection: 'sdkmessages', filter: `name eq '${name}'`, select: ['sdkmessageid'] });
      if (found.value.length === 1) messageIds.set(name, found.value[0]!.sdkmessageid.toLowerCase());
    }
    return messageIds.get(name);
  };
  async function tablelessStep(s: StepRegistration, id: string, row: StepRow | null): Promise<void> {
    const message = await messageId(s.message);
    if (!message) {
      problem(`step '${s.name}': the environment has no sdkmessage named '${s.message}'`);
      return;
    }
    const endpoint = endpointId(s.serviceEndpoint);
    if (!present.has(s.serviceEndpoint)) {
      problem(`step '${s.name}': cannot be registered before its endpoint '${s.serviceEndpoint}' exists`);
      return;
    }
    if (!row) {
      change(`step '${s.name}': registered on ${s.message} (sdkmessage ${message}), posting to '${s.serviceEndpoint}'`);
      if (!input.dryRun) {
        await api.create({ collection: 'sdkmessageprocessingsteps', data: { sdkmessageprocessingstepid: id, ...processingStepRow(s, { messageId: message, endpointId: endpoint }) } });
      }
      return;
    }
    const bound = row._sdkmessageid_value?.toLowerCase() === message && row._eventhandler_value?.toLowerCase() === endpoint;
    if (!bound) {
      change(`step '${s.name}': bound again to ${s.message} and '${s.serviceEndpoint}'`);
      if (!input.dryRun) {
        await api.update({ collection: 'sdkmessageprocessingsteps', key: id, data: { 'sdkmessageid@odata.bind': `/sdkmessages(${message})`, 'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${endpoint})` } });
      }
    } else if (row.statecode !== 0) {
      problem(`step '${s.name}': disabled; enable it in the Plug-in Registration Tool or Power Apps`);
    } else {
      ok(`step '${s.name}': registered on ${s.message}`);
    }
  }

  let shipped = 0;
  for (const s of input.registrations.steps) {
    const id = stepId(s.name);
    const row = await retrieveOrNull<StepRow>(api, 'sdkmessageprocessingsteps', id, ['name', 'statecode', '_sdkmessageid_value', '_eventhandler_value']);
    if (!TABLELESS_MESSAGES.includes(s.message)) {
      if (!row) problem(`step '${s.name}': not in the environment. Import the Switchboard solution first.`);
      else if (row.statecode !== 0) problem(`step '${s.name}': disabled; enable it under Solutions → Switchboard → SDK message processing steps`);
      else shipped++;
      continue;
    }
    await tablelessStep(s, id, row);
  }
  if (shipped > 0) ok(`${shipped} step(s) shipped in the solution are present and enabled`);

  if (input.appUser !== undefined && input.appProfile) {
    log('Application user');
    const by = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.appUser) ? input.appUser.toLowerCase() : null;
    const users = by
      ? (await api.retrieveMultiple<{ systemuserid: string; fullname: string | null }>({ collection: 'systemusers', select: ['systemuserid', 'fullname'], filter: `applicationid eq ${by} or systemuserid eq ${by}` })).value
      : [];
    if (users.length !== 1) {
      problem(`application user '${input.appUser}': no single user has this application id or user id; create it under Power Platform admin center → Environments → Settings → Application users`);
    } else {
      const user = users[0]!;
      const member = await api.retrieve<{ systemuserprofiles_association?: { fieldsecurityprofileid: string }[] }>({
        collection: 'systemusers', key: user.systemuserid, select: ['systemuserid'], expand: [{ property: 'systemuserprofiles_association', select: ['fieldsecurityprofileid'] }],
      });
      if ((member.systemuserprofiles_association ?? []).some((p) => p.fieldsecurityprofileid.toLowerCase() === input.appProfile!.id.toLowerCase())) {
        ok(`application user '${user.fullname ?? user.systemuserid}': in the '${input.appProfile.name}' column-security profile`);
      } else {
        change(`application user '${user.fullname ?? user.systemuserid}': added to the '${input.appProfile.name}' column-security profile`);
        if (!input.dryRun) {
          await api.associate({ collection: 'systemusers', primaryKey: user.systemuserid, relationshipName: 'systemuserprofiles_association', relatedCollection: 'fieldsecurityprofiles', relatedKey: input.appProfile.id });
        }
      }
    }
  }

  log('Security roles');
  for (const role of input.roles) {
    const row = await retrieveOrNull<{ name: string }>(api, 'roles', role.id, ['name']);
    if (row) ok(`role '${role.name}'`);
    else problem(`role '${role.name}' (${role.id}): not in the environment. Import the Switchboard solution first.`);
  }

  return { changes, problems };
}
