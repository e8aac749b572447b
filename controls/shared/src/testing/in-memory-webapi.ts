// An in-memory context.webAPI: tables of rows, real $filter/$orderby/$top evaluation,
// paging through nextLink, `x@odata.bind` turned into `_x_value`, `$apply` aggregation
// (filter, then groupby/aggregate with $count, sum, min, max), modifiedon kept on every write,
// and a log of every call so tests can assert what the control asked for.
import { evaluate, parseFilter } from './odata-filter';

type Entity = ComponentFramework.WebApi.Entity;

export interface WebApiCall {
  op: 'create' | 'update' | 'delete' | 'retrieve' | 'retrieveMultiple';
  table: string;
  id?: string;
  options?: string;
  data?: Entity;
}

const ALTERNATE_KEYS: Record<string, string[][]> = {
  swb_message: [['_swb_conversationid_value', 'swb_sequence']],
};

const ACTIVITY_TABLES = new Set(['swb_conversation', 'swb_session']);

export function primaryKeyOf(table: string): string {
  return ACTIVITY_TABLES.has(table) ? 'activityid' : `${table}id`;
}

let counter = 0;
function newGuid(): string {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

function parseOptions(options: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  const q = (options ?? '').replace(/^\?/, '');
  if (!q) return map;
  for (const part of q.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) map.set(decodeURIComponent(part.slice(0, eq)), decodeURIComponent(part.slice(eq + 1)));
  }
  return map;
}

/**
 * A refusal as context.webAPI rejects with it: Dataverse's error code and the message written for
 * the user (0x80040265 is a plug-in step's refusal, the guard steps' way of saying no).
 */
export function dataverseError(message: string, errorCode = 0x80040265): Error & { errorCode: number; code: string } {
  return Object.assign(new Error(message), { errorCode, code: `0x${errorCode.toString(16).padStart(8, '0')}` });
}

export class InMemoryWebApi implements ComponentFramework.WebApi {
  readonly calls: WebApiCall[] = [];
  private readonly tables = new Map<string, Map<string, Entity>>();
  private failures: { op: WebApiCall['op']; error: Error }[] = [];
  /** Artificial latency per call (ms), for tests of overlapping polls. */
  delayMs = 0;
  /**
   * Stand-ins for plugin steps: run on a row before it is stored (the message sequence
   * step, for instance), so a test sees what Dataverse with our plugins would store.
   */
  readonly beforeCreate = new Map<string, (row: Entity, api: InMemoryWebApi) => Entity>();

  constructor(seed: Record<string, Entity[]> = {}) {
    for (const [table, rows] of Object.entries(seed)) for (const r of rows) this.put(table, r);
    // The push-ticket step of a deployment without push: a control asking for live updates polls.
    this.beforeCreate.set('swb_pushticket', (row) => ({ ...row, swb_error: 'push-not-configured' }));
  }

  put(table: string, row: Entity): Entity {
    const key = primaryKeyOf(table);
    const id = String(row[key] ?? newGuid()).toLowerCase();
    const createdon = (row['createdon'] as string | undefined) ?? new Date().toISOString();
    const stored = { createdon, modifiedon: createdon, ...row, [key]: id };
    if (!this.tables.has(table)) this.tables.set(table, new Map());
    this.tables.get(table)!.set(id, stored);
    return stored;
  }

  rows(table: string): Entity[] {
    return [...(this.tables.get(table)?.values() ?? [])];
  }

  row(table: string, id: string): Entity | undefined {
    return this.tables.get(table)?.get(id.toLowerCase());
  }

  /** The next call of this kind rejects with `error` (Dataverse said no). */
  failNext(op: WebApiCall['op'], error = new Error('simulated Dataverse failure')): void {
    this.failures.push({ op, error });
  }

  private async gate(call: WebApiCall): Promise<void> {
    this.calls.push(call);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const i = this.failures.findIndex((f) => f.op === call.op);
    if (i >= 0) {
      const [f] = this.failures.splice(i, 1);
      throw f.error;
    }
  }

  private static resolveBinds(data: Entity): Entity {
    const out: Entity = {};
    for (const [k, v] of Object.entries(data)) {
      const m = /^(.+)@odata\.bind$/.exec(k);
      if (m) {
        const id = /\(([^)]+)\)/.exec(String(v))?.[1];
        // swb_customerid_contact → swb_customerid: a customer lookup's navigation names its target.
        const column = m[1].replace(/_(contact|account)$/, '');
        out[`_${column}_value`] = id ? id.toLowerCase() : null;
      } else out[k] = v;
    }
    return out;
  }

  async createRecord(entityType: string, data: Entity): Promise<ComponentFramework.LookupValue> {
    await this.gate({ op: 'create', table: entityType, data });
    const hook = this.beforeCreate.get(entityType);
    const resolved = InMemoryWebApi.resolveBinds(data);
    const candidate = hook ? hook(resolved, this) : resolved;
    this.checkAlternateKeys(entityType, candidate);
    const stored = this.put(entityType, candidate);
    return { id: String(stored[primaryKeyOf(entityType)]), entityType };
  }

  // Dataverse refuses a create whose alternate key values already exist; the pane relies on
  // that for message sequence numbers, so the mock must refuse it the same way.
  private checkAlternateKeys(entityType: string, row: Entity): void {
    for (const columns of ALTERNATE_KEYS[entityType] ?? []) {
      if (columns.some((c) => row[c] == null)) continue;
      const clash = this.rows(entityType).some((r) => columns.every((c) => String(r[c]).toLowerCase() === String(row[c]).toLowerCase()));
      if (clash) throw Object.assign(new Error('A record with matching key values already exists.'), { errorCode: 0x80040237, code: '0x80040237' });
    }
  }

  async updateRecord(entityType: string, id: string, data: Entity): Promise<ComponentFramework.LookupValue> {
    await this.gate({ op: 'update', table: entityType, id, data });
    const existing = this.row(entityType, id);
    if (!existing) throw new Error(`${entityType}(${id}) does not exist`);
    Object.assign(existing, InMemoryWebApi.resolveBinds(data), { modifiedon: new Date().toISOString() });
    return { id, entityType };
  }

  async deleteRecord(entityType: string, id: string): Promise<ComponentFramework.LookupValue> {
    await this.gate({ op: 'delete', table: entityType, id });
    this.tables.get(entityType)?.delete(id.toLowerCase());
    return { id, entityType };
  }

  async retrieveRecord(entityType: string, id: string, options?: string): Promise<Entity> {
    await this.gate({ op: 'retrieve', table: entityType, id, options });
    const row = this.row(entityType, id);
    if (!row) throw new Error(`${entityType}(${id}) does not exist`);
    return { ...row };
  }

  async retrieveMultipleRecords(entityType: string, options?: string, maxPageSize?: number): Promise<ComponentFramework.WebApi.RetrieveMultipleResponse> {
    await this.gate({ op: 'retrieveMultiple', table: entityType, options });
    const o = parseOptions(options);
    let rows = this.rows(entityType);
    const apply = o.get('$apply');
    if (apply) return { entities: aggregate(rows, apply), nextLink: '' };
    const filter = o.get('$filter');
    if (filter) {
      const node = parseFilter(filter);
      rows = rows.filter((r) => evaluate(node, r));
    }
    const orderby = o.get('$orderby');
    if (orderby) {
      const keys = orderby.split(',').map((s) => {
        const [field, dir] = s.trim().split(/\s+/);
        return { field, desc: dir === 'desc' };
      });
      rows.sort((a, b) => {
        for (const k of keys) {
          const x = a[k.field] as string | number;
          const y = b[k.field] as string | number;
          if (x === y) continue;
          if (x === undefined || x === null) return k.desc ? 1 : -1;
          if (y === undefined || y === null) return k.desc ? -1 : 1;
          return (x < y ? -1 : 1) * (k.desc ? -1 : 1);
        }
        return 0;
      });
    }
    const top = o.get('$top');
    if (top) rows = rows.slice(0, Number(top));
    const skip = Number(o.get('$skiptoken') ?? 0);
    const size = maxPageSize && maxPageSize > 0 ? maxPageSize : 5000;
    const page = rows.slice(skip, skip + size);
    const rest = skip + size < rows.length;
    const params = [...o.entries()].filter(([k]) => k !== '$skiptoken').map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    const nextLink = rest ? `https://example.test/api/data/v9.2/${entityType}s?${[...params, `$skiptoken=${skip + size}`].join('&')}` : '';
    return { entities: page.map((r) => ({ ...r })), nextLink };
  }
}


/**
 * `$apply` as Dataverse runs it: filter(...) steps, then groupby((a,b)[,aggregate(...)]) or
 * aggregate(...); one object per group, null values left out.
 */
function aggregate(source: Entity[], apply: string): Entity[] {
  const steps = splitTop(apply, '/');
  let rows = source;
  let groupBy: string[] = [];
  let aggregates: { fn: 'count' | 'sum' | 'min' | 'max'; field: string; alias: string }[] = [];
  for (const step of steps) {
    const m = /^(\w+)\((.*)\)$/s.exec(step);
    if (!m) throw new Error(`unsupported $apply step: ${step}`);
    if (m[1] === 'filter') {
      const node = parseFilter(m[2]);
      rows = rows.filter((r) => evaluate(node, r));
    } else if (m[1] === 'groupby' || m[1] === 'aggregate') {
      let inner = m[2];
      if (m[1] === 'groupby') {
        const g = /^\(([^)]*)\)\s*(?:,\s*aggregate\((.*)\))?$/s.exec(inner);
        if (!g) throw new Error(`unsupported groupby: ${inner}`);
        groupBy = g[1].split(',').map((x) => x.trim());
        inner = g[2] ?? '';
      }
      aggregates = inner ? splitTop(inner, ',').map((item) => {
        const count = /^\$count as (\w+)$/.exec(item.trim());
        if (count) return { fn: 'count' as const, field: '', alias: count[1] };
        const a = /^(\w+) with (sum|min|max) as (\w+)$/.exec(item.trim());
        if (!a) throw new Error(`unsupported aggregate: ${item}`);
        return { fn: a[2] as 'sum' | 'min' | 'max', field: a[1], alias: a[3] };
      }) : [];
    } else throw new Error(`unsupported $apply transformation: ${m[1]}`);
  }
  const groups = new Map<string, Entity[]>();
  for (const r of rows) {
    const key = JSON.stringify(groupBy.map((g) => r[g] ?? null));
    const members = groups.get(key);
    if (members) members.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()].map((members) => {
    const out: Entity = {};
    for (const g of groupBy) if (members[0][g] != null) out[g] = members[0][g];
    for (const a of aggregates) {
      const values = members.map((r) => r[a.field]).filter((v) => v !== null && v !== undefined) as (number | string)[];
      const v = a.fn === 'count' ? members.length
        : a.fn === 'sum' ? values.reduce<number>((x, y) => x + Number(y), 0)
        : values.length === 0 ? null
        : values.reduce((x, y) => ((a.fn === 'min' ? y < x : y > x) ? y : x));
      if (v !== null) out[a.alias] = v;
    }
    return out;
  });
}

function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}
