// Dataverse operations over the store: create, update, upsert, delete, associate, retrieve and
// query, with privileges, ETags, alternate keys, cascades and the plugin pipeline
// (pre-validation 10 → pre-operation 20 → write → post-operation 40 → async queue).
// Writes run on the store's writer inside a transaction owned by the caller (HTTP request or
// batch change set); reads take the connection to use, so GETs never see uncommitted rows.
import { randomUUID } from 'node:crypto';
import type { AttributeMetadata, EntityMetadata, PrivilegeKind } from '@switchboard/solution';
import {
  DataverseError, ErrorCodes, badRequest, duplicate, notFound, notFoundByKey, payloadError, unknownProperty, unsupported, versionMismatch,
} from './errors';
import { type ChoiceLabels, formatChoice } from './choice-labels';
import { type Model, type NavProperty, isLookup } from './model';
import { runApply } from './aggregate';
import { runFetchXml } from './fetchxml';
import { type SqlScope, compileFilter } from './filter-sql';
import { bindValue, normaliseDateTime, quoteIdent, resolveColumn } from './odata-filter';
import type { QueryOptions } from './odata-query';
import type { ExecutionInput, PluginDispatcher } from './plugin-dispatcher';
import { type ParsedKey, parseEntityUrl } from './resource-path';
import type { Caller, Security } from './security';
import type { Db, Row, Store } from './store';
import { ORGANIZATION_ID, STEP_MODE } from './system-metadata';

export interface Ctx {
  caller: Caller;
  correlationId: string;
  /** Absolute Web API root, ending with '/'. */
  base: string;
  /** Batch Content-ID → entity path of the row it created. */
  contentIds?: Map<string, string>;
  /** Set when a committed write queued async plugin jobs. */
  queuedAsync?: boolean;
  /** MSCRM.BypassCustomPluginExecution: true, honoured for the application user only (it holds prvBypassCustomPlugins). */
  bypassPlugins?: boolean;
}

export type Annotations = (name: string) => boolean;

export const noAnnotations: Annotations = () => false;

export function annotationFilter(prefer: string | undefined): Annotations {
  const m = /odata\.include-annotations="?([^",;]*(?:,[^",;]*)*)"?/i.exec(prefer ?? '');
  if (!m) return noAnnotations;
  const patterns = m[1].split(',').map((p) => p.trim()).filter(Boolean);
  return (name) => patterns.some((p) => p === '*' || p === name || (p.endsWith('.*') && name.startsWith(p.slice(0, -1))));
}

const READONLY_SYSTEM = new Set(['createdon', 'modifiedon', 'createdby', 'modifiedby', 'versionnumber', 'owningbusinessunit']);
const MAX_PAGE = 5000;

interface ParsedInput {
  values: Row;
  relate: { nav: NavProperty; targets: { entity: EntityMetadata; id: string }[] }[];
  /** deep insert: related rows given inline, created with the row ("Create related table rows in one operation") */
  deep: { nav: NavProperty; bodies: Record<string, unknown>[] }[];
}

/** How many levels of related rows one deep insert may nest. */
const MAX_DEEP_INSERT_DEPTH = 10;

export interface QueryPage {
  rows: Record<string, unknown>[];
  count?: number;
  nextOffset?: number;
}

export class Operations {
  constructor(
    readonly model: Model,
    readonly store: Store,
    readonly security: Security,
    readonly plugins: PluginDispatcher,
    private readonly clock: () => number = Date.now,
    private readonly labels?: ChoiceLabels,
  ) {}

  private nowIso(): string {
    return new Date(Math.floor(this.clock() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }

  // ---------- keys and references

  /** Column values for a key in the URL: the primary id, or a declared alternate key. */
  keyColumns(e: EntityMetadata, key: ParsedKey): Row {
    if ('id' in key) return { [e.primaryIdAttribute]: key.id };
    const values: Row = {};
    for (const [name, lit] of key.pairs) {
      const lookup = /^_(.+)_value$/.exec(name);
      const a = e.attributes[lookup ? lookup[1] : name];
      if (!a) throw unknownProperty(name, e.logicalName);
      values[a.logicalName] = bindValue(a, lit, 'Equal');
      const targets = isLookup(a) ? this.model.lookupTargets(a) : [];
      if (targets.length === 1) values[`${a.logicalName}__type`] = targets[0];
    }
    const cols = Object.keys(values).filter((c) => !c.endsWith('__type')).sort().join(',');
    if (cols === e.primaryIdAttribute) return values;
    if (!e.alternateKeys.some((k) => [...k.columns].sort().join(',') === cols)) {
      throw badRequest(`The key (${Object.keys(values).join(', ')}) is not a valid alternate key of entity '${e.logicalName}'.`, ErrorCodes.invalidArgument);
    }
    return values;
  }

  find(db: Db, e: EntityMetadata, key: ParsedKey): Row | undefined {
    const cols = this.keyColumns(e, key);
    if ('id' in key) return this.store.get(db, e, key.id);
    const where: Row = {};
    for (const [c, v] of Object.entries(cols)) if (!c.endsWith('__type')) where[c] = v;
    return this.store.findBy(db, e, where);
  }

  findOrThrow(db: Db, e: EntityMetadata, key: ParsedKey): Row {
    const row = this.find(db, e, key);
    if (row) return row;
    throw this.missing(e, key);
  }

  private missing(e: EntityMetadata, key: ParsedKey): DataverseError {
    if ('id' in key) return notFound(e.logicalName, key.id);
    return notFoundByKey(e.logicalName, key.pairs.map(([k, v]) => `${k}:${'value' in v ? String(v.value) : 'null'}`).join(','));
  }

  private resolveTarget(ctx: Ctx, url: unknown, expected?: string[]): { entity: EntityMetadata; id: string } {
    if (typeof url !== 'string') throw badRequest('An entity reference must be a URL string.');
    const ref = parseEntityUrl(this.model, url, ctx.contentIds);
    if (expected && !expected.includes(ref.entity.logicalName)) {
      throw badRequest(`The entity reference '${url}' points to '${ref.entity.logicalName}', expected ${expected.join(' or ')}.`);
    }
    const row = this.findOrThrow(this.store.writer, ref.entity, ref.key);
    return { entity: ref.entity, id: row[ref.entity.primaryIdAttribute] as string };
  }

  // ---------- input

  coerce(e: EntityMetadata, a: AttributeMetadata, value: unknown): unknown {
    if (value === null) return null;
    const invalid = (why: string) => badRequest(`A validation error occurred. The value of '${a.logicalName}' on record of type '${e.logicalName}' ${why}.`, ErrorCodes.validationFailed);
    const range = (n: number) => {
      if ((a.min !== undefined && n < a.min) || (a.max !== undefined && n > a.max)) {
        throw new DataverseError(400, ErrorCodes.valueOutOfRange, `A validation error occurred. The value ${n} of '${a.logicalName}' on record of type '${e.logicalName}' is outside the valid range.`);
      }
      return n;
    };
    switch (a.type) {
      case 'string': case 'memo':
        if (typeof value !== 'string') throw invalid('must be a string');
        if (a.maxLength !== undefined && value.length > a.maxLength) {
          throw invalid(`exceeded the maximum allowed length of '${a.maxLength}'`);
        }
        return value;
      case 'integer': case 'bigint':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid('must be a whole number');
        return range(value);
      case 'decimal': case 'double': case 'money': {
        const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
        if (typeof n !== 'number' || Number.isNaN(n)) throw invalid('must be a number');
        return range(n);
      }
      case 'boolean':
        if (typeof value !== 'boolean') throw invalid('must be true or false');
        return value ? 1 : 0;
      case 'datetime':
        if (typeof value !== 'string') throw invalid('must be an ISO 8601 date and time');
        return normaliseDateTime(value);
      case 'choice': case 'state': case 'status':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid('must be an option value');
        if (a.options && !a.options.includes(value)) {
          throw new DataverseError(400, ErrorCodes.valueOutOfRange, `A validation error occurred. The value ${value} of '${a.logicalName}' on record of type '${e.logicalName}' is outside the valid range.`);
        }
        return value;
      case 'multichoice': {
        const list = typeof value === 'string' ? value.split(',').filter(Boolean).map(Number) : value;
        if (!Array.isArray(list) || list.some((v) => !Number.isInteger(v) || (a.options && !a.options.includes(v)))) {
          throw invalid('must be a comma-separated list of option values');
        }
        return list.join(',');
      }
      case 'uniqueidentifier':
        if (typeof value !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw invalid('must be a GUID');
        return value.toLowerCase();
      default:
        throw unsupported(`writing ${a.type} columns`);
    }
  }

  parseInput(ctx: Ctx, e: EntityMetadata, body: unknown): ParsedInput {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
    const values: Row = {};
    const relate: ParsedInput['relate'] = [];
    const deep: ParsedInput['deep'] = [];
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key.startsWith('@odata.')) continue;
      if (key.endsWith('@odata.bind')) {
        const navName = key.slice(0, -'@odata.bind'.length);
        const nav = this.model.nav(e.logicalName, navName);
        if (!nav) {
          throw payloadError(e.entitySetName, `An undeclared property '${navName}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`);
        }
        if (nav.kind === 'single') {
          if (value === null) {
            values[nav.attribute] = null;
            values[`${nav.attribute}__type`] = null;
            continue;
          }
          const t = this.resolveTarget(ctx, value, [nav.target]);
          this.security.require(ctx.caller, e.logicalName, 'append');
          this.security.require(ctx.caller, t.entity.logicalName, 'appendTo');
          values[nav.attribute] = t.id;
          values[`${nav.attribute}__type`] = t.entity.logicalName;
        } else {
          if (!Array.isArray(value)) throw badRequest(`The value of '${key}' must be an array of entity URLs for a collection-valued navigation property.`);
          relate.push({ nav, targets: value.map((v) => this.resolveTarget(ctx, v, [nav.target])) });
        }
        continue;
      }
      if (key.includes('@')) continue; // instance annotations sent back by clients are ignored, as Dataverse does
      const nav = value !== null && typeof value === 'object' ? this.model.nav(e.logicalName, key) : undefined;
      if (nav) {
        // a navigation property with a value: the related row(s) themselves, to create with this one
        const bodies = nav.kind === 'single' ? [value] : value;
        if (!Array.isArray(bodies) || bodies.some((b) => !b || typeof b !== 'object' || Array.isArray(b))) {
          throw badRequest(nav.kind === 'single'
            ? `The value of the single-valued navigation property '${key}' must be an object (the related row to create).`
            : `The value of the collection-valued navigation property '${key}' must be an array of objects (the related rows to create).`);
        }
        deep.push({ nav, bodies: bodies as Record<string, unknown>[] });
        continue;
      }
      const a = e.attributes[key];
      if (!a || isLookup(a)) {
        throw badRequest(`An error occurred while validating input parameters: Microsoft.Crm.CrmException: Invalid property '${key}' was found in entity 'Microsoft.Dynamics.CRM.${e.logicalName}'. ---> Microsoft.OData.ODataException: Does not support untyped value in non-open type.`, ErrorCodes.odataInvalidProperty);
      }
      if (a.system && READONLY_SYSTEM.has(key)) continue;
      values[key] = this.coerce(e, a, value);
    }
    return { values, relate, deep };
  }

  // ---------- plugin pipeline

  private execInput(ctx: Ctx, message: ExecutionInput['message'], e: EntityMetadata, id: string, stage: number, mode: number, extra: Partial<ExecutionInput>): ExecutionInput {
    return {
      message, entity: e, id, stage, mode, userId: ctx.caller.userId, businessUnitId: ctx.caller.businessUnitId,
      correlationId: ctx.correlationId, requestId: randomUUID(), depth: 1, ...extra,
    };
  }

  private async runPre(ctx: Ctx, message: ExecutionInput['message'], e: EntityMetadata, id: string, target: Row | undefined, preImage?: Row, relationship?: ExecutionInput['relationship']): Promise<void> {
    if (ctx.bypassPlugins) return;
    for (const stage of [10, 20]) {
      for (const step of this.plugins.steps(message, e.logicalName, stage, STEP_MODE.sync)) {
        const input = this.execInput(ctx, message, e, id, stage, STEP_MODE.sync, { target, preImage, ...(relationship ? { relationship } : {}) });
        if (!this.plugins.matchesFilter(step, input)) continue;
        const changes = await this.plugins.runSync(step, input);
        if (changes && target) {
          const parsed = this.parseInput(ctx, e, changes);
          if (parsed.deep.length || parsed.relate.length) throw new DataverseError(500, ErrorCodes.unexpected, `The step '${step.name}' answered a Target with related rows; only column values and single-valued @odata.bind may be changed.`);
          Object.assign(target, parsed.values);
        }
      }
    }
  }

  private async runPost(ctx: Ctx, message: ExecutionInput['message'], e: EntityMetadata, id: string, target: Row | undefined, preImage?: Row, postImage?: Row, relationship?: ExecutionInput['relationship']): Promise<void> {
    if (ctx.bypassPlugins) return;
    for (const mode of [STEP_MODE.sync, STEP_MODE.async]) {
      for (const step of this.plugins.steps(message, e.logicalName, 40, mode)) {
        const input = this.execInput(ctx, message, e, id, 40, mode, { target, preImage, postImage, ...(relationship ? { relationship } : {}) });
        if (!this.plugins.matchesFilter(step, input)) continue;
        if (mode === STEP_MODE.sync) await this.plugins.runSync(step, input);
        else {
          this.plugins.enqueue(step, input);
          ctx.queuedAsync = true;
        }
      }
    }
  }

  // ---------- writes (inside a transaction)

  private checkEtag(row: Row, ifMatch: string | undefined): void {
    if (!ifMatch || ifMatch.trim() === '*') return;
    const tags = ifMatch.split(',').map((t) => /"?(\d+)"?\s*$/.exec(t.trim())?.[1]);
    if (!tags.includes(String(row.versionnumber))) throw versionMismatch();
  }

  private checkAlternateKeys(e: EntityMetadata, merged: Row, id: string): void {
    for (const k of e.alternateKeys) {
      const vals: Row = {};
      for (const c of k.columns) vals[c] = merged[c];
      if (k.columns.some((c) => vals[c] === null || vals[c] === undefined)) continue;
      const other = this.store.findBy(this.store.writer, e, vals);
      if (other && other[e.primaryIdAttribute] !== id) throw duplicate(e.logicalName);
    }
  }

  private guardUnique<T>(e: EntityMetadata, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw duplicate(e.logicalName);
      throw err;
    }
  }

  /** Columns the platform maintains itself: owninguser follows ownerid, fullname follows first/last name. */
  private derive(e: EntityMetadata, values: Row, before?: Row): void {
    const a = e.attributes;
    if (a.owninguser && values.ownerid !== undefined) {
      const user = values.ownerid__type === 'systemuser' || values.ownerid__type === undefined ? values.ownerid : null;
      values.owninguser = user ?? null;
      values.owninguser__type = user ? 'systemuser' : null;
    }
    if ((e.logicalName === 'contact' || e.logicalName === 'systemuser') && a.fullname && a.firstname && a.lastname
      && (values.firstname !== undefined || values.lastname !== undefined) && values.fullname === undefined) {
      const first = values.firstname !== undefined ? values.firstname : before?.firstname;
      const last = values.lastname !== undefined ? values.lastname : before?.lastname;
      values.fullname = [first, last].filter((x) => typeof x === 'string' && x.length > 0).join(' ') || null;
    }
  }

  async create(ctx: Ctx, e: EntityMetadata, body: unknown, preset: Row = {}, level = 0): Promise<Row> {
    const depth = this.security.require(ctx.caller, e.logicalName, 'create');
    const { values, relate, deep } = this.parseInput(ctx, e, body);
    if (deep.length && level >= MAX_DEEP_INSERT_DEPTH) throw badRequest(`A deep insert may nest related rows ${MAX_DEEP_INSERT_DEPTH} levels deep at most.`);
    // deep insert, single-valued: the related row exists first so this one can point at it
    for (const d of deep) {
      if (d.nav.kind !== 'single') continue;
      const target = this.model.entity(d.nav.target);
      this.security.require(ctx.caller, e.logicalName, 'append');
      this.security.require(ctx.caller, target.logicalName, 'appendTo');
      const related = await this.create(ctx, target, d.bodies[0], {}, level + 1);
      values[d.nav.attribute] = related[target.primaryIdAttribute];
      values[`${d.nav.attribute}__type`] = target.logicalName;
    }
    Object.assign(values, preset);
    const pk = e.primaryIdAttribute;
    const id = ((values[pk] as string) ?? randomUUID()).toLowerCase();
    values[pk] = id;
    if (this.store.get(this.store.writer, e, id)) throw duplicate(e.logicalName);
    const now = this.nowIso();
    const a = e.attributes;
    if (a.statecode && values.statecode == null) values.statecode = 0;
    for (const [col, attr] of Object.entries(a)) {
      if (attr.defaultValue !== undefined && values[col] == null) values[col] = typeof attr.defaultValue === 'boolean' ? Number(attr.defaultValue) : attr.defaultValue;
    }
    if (a.statuscode && values.statuscode == null) values.statuscode = a.statuscode.options?.[0] ?? 1;
    if (e.ownership === 'user' && a.ownerid) {
      if (values.ownerid == null) {
        values.ownerid = ctx.caller.userId;
        values.ownerid__type = 'systemuser';
      } else if (depth === 'basic' && values.ownerid !== ctx.caller.userId) {
        this.security.require(ctx.caller, e.logicalName, 'assign');
      }
      if (a.owningbusinessunit) values.owningbusinessunit = ctx.caller.businessUnitId;
    }
    for (const col of ['createdon', 'modifiedon']) if (a[col]) values[col] = now;
    if (e.isActivity && a.activitytypecode) values.activitytypecode = e.logicalName;
    if (a.organizationid && isLookup(a.organizationid) && values.organizationid == null) {
      values.organizationid = ORGANIZATION_ID;
      values.organizationid__type = 'organization';
    }
    for (const col of ['createdby', 'modifiedby']) {
      if (a[col]) {
        values[col] = ctx.caller.userId;
        values[`${col}__type`] = 'systemuser';
      }
    }
    await this.runPre(ctx, 'Create', e, id, values);
    // after the pre-stages: a step setting a secured column does so with the caller's permissions
    this.security.requireColumnWrite(ctx.caller, e, values, 'create');
    values[pk] = id;
    this.derive(e, values);
    if (a.versionnumber) values.versionnumber = this.store.nextVersion();
    this.checkAlternateKeys(e, values, id);
    this.guardUnique(e, () => this.store.insert(e, values));
    const post = this.store.get(this.store.writer, e, id)!;
    for (const r of relate) for (const t of r.targets) this.link(ctx, e, post, r.nav, t);
    await this.runPost(ctx, 'Create', e, id, values, undefined, post);
    // deep insert, collection-valued: each related row is its own Create (plugins fire for each, as
    // on Dataverse), pointing back at this row (1:N) or linked through the intersect table (N:N)
    for (const d of deep) {
      if (d.nav.kind === 'single') continue;
      const target = this.model.entity(d.nav.target);
      for (const childBody of d.bodies) {
        if (d.nav.kind === 'oneToMany') {
          this.security.require(ctx.caller, target.logicalName, 'append');
          this.security.require(ctx.caller, e.logicalName, 'appendTo');
          await this.create(ctx, target, childBody, { [d.nav.lookup]: id, [`${d.nav.lookup}__type`]: e.logicalName }, level + 1);
        } else {
          const child = await this.create(ctx, target, childBody, {}, level + 1);
          this.link(ctx, e, post, d.nav, { entity: target, id: child[target.primaryIdAttribute] as string });
        }
      }
    }
    return post;
  }

  async update(ctx: Ctx, e: EntityMetadata, row: Row, body: unknown, ifMatch?: string): Promise<Row> {
    this.security.requireRow(ctx.caller, e, row, 'write');
    this.checkEtag(row, ifMatch);
    const { values, relate, deep } = this.parseInput(ctx, e, body);
    // Dataverse creates related rows inline only on create ("deep insert"); there is no deep update
    if (deep.length) throw unsupported(`related rows inline in an update ('${deep[0].nav.name}'); deep insert works on create only`);
    delete values[e.primaryIdAttribute];
    const updated = await this.applyUpdate(ctx, e, row, values);
    for (const r of relate) for (const t of r.targets) this.link(ctx, e, updated, r.nav, t);
    return updated;
  }

  private async applyUpdate(ctx: Ctx, e: EntityMetadata, row: Row, values: Row): Promise<Row> {
    const id = row[e.primaryIdAttribute] as string;
    if (values.ownerid !== undefined && values.ownerid !== row.ownerid) this.security.requireRow(ctx.caller, e, row, 'assign');
    await this.runPre(ctx, 'Update', e, id, values, row);
    this.security.requireColumnWrite(ctx.caller, e, values, 'update');
    delete values[e.primaryIdAttribute];
    const target = { ...values };
    this.derive(e, values, row);
    const a = e.attributes;
    if (a.modifiedon) values.modifiedon = this.nowIso();
    if (a.modifiedby) {
      values.modifiedby = ctx.caller.userId;
      values.modifiedby__type = 'systemuser';
    }
    if (a.versionnumber) values.versionnumber = this.store.nextVersion();
    this.checkAlternateKeys(e, { ...row, ...values }, id);
    this.guardUnique(e, () => this.store.update(e, id, values));
    const post = this.store.get(this.store.writer, e, id)!;
    await this.runPost(ctx, 'Update', e, id, target, row, post);
    return post;
  }

  async upsert(ctx: Ctx, e: EntityMetadata, key: ParsedKey, body: unknown, ifMatch?: string, ifNoneMatch?: string): Promise<{ created: boolean; row: Row }> {
    const existing = this.find(this.store.writer, e, key);
    if (existing) {
      if (ifNoneMatch?.trim() === '*') throw duplicate(e.logicalName);
      return { created: false, row: await this.update(ctx, e, existing, body, ifMatch) };
    }
    // If-Match (* or an etag) makes PATCH update-only: nothing to update is a 404, never a create
    if (ifMatch) throw this.missing(e, key);
    return { created: true, row: await this.create(ctx, e, body, this.keyColumns(e, key)) };
  }

  async remove(ctx: Ctx, e: EntityMetadata, row: Row, ifMatch?: string): Promise<void> {
    this.security.requireRow(ctx.caller, e, row, 'delete');
    this.checkEtag(row, ifMatch);
    const id = row[e.primaryIdAttribute] as string;
    await this.runPre(ctx, 'Delete', e, id, undefined, row);
    this.deleteCascade(e, id);
    await this.runPost(ctx, 'Delete', e, id, undefined, row, undefined);
  }

  /** Cascade rules of the 1:N relationships; cascaded child deletes run no plugins (a documented gap). */
  private deleteCascade(e: EntityMetadata, id: string): void {
    for (const r of this.model.metadata.oneToMany) {
      if (r.referencedTable !== e.logicalName || !this.model.hasEntity(r.referencingTable)) continue;
      const child = this.model.entity(r.referencingTable);
      const where = `t.${quoteIdent(r.lookupColumn)} = ?`;
      const children = this.store.select(this.store.writer, child, where, [id], '');
      if (!children.length) continue;
      if (r.cascadeDelete === 'Restrict') {
        throw new DataverseError(400, ErrorCodes.cascadeRestricted, `The record cannot be deleted because it is associated with another record (${r.schemaName}).`);
      }
      for (const c of children) {
        const cid = c[child.primaryIdAttribute] as string;
        if (r.cascadeDelete === 'Cascade') this.deleteCascade(child, cid);
        else this.store.update(child, cid, { [r.lookupColumn]: null, [`${r.lookupColumn}__type`]: null, versionnumber: this.store.nextVersion() });
      }
    }
    for (const x of this.model.intersects) {
      if (x.table1 === e.logicalName) this.store.removeIntersectRows(x.name, x.column1, id);
      if (x.table2 === e.logicalName) this.store.removeIntersectRows(x.name, x.column2, id);
    }
    this.store.delete(e, id);
  }

  private link(ctx: Ctx, e: EntityMetadata, row: Row, nav: NavProperty, target: { entity: EntityMetadata; id: string }): void {
    const id = row[e.primaryIdAttribute] as string;
    if (nav.kind === 'manyToMany') {
      this.security.require(ctx.caller, e.logicalName, 'append');
      this.security.require(ctx.caller, target.entity.logicalName, 'appendTo');
      if (!this.store.associate(nav.intersect, nav.selfColumn, id, nav.otherColumn, target.id)) {
        throw new DataverseError(412, ErrorCodes.duplicateRecord, 'Cannot insert duplicate key: the records are already associated.');
      }
    } else if (nav.kind === 'oneToMany') {
      this.security.require(ctx.caller, target.entity.logicalName, 'append');
      this.store.update(target.entity, target.id, { [nav.lookup]: id, [`${nav.lookup}__type`]: e.logicalName, versionnumber: this.store.nextVersion() });
    }
  }

  async associate(ctx: Ctx, e: EntityMetadata, row: Row, navName: string, body: unknown): Promise<void> {
    const nav = this.navOrThrow(e, navName);
    const url = (body as { '@odata.id'?: unknown } | null)?.['@odata.id'];
    const target = this.resolveTarget(ctx, url, [nav.target]);
    if (nav.kind === 'single') {
      this.security.requireRow(ctx.caller, e, row, 'write');
      await this.applyUpdate(ctx, e, row, { [nav.attribute]: target.id, [`${nav.attribute}__type`]: target.entity.logicalName });
      return;
    }
    if (nav.kind === 'oneToMany') {
      const child = this.findOrThrow(this.store.writer, target.entity, { id: target.id });
      this.security.requireRow(ctx.caller, target.entity, child, 'write');
      await this.applyUpdate(ctx, target.entity, child, { [nav.lookup]: row[e.primaryIdAttribute], [`${nav.lookup}__type`]: e.logicalName });
      return;
    }
    // N:N: the Associate message, through the same pipeline as a write (sync steps may veto
    // inside the transaction; async ones are queued only if it commits).
    const id = row[e.primaryIdAttribute] as string;
    const relationship = this.relationshipOf(e, nav, target.entity.logicalName, target.id);
    await this.runPre(ctx, 'Associate', e, id, undefined, undefined, relationship);
    this.link(ctx, e, row, nav, target);
    await this.runPost(ctx, 'Associate', e, id, undefined, undefined, undefined, relationship);
  }

  private relationshipOf(e: EntityMetadata, nav: NavProperty, relatedTable: string, relatedId: string): ExecutionInput['relationship'] {
    const self = nav.kind === 'manyToMany' && nav.target === e.logicalName;
    return { schemaName: nav.name, primaryEntityRole: self ? (nav.selfColumn.endsWith('idone') ? 0 : 1) : null, related: [{ logicalName: relatedTable, id: relatedId }] };
  }

  async disassociate(ctx: Ctx, e: EntityMetadata, row: Row, navName: string, relatedId?: string): Promise<void> {
    const nav = this.navOrThrow(e, navName);
    if (nav.kind === 'single') {
      this.security.requireRow(ctx.caller, e, row, 'write');
      await this.applyUpdate(ctx, e, row, { [nav.attribute]: null, [`${nav.attribute}__type`]: null });
      return;
    }
    if (!relatedId) throw badRequest(`Disassociating '${navName}' needs the related record id.`);
    if (nav.kind === 'oneToMany') {
      const target = this.model.entity(nav.target);
      const child = this.findOrThrow(this.store.writer, target, { id: relatedId });
      if (child[nav.lookup] !== row[e.primaryIdAttribute]) throw notFound(target.logicalName, relatedId);
      this.security.requireRow(ctx.caller, target, child, 'write');
      await this.applyUpdate(ctx, target, child, { [nav.lookup]: null, [`${nav.lookup}__type`]: null });
      return;
    }
    this.security.require(ctx.caller, e.logicalName, 'append');
    const id = row[e.primaryIdAttribute] as string;
    const relationship = this.relationshipOf(e, nav, nav.target, relatedId.toLowerCase());
    await this.runPre(ctx, 'Disassociate', e, id, undefined, undefined, relationship);
    if (!this.store.disassociate(nav.intersect, nav.selfColumn, id, nav.otherColumn, relatedId)) {
      throw notFound(nav.target, relatedId);
    }
    await this.runPost(ctx, 'Disassociate', e, id, undefined, undefined, undefined, relationship);
  }

  navOrThrow(e: EntityMetadata, navName: string): NavProperty {
    const nav = this.model.nav(e.logicalName, navName);
    if (!nav) throw unknownProperty(navName, e.logicalName);
    return nav;
  }

  // ---------- reads

  private selected(e: EntityMetadata, select?: string[]): AttributeMetadata[] {
    if (!select?.length || select.includes('*')) return Object.values(e.attributes);
    const cols = new Map<string, AttributeMetadata>();
    for (const s of select) {
      const a = resolveColumn(e, s);
      cols.set(a.logicalName, a);
    }
    return [...cols.values()];
  }

  formatted(e: EntityMetadata, a: AttributeMetadata, v: unknown): string | undefined {
    switch (a.type) {
      case 'boolean': return v === 1 ? 'Yes' : 'No';
      case 'choice': case 'state': case 'status': return formatChoice(this.labels, e, a.logicalName, v as number);
      case 'multichoice': {
        const parts = String(v).split(',').filter(Boolean).map((x) => formatChoice(this.labels, e, a.logicalName, Number(x)));
        return parts.every((p) => p !== undefined) ? parts.join('; ') : undefined;
      }
      default: return undefined;
    }
  }

  toJson(ctx: Ctx, db: Db, e: EntityMetadata, row: Row, options: QueryOptions, annotations: Annotations): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (row.versionnumber != null) out['@odata.etag'] = `W/"${row.versionnumber}"`;
    for (const a of this.selected(e, options.select)) {
      // column security: a secured column the caller may not read reads as null, indistinguishable from empty
      const v = this.security.columnAllowed(ctx.caller, e, a, 'read') ? row[a.logicalName] ?? null : null;
      if (isLookup(a)) {
        const key = `_${a.logicalName}_value`;
        out[key] = v;
        if (v !== null) {
          const target = (row[`${a.logicalName}__type`] as string) ?? this.model.lookupTargets(a)[0];
          if (annotations('OData.Community.Display.V1.FormattedValue') && this.model.hasEntity(target)) {
            const te = this.model.entity(target);
            const tr = this.store.get(db, te, v as string);
            if (tr && tr[te.primaryNameAttribute] != null) out[`${key}@OData.Community.Display.V1.FormattedValue`] = tr[te.primaryNameAttribute];
          }
          if (annotations('Microsoft.Dynamics.CRM.associatednavigationproperty')) {
            out[`${key}@Microsoft.Dynamics.CRM.associatednavigationproperty`] = this.model.lookupNavName(a, target);
          }
          if (annotations('Microsoft.Dynamics.CRM.lookuplogicalname')) out[`${key}@Microsoft.Dynamics.CRM.lookuplogicalname`] = target;
        }
        continue;
      }
      out[a.logicalName] = v === null ? null : a.type === 'boolean' ? v === 1 : v;
      if (v !== null && annotations('OData.Community.Display.V1.FormattedValue')) {
        const formatted = this.formatted(e, a, v);
        if (formatted !== undefined) out[`${a.logicalName}@OData.Community.Display.V1.FormattedValue`] = formatted;
      }
    }
    out[e.primaryIdAttribute] = row[e.primaryIdAttribute];
    for (const x of options.expand ?? []) out[x.nav] = this.expand(ctx, db, e, row, x.nav, x.options, annotations);
    return out;
  }

  private expand(ctx: Ctx, db: Db, e: EntityMetadata, row: Row, navName: string, options: QueryOptions, annotations: Annotations): unknown {
    const nav = this.navOrThrow(e, navName);
    const target = this.model.entity(nav.target);
    if (nav.kind === 'single') {
      if (options.filter || options.orderby || options.top !== undefined) throw badRequest(`Only $select and $expand are allowed when expanding the single-valued navigation property '${navName}'.`);
      const id = row[nav.attribute] as string | null;
      if (!id || (row[`${nav.attribute}__type`] ?? nav.target) !== nav.target) return null;
      const related = this.store.get(db, target, id);
      if (!related) return null;
      const depth = this.security.require(ctx.caller, target.logicalName, 'read');
      if (!this.security.canAccess(ctx.caller, target, related, depth)) return null;
      return this.toJson(ctx, db, target, related, options, annotations);
    }
    return this.related(ctx, db, e, row, nav, { ...options, top: options.top ?? MAX_PAGE }, MAX_PAGE, 0, annotations).rows;
  }

  /** Rows on the other side of a collection-valued navigation property. */
  related(ctx: Ctx, db: Db, e: EntityMetadata, row: Row, nav: NavProperty, options: QueryOptions, pageSize: number, offset: number, annotations: Annotations): QueryPage {
    const id = row[e.primaryIdAttribute] as string;
    const target = this.model.entity(nav.target);
    if (nav.kind === 'oneToMany') {
      return this.query(ctx, db, target, options, pageSize, offset, annotations, { sql: `t.${quoteIdent(nav.lookup)} = ?`, params: [id] });
    }
    if (nav.kind === 'manyToMany') {
      const sql = `t.${quoteIdent(target.primaryIdAttribute)} IN (SELECT ${quoteIdent(nav.otherColumn)} FROM ${quoteIdent(nav.intersect)} WHERE ${quoteIdent(nav.selfColumn)} = ?)`;
      return this.query(ctx, db, target, options, pageSize, offset, annotations, { sql, params: [id] });
    }
    throw badRequest(`'${nav.name}' is a single-valued navigation property.`);
  }

  query(ctx: Ctx, db: Db, e: EntityMetadata, options: QueryOptions, pageSize: number, offset: number, annotations: Annotations, extra?: { sql: string; params: unknown[] }): QueryPage {
    const scope = this.security.readScope(ctx.caller, e);
    if (options.apply) {
      const rows = runApply({
        db, scope: this.sqlScope(ctx), where: extra ? [scope, extra] : [scope],
        formatted: (te, a, v) => this.formatted(te, a, v), wantsFormatted: annotations('OData.Community.Display.V1.FormattedValue'),
      }, e, options.apply, options);
      return { rows };
    }
    const where: string[] = [];
    const params: unknown[] = [];
    for (const part of [scope, extra]) {
      if (part?.sql) { where.push(part.sql); params.push(...part.params); }
    }
    const sqlScope = this.sqlScope(ctx);
    if (options.filter) {
      const f = compileFilter(options.filter, e, sqlScope);
      where.push(f.sql);
      params.push(...f.params);
    }
    const order = (options.orderby ?? []).map((o) => `${sqlScope.column('t', e, resolveColumn(e, o.property))} ${o.desc ? 'DESC' : 'ASC'}`);
    order.push(`t.${quoteIdent(e.primaryIdAttribute)} ASC`);
    const whereSql = where.join(' AND ');
    const size = Math.min(Math.max(pageSize, 1), MAX_PAGE);
    let rows: Row[];
    let nextOffset: number | undefined;
    if (options.top !== undefined) {
      rows = this.store.select(db, e, whereSql, params, order.join(', '), Math.min(options.top, MAX_PAGE));
    } else {
      rows = this.store.select(db, e, whereSql, params, order.join(', '), size + 1, offset);
      if (rows.length > size) {
        rows = rows.slice(0, size);
        nextOffset = offset + size;
      }
    }
    const page: QueryPage = { rows: rows.map((r) => this.toJson(ctx, db, e, r, options, annotations)), nextOffset };
    if (options.count) page.count = this.store.count(db, e, whereSql, params);
    return page;
  }

  /** GET <entityset>?fetchXml=...: the response body without its @odata.context. */
  fetchXml(ctx: Ctx, db: Db, e: EntityMetadata, xml: string, annotations: Annotations, withCount = false): Record<string, unknown> {
    const runtime = {
      model: this.model, db, scope: this.sqlScope(ctx), annotations,
      rowJson: (row: Row, select: string[] | undefined) => this.toJson(ctx, db, e, row, { select }, annotations),
      formatted: (te: EntityMetadata, a: AttributeMetadata, v: unknown) => this.formatted(te, a, v),
    };
    return runFetchXml(runtime, e, xml, this.security.readScope(ctx.caller, e), withCount).body;
  }

  /** How queries see the caller's session: row scopes of related tables, the clock, the user. */
  sqlScope(ctx: Ctx): SqlScope {
    return {
      model: this.model,
      // a secured column the caller may not read is NULL wherever a query uses it (filter, order, group, aggregate)
      column: (alias, te, a) => (this.security.columnAllowed(ctx.caller, te, a, 'read') ? `${alias}.${quoteIdent(a.logicalName)}` : 'NULL'),
      readScope: (target, alias) => this.security.readScope(ctx.caller, target, alias),
      userId: ctx.caller.userId,
      businessUnitId: ctx.caller.businessUnitId,
      now: this.clock(),
    };
  }

  retrieveRow(ctx: Ctx, db: Db, e: EntityMetadata, key: ParsedKey, kind: PrivilegeKind = 'read'): Row {
    const row = this.findOrThrow(db, e, key);
    this.security.requireRow(ctx.caller, e, row, kind);
    return row;
  }
}
