import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import type { TokenCredential } from '@azure/identity';
import { decodeWorkItem, encodeWorkItem, type ReceiveOptions, type WorkItem, type WorkQueue } from './work-queue';

export const AZURITE_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(host: string, port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_ACCOUNT_KEY};QueueEndpoint=http://${host}:${port}/devstoreaccount1;`;
}

// Either a connection string (Azurite, or a key-based account) or an identity-based
// connection like the host's `AzureWebJobsStorage__queueServiceUri` setting.
export type QueueConnection = { connectionString: string } | { queueServiceUri: string; credential: TokenCredential };

export function queueServiceClient(connection: QueueConnection): QueueServiceClient {
  if ('connectionString' in connection) return QueueServiceClient.fromConnectionString(connection.connectionString);
  return new QueueServiceClient(connection.queueServiceUri, connection.credential);
}

export interface StorageWorkQueueOptions {
  maxDequeueCount?: number;
  visibilityTimeoutSeconds?: number;
}

export class StorageWorkQueue<T = unknown> implements WorkQueue<T> {
  readonly poisonName: string;
  readonly maxDequeueCount: number;
  private readonly queue: QueueClient;
  private readonly poisonQueue: QueueClient;
  private readonly visibilityTimeoutSeconds: number;

  constructor(
    service: QueueServiceClient,
    readonly name: string,
    options: StorageWorkQueueOptions = {},
  ) {
    this.poisonName = `${name}-poison`;
    this.queue = service.getQueueClient(name);
    this.poisonQueue = service.getQueueClient(this.poisonName);
    this.maxDequeueCount = options.maxDequeueCount ?? 5;
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 60;
  }

  async ensure(): Promise<void> {
    await this.queue.createIfNotExists();
    await this.poisonQueue.createIfNotExists();
  }

  async send(body: T, options: { delaySeconds?: number; ttlSeconds?: number } = {}): Promise<{ id: string }> {
    const text = encodeWorkItem(body);
    const sendOptions = {
      ...(options.delaySeconds !== undefined ? { visibilityTimeout: options.delaySeconds } : {}),
      ...(options.ttlSeconds !== undefined ? { messageTimeToLive: options.ttlSeconds } : {}),
    };
    try {
      return { id: (await this.queue.sendMessage(text, sendOptions)).messageId };
    } catch (err) {
      // A fresh storage account has no queues yet; create on first use rather than demanding
      // a deployment step. Only this error is handled: anything else propagates.
      if ((err as { code?: string }).code !== 'QueueNotFound') throw err;
      await this.ensure();
      return { id: (await this.queue.sendMessage(text, sendOptions)).messageId };
    }
  }

  async receive(options: ReceiveOptions = {}): Promise<WorkItem<T>[]> {
    const response = await this.queue.receiveMessages({
      numberOfMessages: Math.min(32, Math.max(1, options.maxMessages ?? 16)),
      visibilityTimeout: options.visibilityTimeoutSeconds ?? this.visibilityTimeoutSeconds,
    });
    const items: WorkItem<T>[] = [];
    for (const m of response.receivedMessageItems) {
      const decoded = decodeWorkItem(m.messageText);
      const item: WorkItem<T> = {
        id: m.messageId,
        popReceipt: m.popReceipt,
        dequeueCount: m.dequeueCount,
        body: (decoded.ok ? decoded.value : m.messageText) as T,
        rawText: m.messageText,
        insertedOn: m.insertedOn,
        expiresOn: m.expiresOn,
        nextVisibleOn: m.nextVisibleOn,
      };
      // An item past its dequeue budget was handed out before and never completed or failed
      // (its worker crashed): it goes straight to poison instead of looping forever.
      // Undecodable text can never succeed either.
      if (!decoded.ok || m.dequeueCount > this.maxDequeueCount) {
        await this.poison(item);
        continue;
      }
      items.push(item);
    }
    return items;
  }

  async complete(item: WorkItem<T>): Promise<void> {
    await this.queue.deleteMessage(item.id, item.popReceipt);
  }

  async fail(item: WorkItem<T>, options: { retryDelaySeconds?: number } = {}): Promise<'retried' | 'poisoned'> {
    if (item.dequeueCount >= this.maxDequeueCount) {
      await this.poison(item);
      return 'poisoned';
    }
    await this.queue.updateMessage(item.id, item.popReceipt, undefined, options.retryDelaySeconds ?? 0);
    return 'retried';
  }

  async poison(item: WorkItem<T>): Promise<void> {
    // Copy first, then delete: a crash in between leaves a duplicate in poison, never a loss.
    await this.poisonQueue.createIfNotExists();
    await this.poisonQueue.sendMessage(item.rawText);
    await this.queue.deleteMessage(item.id, item.popReceipt);
  }

  async approximateCount(): Promise<number> {
    const props = await this.queue.getProperties();
    return props.approximateMessagesCount ?? 0;
  }
}
