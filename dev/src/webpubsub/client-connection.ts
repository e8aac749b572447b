// One client connection as the service keeps it: identity, groups, permissions and, for the
// reliable subprotocol, the session that outlives a dropped WebSocket. Reliable data messages are
// numbered and kept until the client's sequenceAck; a reconnect with the connection id and
// reconnection token replays what was not acknowledged, in order, before anything newer
// ("Create reliable Websocket clients": "the service will redeliver messages it should deliver but
// not ack-ed by the subscriber ... if messages exceed the limit, the service will close the
// WebSockets connection and remove the connection-id session").
import type { WebSocket } from 'ws';
import { GroupPermissions } from './group-permissions';

export const JSON_SUBPROTOCOL = 'json.webpubsub.azure.v1';
export const RELIABLE_JSON_SUBPROTOCOL = 'json.reliable.webpubsub.azure.v1';
export const SUPPORTED_SUBPROTOCOLS = [JSON_SUBPROTOCOL, RELIABLE_JSON_SUBPROTOCOL] as const;

export type DataType = 'json' | 'text' | 'binary';

/** A message body as the service carries it: JSON and text as UTF-8, binary as bytes. */
export interface Payload {
  dataType: DataType;
  bytes: Buffer;
  /** The parsed value of a JSON payload (checked when it entered the service). */
  value?: unknown;
}

export type MessageSource = { from: 'server' } | { from: 'group'; group: string; fromUserId: string | null };

export interface ReliableLimits {
  /** Unacknowledged messages kept per connection before the session is dropped. */
  maxMessages: number;
  maxBytes: number;
}

export function payloadData(p: Payload): unknown {
  if (p.dataType === 'json') return p.value !== undefined ? p.value : JSON.parse(p.bytes.toString('utf8'));
  if (p.dataType === 'text') return p.bytes.toString('utf8');
  return p.bytes.toString('base64');
}

export function messageFrame(source: MessageSource, payload: Payload, sequenceId?: number): string {
  const frame: Record<string, unknown> = { type: 'message', from: source.from };
  if (source.from === 'group') {
    frame.group = source.group;
    if (source.fromUserId !== null) frame.fromUserId = source.fromUserId;
  }
  frame.dataType = payload.dataType;
  frame.data = payloadData(payload);
  if (sequenceId !== undefined) frame.sequenceId = sequenceId;
  return JSON.stringify(frame);
}

export interface ConnectionInit {
  id: string;
  hub: string;
  userId: string | null;
  subprotocol: string | null;
  roles: string[];
  groups: string[];
  reconnectionToken: string;
  claims: Record<string, string[]>;
  connectionState?: string;
}

export class ClientConnection {
  readonly id: string;
  readonly hub: string;
  readonly userId: string | null;
  readonly subprotocol: string | null;
  readonly reliable: boolean;
  readonly raw: boolean;
  readonly reconnectionToken: string;
  readonly claims: Record<string, string[]>;
  readonly permissions: GroupPermissions;
  readonly groups = new Set<string>();
  /** `ce-connectionState` kept from the connect handler's answer, echoed on later events. */
  connectionState: string | undefined;
  socket: WebSocket | undefined;
  closed = false;
  /** Set while a reliable session waits for its client to come back. */
  recoveryTimer: NodeJS.Timeout | undefined;
  /** Serialises the upstream events of this connection (connected before disconnected). */
  upstream: Promise<void> = Promise.resolve();

  private nextSequenceId = 0;
  private readonly unacked = new Map<number, string>();
  private unackedBytes = 0;
  private readonly ackIds = new Set<number>();

  constructor(init: ConnectionInit) {
    this.id = init.id;
    this.hub = init.hub;
    this.userId = init.userId;
    this.subprotocol = init.subprotocol;
    this.reliable = init.subprotocol === RELIABLE_JSON_SUBPROTOCOL;
    this.raw = init.subprotocol === null;
    this.reconnectionToken = init.reconnectionToken;
    this.claims = init.claims;
    this.connectionState = init.connectionState;
    this.permissions = new GroupPermissions(init.roles);
    for (const g of init.groups) this.groups.add(g);
  }

  get attached(): boolean {
    return this.socket !== undefined;
  }

  /** Protocol frames that are not data (connected, ack, pong, disconnected): never numbered, never replayed. */
  sendControl(frame: object): void {
    this.socket?.send(JSON.stringify(frame));
  }

  /**
   * Sends a data message. Returns false when a reliable session has run out of room for
   * unacknowledged messages: the caller must then end the connection.
   */
  sendMessage(source: MessageSource, payload: Payload, limits: ReliableLimits): boolean {
    if (this.raw) {
      // A simple WebSocket client gets the bare body: text frames for JSON and text, binary frames for binary.
      this.socket?.send(payload.dataType === 'binary' ? payload.bytes : payload.bytes.toString('utf8'), { binary: payload.dataType === 'binary' });
      return true;
    }
    if (!this.reliable) {
      this.socket?.send(messageFrame(source, payload));
      return true;
    }
    const sequenceId = ++this.nextSequenceId;
    const frame = messageFrame(source, payload, sequenceId);
    const size = Buffer.byteLength(frame);
    if (this.unacked.size >= limits.maxMessages || this.unackedBytes + size > limits.maxBytes) return false;
    this.unacked.set(sequenceId, frame);
    this.unackedBytes += size;
    this.socket?.send(frame);
    return true;
  }

  /** sequenceAck is cumulative: everything up to and including the id was received. */
  acknowledge(sequenceId: number): void {
    for (const [id, frame] of this.unacked) {
      if (id > sequenceId) break;
      this.unacked.delete(id);
      this.unackedBytes -= Buffer.byteLength(frame);
    }
  }

  get unacknowledged(): number {
    return this.unacked.size;
  }

  /** A new transport for this session: unacknowledged messages go first, oldest first. */
  attach(socket: WebSocket): void {
    const previous = this.socket;
    this.socket = socket;
    if (previous && previous !== socket) previous.terminate();
    for (const frame of this.unacked.values()) socket.send(frame);
  }

  detach(): void {
    this.socket = undefined;
  }

  /** An ackId this connection already used for an operation that succeeded: the service answers `Duplicate`. */
  ackIdUsed(ackId: number): boolean {
    return this.ackIds.has(ackId);
  }

  /** Only successes are remembered: after an error ack the publisher "should resend message with the same ackId". */
  rememberAckId(ackId: number): void {
    this.ackIds.add(ackId);
    // Bounded: a long-lived connection must not grow without limit; the oldest ids go first.
    if (this.ackIds.size > 10_000) this.ackIds.delete(this.ackIds.values().next().value as number);
  }
}
