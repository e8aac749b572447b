// The browser's (and the widget's) end of push. An event only says "something changed" and readers
// fetch the rows themselves (push-events.ts), so nothing here needs the reliable subprotocol's
// replay: after any gap the client reports 'connected' again and its listeners catch up.
import { parsePushEvent, type PushEvent } from './push-events';

export type PushState = 'off' | 'connecting' | 'connected' | 'down';

export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface PushClientDeps {
  /** A fresh client access URL for each connection; null = push not configured here (state 'off', no retry); a throw = transient (retry with backoff). */
  negotiate(): Promise<string | null>;
  openSocket(url: string, protocol: string): SocketLike;
  timers: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  random(): number;
  log?(line: string): void;
}

export interface PushClientOptions {
  /** Default 1000. */
  minBackoffMs?: number;
  /** Default 60000. */
  maxBackoffMs?: number;
}

const SUBPROTOCOL = 'json.webpubsub.azure.v1';
// A socket can open and then hang (a proxy, a service mid-restart); without this it would wait forever.
const HANDSHAKE_TIMEOUT_MS = 15_000;
const JITTER = 0.2;
const CLOSING = 2;

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class PushClient {
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly eventListeners = new Set<(event: PushEvent) => void>();
  private readonly stateListeners = new Set<(state: PushState) => void>();
  private current: PushState = 'off';
  private running = false;
  // Bumped by every attempt and by stop(): a negotiate that answers late belongs to an attempt
  // nobody is waiting for any more.
  private attempt = 0;
  private failures = 0;
  private socket: SocketLike | null = null;
  private disconnectReason: string | undefined;
  // At most one timer is ever due: the handshake timeout while connecting, the backoff while down.
  private timer: { handle: unknown } | null = null;

  constructor(
    private readonly deps: PushClientDeps,
    options: PushClientOptions = {},
  ) {
    this.minBackoffMs = options.minBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
  }

  get state(): PushState {
    return this.current;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    const attempt = this.attempt;
    this.setState('connecting');
    // A listener may have stopped (or restarted) the client while hearing 'connecting'.
    if (attempt === this.attempt) void this.connect();
  }

  stop(): void {
    this.running = false;
    this.attempt++;
    this.clearTimer();
    this.dropSocket(1000);
    this.setState('off');
  }

  onEvent(listener: (event: PushEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Every change; 'connected' again after a reconnect means "catch up now" (read after the last sequence). */
  onState(listener: (state: PushState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Upstream user event; false when not connected. */
  sendEvent(name: string, data: unknown): boolean {
    if (this.current !== 'connected' || !this.socket) return false;
    try {
      this.socket.send(JSON.stringify({ type: 'event', event: name, dataType: 'json', data }));
      return true;
    } catch (err) {
      this.log(`send failed: ${describe(err)}`);
      return false;
    }
  }

  private async connect(): Promise<void> {
    const attempt = ++this.attempt;
    let url: string | null;
    try {
      url = await this.deps.negotiate();
    } catch (err) {
      if (attempt === this.attempt) this.retry(`negotiate failed: ${describe(err)}`);
      return;
    }
    if (attempt !== this.attempt) return;
    if (url === null) {
      this.log('push is not configured; staying off');
      this.stop();
      return;
    }
    this.open(url);
  }

  private open(url: string): void {
    let socket: SocketLike;
    try {
      socket = this.deps.openSocket(url, SUBPROTOCOL);
    } catch (err) {
      this.retry(`could not open the socket: ${describe(err)}`);
      return;
    }
    this.socket = socket;
    this.disconnectReason = undefined;
    // Handlers stay attached to a socket we have let go of (an implementation may throw on an
    // 'error' nobody listens to), so each one checks that its socket is still the current one.
    socket.onmessage = (ev) => {
      if (this.socket === socket) this.receive(ev.data);
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      const reason = this.disconnectReason ?? ev.reason;
      this.retry(`closed (${ev.code}${reason ? `: ${reason}` : ''})`);
    };
    socket.onerror = () => {
      if (this.socket === socket) this.retry('socket error');
    };
    this.schedule(HANDSHAKE_TIMEOUT_MS, () => this.retry(`no connected message within ${HANDSHAKE_TIMEOUT_MS / 1000} s`));
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    const f = frame as Record<string, unknown>;
    if (f['type'] === 'system' && f['event'] === 'connected') {
      this.clearTimer();
      this.failures = 0;
      this.log(`connected as ${String(f['connectionId'])}`);
      this.setState('connected');
    } else if (f['type'] === 'system' && f['event'] === 'disconnected') {
      if (typeof f['message'] === 'string') this.disconnectReason = f['message'];
    } else if (f['type'] === 'message' && (f['from'] === 'server' || f['from'] === 'group') && f['dataType'] === 'json') {
      const event = parsePushEvent(f['data']);
      if (event) this.emit(this.eventListeners, event);
    }
  }

  private retry(reason: string): void {
    this.clearTimer();
    this.dropSocket();
    // Jitter after the cap: otherwise every client the service dropped at once would come back
    // together each minute.
    const base = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** this.failures++);
    const delay = Math.round(base * (1 + JITTER * (2 * this.deps.random() - 1)));
    this.log(`${reason}; reconnecting in ${delay} ms`);
    this.schedule(delay, () => void this.connect());
    this.setState('down');
  }

  private dropSocket(code?: number): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket || socket.readyState >= CLOSING) return;
    try {
      socket.close(code);
    } catch {
      // Already going; it is no longer ours either way.
    }
  }

  private schedule(ms: number, fn: () => void): void {
    const handle = this.deps.timers.setTimeout(() => {
      this.timer = null;
      fn();
    }, ms);
    this.timer = { handle };
  }

  private clearTimer(): void {
    if (this.timer) this.deps.timers.clearTimeout(this.timer.handle);
    this.timer = null;
  }

  // Listeners hear a change only after the client's own bookkeeping is done, so one that calls
  // stop() or start() from inside finds a consistent client.
  private setState(state: PushState): void {
    if (state === this.current) return;
    this.current = state;
    this.emit(this.stateListeners, state);
  }

  private emit<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch (err) {
        this.log(`a listener threw: ${describe(err)}`);
      }
    }
  }

  private log(line: string): void {
    this.deps.log?.(`push: ${line}`);
  }
}

/** What a browser page gives a push client: its WebSocket constructor and its timers. */
export interface PushHost {
  WebSocket?: new (url: string, protocol: string) => unknown;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * A push client on a browser page (the widget, the agent controls); undefined where the page has
 * no WebSocket, and the caller polls. The DOM's socket events are more specific than SocketLike's;
 * the client reads only `data`, `code` and `reason`, which they have.
 */
export function pushClientFor(host: PushHost, negotiate: () => Promise<string | null>): PushClient | undefined {
  const Socket = host.WebSocket;
  if (typeof Socket !== 'function') return undefined;
  return new PushClient({
    negotiate,
    openSocket: (url, protocol) => new Socket(url, protocol) as SocketLike,
    timers: { setTimeout: (fn, ms) => host.setTimeout(fn, ms), clearTimeout: (handle) => host.clearTimeout(handle) },
    random: Math.random,
  });
}
