// What Azure Web PubSub tells the app about its clients (CloudEvents over HTTP, "event handler"
// in the hub settings): a connection of an agent closed (presence follows the connection), an
// agent typing in a conversation (told to its customer), an agent's reply just stored (told to
// the customer without waiting for an async step). Everything else is acknowledged and
// ignored. Requests are the service's own: the abuse-protection handshake answers only our
// service's origin, and every event carries `ce-signature`, the HMAC-SHA256 of its connection
// id under the access key, so nobody else can forge a disconnect or a typing signal.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { conversationGroup, customerPushUser, type PushPort, type RoutingTriggerPort } from '@switchboard/core';
import { isGuid } from '../dataverse/repositories/odata';
import type { ApiRequest, HttpResult } from '../hosting/http';

export interface PushUpstreamService {
  handle(request: ApiRequest): Promise<HttpResult>;
}

export interface PushUpstreamDeps {
  /** The service's host (from its endpoint), the only origin the handshake accepts. */
  serviceHost: string;
  accessKey: string;
  hub: string;
  push: PushPort;
  routing: RoutingTriggerPort;
  /** Whether this user is the primary agent of this conversation (only they speak to the customer). */
  isPrimary(userId: string, conversationId: string): Promise<boolean>;
  /** A disconnect shorter than this keeps the agent's presence (2.5 minutes in the product). */
  graceSeconds: number;
  now: () => number;
  log?: (line: string) => void;
}


const header = (request: ApiRequest, name: string): string => request.headers[name.toLowerCase()] ?? '';

function signedBy(accessKey: string, connectionId: string, signatures: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', accessKey).update(connectionId).digest('hex')}`);
  return signatures.split(',').some((s) => {
    const given = Buffer.from(s.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export class WebPubSubUpstream implements PushUpstreamService {
  constructor(private readonly deps: PushUpstreamDeps) {}

  async handle(request: ApiRequest): Promise<HttpResult> {
    if (request.method === 'OPTIONS') return this.handshake(request);
    const connectionId = header(request, 'ce-connectionId');
    if (!connectionId || !signedBy(this.deps.accessKey, connectionId, header(request, 'ce-signature'))) {
      return { status: 401, body: { error: { code: 'bad_signature', message: 'The event is not signed by the push service.' } } };
    }
    if (header(request, 'ce-hub').toLowerCase() !== this.deps.hub.toLowerCase()) {
      return { status: 400, body: { error: { code: 'unknown_hub', message: `Events of hub "${header(request, 'ce-hub')}" are not handled here.` } } };
    }
    // Only agents act here: a customer's connection (`customer.<id>`) or one with no user does not.
    const userId = header(request, 'ce-userId').toLowerCase();
    if (!isGuid(userId)) return { status: 204 };
    switch (header(request, 'ce-type')) {
      case 'azure.webpubsub.sys.disconnected':
        await this.disconnected(userId);
        break;
      case 'azure.webpubsub.user.typing':
        await this.typing(userId, request.body);
        break;
      case 'azure.webpubsub.user.sent':
        await this.sent(userId, request.body);
        break;
    }
    return { status: 204 };
  }

  // CloudEvents' abuse protection: the service asks before its first event to this URL.
  private handshake(request: ApiRequest): HttpResult {
    const origin = header(request, 'WebHook-Request-Origin');
    if (origin.toLowerCase() !== this.deps.serviceHost.toLowerCase()) {
      return { status: 400, body: { error: { code: 'unknown_origin', message: 'Only the configured push service may send events here.' } } };
    }
    return { status: 200, headers: { 'WebHook-Allowed-Origin': origin } };
  }

  // One of the agent's connections closed; others (a second tab) may live on. Whether any does
  // is asked when the grace is over, by the routing worker (agent-disconnected): a reload or a
  // short network loss costs no write at all.
  private async disconnected(agentId: string): Promise<void> {
    const since = this.deps.now();
    await this.deps.routing.enqueue(
      { kind: 'agent-disconnected', agentId, since, reason: 'push connection closed', at: since },
      { delaySeconds: Math.max(1, Math.ceil(this.deps.graceSeconds)) },
    );
  }

  /** The conversation an agent's event names, lower-cased, when that agent is its primary (only they speak to the customer). */
  private async primaryConversation(agentId: string, body: unknown, what: string): Promise<string | null> {
    const conversationId = (body as { conversationId?: unknown } | null)?.conversationId;
    if (typeof conversationId !== 'string' || !isGuid(conversationId)) return null;
    if (!(await this.deps.isPrimary(agentId, conversationId))) {
      this.deps.log?.(`push: ${what} from ${agentId} in ${conversationId} ignored: not its primary agent`);
      return null;
    }
    return conversationId.toLowerCase();
  }

  private async typing(agentId: string, body: unknown): Promise<void> {
    const id = await this.primaryConversation(agentId, body, 'typing');
    if (id) await this.deps.push.toUser(customerPushUser(id), { kind: 'typing', conversationId: id, by: 'agent' });
  }

  // A reply the primary agent's desk just stored: told to the customer (and the conversation's
  // agents) now, ahead of the push-relay step's async job. Only a hint — the widget reads the
  // stored messages — so a sequence the page claims wrongly costs nobody anything.
  private async sent(agentId: string, body: unknown): Promise<void> {
    const id = await this.primaryConversation(agentId, body, 'a reply');
    if (!id) return;
    const claimed = (body as { sequence?: unknown }).sequence;
    const sequence = typeof claimed === 'number' && Number.isInteger(claimed) && claimed > 0 ? claimed : undefined;
    const event = { kind: 'message' as const, conversationId: id, ...(sequence !== undefined ? { sequence } : {}) };
    await Promise.all([this.deps.push.toUser(customerPushUser(id), event), this.deps.push.toGroup(conversationGroup(id), event)]);
  }
}

/** `Endpoint=…;AccessKey=…;` → the parts the upstream check needs. */
export function parseConnectionString(connectionString: string): { endpoint: URL; accessKey: string } {
  const parts = new Map(
    connectionString
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const i = p.indexOf('=');
        return [p.slice(0, i).toLowerCase(), p.slice(i + 1)] as const;
      }),
  );
  const endpoint = parts.get('endpoint');
  const accessKey = parts.get('accesskey');
  if (!endpoint || !accessKey) throw new Error('the Web PubSub connection string needs Endpoint= and AccessKey=');
  const url = new URL(endpoint);
  const port = parts.get('port');
  if (port) url.port = port;
  return { endpoint: url, accessKey };
}
