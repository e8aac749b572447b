// Events to the application's event handler, as the service sends them ("CloudEvents extension for
// Azure Web PubSub event handler with HTTP protocol"): binary-mode CloudEvents over HTTP POST with
// ce-specversion, ce-type (azure.webpubsub.sys.* / azure.webpubsub.user.*), ce-source, ce-id,
// ce-time, ce-awpsversion, ce-hub, ce-connectionId, ce-userId, ce-eventName, ce-subprotocol,
// ce-connectionState, WebHook-Request-Origin and ce-signature = sha256=hex(HMAC-SHA256(access key,
// connection id)). `connect` and user events block (their answer matters); `connected` and
// `disconnected` do not. Before the first event to a URL, the abuse-protection handshake: OPTIONS
// with WebHook-Request-Origin, answered 2xx with WebHook-Allowed-Origin `*` or our origin.
// (`@azure/web-pubsub-express` only treats a request as Web PubSub's when ce-awpsversion is present.)
import { createHmac } from 'node:crypto';
import type { ClientConnection, DataType, Payload } from './client-connection';

export type SystemEvent = 'connect' | 'connected' | 'disconnected';
export const SYSTEM_EVENTS: readonly SystemEvent[] = ['connect', 'connected', 'disconnected'];

export interface EventHandlerSettings {
  /** `{hub}` and `{event}` are replaced (URL-encoded), e.g. `http://127.0.0.1:7071/api/webpubsub/{hub}/{event}`. */
  urlTemplate: string;
  /** User events sent upstream: every one (`'*'`) or these names (case-insensitive). Default none. */
  userEvents?: '*' | string[];
  /** System events sent upstream. Default none. */
  systemEvents?: SystemEvent[];
}

export type FetchLike = typeof fetch;

export interface UpstreamOptions {
  accessKey: string;
  handlers: Record<string, EventHandlerSettings>;
  fetch: FetchLike;
  /** The host the events come from, as WebHook-Request-Origin (ours once listening). */
  origin: () => string;
  now: () => number;
  log: (line: string) => void;
  timeoutMs: number;
}

export interface ConnectRequestBody {
  claims: Record<string, string[]>;
  query: Record<string, string[]>;
  headers: Record<string, string[]>;
  subprotocols: string[];
  clientCertificates: never[];
}

export interface ConnectIdentity {
  hub: string;
  connectionId: string;
  userId: string | null;
}

export type ConnectOutcome =
  | { ok: true; userId?: string | null; roles?: string[]; groups?: string[]; subprotocol?: string | null; connectionState?: string }
  | { ok: false; status: number; detail: string };

export type UserEventOutcome = { ok: true; reply?: Payload } | { ok: false; detail: string };

export interface UpstreamCounts {
  delivered: number;
  failed: number;
  validations: number;
}

export function connectionSignature(accessKey: string, connectionId: string): string {
  return `sha256=${createHmac('sha256', Buffer.from(accessKey, 'utf8')).update(connectionId).digest('hex')}`;
}

function contentTypeOf(dataType: DataType): string {
  return dataType === 'json' ? 'application/json' : dataType === 'text' ? 'text/plain' : 'application/octet-stream';
}

export class UpstreamDispatcher {
  readonly counts: UpstreamCounts = { delivered: 0, failed: 0, validations: 0 };
  private readonly validated = new Map<string, Promise<boolean>>();
  private readonly inFlight = new Set<AbortController>();
  private nextEventId = 0;
  private closed = false;

  constructor(private readonly options: UpstreamOptions) {}

  private settings(hub: string): EventHandlerSettings | undefined {
    const key = Object.keys(this.options.handlers).find((h) => h.toLowerCase() === hub.toLowerCase());
    return key === undefined ? undefined : this.options.handlers[key];
  }

  handlesSystem(hub: string, event: SystemEvent): boolean {
    return this.settings(hub)?.systemEvents?.includes(event) ?? false;
  }

  handlesUser(hub: string, event: string): boolean {
    const user = this.settings(hub)?.userEvents;
    if (user === '*') return true;
    return user?.some((e) => e.toLowerCase() === event.toLowerCase()) ?? false;
  }

  private url(hub: string, event: string): string {
    const s = this.settings(hub);
    if (!s) throw new Error(`no event handler for hub ${hub}`);
    return s.urlTemplate.replace(/\{hub\}/g, encodeURIComponent(hub)).replace(/\{event\}/g, encodeURIComponent(event));
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    try {
      const res = await this.options.fetch(url, { ...init, signal: controller.signal });
      // Read the body while the timer still runs: a handler that stalls mid-body times out too.
      const body = await res.arrayBuffer();
      return new Response(res.status === 204 || res.status === 304 ? null : body, { status: res.status, headers: res.headers });
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }

  /** The abuse-protection handshake, once per URL (again after a failure: the handler may start later). */
  private validate(url: string): Promise<boolean> {
    let pending = this.validated.get(url);
    if (!pending) {
      const origin = this.options.origin();
      pending = (async () => {
        this.counts.validations++;
        try {
          const res = await this.request(url, { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': origin, 'ce-awpsversion': '1.0' } });
          const allowed = (res.headers.get('webhook-allowed-origin') ?? '').split(',').map((s) => s.trim().toLowerCase());
          const ok = res.ok && (allowed.includes('*') || allowed.includes(origin.toLowerCase()));
          if (!ok) this.options.log(`event handler ${url} refused the abuse-protection handshake (status ${res.status}, WebHook-Allowed-Origin ${JSON.stringify(res.headers.get('webhook-allowed-origin'))}); no events are sent to it`);
          return ok;
        } catch (err) {
          this.options.log(`event handler ${url} unreachable for the abuse-protection handshake: ${(err as Error).message}`);
          return false;
        }
      })();
      this.validated.set(url, pending);
      void pending.then((ok) => {
        if (!ok) this.validated.delete(url);
      });
    }
    return pending;
  }

  private headers(type: string, event: string, id: ConnectIdentity & { subprotocol?: string | null; connectionState?: string }, contentType: string): Record<string, string> {
    const h: Record<string, string> = {
      'Content-Type': contentType,
      'WebHook-Request-Origin': this.options.origin(),
      'ce-specversion': '1.0',
      'ce-awpsversion': '1.0',
      'ce-type': type,
      'ce-source': `/hubs/${id.hub}/client/${id.connectionId}`,
      'ce-id': String(this.nextEventId++),
      'ce-time': new Date(this.options.now()).toISOString(),
      'ce-signature': connectionSignature(this.options.accessKey, id.connectionId),
      'ce-hub': id.hub,
      'ce-connectionId': id.connectionId,
      'ce-eventName': event,
    };
    if (id.userId !== null) h['ce-userId'] = id.userId;
    if (id.subprotocol) h['ce-subprotocol'] = id.subprotocol;
    if (id.connectionState !== undefined) h['ce-connectionState'] = id.connectionState;
    return h;
  }

  private async post(url: string, headers: Record<string, string>, body: Buffer | string): Promise<Response | undefined> {
    if (this.closed) return undefined;
    if (!(await this.validate(url))) {
      this.counts.failed++;
      return undefined;
    }
    try {
      const res = await this.request(url, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
      if (res.ok) this.counts.delivered++;
      else this.counts.failed++;
      return res;
    } catch (err) {
      this.counts.failed++;
      this.options.log(`event ${headers['ce-type']} to ${url} failed: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** The blocking `connect` event: the handler may refuse the client or set its user, roles, groups and subprotocol. */
  async connect(id: ConnectIdentity, body: ConnectRequestBody): Promise<ConnectOutcome> {
    const url = this.url(id.hub, 'connect');
    const res = await this.post(url, this.headers('azure.webpubsub.sys.connect', 'connect', id, 'application/json; charset=utf-8'), JSON.stringify(body));
    if (!res) return { ok: false, status: 500, detail: 'the event handler could not be reached' };
    if (res.status >= 400 && res.status < 500) return { ok: false, status: res.status, detail: `the event handler refused the connection (${res.status})` };
    if (!res.ok) return { ok: false, status: 500, detail: `the event handler answered ${res.status}` };
    const connectionState = res.headers.get('ce-connectionState') ?? undefined;
    const text = res.status === 204 ? '' : await res.text();
    if (!text.trim()) return { ok: true, connectionState };
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      return { ok: false, status: 500, detail: 'the event handler answered connect with a body that is not JSON' };
    }
    if (answer === null) return { ok: true, connectionState };
    if (typeof answer !== 'object' || Array.isArray(answer)) return { ok: false, status: 500, detail: 'the connect answer must be a JSON object' };
    const a = answer as Record<string, unknown>;
    const strings = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);
    const out: ConnectOutcome = { ok: true, connectionState };
    if (typeof a.userId === 'string') out.userId = a.userId;
    if (a.roles !== undefined) out.roles = strings(a.roles);
    // An empty list keeps the token's groups (what Microsoft's emulator does; the docs are silent).
    if (strings(a.groups)?.length) out.groups = strings(a.groups);
    if (typeof a.subprotocol === 'string') out.subprotocol = a.subprotocol;
    return out;
  }

  /** `connected` / `disconnected`: queued per connection so the handler sees them in order; failures are logged only. */
  notify(conn: ClientConnection, event: 'connected' | 'disconnected', body: object): void {
    if (!this.handlesSystem(conn.hub, event)) return;
    const url = this.url(conn.hub, event);
    const headers = this.headers(`azure.webpubsub.sys.${event}`, event, { hub: conn.hub, connectionId: conn.id, userId: conn.userId, subprotocol: conn.subprotocol, connectionState: conn.connectionState }, 'application/json; charset=utf-8');
    conn.upstream = conn.upstream
      .then(async () => {
        const res = await this.post(url, headers, JSON.stringify(body));
        if (res && !res.ok) this.options.log(`event handler answered ${event} for ${conn.id} with ${res.status}`);
      })
      .catch((err: Error) => this.options.log(`event ${event} for ${conn.id} failed: ${err.message}`));
  }

  /** A user event (a PubSub client's `event` message, or a simple WebSocket client's frame as `message`). */
  userEvent(conn: ClientConnection, event: string, payload: Payload): Promise<UserEventOutcome> {
    const url = this.url(conn.hub, event);
    const headers = this.headers(`azure.webpubsub.user.${event}`, event, { hub: conn.hub, connectionId: conn.id, userId: conn.userId, subprotocol: conn.subprotocol, connectionState: conn.connectionState }, contentTypeOf(payload.dataType));
    const outcome = conn.upstream.then(async (): Promise<UserEventOutcome> => {
      const res = await this.post(url, headers, payload.bytes);
      if (!res) return { ok: false, detail: 'the event handler could not be reached' };
      if (!res.ok) return { ok: false, detail: `the event handler answered ${res.status}` };
      const state = res.headers.get('ce-connectionState');
      if (state !== null) conn.connectionState = state;
      if (res.status === 204) return { ok: true };
      const bytes = Buffer.from(await res.arrayBuffer());
      if (bytes.length === 0) return { ok: true };
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type === 'application/json') {
        try {
          return { ok: true, reply: { dataType: 'json', bytes, value: JSON.parse(bytes.toString('utf8')) } };
        } catch {
          return { ok: false, detail: 'the event handler answered with invalid JSON' };
        }
      }
      if (type === 'text/plain') return { ok: true, reply: { dataType: 'text', bytes } };
      return { ok: true, reply: { dataType: 'binary', bytes } };
    });
    const settled = outcome.catch((err: Error): UserEventOutcome => ({ ok: false, detail: err.message }));
    conn.upstream = settled.then(() => undefined);
    return settled;
  }

  /** Abandons requests in flight (the stand-in is closing). */
  close(): void {
    this.closed = true;
    for (const c of this.inFlight) c.abort(new Error('the Web PubSub stand-in is closing'));
    this.inFlight.clear();
  }
}
