// Composition root of the Dataverse emulator: store, security, plugin dispatcher, operations and
// the HTTP layer, wired from the options (metadata and fetch are passed in, never imported).
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { Metadata } from '@switchboard/solution';
import type { ChoiceLabels } from './choice-labels';
import { DataverseError, ErrorCodes } from './errors';
import { API_PREFIX, type CoreRequest, type CoreResponse, HttpHandler, entitySetOf, errorResponse, newCorrelationId } from './http-handler';
import { Model } from './model';
import { type Ctx, Operations } from './operations';
import { type FetchLike, PluginDispatcher } from './plugin-dispatcher';
import { ANONYMOUS, type CallerIdentity, type EmulatorStats, RequestStats } from './request-stats';
import { type Caller, Security } from './security';
import { type Admission, type Budget, ServiceProtection, parseBudget } from './service-protection';
import { type Row, Store } from './store';
import { APP_USER_ID, ORGANIZATION_ID, ROOT_BUSINESS_UNIT_ID, FILTERED_MESSAGES, SDK_MESSAGE_IDS, buildEmulatorMetadata } from './system-metadata';
import { listenOn } from '../listen';

export const DEFAULT_APP_TOKEN = 'switchboard-dev-app-token';

export interface Fault {
  status: 429 | 503;
  rate: number;
}

/** `429:0.05,503:0.02` → [{status: 429, rate: 0.05}, {status: 503, rate: 0.02}] */
export function parseFaults(spec: string | undefined): Fault[] {
  if (!spec) return [];
  return spec.split(',').filter(Boolean).map((part) => {
    const m = /^\s*(429|503)\s*:\s*(0|1|0?\.\d+)\s*$/.exec(part);
    if (!m) throw new Error(`Invalid fault '${part}': expected 429:<rate> or 503:<rate> with a rate between 0 and 1`);
    return { status: Number(m[1]) as 429 | 503, rate: Number(m[2]) };
  });
}

export interface EmulatorOptions {
  metadata: Metadata;
  /** SQLite file path, or ':memory:' (a temporary file removed on close). */
  db: string;
  appToken?: string;
  faults?: Fault[] | string;
  /** Seconds announced in Retry-After on an injected 429. */
  retryAfterSeconds?: number;
  /** Used for plugin-step webhooks. */
  fetch?: FetchLike;
  random?: () => number;
  now?: () => number;
  syncTimeoutMs?: number;
  asyncRetry?: { maxAttempts?: number; baseDelayMs?: number };
  log?: (line: string) => void;
  /** Called with one line per operation (a $batch part is one): caller, method, path, status. For finding where requests go. */
  trace?: (line: string) => void;
  /** Labels for choice FormattedValue annotations, e.g. choiceLabelsFromModel(model). */
  choiceLabels?: ChoiceLabels;
  /**
   * Service protection limits per user, off when absent: `{ requests: 6000, windowSeconds: 300, concurrent: 52 }`
   * or `'requests:6000,window:300,concurrent:52'` (what Dataverse documents per web server).
   */
  budget?: Budget | string;
}

export interface SeedUser {
  id?: string;
  fullname: string;
  domainname: string;
  /** role ids from metadata.roles */
  roles?: string[];
  /** extra bearer token for this user, besides `dev:<domainname>` */
  token?: string;
  /** field security profile ids from metadata.fieldSecurityProfiles (access to secured columns) */
  fieldSecurityProfiles?: string[];
}

export interface Emulator {
  handler: http.RequestListener;
  server: http.Server;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
  /** Web API root once listening: http://127.0.0.1:N/api/data/v9.2/ */
  url: string;
  appToken: string;
  store: Store;
  operations: Operations;
  plugins: PluginDispatcher;
  /** Creates (or updates) a systemuser with roles, for seeding without HTTP. Returns its id. */
  seedUser(user: SeedUser): string;
  issueToken(systemuserid: string, token: string): void;
  /** Requests by caller, method, entity set and status, and webhook calls by step, since start or the last reset. */
  stats(): EmulatorStats;
  resetStats(): void;
}

/** Dev-only routes outside the Web API (application token required). */
export const STATS_PATH = '/_emulator/stats';

function stableId(name: string): string {
  const h = createHash('sha1').update(`swb-emulator-row:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.then(() => undefined, () => undefined);
    return result;
  }
}

export function createEmulator(options: EmulatorOptions): Emulator {
  const metadata = buildEmulatorMetadata(options.metadata);
  const model = new Model(metadata);
  const store = new Store(model, options.db);
  const appToken = options.appToken ?? DEFAULT_APP_TOKEN;
  const faults = typeof options.faults === 'string' ? parseFaults(options.faults) : options.faults ?? [];
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const mutex = new Mutex();
  const security = new Security(store, model, appToken);
  const plugins = new PluginDispatcher({
    store, model, fetch: options.fetch ?? (globalThis.fetch as unknown as FetchLike), syncTimeoutMs: options.syncTimeoutMs,
    maxAttempts: options.asyncRetry?.maxAttempts, baseDelayMs: options.asyncRetry?.baseDelayMs, now,
    withWriteLock: (fn) => mutex.run(fn), log: options.log,
    onDelivery: (step, message, mode, ok) => stats.webhook(step, message, mode, ok),
  });
  const operations = new Operations(model, store, security, plugins, now, options.choiceLabels);
  const stats = new RequestStats(now);
  const budget = typeof options.budget === 'string' ? parseBudget(options.budget) : options.budget;
  const protection = budget ? new ServiceProtection(budget, now) : undefined;
  const identity = (caller: Caller): CallerIdentity => ({ key: caller.domainname, userId: caller.userId, kind: caller.isApp ? 'app' : 'user' });

  const runWrite = <T>(ctx: Ctx, fn: () => Promise<T>): Promise<T> =>
    mutex.run(async () => {
      store.writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn();
        store.writer.exec('COMMIT');
        if (ctx.queuedAsync) plugins.kick();
        return result;
      } catch (err) {
        if (store.writer.inTransaction) store.writer.exec('ROLLBACK');
        throw err;
      }
    });
  const handler = new HttpHandler(operations, runWrite, (ctx, req, res) => {
    const who = identity(ctx.caller);
    stats.operation(who, req.method, entitySetOf(req.path), res.status);
    options.trace?.(`${who.key} ${req.method} ${decodeURIComponent(req.path).slice(0, 240)} ${res.status}`);
  });

  seed();

  function nowIso(): string {
    return new Date(Math.floor(now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }

  function ensure(logicalName: string, id: string, values: Row): void {
    const e = model.entity(logicalName);
    if (store.get(store.writer, e, id)) return;
    const row: Row = {
      [e.primaryIdAttribute]: id, createdon: nowIso(), modifiedon: nowIso(), statecode: 0, statuscode: 1,
      versionnumber: store.nextVersion(), ...values,
    };
    if (e.ownership === 'user') Object.assign(row, { ownerid: APP_USER_ID, ownerid__type: 'systemuser', owningbusinessunit: ROOT_BUSINESS_UNIT_ID });
    for (const k of Object.keys(row)) if (!(k in e.attributes) && !k.endsWith('__type')) delete row[k];
    store.insert(e, row);
  }

  function seed(): void {
    store.writer.transaction(() => {
      ensure('organization', ORGANIZATION_ID, { name: 'switchboard-dev' });
      ensure('businessunit', ROOT_BUSINESS_UNIT_ID, { name: 'switchboard-dev' });
      ensure('systemuser', APP_USER_ID, {
        fullname: '# Switchboard application', domainname: 'switchboard-app@switchboard.dev', applicationid: '0a7e0005-0000-4000-8000-000000000001',
        isdisabled: 0, businessunitid: ROOT_BUSINESS_UNIT_ID, businessunitid__type: 'businessunit',
      });
      for (const role of metadata.roles) {
        ensure('role', role.id, { name: role.name, businessunitid: ROOT_BUSINESS_UNIT_ID, businessunitid__type: 'businessunit', parentrootroleid: role.id, parentrootroleid__type: 'role' });
      }
      for (const profile of metadata.fieldSecurityProfiles) ensure('fieldsecurityprofile', profile.id, { name: profile.name });
      for (const [name, id] of Object.entries(SDK_MESSAGE_IDS)) {
        ensure('sdkmessage', id, { name });
        if (!FILTERED_MESSAGES.includes(name)) continue;
        for (const e of Object.values(metadata.entities)) {
          ensure('sdkmessagefilter', stableId(`${name}:${e.logicalName}`), {
            name: `${name} ${e.logicalName}`, sdkmessageid: id, sdkmessageid__type: 'sdkmessage', primaryobjecttypecode: e.logicalName,
          });
        }
      }
    })();
  }

  function seedUser(user: SeedUser): string {
    const id = (user.id ?? stableId(`user:${user.domainname}`)).toLowerCase();
    store.writer.transaction(() => {
      ensure('systemuser', id, {
        fullname: user.fullname, domainname: user.domainname, isdisabled: 0, businessunitid: ROOT_BUSINESS_UNIT_ID, businessunitid__type: 'businessunit',
      });
      for (const roleId of user.roles ?? []) store.associate('systemuserroles', 'systemuserid', id, 'roleid', roleId);
      for (const profileId of user.fieldSecurityProfiles ?? []) {
        if (!metadata.fieldSecurityProfiles.some((p) => p.id === profileId)) throw new Error(`seedUser: no field security profile ${profileId} in the metadata`);
        store.associate('systemuserprofiles', 'fieldsecurityprofileid', profileId.toLowerCase(), 'systemuserid', id);
      }
      if (user.token) store.setToken(user.token, id);
    })();
    return id;
  }

  const server = http.createServer();
  let baseUrl = '';

  const listener: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void respond(req, Buffer.concat(chunks).toString('utf8')).then((r) => {
        res.writeHead(r.status, { ...r.headers, ...cors(req) });
        res.end(r.body);
      });
    });
  };
  server.on('request', listener);

  // The agent workspace page calls the emulator from the browser on another port.
  function cors(req: http.IncomingMessage): Record<string, string> {
    return {
      'Access-Control-Allow-Origin': req.headers.origin ?? '*',
      'Access-Control-Allow-Methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'Authorization, Content-Type, Prefer, If-Match, If-None-Match, OData-Version, OData-MaxVersion, Accept',
      'Access-Control-Expose-Headers': 'OData-EntityId, Location, ETag, Preference-Applied, Retry-After, OData-Version, x-ms-ratelimit-burst-remaining-xrm-requests',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    };
  }

  async function respond(req: http.IncomingMessage, body: string): Promise<CoreResponse> {
    const url = req.url ?? '/';
    if (req.method === 'OPTIONS') return { status: 204, headers: {}, body: '' };
    if (url === STATS_PATH || url.startsWith(`${STATS_PATH}/`) || url.startsWith(`${STATS_PATH}?`)) return statsRoute(req, url);
    const at = url.indexOf(API_PREFIX);
    if (at !== 0) return errorResponse(new DataverseError(404, ErrorCodes.invalidArgument, `No Web API at '${url}'; use ${API_PREFIX}.`));
    // who is asking, before anything can fail, so every answer is counted against its caller
    let caller: Caller | undefined;
    let authError: unknown;
    try {
      caller = security.authenticate(req.headers.authorization);
    } catch (err) {
      authError = err;
    }
    const who = caller ? identity(caller) : ANONYMOUS;
    const answer = (r: CoreResponse): CoreResponse => {
      stats.request(who, r.status);
      return r;
    };
    let r = random();
    for (const f of faults) {
      if (r < f.rate) {
        if (f.status === 429) {
          return answer(errorResponse(new DataverseError(429, ErrorCodes.requestLimitExceeded,
            'Number of requests exceeded the limit of 6000 over time window of 300 seconds.', { 'Retry-After': String(options.retryAfterSeconds ?? 1) })));
        }
        return answer(errorResponse(new DataverseError(503, ErrorCodes.unexpected, 'The service is temporarily unavailable (injected fault). Retry the request.')));
      }
      r -= f.rate;
    }
    if (!caller) return answer(errorResponse(authError));
    let admission: Admission | undefined;
    try {
      admission = protection?.admit(caller.userId);
    } catch (err) {
      return answer(errorResponse(err));
    }
    try {
      const host = req.headers.host ?? '127.0.0.1';
      const base = `http://${host}${API_PREFIX}`;
      const bypass = String(req.headers['mscrm.bypasscustompluginexecution'] ?? '').toLowerCase() === 'true';
      const ctx: Ctx = { caller, correlationId: newCorrelationId(), base, bypassPlugins: bypass };
      let response: CoreResponse;
      if (bypass && !caller.isApp) {
        response = errorResponse(new DataverseError(403, ErrorCodes.privilegeDenied, `Principal user (Id=${caller.userId}) is missing prvBypassCustomPlugins privilege.`));
        stats.operation(who, req.method ?? 'GET', entitySetOf(url.slice(API_PREFIX.length)), response.status);
      } else {
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        const core: CoreRequest = { method: req.method ?? 'GET', path: url.slice(API_PREFIX.length), headers, body };
        response = await handler.handle(ctx, core);
        if (ctx.queuedAsync) plugins.kick();
      }
      // Dataverse reports what is left of the burst budget on every answer
      if (admission) response.headers['x-ms-ratelimit-burst-remaining-xrm-requests'] = String(admission.remaining);
      return answer(response);
    } finally {
      admission?.release();
    }
  }

  function statsRoute(req: http.IncomingMessage, url: string): CoreResponse {
    const jsonHeaders = { 'Content-Type': 'application/json' };
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (token !== appToken) {
      return { status: 401, headers: { ...jsonHeaders, 'WWW-Authenticate': 'Bearer' }, body: JSON.stringify({ error: { code: ErrorCodes.notAuthenticated, message: 'The emulator statistics need the application token.' } }) };
    }
    const path = url.split('?')[0];
    if (path === STATS_PATH && req.method === 'GET') return { status: 200, headers: jsonHeaders, body: JSON.stringify(stats.snapshot()) };
    if (path === `${STATS_PATH}/reset` && req.method === 'POST') {
      stats.reset();
      return { status: 204, headers: {}, body: '' };
    }
    return { status: 404, headers: jsonHeaders, body: JSON.stringify({ error: { code: ErrorCodes.resourceNotFound, message: `GET ${STATS_PATH} reads the request statistics; POST ${STATS_PATH}/reset clears them.` } }) };
  }

  plugins.start();

  const emulator: Emulator = {
    handler: listener,
    server,
    url: '',
    appToken,
    store,
    operations,
    plugins,
    seedUser,
    issueToken: (systemuserid, token) => store.setToken(token, systemuserid.toLowerCase()),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    async listen(port = 0, hostname = '127.0.0.1') {
      const listening = await listenOn(server, port, hostname);
      baseUrl = `${listening.origin}${API_PREFIX}`;
      emulator.url = baseUrl;
      return { port: listening.port, url: baseUrl };
    },
    async close() {
      await plugins.stop();
      await new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
      await mutex.run(() => store.close());
    },
  };
  return emulator;
}
