// The service's state and what it does with it, shared by the REST API and the client endpoint:
// connections per hub, indexed by user and by group; sends to all, a user, a group or a
// connection (with `excluded` and `filter`); group membership; closing; and the reliable
// sessions that wait for their client to reconnect.
import { ClientConnection, type MessageSource, type Payload, type ReliableLimits } from './client-connection';
import type { ConnectionFilter } from './connection-filter';

/** The REST API's hub pattern; hub names are case-insensitive. */
export const HUB_PATTERN = /^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/;

/** The REST API's group rule: 1 to 1024 characters, not only white space. */
export function validGroupName(group: unknown): group is string {
  return typeof group === 'string' && group.length >= 1 && group.length <= 1024 && !/^\s+$/.test(group);
}

export interface MessageCounts {
  toAll: number;
  toUser: number;
  toGroup: number;
  toConnection: number;
  clientToGroup: number;
  /** Data messages handed to a connection (one send to a group of three counts three). */
  delivered: number;
}

export interface ConnectionCounts {
  opened: number;
  closed: number;
  recovered: number;
  droppedForFullBuffer: number;
}

export interface ServiceEvents {
  connected(conn: ClientConnection): void;
  disconnected(conn: ClientConnection, reason: string): void;
}

export interface HubServiceOptions {
  limits: ReliableLimits;
  /** How long a reliable session waits for its client after the socket dropped. */
  recoveryWindowMs: number;
  events: ServiceEvents;
  log: (line: string) => void;
}

class Hub {
  readonly connections = new Map<string, ClientConnection>();
  readonly users = new Map<string, Set<ClientConnection>>();
  readonly groups = new Map<string, Set<ClientConnection>>();
}

export interface SendOptions {
  excluded?: readonly string[];
  filter?: ConnectionFilter;
}

/** RFC 6455 limits a close reason to 123 bytes; cut on a character boundary (ws throws on more). */
export function closeReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out) > 123) out = [...out].slice(0, -1).join('');
  return out;
}

/** Reasons the service gives in `disconnected` (client message and upstream event). */
export const REASONS = {
  bufferFull: 'The reliable message buffer is full.',
  notRecovered: 'The connection was not recovered in time.',
  serviceStopped: 'The service is stopping.',
};

export class HubService {
  readonly messages: MessageCounts = { toAll: 0, toUser: 0, toGroup: 0, toConnection: 0, clientToGroup: 0, delivered: 0 };
  readonly connectionCounts: ConnectionCounts = { opened: 0, closed: 0, recovered: 0, droppedForFullBuffer: 0 };
  private readonly hubs = new Map<string, Hub>();

  constructor(private readonly options: HubServiceOptions) {}

  get limits(): ReliableLimits {
    return this.options.limits;
  }

  /** Hub names are case-insensitive in the service. */
  static hubKey(name: string): string {
    return name.toLowerCase();
  }

  private hub(name: string): Hub {
    const key = HubService.hubKey(name);
    let hub = this.hubs.get(key);
    if (!hub) {
      hub = new Hub();
      this.hubs.set(key, hub);
    }
    return hub;
  }

  connection(hub: string, id: string): ClientConnection | undefined {
    return this.hubs.get(HubService.hubKey(hub))?.connections.get(id);
  }

  userConnections(hub: string, userId: string): ClientConnection[] {
    return [...(this.hubs.get(HubService.hubKey(hub))?.users.get(userId) ?? [])];
  }

  groupConnections(hub: string, group: string): ClientConnection[] {
    return [...(this.hubs.get(HubService.hubKey(hub))?.groups.get(group) ?? [])];
  }

  hubConnections(hub: string): ClientConnection[] {
    return [...(this.hubs.get(HubService.hubKey(hub))?.connections.values() ?? [])];
  }

  allConnections(): ClientConnection[] {
    return [...this.hubs.values()].flatMap((h) => [...h.connections.values()]);
  }

  countsByHub(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, hub] of this.hubs) if (hub.connections.size) out[name] = hub.connections.size;
    return out;
  }

  add(conn: ClientConnection): void {
    const hub = this.hub(conn.hub);
    hub.connections.set(conn.id, conn);
    if (conn.userId !== null) {
      let set = hub.users.get(conn.userId);
      if (!set) hub.users.set(conn.userId, (set = new Set()));
      set.add(conn);
    }
    for (const g of conn.groups) this.indexGroup(hub, conn, g);
    this.connectionCounts.opened++;
    this.options.events.connected(conn);
  }

  private indexGroup(hub: Hub, conn: ClientConnection, group: string): void {
    let set = hub.groups.get(group);
    if (!set) hub.groups.set(group, (set = new Set()));
    set.add(conn);
  }

  joinGroup(conn: ClientConnection, group: string): void {
    conn.groups.add(group);
    this.indexGroup(this.hub(conn.hub), conn, group);
  }

  leaveGroup(conn: ClientConnection, group: string): void {
    conn.groups.delete(group);
    const hub = this.hub(conn.hub);
    const set = hub.groups.get(group);
    set?.delete(conn);
    if (set && set.size === 0) hub.groups.delete(group);
  }

  leaveAllGroups(conn: ClientConnection): void {
    for (const g of [...conn.groups]) this.leaveGroup(conn, g);
  }

  /**
   * Ends a connection for good: out of every index, the client told why (PubSub clients get a
   * `disconnected` system message first), the socket closed, upstream `disconnected` raised.
   */
  close(conn: ClientConnection, reason: string, code = 1000): void {
    if (conn.closed) return;
    conn.closed = true;
    if (conn.recoveryTimer) clearTimeout(conn.recoveryTimer);
    conn.recoveryTimer = undefined;
    const hub = this.hub(conn.hub);
    hub.connections.delete(conn.id);
    if (conn.userId !== null) {
      const set = hub.users.get(conn.userId);
      set?.delete(conn);
      if (set && set.size === 0) hub.users.delete(conn.userId);
    }
    for (const g of [...conn.groups]) {
      const set = hub.groups.get(g);
      set?.delete(conn);
      if (set && set.size === 0) hub.groups.delete(g);
    }
    const socket = conn.socket;
    conn.detach();
    if (socket) {
      if (!conn.raw) socket.send(JSON.stringify({ type: 'system', event: 'disconnected', message: reason }));
      socket.close(code, closeReason(reason));
    }
    this.connectionCounts.closed++;
    this.options.log(`connection ${conn.id} (hub ${conn.hub}, user ${conn.userId ?? '-'}) closed: ${reason || '(no reason)'}`);
    this.options.events.disconnected(conn, reason);
  }

  /** The socket went away without a close handshake: a reliable session waits for its client, anything else ends. */
  lost(conn: ClientConnection, socketReason: string): void {
    if (conn.closed) return;
    if (!conn.reliable) {
      this.close(conn, socketReason);
      return;
    }
    conn.detach();
    if (conn.recoveryTimer) clearTimeout(conn.recoveryTimer);
    conn.recoveryTimer = setTimeout(() => this.close(conn, REASONS.notRecovered), this.options.recoveryWindowMs);
    conn.recoveryTimer.unref();
    this.options.log(`connection ${conn.id} lost its socket; waiting ${this.options.recoveryWindowMs} ms for it to reconnect`);
  }

  recovered(conn: ClientConnection): void {
    if (conn.recoveryTimer) clearTimeout(conn.recoveryTimer);
    conn.recoveryTimer = undefined;
    this.connectionCounts.recovered++;
  }

  private deliver(targets: Iterable<ClientConnection>, source: MessageSource, payload: Payload, options: SendOptions): number {
    const excluded = new Set(options.excluded ?? []);
    let n = 0;
    for (const conn of [...targets]) {
      if (conn.closed || excluded.has(conn.id)) continue;
      if (options.filter && !options.filter.matches({ userId: conn.userId, connectionId: conn.id, groups: [...conn.groups] })) continue;
      if (!conn.sendMessage(source, payload, this.options.limits)) {
        this.connectionCounts.droppedForFullBuffer++;
        this.close(conn, REASONS.bufferFull, 1008);
        continue;
      }
      n++;
    }
    this.messages.delivered += n;
    return n;
  }

  sendToAll(hub: string, payload: Payload, options: SendOptions = {}): number {
    this.messages.toAll++;
    return this.deliver(this.hubConnections(hub), { from: 'server' }, payload, options);
  }

  sendToUser(hub: string, userId: string, payload: Payload, options: SendOptions = {}): number {
    this.messages.toUser++;
    return this.deliver(this.userConnections(hub, userId), { from: 'server' }, payload, options);
  }

  sendToConnection(hub: string, connectionId: string, payload: Payload): number {
    this.messages.toConnection++;
    const conn = this.connection(hub, connectionId);
    return conn ? this.deliver([conn], { from: 'server' }, payload, {}) : 0;
  }

  sendToGroup(hub: string, group: string, payload: Payload, options: SendOptions = {}): number {
    this.messages.toGroup++;
    return this.deliver(this.groupConnections(hub, group), { from: 'server' }, payload, options);
  }

  /** A PubSub client publishing to a group: members see `from: group` and the sender's user id. */
  publishToGroup(sender: ClientConnection, group: string, payload: Payload, noEcho: boolean): number {
    this.messages.clientToGroup++;
    return this.deliver(this.groupConnections(sender.hub, group), { from: 'group', group, fromUserId: sender.userId }, payload, { excluded: noEcho ? [sender.id] : [] });
  }

  /** Ends every connection (the stand-in is closing): sockets terminated, no recovery. */
  shutdown(): void {
    for (const conn of this.allConnections()) {
      const socket = conn.socket;
      this.close(conn, REASONS.serviceStopped, 1001);
      socket?.terminate();
    }
  }
}
