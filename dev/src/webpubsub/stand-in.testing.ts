// Test helpers: a stand-in on a free loopback port, the real server SDK on its connection
// string, and real WebPubSubClient instances whose received messages are recorded.
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { WebPubSubClient, type WebPubSubClientOptions } from '@azure/web-pubsub-client';
import { createWebPubSubStandIn, type Listening, type WebPubSubStandIn, type WebPubSubStandInOptions } from './stand-in';

export interface Received {
  from: 'server' | 'group';
  group?: string;
  fromUserId?: string;
  dataType: string;
  data: unknown;
  sequenceId?: number;
}

export interface RecordedClient {
  client: WebPubSubClient;
  received: Received[];
  connections: { connectionId: string; userId?: string }[];
  disconnections: { connectionId?: string; message?: string }[];
  stopped: () => boolean;
  /** The connected event of the current connection. */
  connected(): Promise<{ connectionId: string; userId?: string }>;
  waitFor(predicate: (m: Received) => boolean, timeoutMs?: number): Promise<Received>;
}

export async function waitUntil(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export class Harness {
  readonly lines: string[] = [];
  readonly clients: RecordedClient[] = [];
  standIn!: WebPubSubStandIn;
  listening!: Listening;

  async start(options: WebPubSubStandInOptions = {}): Promise<this> {
    this.standIn = createWebPubSubStandIn({ accessKey: 'stand-in-test-key-0123456789abcdefghijklmnop', log: (l) => this.lines.push(l), ...options });
    this.listening = await this.standIn.listen(0);
    return this;
  }

  /**
   * The server SDK as the product builds it for a local endpoint: core-rest-pipeline refuses plain
   * http unless `allowInsecureConnection` is set (the SDK's own option; the product must pass it
   * when the endpoint is http://).
   */
  service(hub = 'chat'): WebPubSubServiceClient {
    return new WebPubSubServiceClient(this.listening.connectionString, hub, { allowInsecureConnection: true });
  }

  /**
   * A client whose URL comes from the server SDK's getClientAccessToken, as the product's negotiate
   * endpoint will hand it out. Keep-alive pings are off so no SDK timer outlives a test.
   */
  client(token: { userId?: string; roles?: string[]; groups?: string[]; hub?: string }, options: WebPubSubClientOptions = {}): RecordedClient {
    const service = this.service(token.hub ?? 'chat');
    const client = new WebPubSubClient(
      { getClientAccessUrl: async () => (await service.getClientAccessToken({ userId: token.userId, roles: token.roles, groups: token.groups })).url },
      { keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0, messageRetryOptions: { maxRetries: 0 }, ...options },
    );
    return this.record(client);
  }

  record(client: WebPubSubClient): RecordedClient {
    const received: Received[] = [];
    const connections: { connectionId: string; userId?: string }[] = [];
    const disconnections: { connectionId?: string; message?: string }[] = [];
    let stopped = false;
    client.on('server-message', (e) => received.push({ from: 'server', dataType: e.message.dataType, data: e.message.data, sequenceId: e.message.sequenceId }));
    client.on('group-message', (e) => received.push({ from: 'group', group: e.message.group, fromUserId: e.message.fromUserId, dataType: e.message.dataType, data: e.message.data, sequenceId: e.message.sequenceId }));
    client.on('connected', (e) => connections.push({ connectionId: e.connectionId, userId: e.userId }));
    client.on('disconnected', (e) => disconnections.push({ connectionId: e.connectionId, message: e.message?.message }));
    client.on('stopped', () => (stopped = true));
    const recorded: RecordedClient = {
      client, received, connections, disconnections,
      stopped: () => stopped,
      async connected() {
        const before = connections.length;
        if (before === 0) await waitUntil(() => connections.length > 0, 5000, 'the connected event');
        return connections[connections.length - 1]!;
      },
      async waitFor(predicate, timeoutMs = 5000) {
        await waitUntil(() => received.some(predicate), timeoutMs, 'a matching message');
        return received.find(predicate)!;
      },
    };
    this.clients.push(recorded);
    return recorded;
  }

  /**
   * Stops every client while the stand-in still answers, then closes it. stop() is repeated until
   * the client reports `stopped`: the SDK ignores a stop() that lands while it is recovering or
   * reconnecting (it clears its stopping flag when the socket is not open) and would otherwise
   * retry against a closed port forever.
   */
  async stop(): Promise<void> {
    const clients = this.clients.splice(0);
    const started = clients.filter((c) => c.connections.length > 0 || c.disconnections.length > 0);
    const deadline = Date.now() + 10_000;
    while (started.some((c) => !c.stopped()) && Date.now() < deadline) {
      for (const c of started) if (!c.stopped()) c.client.stop();
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const c of clients) c.client.stop();
    await this.standIn?.close();
  }
}
