// Plugin steps registered as webhooks (serviceendpoint contract 8 + sdkmessageprocessingstep +
// images), read from the same tables Dataverse keeps them in. Sync steps are awaited inside the
// caller's transaction; async steps are written to _emu_async in that same transaction, so they
// exist exactly when the write committed, and a worker delivers them with exponential backoff.
//
// Quirk we add on purpose: real webhooks cannot change the Target. Our pre-operation plugins need
// to (phone normalisation), so a stage 10/20 step may answer 2xx with {"Target": {...}}: Web API
// style attributes (logical names, `x@odata.bind` for lookups) merged into the Target before the
// write, validated like caller input.
import { randomUUID } from 'node:crypto';
import type { AttributeMetadata, EntityMetadata } from '@switchboard/solution';
import { DataverseError, ErrorCodes } from './errors';
import type { Model } from './model';
import type { Row, Store } from './store';
import { AUTH_TYPE, ORGANIZATION_ID, ROOT_BUSINESS_UNIT_ID, STEP_MODE, WEBHOOK_CONTRACT } from './system-metadata';

/** The webhook payload size above which Dataverse trims the execution context. */
export const TRIM_ABOVE_BYTES = 256 * 1024;

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

export interface StepImage {
  name: string;
  alias: string;
  type: number;
  attributes: string[] | null;
}

export interface Step {
  id: string;
  name: string;
  message: string;
  entity: string | null;
  stage: number;
  mode: number;
  rank: number;
  filteringAttributes: string[] | null;
  endpoint: { id: string; name: string; url: string; authtype: number; authvalue: string };
  images: StepImage[];
}

export interface ExecutionInput {
  message: 'Create' | 'Update' | 'Delete' | 'Associate' | 'Disassociate';
  /** Associate/Disassociate: the Target's table and id (the row the $ref URL names). */
  entity: EntityMetadata;
  id: string;
  /** Associate/Disassociate: the N:N relationship and the rows on its other side. */
  relationship?: { schemaName: string; primaryEntityRole: 0 | 1 | null; related: { logicalName: string; id: string }[] };
  stage: number;
  mode: number;
  /** Create/Update: the attributes being written (column values). Delete: undefined. */
  target?: Row;
  preImage?: Row;
  postImage?: Row;
  userId: string;
  businessUnitId: string;
  correlationId: string;
  requestId: string;
  depth: number;
}

const CONTRACTS = 'http://schemas.microsoft.com/xrm/2011/Contracts';
const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

const entityReference = (logicalName: string, id: string) =>
  ({ __type: `EntityReference:${CONTRACTS}`, Id: id, KeyAttributes: [], LogicalName: logicalName, Name: null, RowVersion: null });

// Associate/Disassociate requests carry Target, Relationship and RelatedEntities. The
// EntityReferenceCollection is a collection data contract, which DataContractJsonSerializer
// writes as a bare JSON array (no __type); EntityRole is an enum, written as its number
// (Referencing 0, Referenced 1), null unless the relationship is self-referential.
function relationshipParameters(input: ExecutionInput): { key: string; value: unknown }[] {
  const rel = input.relationship!;
  return [
    { key: 'Target', value: entityReference(input.entity.logicalName, input.id) },
    { key: 'Relationship', value: { __type: `Relationship:${CONTRACTS}`, PrimaryEntityRole: rel.primaryEntityRole, SchemaName: rel.schemaName } },
    { key: 'RelatedEntities', value: rel.related.map((r) => entityReference(r.logicalName, r.id)) },
  ];
}

function dotNetDate(iso: string): string {
  return `/Date(${Date.parse(iso)})/`;
}

/** An attribute value in the DataContract JSON shape the Dataverse webhook context uses. */
function contractValue(model: Model, a: AttributeMetadata, row: Row): unknown {
  const v = row[a.logicalName];
  if (v === null || v === undefined) return null;
  switch (a.type) {
    case 'boolean': return v === 1 || v === true;
    case 'datetime': return dotNetDate(v as string);
    case 'money': return { __type: `Money:${CONTRACTS}`, Value: v };
    case 'choice': case 'state': case 'status': return { __type: `OptionSetValue:${CONTRACTS}`, Value: v };
    case 'multichoice':
      return String(v).split(',').filter(Boolean).map((x) => ({ __type: `OptionSetValue:${CONTRACTS}`, Value: Number(x) }));
    case 'lookup': case 'customer': case 'owner': {
      const target = (row[`${a.logicalName}__type`] as string) ?? model.lookupTargets(a)[0];
      return { __type: `EntityReference:${CONTRACTS}`, Id: v, KeyAttributes: [], LogicalName: target, Name: null, RowVersion: null };
    }
    default: return v;
  }
}

export function contractEntity(model: Model, e: EntityMetadata, row: Row, only?: string[] | null): Record<string, unknown> {
  const attributes: { key: string; value: unknown }[] = [];
  for (const a of Object.values(e.attributes)) {
    if (!(a.logicalName in row)) continue;
    if (only && !only.includes(a.logicalName)) continue;
    attributes.push({ key: a.logicalName, value: contractValue(model, a, row) });
  }
  return {
    __type: `Entity:${CONTRACTS}`,
    Attributes: attributes,
    EntityState: null,
    FormattedValues: [],
    Id: (row[e.primaryIdAttribute] as string) ?? '00000000-0000-0000-0000-000000000000',
    KeyAttributes: [],
    LogicalName: e.logicalName,
    RelatedEntities: [],
    RowVersion: row.versionnumber != null ? String(row.versionnumber) : null,
  };
}

export interface DispatcherOptions {
  store: Store;
  model: Model;
  fetch: FetchLike;
  syncTimeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  now?: () => number;
  /** Serialises the worker's bookkeeping writes with request transactions on the shared writer. */
  withWriteLock: <T>(fn: () => T | Promise<T>) => Promise<T>;
  log?: (line: string) => void;
  /** Told about every webhook call made (request statistics). */
  onDelivery?: (step: string, message: string, mode: 'sync' | 'async', ok: boolean) => void;
}

export class PluginDispatcher {
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = true;
  private readonly syncTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly now: () => number;
  private inflight?: Promise<void>;

  constructor(private readonly o: DispatcherOptions) {
    this.syncTimeoutMs = o.syncTimeoutMs ?? 60_000;
    this.maxAttempts = o.maxAttempts ?? 8;
    this.baseDelayMs = o.baseDelayMs ?? 1000;
    this.now = o.now ?? Date.now;
  }

  /** Enabled webhook steps for a message on a table at a stage and mode, in rank order. */
  steps(message: string, entity: string, stage: number, mode: number): Step[] {
    const { store, model } = this.o;
    const db = store.writer;
    const stepsTable = model.entity('sdkmessageprocessingstep');
    const msg = store.findBy(db, model.entity('sdkmessage'), { name: message });
    if (!msg) return [];
    const rows = store.select(db, stepsTable, 't."sdkmessageid" = ? AND t."stage" = ? AND COALESCE(t."mode", 0) = ? AND COALESCE(t."statecode", 0) = 0',
      [msg.sdkmessageid, stage, mode], 't."rank", t."createdon"');
    const out: Step[] = [];
    for (const r of rows) {
      let stepEntity: string | null = null;
      if (r.sdkmessagefilterid) {
        const f = store.get(db, model.entity('sdkmessagefilter'), r.sdkmessagefilterid as string);
        stepEntity = (f?.primaryobjecttypecode as string) ?? null;
      }
      if (stepEntity && stepEntity !== entity) continue;
      if (r.eventhandler__type !== 'serviceendpoint') continue;
      const ep = store.get(db, model.entity('serviceendpoint'), r.eventhandler as string);
      if (!ep || ep.contract !== WEBHOOK_CONTRACT) continue;
      const images = store.select(db, model.entity('sdkmessageprocessingstepimage'), 't."sdkmessageprocessingstepid" = ?', [r.sdkmessageprocessingstepid], '')
        .map((i) => ({
          name: (i.name as string) ?? (i.entityalias as string),
          alias: (i.entityalias as string) ?? (i.name as string),
          type: (i.imagetype as number) ?? 0,
          attributes: i.attributes ? String(i.attributes).split(',').map((s) => s.trim()).filter(Boolean) : null,
        }));
      out.push({
        id: r.sdkmessageprocessingstepid as string,
        name: r.name as string,
        message,
        entity: stepEntity,
        stage: r.stage as number,
        mode: (r.mode as number) ?? 0,
        rank: (r.rank as number) ?? 1,
        filteringAttributes: r.filteringattributes ? String(r.filteringattributes).split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : null,
        endpoint: { id: ep.serviceendpointid as string, name: ep.name as string, url: ep.url as string, authtype: ep.authtype as number, authvalue: (ep.authvalue as string) ?? '' },
        images,
      });
    }
    return out;
  }

  /** Filtering attributes apply to Update only: the step fires if any of them is in the Target. */
  matchesFilter(step: Step, input: ExecutionInput): boolean {
    if (input.message !== 'Update' || !step.filteringAttributes?.length || !input.target) return true;
    return step.filteringAttributes.some((a) => a in input.target!);
  }

  context(step: Step, input: ExecutionInput): Record<string, unknown> {
    const { model } = this.o;
    const e = input.entity;
    const images = (want: 0 | 1, row?: Row) =>
      row ? step.images.filter((i) => i.type === want || i.type === 2).map((i) => ({ key: i.alias, value: contractEntity(model, e, row, i.attributes) })) : [];
    // Associate/Disassociate steps are registered on no table: Dataverse names no primary
    // entity for them ("none", as for unbound messages); the rows travel in InputParameters.
    const tableless = input.relationship !== undefined;
    const inputParameters = tableless
      ? relationshipParameters(input)
      : [{ key: 'Target', value: input.message === 'Delete' ? entityReference(e.logicalName, input.id) : contractEntity(model, e, { [e.primaryIdAttribute]: input.id, ...input.target }) }];
    const nowIso = new Date(this.now()).toISOString();
    return {
      BusinessUnitId: input.businessUnitId ?? ROOT_BUSINESS_UNIT_ID,
      CorrelationId: input.correlationId,
      Depth: input.depth,
      InitiatingUserAzureActiveDirectoryObjectId: '00000000-0000-0000-0000-000000000000',
      InitiatingUserId: input.userId,
      InputParameters: inputParameters,
      IsExecutingOffline: false,
      IsInTransaction: input.mode === STEP_MODE.sync && input.stage !== 10,
      IsOfflinePlayback: false,
      IsolationMode: 1,
      MessageName: input.message,
      Mode: input.mode,
      OperationCreatedOn: `/Date(${Date.parse(nowIso)})/`,
      OperationId: randomUUID(),
      OrganizationId: ORGANIZATION_ID,
      OrganizationName: 'switchboard-dev',
      OutputParameters: input.message === 'Create' && input.stage === 40 ? [{ key: 'id', value: input.id }] : [],
      OwningExtension: { Id: step.id, KeyAttributes: [], LogicalName: 'sdkmessageprocessingstep', Name: step.name, RowVersion: null },
      ParentContext: null,
      PostEntityImages: images(1, input.postImage),
      PreEntityImages: images(0, input.preImage),
      PrimaryEntityId: tableless ? EMPTY_GUID : input.id,
      PrimaryEntityName: tableless ? 'none' : e.logicalName,
      RequestId: input.requestId,
      SecondaryEntityName: 'none',
      SharedVariables: [],
      Stage: input.stage,
      UserAzureActiveDirectoryObjectId: '00000000-0000-0000-0000-000000000000',
      UserId: input.userId,
    };
  }

  private request(step: Step, context: Record<string, unknown>): { url: string; headers: Record<string, string>; body: string } {
    let url = step.endpoint.url;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'x-ms-dynamics-organization': 'switchboard-dev',
      'x-ms-dynamics-entity-name': String(context.PrimaryEntityName),
      'x-ms-dynamics-request-name': String(context.MessageName),
      'x-ms-correlation-request-id': String(context.CorrelationId),
    };
    const auth = step.endpoint.authvalue;
    if (step.endpoint.authtype === AUTH_TYPE.webhookKey) {
      url += `${url.includes('?') ? '&' : '?'}code=${encodeURIComponent(auth)}`;
    } else if (step.endpoint.authtype === AUTH_TYPE.httpHeader || step.endpoint.authtype === AUTH_TYPE.httpQueryString) {
      // Dataverse stores these as <settings><setting name="k" value="v" /></settings>
      const pairs = [...auth.matchAll(/<setting\s+name="([^"]*)"\s+value="([^"]*)"\s*\/>/g)].map((m) => [m[1], m[2]]);
      for (const [k, v] of pairs) {
        if (step.endpoint.authtype === AUTH_TYPE.httpHeader) headers[k] = v;
        else url += `${url.includes('?') ? '&' : '?'}${encodeURIComponent(k)}=${encodeURIComponent(v)}`;
      }
    }
    let body = JSON.stringify(context);
    if (Buffer.byteLength(body) > TRIM_ABOVE_BYTES) {
      // What Dataverse does past 256 KB ("Use Webhooks", request headers): the parts that can be
      // large go, the row's name and id stay, and a header says so; the service reads the row.
      const { InputParameters: _i, PreEntityImages: _pre, PostEntityImages: _post, ParentContext: _parent, ...kept } = context;
      body = JSON.stringify(kept);
      headers['x-ms-dynamics-msg-size-exceeded'] = 'true';
    }
    return { url, headers, body };
  }

  /** Calls a sync step; returns Target changes a pre-stage step asked for, or throws to veto. */
  async runSync(step: Step, input: ExecutionInput): Promise<Record<string, unknown> | undefined> {
    const req = this.request(step, this.context(step, input));
    let status: number;
    let text: string;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.syncTimeoutMs);
    try {
      const res = await this.o.fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal: abort.signal });
      status = res.status;
      text = await res.text();
    } catch (err) {
      this.o.onDelivery?.(step.name, input.message, 'sync', false);
      throw new DataverseError(500, ErrorCodes.unexpected, `The webhook of step '${step.name}' could not be reached: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    this.o.onDelivery?.(step.name, input.message, 'sync', status >= 200 && status < 300);
    if (status < 200 || status >= 300) {
      let message = text.trim();
      try {
        const j = JSON.parse(text) as { error?: { message?: string }; message?: string; Message?: string };
        message = j.error?.message ?? j.message ?? j.Message ?? message;
      } catch {
        // plain-text reply: shown as is
      }
      throw new DataverseError(400, ErrorCodes.isvAborted, message || `The webhook of step '${step.name}' answered HTTP ${status}.`);
    }
    if (input.stage === 40 || !text.trim()) return undefined;
    try {
      const j = JSON.parse(text) as { Target?: Record<string, unknown> };
      return j && typeof j.Target === 'object' && j.Target ? j.Target : undefined;
    } catch {
      return undefined;
    }
  }

  /** Must be called inside the write transaction: the job exists if and only if the write commits. */
  enqueue(step: Step, input: ExecutionInput): void {
    const req = this.request(step, this.context(step, input));
    this.o.store.prepare(this.o.store.writer,
      `INSERT INTO _emu_async (stepid, url, headers, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(step.id, req.url, JSON.stringify(req.headers), req.body, this.now(), this.now());
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.inflight;
  }

  /** Wake the worker (after a commit that queued jobs, or at start-up to resume the backlog). */
  kick(delayMs = 0): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.running) return;
      this.running = true;
      this.inflight = this.drain().finally(() => { this.running = false; });
    }, delayMs);
    this.timer.unref?.();
  }

  /** Pending jobs (for tests and diagnostics). */
  pending(): { id: number; status: string; attempts: number; last_error: string | null }[] {
    return this.o.store.reader.prepare(`SELECT id, status, attempts, last_error FROM _emu_async ORDER BY id`).all() as never;
  }

  private async drain(): Promise<void> {
    const { store } = this.o;
    for (;;) {
      if (this.stopped) return;
      const due = store.reader.prepare(`SELECT * FROM _emu_async WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 20`)
        .all(this.now()) as { id: number; url: string; headers: string; body: string; attempts: number }[];
      if (!due.length) break;
      await Promise.all(due.map((job) => this.deliver(job)));
    }
    const next = store.reader.prepare(`SELECT MIN(next_attempt_at) AS t FROM _emu_async WHERE status = 'pending'`).get() as { t: number | null };
    if (next.t !== null && !this.stopped) this.kick(Math.max(0, next.t - this.now()));
  }

  private async deliver(job: { id: number; url: string; headers: string; body: string; attempts: number }): Promise<void> {
    const { store } = this.o;
    let error: string | undefined;
    try {
      const res = await this.o.fetch(job.url, { method: 'POST', headers: JSON.parse(job.headers), body: job.body });
      const text = await res.text();
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}: ${text.slice(0, 500)}`;
    } catch (err) {
      error = (err as Error).message;
    }
    if (this.o.onDelivery) {
      let name = `step ${job.id}`;
      let message = 'unknown';
      try {
        const ctx = JSON.parse(job.body) as { OwningExtension?: { Name?: string }; MessageName?: string };
        name = ctx.OwningExtension?.Name ?? name;
        message = ctx.MessageName ?? message;
      } catch {
        // the body is our own JSON; an unreadable one is still a delivery to count
      }
      this.o.onDelivery(name, message, 'async', !error);
    }
    await this.o.withWriteLock(() => {
      if (!error) {
        store.writer.prepare(`DELETE FROM _emu_async WHERE id = ?`).run(job.id);
        return;
      }
      const attempts = job.attempts + 1;
      const failed = attempts >= this.maxAttempts;
      const delay = Math.min(this.baseDelayMs * 2 ** (attempts - 1), 10 * 60_000);
      store.writer.prepare(`UPDATE _emu_async SET attempts = ?, status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?`)
        .run(attempts, failed ? 'failed' : 'pending', error, this.now() + delay, job.id);
      this.o.log?.(`async step delivery failed (attempt ${attempts}${failed ? ', giving up' : ''}): ${error}`);
    });
  }
}
