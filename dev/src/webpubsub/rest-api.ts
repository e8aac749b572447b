// The data-plane REST API the server SDK calls (`@azure/web-pubsub` sends api-version 2024-12-01;
// routes from the REST spec `specification/webpubsub/data-plane/WebPubSub/routes.tsp`). Every call
// but the health probe carries `Authorization: Bearer <JWT>` signed with the access key, whose
// `aud` is the request URL; anything else is 401. Errors are the spec's ErrorDetail
// `{ code, message }` with the `x-ms-error-code` header.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { canonicalUrl, sameUrl, signJwt, verifyJwt } from './access-token';
import type { ClientConnection, Payload } from './client-connection';
import { FilterError, parseConnectionFilter, type ConnectionFilter } from './connection-filter';
import { GROUP_ACTIONS, type GroupAction } from './group-permissions';
import { HUB_PATTERN, type HubService, validGroupName } from './hub-service';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface RestApiOptions {
  accessKey: string;
  service: HubService;
  now: () => number;
  log: (line: string) => void;
}

export interface RestCounts {
  requests: number;
  unauthorized: number;
  badRequests: number;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const bad = (message: string) => new HttpError(400, 'BadRequest', message);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, 'PayloadTooLarge', `a message may be at most ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Call {
  method: string;
  hub: string;
  rest: string[];
  query: URLSearchParams;
  body: Buffer;
  contentType: string;
  host: string;
}

export class RestApi {
  readonly counts: RestCounts = { requests: 0, unauthorized: 0, badRequests: 0 };

  constructor(private readonly options: RestApiOptions) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.counts.requests++;
    this.serve(req, res).catch((err: unknown) => {
      const e = err instanceof HttpError ? err : new HttpError(500, 'InternalServerError', (err as Error).message);
      if (e.status === 500) this.options.log(`REST ${req.method} ${req.url} failed: ${(err as Error).stack ?? e.message}`);
      if (e.status === 400) this.counts.badRequests++;
      this.send(req, res, e.status, { code: e.code, message: e.message }, { 'x-ms-error-code': e.code });
    });
  }

  private send(req: IncomingMessage, res: ServerResponse, status: number, body?: object, headers: Record<string, string> = {}): void {
    if (res.headersSent) return;
    const text = body && req.method !== 'HEAD' ? JSON.stringify(body) : '';
    res.writeHead(status, { ...headers, ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}), 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private authorize(req: IncomingMessage, url: URL): void {
    const auth = req.headers.authorization;
    const token = auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : undefined;
    const fail = (why: string) => {
      this.counts.unauthorized++;
      this.options.log(`REST ${req.method} ${url.pathname} unauthorized: ${why}`);
      throw new HttpError(401, 'Unauthorized', why);
    };
    if (!token) return fail('an Authorization: Bearer token signed with the access key is required');
    const withoutQuery = `${url.origin}${url.pathname}`;
    const check = verifyJwt(token, {
      key: this.options.accessKey,
      nowSeconds: Math.floor(this.options.now() / 1000),
      audience: (aud) => sameUrl(aud, url.href) || canonicalUrl(aud) === canonicalUrl(withoutQuery),
    });
    if (!check.ok) fail(`invalid token: ${check.reason}`);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '127.0.0.1';
    const url = new URL(req.url ?? '/', `http://${host}`);
    const method = req.method ?? 'GET';
    if (url.pathname === '/api/health' && (method === 'HEAD' || method === 'GET')) return this.send(req, res, 200);
    const raw = url.pathname.split('/').slice(1);
    let segments: string[];
    try {
      segments = raw.map((s) => decodeURIComponent(s));
    } catch {
      throw bad('the path has a malformed percent-encoding');
    }
    if (segments[0] !== 'api' || segments[1] !== 'hubs' || !segments[2]) throw new HttpError(404, 'NotFound', `no REST operation at ${url.pathname}`);
    this.authorize(req, url);
    if (!url.searchParams.get('api-version')) throw bad('the api-version query parameter is required');
    const hub = segments[2];
    if (!HUB_PATTERN.test(hub)) throw bad(`invalid hub name '${hub}': it starts with a letter and has at most 128 letters, digits and _\`,.[]`);
    const body = await readBody(req);
    const call: Call = { method, hub, rest: segments.slice(3), query: url.searchParams, body, contentType: req.headers['content-type'] ?? '', host };
    const result = this.route(call);
    this.send(req, res, result.status, result.body);
  }

  private route(c: Call): { status: number; body?: object } {
    const s = this.options.service;
    const [a, b, , fourth] = c.rest;
    const n = c.rest.length;
    const is = (method: string, ...shape: (string | null)[]) =>
      c.method === method && n === shape.length && shape.every((part, i) => part === null || c.rest[i] === part);

    // Hub
    if (is('POST', ':send')) {
      s.sendToAll(c.hub, this.payload(c), this.sendOptions(c, true));
      return { status: 202 };
    }
    if (is('POST', ':closeConnections')) {
      const excluded = new Set(c.query.getAll('excluded'));
      for (const conn of s.hubConnections(c.hub)) if (!excluded.has(conn.id)) s.close(conn, this.reason(c));
      return { status: 204 };
    }
    if (is('POST', ':generateToken')) return { status: 200, body: { token: this.generateToken(c) } };
    if (is('POST', ':addToGroups') || is('POST', ':removeFromGroups')) {
      const { groups, filter } = this.groupsRequest(c);
      for (const conn of s.hubConnections(c.hub)) {
        if (filter && !filter.matches({ userId: conn.userId, connectionId: conn.id, groups: [...conn.groups] })) continue;
        for (const g of groups) {
          if (a === ':addToGroups') s.joinGroup(conn, g);
          else s.leaveGroup(conn, g);
        }
      }
      return { status: 200 };
    }

    // Connections
    if (a === 'connections' && b) {
      const conn = s.connection(c.hub, b);
      if (is('HEAD', 'connections', null)) return { status: conn ? 200 : 404 };
      if (is('DELETE', 'connections', null)) {
        if (conn) s.close(conn, this.reason(c));
        return { status: 204 };
      }
      if (is('POST', 'connections', null, ':send')) {
        this.ttl(c);
        s.sendToConnection(c.hub, b, this.payload(c));
        return { status: 202 };
      }
      if (is('DELETE', 'connections', null, 'groups')) {
        if (conn) s.leaveAllGroups(conn);
        return { status: 204 };
      }
    }

    // Groups
    if (a === 'groups' && b !== undefined) {
      if (!validGroupName(b)) throw bad('the group name must have 1 to 1024 characters and not be only white space');
      if (is('HEAD', 'groups', null)) return { status: s.groupConnections(c.hub, b).length ? 200 : 404 };
      if (is('POST', 'groups', null, ':send')) {
        s.sendToGroup(c.hub, b, this.payload(c), this.sendOptions(c, true));
        return { status: 202 };
      }
      if (is('POST', 'groups', null, ':closeConnections')) {
        const excluded = new Set(c.query.getAll('excluded'));
        for (const conn of s.groupConnections(c.hub, b)) if (!excluded.has(conn.id)) s.close(conn, this.reason(c));
        return { status: 204 };
      }
      if (is('GET', 'groups', null, 'connections')) return { status: 200, body: this.listGroup(c, b) };
      if (fourth !== undefined && (is('PUT', 'groups', null, 'connections', null) || is('DELETE', 'groups', null, 'connections', null))) {
        const conn = s.connection(c.hub, fourth);
        if (c.method === 'PUT') {
          // The SDK's addConnection throws a RestError carrying this 404 (its own "doesn't exist" branch is unreachable).
          if (!conn) throw new HttpError(404, 'NotFound', `connection ${fourth} does not exist in hub ${c.hub}`);
          s.joinGroup(conn, b);
          return { status: 200 };
        }
        if (conn) s.leaveGroup(conn, b);
        return { status: 204 };
      }
    }

    // Permissions
    if (a === 'permissions' && b !== undefined && fourth !== undefined && c.rest[2] === 'connections' && n === 4) {
      if (!(GROUP_ACTIONS as readonly string[]).includes(b)) throw bad(`unknown permission '${b}': joinLeaveGroup or sendToGroup`);
      const action = b as GroupAction;
      const target = c.query.get('targetName') ?? undefined;
      if (target !== undefined && !validGroupName(target)) throw bad('targetName must be a valid group name');
      const conn = s.connection(c.hub, fourth);
      if (c.method === 'HEAD') return { status: conn?.permissions.check(action, target) ? 200 : 404 };
      if (c.method === 'PUT') {
        if (!conn) throw new HttpError(404, 'NotFound', `connection ${fourth} does not exist in hub ${c.hub}`);
        conn.permissions.grant(action, target);
        return { status: 200 };
      }
      if (c.method === 'DELETE') {
        conn?.permissions.revoke(action, target);
        return { status: 204 };
      }
    }

    // Users
    if (a === 'users' && b !== undefined) {
      if (b === '') throw bad('the user id must not be empty');
      const conns = s.userConnections(c.hub, b);
      if (is('HEAD', 'users', null)) return { status: conns.length ? 200 : 404 };
      if (is('POST', 'users', null, ':send')) {
        s.sendToUser(c.hub, b, this.payload(c), this.sendOptions(c, false));
        return { status: 202 };
      }
      if (is('POST', 'users', null, ':closeConnections')) {
        const excluded = new Set(c.query.getAll('excluded'));
        for (const conn of conns) if (!excluded.has(conn.id)) s.close(conn, this.reason(c));
        return { status: 204 };
      }
      if (is('DELETE', 'users', null, 'groups')) {
        for (const conn of conns) s.leaveAllGroups(conn);
        return { status: 204 };
      }
      if (fourth !== undefined && (is('PUT', 'users', null, 'groups', null) || is('DELETE', 'users', null, 'groups', null))) {
        if (!validGroupName(fourth)) throw bad('the group name must have 1 to 1024 characters and not be only white space');
        if (c.method === 'PUT') {
          // Current connections only, and 404 when there are none, as Microsoft's own emulator answers:
          // the REST spec is silent, and an error the real service might not raise is the safer difference.
          if (!conns.length) throw new HttpError(404, 'NotFound', `user ${b} has no connection in hub ${c.hub}`);
          for (const conn of conns) s.joinGroup(conn, fourth);
          return { status: 200 };
        }
        for (const conn of conns) s.leaveGroup(conn, fourth);
        return { status: 204 };
      }
    }
    throw new HttpError(404, 'NotFound', `no REST operation ${c.method} /api/hubs/${c.hub}/${c.rest.join('/')}`);
  }

  private payload(c: Call): Payload {
    const type = c.contentType.split(';')[0]!.trim().toLowerCase();
    if (type === 'application/json') {
      let value: unknown;
      try {
        value = JSON.parse(c.body.toString('utf8'));
      } catch {
        throw bad('the body is not valid JSON (Content-Type: application/json)');
      }
      return { dataType: 'json', bytes: c.body, value };
    }
    if (type === 'text/plain') return { dataType: 'text', bytes: c.body };
    if (type === 'application/octet-stream') return { dataType: 'binary', bytes: c.body };
    throw bad(`Content-Type '${c.contentType}' is not supported: application/json, text/plain or application/octet-stream (application/x-protobuf is not supported by the stand-in)`);
  }

  private ttl(c: Call): void {
    const ttl = c.query.get('messageTtlSeconds');
    // Accepted and checked like the service; delivery is immediate, so nothing ever expires here.
    if (ttl !== null && !(/^\d+$/.test(ttl) && Number(ttl) <= 300)) throw bad('messageTtlSeconds must be an integer from 0 to 300');
  }

  private sendOptions(c: Call, withExcluded: boolean): { excluded: string[]; filter?: ConnectionFilter } {
    this.ttl(c);
    const filterText = c.query.get('filter');
    let filter: ConnectionFilter | undefined;
    if (filterText !== null && filterText.trim() !== '') {
      try {
        filter = parseConnectionFilter(filterText);
      } catch (err) {
        if (err instanceof FilterError) throw bad(`Invalid filter '${filterText}': ${err.message}`);
        throw err;
      }
    }
    return { excluded: withExcluded ? c.query.getAll('excluded') : [], filter };
  }

  private reason(c: Call): string {
    return c.query.get('reason') ?? '';
  }

  private groupsRequest(c: Call): { groups: string[]; filter?: ConnectionFilter } {
    let body: unknown;
    try {
      body = JSON.parse(c.body.toString('utf8'));
    } catch {
      throw bad('the body must be JSON: { "groups": [...], "filter": "..." }');
    }
    const req = body as { groups?: unknown; filter?: unknown };
    if (!Array.isArray(req.groups) || !req.groups.every(validGroupName)) throw bad('groups must be a list of valid group names');
    if (req.filter !== undefined && req.filter !== null && typeof req.filter !== 'string') throw bad('filter must be a string');
    let filter: ConnectionFilter | undefined;
    // No filter selects every connection of the hub (Microsoft's emulator does the same; the spec does not say).
    if (typeof req.filter === 'string' && req.filter.trim() !== '') {
      try {
        filter = parseConnectionFilter(req.filter);
      } catch (err) {
        if (err instanceof FilterError) throw bad(`Invalid filter '${req.filter}': ${err.message}`);
        throw err;
      }
    }
    return { groups: req.groups as string[], filter };
  }

  private generateToken(c: Call): string {
    const clientType = c.query.get('clientType') ?? 'Default';
    if (clientType.toLowerCase() !== 'default') throw bad(`clientType ${clientType} is not supported by the stand-in (Default only)`);
    const minutesText = c.query.get('minutesToExpire') ?? '60';
    if (!/^\d+$/.test(minutesText) || Number(minutesText) < 1) throw bad('minutesToExpire must be an integer of at least 1');
    const groups = c.query.getAll('group');
    if (!groups.every(validGroupName)) throw bad('every group must be a valid group name');
    const now = Math.floor(this.options.now() / 1000);
    const payload: Record<string, unknown> = { iat: now, exp: now + Number(minutesText) * 60, aud: `http://${c.host}/client/hubs/${c.hub}` };
    const userId = c.query.get('userId');
    if (userId) payload.sub = userId;
    const roles = c.query.getAll('role');
    if (roles.length) payload.role = roles;
    if (groups.length) payload['webpubsub.group'] = groups;
    return signJwt(payload, this.options.accessKey);
  }

  private listGroup(c: Call, group: string): { value: { connectionId: string; userId: string | null }[]; nextLink?: string } {
    const int = (name: string, min: number, max: number): number | undefined => {
      const v = c.query.get(name);
      if (v === null) return undefined;
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw bad(`${name} must be an integer from ${min} to ${max}`);
      return Number(v);
    };
    const pageSize = int('maxpagesize', 1, 200) ?? 200;
    const top = int('top', 1, 2147483647);
    const token = c.query.get('continuationToken');
    const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isSafeInteger(offset) || offset < 0) throw bad('invalid continuationToken');
    const members: ClientConnection[] = this.options.service.groupConnections(c.hub, group);
    const take = Math.min(pageSize, top ?? Infinity);
    const page = members.slice(offset, offset + take);
    const value = page.map((m) => ({ connectionId: m.id, userId: m.userId }));
    const remainingTop = top === undefined ? undefined : top - page.length;
    if (offset + page.length >= members.length || remainingTop === 0) return { value };
    const next = new URLSearchParams({ 'api-version': c.query.get('api-version') ?? '', maxpagesize: String(pageSize), continuationToken: Buffer.from(String(offset + page.length)).toString('base64url') });
    if (remainingTop !== undefined) next.set('top', String(remainingTop));
    return { value, nextLink: `http://${c.host}/api/hubs/${encodeURIComponent(c.hub)}/groups/${encodeURIComponent(group)}/connections?${next}` };
  }
}
