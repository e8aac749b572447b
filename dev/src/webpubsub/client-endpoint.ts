// The client endpoint `GET /client/hubs/{hub}` (WebSocket upgrade): the client access token
// (`access_token` query or `Authorization: Bearer`), the blocking `connect` event, subprotocol
// selection, then the PubSub JSON protocol ("Azure Web PubSub supported JSON WebSocket
// subprotocol", `json.webpubsub.azure.v1`, and its reliable variant): connected, joinGroup,
// leaveGroup, sendToGroup, event, sequenceAck, ping; and reconnection with awps_connection_id and
// awps_reconnection_token. A client without a supported subprotocol is a simple WebSocket client:
// bare frames both ways.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { claimList, sameUrl, verifyJwt, type JwtPayload } from './access-token';
import { ClientConnection, SUPPORTED_SUBPROTOCOLS, type Payload } from './client-connection';
import { HUB_PATTERN, HubService, validGroupName } from './hub-service';
import type { UpstreamDispatcher } from './upstream-dispatcher';

/** The service's limit for one message. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface ClientEndpointOptions {
  accessKey: string;
  service: HubService;
  upstream: UpstreamDispatcher;
  now: () => number;
  log: (line: string) => void;
  newConnectionId: () => string;
  newReconnectionToken: () => string;
}

export interface UpgradeCounts {
  accepted: number;
  refused: number;
}

type AckError = { name: string; message: string };

class ProtocolViolation extends Error {}

function refuse(socket: Duplex, status: number, detail: string): void {
  const body = `${detail}\n`;
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

function claimsOf(payload: JwtPayload): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(payload)) {
    const list = Array.isArray(v) ? v : [v];
    out[k] = list.filter((x) => x !== undefined && x !== null).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  }
  return out;
}

function multiMap(entries: Iterable<[string, string]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of entries) (out[k] ??= []).push(v);
  return out;
}

/** Client-sent data (`sendToGroup`, `event`): `dataType` defaults to json; binary is base64. */
function clientPayload(dataType: unknown, data: unknown): Payload {
  const type = dataType ?? 'json';
  if (type === 'json') {
    if (data === undefined) throw new ProtocolViolation('data is missing');
    return { dataType: 'json', bytes: Buffer.from(JSON.stringify(data)), value: data };
  }
  if (type === 'text') {
    if (typeof data !== 'string') throw new ProtocolViolation('text data must be a string');
    return { dataType: 'text', bytes: Buffer.from(data, 'utf8') };
  }
  if (type === 'binary') {
    if (typeof data !== 'string') throw new ProtocolViolation('binary data must be a base64 string');
    return { dataType: 'binary', bytes: Buffer.from(data, 'base64') };
  }
  throw new ProtocolViolation(`dataType ${JSON.stringify(type)} is not one of json, text, binary (protobuf is not supported by the stand-in)`);
}

export class ClientEndpoint {
  readonly counts: UpgradeCounts = { accepted: 0, refused: 0 };
  private readonly chosen = new WeakMap<IncomingMessage, string | false>();
  private readonly holds = new Map<string, { promise: Promise<void>; release: () => void }>();
  private readonly wss: WebSocketServer;

  constructor(private readonly options: ClientEndpointOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_MESSAGE_BYTES,
      // The protocol was chosen (and, with a connect handler, confirmed) before the upgrade.
      handleProtocols: (_offered, req) => this.chosen.get(req) ?? false,
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.options.log(`client socket error before upgrade: ${err.message}`));
    this.upgrade(req, socket, head).catch((err: Error) => {
      this.options.log(`client upgrade failed: ${err.stack ?? err.message}`);
      if (!socket.destroyed) refuse(socket, 500, 'internal error in the Web PubSub stand-in');
    });
  }

  private refuse(socket: Duplex, status: number, detail: string): void {
    this.counts.refused++;
    this.options.log(`client connection refused ${status}: ${detail}`);
    refuse(socket, status, detail);
  }

  /** Test hook: the next reconnection attempts of this connection wait until released (a slow network). */
  holdRecovery(connectionId: string): () => void {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    const hold = { promise, release: () => {
      this.holds.delete(connectionId);
      release();
    } };
    this.holds.set(connectionId, hold);
    return hold.release;
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const host = req.headers.host ?? '127.0.0.1';
    const url = new URL(req.url ?? '/', `http://${host}`);
    const m = /^\/client\/hubs\/([^/]+)\/?$/.exec(url.pathname);
    if (!m) return this.refuse(socket, 404, `no WebSocket endpoint at ${url.pathname}; clients connect to /client/hubs/{hub}`);
    const hub = decodeURIComponent(m[1]!);
    if (!HUB_PATTERN.test(hub)) return this.refuse(socket, 400, `invalid hub name '${hub}'`);
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    const supported = offered.find((p) => (SUPPORTED_SUBPROTOCOLS as readonly string[]).includes(p)) ?? null;

    const reconnectId = url.searchParams.get('awps_connection_id');
    if (reconnectId) return this.recover(req, socket, head, hub, reconnectId, url.searchParams.get('awps_reconnection_token') ?? '', supported);

    if (url.searchParams.has('webpubsub_mode')) return this.refuse(socket, 400, 'webpubsub_mode (simple clients publishing to a group) is not supported by the stand-in');
    const auth = req.headers.authorization;
    const token = url.searchParams.get('access_token') ?? (auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : undefined);
    if (!token) return this.refuse(socket, 401, 'an access token is required (access_token query parameter or Authorization: Bearer)');
    // The SDK signs the client URL on the http(s) endpoint (it swaps the scheme to ws only in the URL it returns).
    const expected = `http://${host}/client/hubs/${hub}`;
    const check = verifyJwt(token, {
      key: this.options.accessKey,
      nowSeconds: Math.floor(this.options.now() / 1000),
      audience: (aud) => sameUrl(aud.replace(/^ws(s?):/i, 'http$1:').replace(/^https:/i, 'http:'), expected),
    });
    if (!check.ok) return this.refuse(socket, 401, `invalid access token: ${check.reason}`);
    const payload = check.payload;
    let userId: string | null = typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : null;
    let roles = claimList(payload, 'role');
    let groups = claimList(payload, 'webpubsub.group');
    if (!groups.every(validGroupName)) return this.refuse(socket, 400, 'the token contains an invalid group name');
    let subprotocol = supported;
    let connectionState: string | undefined;
    const connectionId = this.options.newConnectionId();

    if (this.options.upstream.handlesSystem(hub, 'connect')) {
      const query = [...url.searchParams].filter(([k]) => k !== 'access_token');
      const headers = Object.entries(req.headers).flatMap(([k, v]) => (k === 'authorization' || v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x])));
      const outcome = await this.options.upstream.connect({ hub, connectionId, userId }, {
        claims: claimsOf(payload), query: multiMap(query), headers: multiMap(headers), subprotocols: offered, clientCertificates: [],
      });
      if (!outcome.ok) return this.refuse(socket, outcome.status, outcome.detail);
      if (outcome.userId !== undefined) userId = outcome.userId === '' ? null : outcome.userId;
      if (outcome.roles) roles = outcome.roles;
      if (outcome.groups) {
        if (!outcome.groups.every(validGroupName)) return this.refuse(socket, 500, 'the connect handler answered an invalid group name');
        groups = outcome.groups;
      }
      if (outcome.subprotocol !== undefined) {
        if (outcome.subprotocol !== null && !offered.includes(outcome.subprotocol)) return this.refuse(socket, 500, `the connect handler chose subprotocol ${outcome.subprotocol}, which the client did not offer`);
        subprotocol = outcome.subprotocol !== null && (SUPPORTED_SUBPROTOCOLS as readonly string[]).includes(outcome.subprotocol) ? outcome.subprotocol : null;
      }
      connectionState = outcome.connectionState;
    }
    if (socket.destroyed) return;

    this.chosen.set(req, subprotocol ?? false);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.counts.accepted++;
      const conn = new ClientConnection({
        id: connectionId, hub, userId, subprotocol, roles, groups, connectionState,
        reconnectionToken: this.options.newReconnectionToken(), claims: claimsOf(payload),
      });
      conn.attach(ws);
      if (!conn.raw) {
        const connected: Record<string, unknown> = { type: 'system', event: 'connected', connectionId };
        if (userId !== null) connected.userId = userId;
        if (conn.reliable) connected.reconnectionToken = conn.reconnectionToken;
        conn.sendControl(connected);
      }
      this.options.service.add(conn);
      this.options.log(`connection ${connectionId} opened (hub ${hub}, user ${userId ?? '-'}, ${subprotocol ?? 'simple WebSocket'})`);
      this.wire(conn, ws);
    });
  }

  private async recover(req: IncomingMessage, socket: Duplex, head: Buffer, hub: string, connectionId: string, token: string, offered: string | null): Promise<void> {
    const hold = this.holds.get(connectionId);
    if (hold) await hold.promise;
    if (socket.destroyed) return;
    const conn = this.options.service.connection(hub, connectionId);
    const given = Buffer.from(token);
    const expected = Buffer.from(conn?.reconnectionToken ?? '');
    const valid = conn !== undefined && !conn.closed && conn.reliable && given.length === expected.length && timingSafeEqual(given, expected);
    if (!valid) {
      // Accept, then close with 1008: "the connectionId has been removed from the service", so the client stops
      // retrying the recovery and starts a new connection.
      this.chosen.set(req, offered ?? false);
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.counts.refused++;
        this.options.log(`connection ${connectionId} could not be recovered`);
        ws.close(1008, 'The connection could not be recovered.');
      });
      return;
    }
    this.chosen.set(req, conn.subprotocol ?? false);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (conn.closed) {
        ws.close(1008, 'The connection could not be recovered.');
        return;
      }
      this.counts.accepted++;
      conn.attach(ws);
      this.options.service.recovered(conn);
      this.options.log(`connection ${connectionId} recovered; ${conn.unacknowledged} unacknowledged message(s) replayed`);
      this.wire(conn, ws);
    });
  }

  private wire(conn: ClientConnection, ws: WebSocket): void {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (conn.socket !== ws) return;
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      if (conn.raw) {
        void this.rawFrame(conn, bytes, isBinary);
        return;
      }
      try {
        this.pubsubMessage(conn, bytes);
      } catch (err) {
        if (!(err instanceof ProtocolViolation)) throw err;
        // "Service declines the client if the message does not match the described format."
        this.options.service.close(conn, `Invalid message: ${err.message}`, 1008);
      }
    });
    ws.on('error', (err) => this.options.log(`connection ${conn.id} socket error: ${err.message}`));
    ws.on('close', (code: number, reason: Buffer) => {
      if (conn.socket !== ws) return;
      if (code === 1006) {
        // No close handshake: the network went away. A reliable session waits for its client.
        this.options.service.lost(conn, 'The connection was lost.');
        return;
      }
      // The client closed on purpose (stop(), a closing tab): the connection ends.
      conn.detach();
      this.options.service.close(conn, reason.toString('utf8'));
    });
  }

  private ack(conn: ClientConnection, ackId: number | undefined, error?: AckError): void {
    if (ackId === undefined) return;
    conn.sendControl(error ? { type: 'ack', ackId, success: false, error } : { type: 'ack', ackId, success: true });
  }

  private pubsubMessage(conn: ClientConnection, bytes: Buffer): void {
    let msg: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(bytes.toString('utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      msg = parsed as Record<string, unknown>;
    } catch {
      throw new ProtocolViolation('frames must be JSON objects');
    }
    const ackId = msg.ackId;
    if (ackId !== undefined && !(typeof ackId === 'number' && Number.isSafeInteger(ackId) && ackId >= 0)) throw new ProtocolViolation('ackId must be a non-negative integer');
    const id = ackId as number | undefined;
    if (id !== undefined && conn.ackIdUsed(id) && ['joinGroup', 'leaveGroup', 'sendToGroup', 'event'].includes(msg.type as string)) {
      this.ack(conn, id, { name: 'Duplicate', message: `Message with ack-id: ${id} has been processed` });
      return;
    }
    const succeed = () => {
      if (id !== undefined) conn.rememberAckId(id);
      this.ack(conn, id);
    };
    const service = this.options.service;
    switch (msg.type) {
      case 'joinGroup':
      case 'leaveGroup': {
        const group = msg.group;
        if (!validGroupName(group)) return this.ack(conn, id, { name: 'BadRequest', message: 'group must be a string of 1 to 1024 characters, not only white space' });
        if (!conn.permissions.can('joinLeaveGroup', group)) {
          return this.ack(conn, id, { name: 'Forbidden', message: `The connection has no permission to ${msg.type === 'joinGroup' ? 'join' : 'leave'} group ${group}.` });
        }
        if (msg.type === 'joinGroup') service.joinGroup(conn, group);
        else service.leaveGroup(conn, group);
        return succeed();
      }
      case 'sendToGroup': {
        const group = msg.group;
        if (msg.stream !== undefined) {
          const streamId = (msg.stream as { streamId?: unknown } | null)?.streamId;
          conn.sendControl({ type: 'streamClosed', streamId, error: { name: 'NotSupported', message: 'Group streams are not supported by the Web PubSub stand-in.' } });
          return this.ack(conn, id, { name: 'NotSupported', message: 'Group streams are not supported by the Web PubSub stand-in.' });
        }
        if (!validGroupName(group)) return this.ack(conn, id, { name: 'BadRequest', message: 'group must be a string of 1 to 1024 characters, not only white space' });
        if (!conn.permissions.can('sendToGroup', group)) return this.ack(conn, id, { name: 'Forbidden', message: `The connection has no permission to send to group ${group}.` });
        service.publishToGroup(conn, group, clientPayload(msg.dataType, msg.data), msg.noEcho === true);
        return succeed();
      }
      case 'event': {
        const event = msg.event;
        if (typeof event !== 'string' || !event) throw new ProtocolViolation('event must be a non-empty string');
        const payload = clientPayload(msg.dataType, msg.data);
        if (!this.options.upstream.handlesUser(conn.hub, event)) {
          return this.ack(conn, id, { name: 'InternalServerError', message: `No event handler is configured for user event '${event}' on hub ${conn.hub}.` });
        }
        void this.options.upstream.userEvent(conn, event, payload).then((outcome) => {
          if (conn.closed) return;
          if (!outcome.ok) return this.ack(conn, id, { name: 'InternalServerError', message: outcome.detail });
          if (outcome.reply && conn.sendMessage({ from: 'server' }, outcome.reply, this.limits())) service.messages.delivered++;
          succeed();
        });
        return;
      }
      case 'sequenceAck': {
        const seq = msg.sequenceId;
        if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) throw new ProtocolViolation('sequenceId must be a non-negative integer');
        if (conn.reliable) conn.acknowledge(seq);
        return;
      }
      case 'ping':
        return conn.sendControl({ type: 'pong' });
      case 'invoke':
        return conn.sendControl({ type: 'invokeResponse', invocationId: msg.invocationId, success: false, error: { name: 'NotSupported', message: 'Invocations are not supported by the Web PubSub stand-in.' } });
      case 'cancelInvocation':
        return;
      default:
        this.options.log(`connection ${conn.id} sent an unsupported message type ${JSON.stringify(msg.type)}`);
        return this.ack(conn, id, { name: 'NotSupported', message: `Message type ${JSON.stringify(msg.type)} is not supported by the Web PubSub stand-in.` });
    }
  }

  private limits() {
    return this.options.service.limits;
  }

  /** A simple WebSocket client's frame is the user event `message`; the handler's answer goes back as a bare frame. */
  private async rawFrame(conn: ClientConnection, bytes: Buffer, isBinary: boolean): Promise<void> {
    if (!this.options.upstream.handlesUser(conn.hub, 'message')) {
      this.options.log(`connection ${conn.id} (simple WebSocket) sent a frame but hub ${conn.hub} has no handler for the user event 'message'; dropped`);
      return;
    }
    const outcome = await this.options.upstream.userEvent(conn, 'message', { dataType: isBinary ? 'binary' : 'text', bytes });
    if (conn.closed) return;
    if (!outcome.ok) {
      this.options.log(`connection ${conn.id}: ${outcome.detail}`);
      return;
    }
    if (outcome.reply && conn.sendMessage({ from: 'server' }, outcome.reply, this.limits())) this.options.service.messages.delivered++;
  }

  /** Test hook: the socket goes away as on a network failure (no close handshake); the session stays for recovery. */
  drop(conn: ClientConnection): void {
    const ws = conn.socket;
    if (!ws) return;
    this.options.service.lost(conn, 'The connection was lost.');
    conn.detach();
    ws.terminate();
  }

  close(): void {
    for (const hold of [...this.holds.values()]) hold.release();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
