// The Web API surface: routes a request (already authenticated) to the operations, shapes
// responses and errors the way Dataverse does, and runs $batch change sets atomically.
import { randomUUID } from 'node:crypto';
import type { EntityMetadata } from '@switchboard/solution';
import { type BatchOutput, type HttpPart, type PartResponse, parseBatch, writeBatch } from './batch';
import { entityDefinitions } from './entity-definitions';
import { DataverseError, ErrorCodes, badRequest, segmentNotFound, unknownProperty, unsupported } from './errors';
import { type Ctx, type Operations, annotationFilter } from './operations';
import { type QueryOptions, parseQueryString, splitTopLevel } from './odata-query';
import { isLookup } from './model';
import { resolveColumn } from './odata-filter';
import { parseEntityUrl, parseKey, parseSegment } from './resource-path';
import type { Row } from './store';
import { ORGANIZATION_ID } from './system-metadata';

export const API_PREFIX = '/api/data/v9.2/';

export interface CoreRequest {
  method: string;
  /** Path relative to the Web API root, with its query string: `contacts(…)?$select=…`. */
  path: string;
  headers: Record<string, string | undefined>;
  body: string;
}

export type CoreResponse = PartResponse;

export type WriteRunner = <T>(ctx: Ctx, fn: () => Promise<T>) => Promise<T>;

const JSON_TYPE = 'application/json; odata.metadata=minimal';

function json(status: number, body: unknown, headers: Record<string, string> = {}): CoreResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE, 'OData-Version': '4.0', ...headers }, body: JSON.stringify(body) };
}

function empty(status: number, headers: Record<string, string> = {}): CoreResponse {
  return { status, headers: { 'OData-Version': '4.0', ...headers }, body: '' };
}

export function errorResponse(err: unknown): CoreResponse {
  if (err instanceof DataverseError) return json(err.status, err.toBody(), err.headers);
  const message = err instanceof Error ? err.message : String(err);
  return json(500, { error: { code: ErrorCodes.unexpected, message: `Emulator fault: ${message}` } });
}

function parseBody(body: string): unknown {
  if (!body.trim()) return {};
  try {
    return JSON.parse(body);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

function preferences(prefer: string | undefined): { representation: boolean; maxPageSize?: number; continueOnError: boolean } {
  const p = prefer ?? '';
  const m = /odata\.maxpagesize=(\d+)/i.exec(p);
  return { representation: /return=representation/i.test(p), maxPageSize: m ? Number(m[1]) : undefined, continueOnError: /odata\.continue-on-error/i.test(p) };
}

/** Told about every operation answered: each request, and each part of a $batch (not the envelope). */
export type OperationObserver = (ctx: Ctx, req: CoreRequest, res: CoreResponse) => void;

/** The entity set (or function) a request path names: `contacts(…)/x?$top=1` → contacts. */
export function entitySetOf(path: string): string {
  return /^[^(/?]*/.exec(path)?.[0] || '(root)';
}

export class HttpHandler {
  constructor(
    private readonly ops: Operations,
    private readonly runWrite: WriteRunner,
    private readonly observe?: OperationObserver,
  ) {}

  async handle(ctx: Ctx, req: CoreRequest, inChangeSet = false): Promise<CoreResponse> {
    let response: CoreResponse;
    try {
      response = await this.route(ctx, req, inChangeSet);
    } catch (err) {
      response = errorResponse(err);
    }
    if (this.observe && entitySetOf(req.path) !== '$batch') this.observe(ctx, req, response);
    return response;
  }

  private write<T>(ctx: Ctx, inChangeSet: boolean, fn: () => Promise<T>): Promise<T> {
    return inChangeSet ? fn() : this.runWrite(ctx, fn);
  }

  private async route(ctx: Ctx, req: CoreRequest, inChangeSet: boolean): Promise<CoreResponse> {
    const q = req.path.indexOf('?');
    const rawPath = q < 0 ? req.path : req.path.slice(0, q);
    const search = q < 0 ? '' : req.path.slice(q + 1);
    let pathText: string;
    try {
      pathText = decodeURIComponent(rawPath);
    } catch {
      throw badRequest('The request URL is not correctly encoded.');
    }
    const segments = splitTopLevel(pathText, '/');
    const method = req.method.toUpperCase();
    const h = req.headers;
    const prefer = preferences(h.prefer);
    const annotations = annotationFilter(h.prefer);

    if (!segments.length) {
      if (method !== 'GET') throw new DataverseError(405, ErrorCodes.invalidArgument, 'Method not allowed.');
      const sets = Object.keys(this.ops.model.metadata.entitySets).sort();
      return json(200, { '@odata.context': `${ctx.base}$metadata`, value: sets.map((s) => ({ name: s, kind: 'EntitySet', url: s })) });
    }
    const first = parseSegment(segments[0]);
    if (first.name === '$batch') {
      if (method !== 'POST') throw new DataverseError(405, ErrorCodes.invalidArgument, '$batch needs POST.');
      return this.batch(ctx, req, prefer.continueOnError);
    }
    if (first.name === '$metadata') throw unsupported('the CSDL $metadata document');
    if (first.name === 'WhoAmI') {
      // a function called with POST: Dataverse's routing finds no resource (Troubleshoot Web API client errors)
      if (method !== 'GET') throw new DataverseError(404, '', `No HTTP resource was found that matches the request URI '${ctx.base}WhoAmI'.`);
      return json(200, {
        '@odata.context': `${ctx.base}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: ctx.caller.businessUnitId, UserId: ctx.caller.userId, OrganizationId: ORGANIZATION_ID,
      });
    }
    const options = parseQueryString(search);
    if (first.name === 'EntityDefinitions') {
      if (method !== 'GET') throw unsupported('changing metadata');
      return json(200, entityDefinitions(this.ops.model, first.key, segments.slice(1), options, ctx.base) as Record<string, unknown>);
    }
    const e = this.ops.model.entityBySet(first.name);
    // entity set names are case sensitive: GET Contact is a 404, not a query on contacts
    if (!e) throw segmentNotFound(first.name);

    if (first.key === undefined) {
      if (segments.length === 2 && segments[1] === '$count' && method === 'GET') {
        const page = this.ops.query(ctx, this.ops.store.reader, e, { ...options, top: 0, count: true }, 1, 0, annotations);
        return { status: 200, headers: { 'Content-Type': 'text/plain', 'OData-Version': '4.0' }, body: String(page.count) };
      }
      if (segments.length > 1) throw segmentNotFound(segments[1]);
      if (method === 'GET') return this.collection(ctx, e, options, search, prefer.maxPageSize, first.name, annotations);
      if (method === 'POST') {
        const body = parseBody(req.body);
        const row = await this.write(ctx, inChangeSet, () => this.ops.create(ctx, e, body));
        return this.written(ctx, e, row, 201, prefer.representation, options, annotations);
      }
      throw new DataverseError(405, ErrorCodes.invalidArgument, `${method} is not allowed on an entity set.`);
    }

    const key = parseKey(first.key);
    if (segments.length === 1) {
      switch (method) {
        case 'GET': {
          const db = inChangeSet ? this.ops.store.writer : this.ops.store.reader;
          const row = this.ops.retrieveRow(ctx, db, e, key);
          const etag = `W/"${row.versionnumber}"`;
          if (h['if-none-match'] && h['if-none-match'] === etag) return empty(304, { ETag: etag });
          const body = this.ops.toJson(ctx, db, e, row, options, annotations);
          return json(200, { '@odata.context': `${ctx.base}$metadata#${e.entitySetName}/$entity`, ...body }, { ETag: etag });
        }
        case 'PATCH': {
          const body = parseBody(req.body);
          const r = await this.write(ctx, inChangeSet, () => this.ops.upsert(ctx, e, key, body, h['if-match'], h['if-none-match']));
          return this.written(ctx, e, r.row, r.created ? 201 : 200, prefer.representation, options, annotations);
        }
        case 'DELETE':
          await this.write(ctx, inChangeSet, async () => {
            const row = this.ops.findOrThrow(this.ops.store.writer, e, key);
            await this.ops.remove(ctx, e, row, h['if-match']);
          });
          return empty(204);
        default:
          throw new DataverseError(405, ErrorCodes.invalidArgument, `${method} is not allowed on an entity.`);
      }
    }

    const second = parseSegment(segments[1]);
    const third = segments[2];
    if (segments.length > 3 || (third !== undefined && !['$ref', '$count', '$value'].includes(third))) throw segmentNotFound(segments.slice(2).join('/'));
    const nav = this.ops.model.nav(e.logicalName, second.name);

    if (third === '$ref') {
      if (!nav) throw badRequest(`'${second.name}' is not a navigation property of ${e.logicalName}.`);
      if (method === 'POST' || method === 'PUT') {
        if ((method === 'PUT') !== (nav.kind === 'single')) throw badRequest(`Use ${nav.kind === 'single' ? 'PUT' : 'POST'} to associate through '${nav.name}'.`);
        const body = parseBody(req.body);
        await this.write(ctx, inChangeSet, async () => {
          const row = this.ops.findOrThrow(this.ops.store.writer, e, key);
          await this.ops.associate(ctx, e, row, nav.name, body);
        });
        return empty(204);
      }
      if (method === 'DELETE') {
        // the related row is named in the URL (nav(<id>)/$ref) or, as OData 4 also allows, by ?$id=<entity URL>
        let relatedId = second.key !== undefined ? (parseKey(second.key) as { id?: string }).id : undefined;
        if (options.id !== undefined) {
          if (relatedId) throw badRequest('Name the related row either in the URL or with $id, not both.');
          const ref = parseEntityUrl(this.ops.model, options.id, ctx.contentIds);
          if (ref.entity.logicalName !== nav.target) throw badRequest(`The $id '${options.id}' points to '${ref.entity.logicalName}', expected ${nav.target}.`);
          relatedId = this.ops.findOrThrow(this.ops.store.reader, ref.entity, ref.key)[ref.entity.primaryIdAttribute] as string;
        }
        await this.write(ctx, inChangeSet, async () => {
          const row = this.ops.findOrThrow(this.ops.store.writer, e, key);
          await this.ops.disassociate(ctx, e, row, nav.name, relatedId);
        });
        return empty(204);
      }
      throw new DataverseError(405, ErrorCodes.invalidArgument, `${method} is not allowed on $ref.`);
    }
    if (options.id !== undefined) throw badRequest('$id is only allowed when deleting a reference (.../$ref?$id=...).');

    if (nav) {
      if (method !== 'GET') throw new DataverseError(405, ErrorCodes.invalidArgument, `${method} is not allowed on a navigation property; use $ref.`);
      if (third === '$value') throw segmentNotFound('$value');
      const db = this.ops.store.reader;
      const row = this.ops.retrieveRow(ctx, db, e, key);
      if (nav.kind === 'single') {
        if (third === '$count') throw badRequest(`$count needs a collection; '${nav.name}' is single-valued.`);
        const target = this.ops.model.entity(nav.target);
        const id = row[nav.attribute] as string | null;
        if (!id || (row[`${nav.attribute}__type`] ?? nav.target) !== nav.target) return empty(204);
        const related = this.ops.retrieveRow(ctx, db, target, { id });
        return json(200, { '@odata.context': `${ctx.base}$metadata#${target.entitySetName}/$entity`, ...this.ops.toJson(ctx, db, target, related, options, annotations) });
      }
      const target = this.ops.model.entity(nav.target);
      if (third === '$count') {
        // OData's /$count answers the bare number as text/plain (Query data: "Count rows")
        const page = this.ops.related(ctx, db, e, row, nav, { ...options, top: 0, count: true }, 1, 0, annotations);
        return { status: 200, headers: { 'Content-Type': 'text/plain', 'OData-Version': '4.0' }, body: String(page.count) };
      }
      const offset = this.offsetOf(options);
      const page = this.ops.related(ctx, db, e, row, nav, options, prefer.maxPageSize ?? 5000, offset, annotations);
      return this.pageResponse(ctx, target, page, `${segments[0]}/${segments[1]}`, search, prefer.maxPageSize);
    }

    // a single column: GET its value (or its raw /$value), PUT a new one, DELETE to clear it
    if (second.key !== undefined) throw unknownProperty(second.name, e.logicalName);
    const attr = resolveColumn(e, second.name);
    if (third === '$count') throw badRequest(`$count needs a collection; '${second.name}' is a property.`);
    if (method === 'GET') {
      const row = this.ops.retrieveRow(ctx, this.ops.store.reader, e, key);
      const body = this.ops.toJson(ctx, this.ops.store.reader, e, row, { select: [second.name] }, annotations);
      const value = body[isLookup(attr) ? `_${attr.logicalName}_value` : attr.logicalName] ?? null;
      if (third === '$value') {
        // OData: the raw value as text/plain; a null value is 204 No Content
        if (value === null) return empty(204);
        return { status: 200, headers: { 'Content-Type': 'text/plain', 'OData-Version': '4.0' }, body: String(value) };
      }
      return json(200, { '@odata.context': `${ctx.base}$metadata#${e.entitySetName}(${row[e.primaryIdAttribute]})/${second.name}`, value });
    }
    if (third === '$value') throw new DataverseError(405, ErrorCodes.invalidArgument, `${method} is not allowed on $value.`);
    if (method === 'PUT' || method === 'DELETE') {
      const value = method === 'PUT' ? (parseBody(req.body) as { value?: unknown }).value : null;
      await this.write(ctx, inChangeSet, async () => {
        const row = this.ops.findOrThrow(this.ops.store.writer, e, key);
        await this.ops.update(ctx, e, row, { [second.name]: value ?? null });
      });
      return empty(204);
    }
    throw new DataverseError(405, ErrorCodes.invalidArgument, `${method} is not allowed on a property.`);
  }

  private offsetOf(options: QueryOptions): number {
    if (!options.skiptoken) return 0;
    const m = /offset="(\d+)"/.exec(options.skiptoken);
    if (!m) throw badRequest('The $skiptoken is not valid.');
    return Number(m[1]);
  }

  private collection(ctx: Ctx, e: EntityMetadata, options: QueryOptions, search: string, maxPageSize: number | undefined, setPath: string, annotations: ReturnType<typeof annotationFilter>): CoreResponse {
    if (options.fetchXml !== undefined) {
      const { fetchXml, count, ...others } = options;
      if (Object.values(others).some((v) => v !== undefined)) throw badRequest('fetchXml cannot be combined with other query options (except $count); put them in the FetchXML.');
      const body = this.ops.fetchXml(ctx, this.ops.store.reader, e, fetchXml, annotations, count === true);
      return json(200, { '@odata.context': `${ctx.base}$metadata#${e.entitySetName}`, ...body });
    }
    const page = this.ops.query(ctx, this.ops.store.reader, e, options, maxPageSize ?? 5000, this.offsetOf(options), annotations);
    return this.pageResponse(ctx, e, page, setPath, search, maxPageSize);
  }

  private pageResponse(ctx: Ctx, e: EntityMetadata, page: { rows: unknown[]; count?: number; nextOffset?: number }, path: string, search: string, maxPageSize?: number): CoreResponse {
    const body: Record<string, unknown> = { '@odata.context': `${ctx.base}$metadata#${e.entitySetName}` };
    if (page.count !== undefined) body['@odata.count'] = page.count;
    body.value = page.rows;
    if (page.nextOffset !== undefined) {
      const kept = search.split('&').filter((p) => p && !p.startsWith('$skiptoken=') && !p.startsWith('%24skiptoken='));
      const pageNumber = Math.floor(page.nextOffset / Math.max(1, maxPageSize ?? 5000)) + 1;
      kept.push(`$skiptoken=${encodeURIComponent(`<cookie pagenumber="${pageNumber}" offset="${page.nextOffset}" />`)}`);
      body['@odata.nextLink'] = `${ctx.base}${path}?${kept.join('&')}`;
    }
    const headers: Record<string, string> = {};
    if (maxPageSize) headers['Preference-Applied'] = `odata.maxpagesize=${maxPageSize}`;
    return json(200, body, headers);
  }

  private written(ctx: Ctx, e: EntityMetadata, row: Row, status: number, representation: boolean, options: QueryOptions, annotations: ReturnType<typeof annotationFilter>): CoreResponse {
    const id = row[e.primaryIdAttribute] as string;
    const entityId = `${ctx.base}${e.entitySetName}(${id})`;
    if (!representation) return empty(204, { 'OData-EntityId': entityId, Location: entityId });
    const body = this.ops.toJson(ctx, this.ops.store.writer, e, row, options, annotations);
    return json(status, { '@odata.context': `${ctx.base}$metadata#${e.entitySetName}/$entity`, ...body }, {
      'OData-EntityId': entityId, Location: entityId, ETag: `W/"${row.versionnumber}"`, 'Preference-Applied': 'return=representation',
    });
  }

  private partRequest(ctx: Ctx, part: HttpPart): CoreRequest {
    let url = part.url;
    const marker = url.indexOf(API_PREFIX);
    if (marker >= 0) url = url.slice(marker + API_PREFIX.length);
    else url = url.replace(/^\//, '');
    if (url.startsWith('$') && ctx.contentIds) {
      const m = /^\$([^/?]+)(.*)$/s.exec(url);
      const target = m && ctx.contentIds.get(m[1]);
      if (!target) throw badRequest(`Content-ID Reference: '$${m?.[1] ?? url}' does not exist in the batch context.`);
      url = target + m![2];
    }
    return { method: part.method, path: url, headers: part.headers, body: part.body };
  }

  private async batch(ctx: Ctx, req: CoreRequest, continueOnError: boolean): Promise<CoreResponse> {
    const items = parseBatch(req.body, req.headers['content-type']);
    const outputs: BatchOutput[] = [];
    let stopped = false;
    for (const item of items) {
      if (item.kind === 'request') {
        const r = item.request;
        const response = await this.handle({ ...ctx, contentIds: undefined }, this.partRequest(ctx, r));
        outputs.push({ kind: 'request', response });
        if (response.status >= 400 && !continueOnError) { stopped = true; break; }
        continue;
      }
      const csCtx: Ctx = { ...ctx, contentIds: new Map() };
      const responses: PartResponse[] = [];
      let failed: PartResponse | undefined;
      try {
        await this.runWrite(csCtx, async () => {
          for (const part of item.requests) {
            let response: PartResponse;
            try {
              response = await this.handle(csCtx, this.partRequest(csCtx, part), true);
            } catch (err) {
              response = errorResponse(err);
            }
            response.contentId = part.contentId;
            if (response.status >= 400) {
              failed = response;
              throw new Error('change set failed');
            }
            const entityId = response.headers['OData-EntityId'];
            if (part.contentId && entityId) csCtx.contentIds!.set(part.contentId, entityId.slice(ctx.base.length));
            responses.push(response);
          }
        });
      } catch (err) {
        if (!failed) failed = errorResponse(err);
      }
      if (csCtx.queuedAsync) ctx.queuedAsync = true;
      if (failed) {
        // Dataverse answers a failed change set with the failing operation only; nothing in it was kept
        outputs.push({ kind: 'request', response: failed });
        if (!continueOnError) { stopped = true; break; }
      } else {
        outputs.push({ kind: 'changeset', responses });
      }
    }
    const out = writeBatch(outputs);
    // Without odata.continue-on-error, Dataverse stops at the first failure and the batch itself
    // answers 400 ("the batch error represents the error of the first failing request");
    // with it, the batch answers 200 and each failure is only in its part.
    const headers: Record<string, string> = { 'Content-Type': out.contentType, 'OData-Version': '4.0' };
    if (continueOnError) headers['Preference-Applied'] = 'odata.continue-on-error';
    return { status: stopped ? 400 : 200, headers, body: out.body };
  }
}

export function newCorrelationId(): string {
  return randomUUID();
}
