// The push port over Azure Web PubSub's server SDK. Every call is bounded (a slow push service
// must not hold up an SMS or a routing pass) and never throws: push is a hint, the rows are the
// truth (core/src/push/push-port.ts).
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import type { PushEvent, PushPort } from '@switchboard/core';

export interface WebPubSubSettings {
  connectionString: string;
  hub: string;
  /** Per call; default 2 s. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

function isHttp(connectionString: string): boolean {
  return /(^|;)\s*Endpoint=http:\/\//i.test(connectionString);
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export class WebPubSubPush implements PushPort {
  private readonly client: WebPubSubServiceClient;
  private readonly timeoutMs: number;
  private readonly log: (line: string) => void;

  constructor(settings: WebPubSubSettings) {
    // The SDK's pipeline refuses http:// unless told; only the local stand-in speaks it.
    this.client = new WebPubSubServiceClient(settings.connectionString, settings.hub, isHttp(settings.connectionString) ? { allowInsecureConnection: true } : {});
    this.timeoutMs = settings.timeoutMs ?? 2000;
    this.log = settings.log ?? (() => {});
  }

  private async call<T>(what: string, work: (abortSignal: AbortSignal) => Promise<T>, quiet?: (status: number | undefined) => boolean): Promise<T | undefined> {
    try {
      return await work(AbortSignal.timeout(this.timeoutMs));
    } catch (error) {
      if (!quiet?.(statusOf(error))) this.log(`push: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  async toUser(userId: string, event: PushEvent): Promise<void> {
    await this.call(`send to user ${userId}`, (abortSignal) => this.client.sendToUser(userId, event, { abortSignal }));
  }

  async toGroup(group: string, event: PushEvent): Promise<void> {
    await this.call(`send to group ${group}`, (abortSignal) => this.client.group(group).sendToAll(event, { abortSignal }));
  }

  // A user with no live connection cannot be added (404): their next connection's token lists
  // the group, so that is not a failure worth a log line.
  async join(userId: string, group: string): Promise<void> {
    await this.call(`add ${userId} to ${group}`, (abortSignal) => this.client.group(group).addUser(userId, { abortSignal }), (s) => s === 404);
  }

  async leave(userId: string, group: string): Promise<void> {
    await this.call(`remove ${userId} from ${group}`, (abortSignal) => this.client.group(group).removeUser(userId, { abortSignal }), (s) => s === 404);
  }

  async clientUrl(userId: string, groups: readonly string[], minutes: number): Promise<string | null> {
    // No roles: a client may neither join a group nor send to one; the server places it.
    const token = await this.call(`token for ${userId}`, () => this.client.getClientAccessToken({ userId, groups: [...groups], expirationTimeInMinutes: minutes }));
    return token?.url ?? null;
  }

  async isConnected(userId: string): Promise<boolean | undefined> {
    return this.call(`is ${userId} connected`, (abortSignal) => this.client.userExists(userId, { abortSignal }));
  }
}
