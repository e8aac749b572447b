// Registers plugins/dist/steps.json in the emulator the way an admin's deployment would on
// Dataverse: one serviceendpoint (webhook, WebhookKey auth) per endpoint, pointed at the
// functions host, and its sdkmessageprocessingstep (+ images) rows. Re-running only fixes
// endpoint URLs and keys (the functions port may have moved) and adds missing steps.
import fs from 'node:fs';
import { processingStepRow, serviceEndpointRow, stepImageRow, type PluginRegistrations } from '@switchboard/solution';

type Json = Record<string, unknown>;

export interface RegisterResult {
  endpoints: number;
  stepsCreated: number;
  stepsExisting: number;
  /** Steps the emulator cannot host (e.g. Associate messages): name → why */
  skipped: Record<string, string>;
}

export async function registerPluginSteps(o: {
  apiUrl: string;
  appToken: string;
  /** plugins/dist/steps.json, what the packer ships */
  stepsFile?: string;
  /** or the registrations themselves */
  manifest?: PluginRegistrations;
  functionsApiBase: string;
  webhookKey: string;
}): Promise<RegisterResult> {
  const manifest = o.manifest ?? (JSON.parse(fs.readFileSync(o.stepsFile ?? '', 'utf8')) as PluginRegistrations);
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const res = await fetch(o.apiUrl + path, {
      method,
      headers: { authorization: `Bearer ${o.appToken}`, accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return res;
  };
  const list = async (path: string): Promise<Json[]> => ((await (await call('GET', path)).json()) as { value: Json[] }).value;
  const created = (res: Response) => /\(([0-9a-f-]{36})\)$/i.exec(res.headers.get('odata-entityid') ?? '')?.[1] ?? '';
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

  const endpointIds = new Map<string, string>();
  for (const e of manifest.serviceEndpoints) {
    const data = serviceEndpointRow({ ...e, url: e.url.replace('{functionsBaseUrl}', o.functionsApiBase) }, o.webhookKey);
    const [existing] = await list(`serviceendpoints?$select=serviceendpointid&$filter=name eq ${encodeURIComponent(q(e.name))}`);
    if (existing) {
      await call('PATCH', `serviceendpoints(${String(existing['serviceendpointid'])})`, data);
      endpointIds.set(e.name, String(existing['serviceendpointid']));
    } else endpointIds.set(e.name, created(await call('POST', 'serviceendpoints', data)));
  }

  const messages = new Map<string, string>();
  let stepsCreated = 0;
  let stepsExisting = 0;
  const skipped: Record<string, string> = {};
  for (const s of manifest.steps) {
    const [existing] = await list(`sdkmessageprocessingsteps?$select=sdkmessageprocessingstepid&$filter=name eq ${encodeURIComponent(q(s.name))}`);
    if (existing) {
      stepsExisting++;
      continue;
    }
    if (!messages.has(s.message)) {
      const [m] = await list(`sdkmessages?$select=sdkmessageid&$filter=name eq ${q(s.message)}`);
      if (m) messages.set(s.message, String(m['sdkmessageid']));
    }
    const messageId = messages.get(s.message);
    const filters = messageId && s.primaryTable
      ? await list(`sdkmessagefilters?$select=sdkmessagefilterid&$filter=_sdkmessageid_value eq ${messageId} and primaryobjecttypecode eq ${q(s.primaryTable)}`)
      : [];
    const filter = filters[0];
    // Associate/Disassociate are registered on no table (no sdkmessagefilter), as on Dataverse.
    if (!messageId || (s.primaryTable && !filter)) {
      skipped[s.name] = `the emulator has no ${s.message} message${s.primaryTable ? ` for ${s.primaryTable}` : ''}`;
      continue;
    }
    const stepId = created(
      await call('POST', 'sdkmessageprocessingsteps', processingStepRow(s, { messageId, filterId: filter ? String(filter['sdkmessagefilterid']) : undefined, endpointId: endpointIds.get(s.serviceEndpoint)! })),
    );
    for (const image of s.images ?? []) await call('POST', 'sdkmessageprocessingstepimages', stepImageRow(image, s.message, stepId));
    stepsCreated++;
  }
  return { endpoints: endpointIds.size, stepsCreated, stepsExisting, skipped };
}

/** The step name the wiring probe asks for: no step has it, so a wired route answers 404 UnknownStep. */
export const PROBE_STEP = 'wiring-probe';

/** True once the functions app mounts the plugin steps (a wired route answers the unknown probe step 404, an unwired one 501). */
export async function webhookRouteWired(functionsUrl: string, webhookKey: string): Promise<boolean> {
  const res = await fetch(`${functionsUrl}/api/dataverse/${PROBE_STEP}?code=${encodeURIComponent(webhookKey)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  await res.arrayBuffer();
  return res.status !== 501;
}
