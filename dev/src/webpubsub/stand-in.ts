// Composition root of the local Azure Web PubSub stand-in: one HTTP server carrying the REST API
// (`/api/...`), the client WebSocket endpoint (`/client/hubs/{hub}`) and the upstream events to
// the application's event handlers, wired from the options (no globals).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { ClientEndpoint } from './client-endpoint';
import { HubService, type ConnectionCounts, type MessageCounts } from './hub-service';
import { RestApi, type RestCounts } from './rest-api';
import { UpstreamDispatcher, type EventHandlerSettings, type FetchLike, type UpstreamCounts } from './upstream-dispatcher';
import { listenOn } from '../listen';

export interface WebPubSubStandInOptions {
  /** The key that signs REST and client tokens and CloudEvents signatures; random when absent. */
  accessKey?: string;
  /** Event handlers per hub (hub names match case-insensitively). */
  eventHandlers?: Record<string, EventHandlerSettings>;
  log?: (line: string) => void;
  now?: () => number;
  /** Used for the upstream events. */
  fetch?: FetchLike;
  /** How long a reliable connection waits for its client to reconnect (default 30 s). */
  recoveryWindowMs?: number;
  /** Unacknowledged messages per reliable connection before it is dropped (default 1000 and 16 MiB). */
  reliableBuffer?: { maxMessages?: number; maxBytes?: number };
  /** Timeout of each upstream request (default 10 s). */
  upstreamTimeoutMs?: number;
}

export interface StandInStats {
  connections: { open: number; awaitingRecovery: number; byHub: Record<string, number> } & ConnectionCounts & { refusedUpgrades: number };
  messages: MessageCounts;
  rest: RestCounts;
  upstream: UpstreamCounts;
}

export interface Listening {
  port: number;
  /** http://host:port */
  url: string;
  /** What the server SDK takes: `Endpoint=http://host:port;AccessKey=...;Version=1.0;` */
  connectionString: string;
}

export interface WebPubSubStandIn {
  server: http.Server;
  accessKey: string;
  listen(port?: number, host?: string): Promise<Listening>;
  close(): Promise<void>;
  stats(): StandInStats;
  /**
   * Test hook: drops a client's socket as a network failure would (no close handshake). With
   * `holdRecovery`, its reconnection attempts wait until `release()` — a gap of known length.
   */
  dropConnection(hub: string, connectionId: string, options?: { holdRecovery?: boolean }): { release(): void };
}

export function createWebPubSubStandIn(options: WebPubSubStandInOptions = {}): WebPubSubStandIn {
  const accessKey = options.accessKey ?? randomBytes(32).toString('base64');
  if (/[;\s]/.test(accessKey) || accessKey === '') throw new Error('the access key must be non-empty, without white space or semicolons (it goes into a connection string)');
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  let origin = '127.0.0.1';

  const upstream = new UpstreamDispatcher({
    accessKey,
    handlers: options.eventHandlers ?? {},
    fetch: options.fetch ?? globalThis.fetch,
    origin: () => origin,
    now,
    log,
    timeoutMs: options.upstreamTimeoutMs ?? 10_000,
  });
  const service = new HubService({
    limits: { maxMessages: options.reliableBuffer?.maxMessages ?? 1000, maxBytes: options.reliableBuffer?.maxBytes ?? 16 * 1024 * 1024 },
    recoveryWindowMs: options.recoveryWindowMs ?? 30_000,
    log,
    events: {
      connected: (conn) => upstream.notify(conn, 'connected', {}),
      disconnected: (conn, reason) => upstream.notify(conn, 'disconnected', { reason }),
    },
  });
  const rest = new RestApi({ accessKey, service, now, log });
  const clients = new ClientEndpoint({
    accessKey, service, upstream, now, log,
    newConnectionId: () => randomBytes(16).toString('base64url'),
    newReconnectionToken: () => randomBytes(32).toString('base64url'),
  });

  const server = http.createServer((req, res) => {
    if ((req.url ?? '').startsWith('/client/')) {
      // The client endpoint only speaks WebSocket.
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('the client endpoint expects a WebSocket upgrade\n');
      return;
    }
    rest.handle(req, res);
  });
  server.on('upgrade', (req, socket, head) => clients.handleUpgrade(req, socket, head));

  return {
    server,
    accessKey,
    async listen(port = 0, host = '127.0.0.1') {
      const listening = await listenOn(server, port, host);
      origin = `${host}:${listening.port}`;
      const url = listening.origin;
      log(`Web PubSub stand-in listening on ${url}`);
      return { port: listening.port, url, connectionString: `Endpoint=${url};AccessKey=${accessKey};Version=1.0;` };
    },
    async close() {
      service.shutdown();
      clients.close();
      upstream.close();
      await new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
    stats() {
      const all = service.allConnections();
      return {
        connections: {
          open: all.length,
          awaitingRecovery: all.filter((c) => !c.attached).length,
          byHub: service.countsByHub(),
          ...service.connectionCounts,
          refusedUpgrades: clients.counts.refused,
        },
        messages: { ...service.messages },
        rest: { ...rest.counts },
        upstream: { ...upstream.counts },
      };
    },
    dropConnection(hub, connectionId, opts = {}) {
      const conn = service.connection(hub, connectionId);
      if (!conn) throw new Error(`no connection ${connectionId} in hub ${hub}`);
      const release = opts.holdRecovery ? clients.holdRecovery(connectionId) : () => {};
      clients.drop(conn);
      return { release };
    },
  };
}
