import { randomUUID } from 'node:crypto';
import { encodeWorkItem, type WorkItem, type WorkQueue } from '../queue/work-queue';

// An in-process WorkQueue for tests and the benchmark: same interface as the Storage queue
// (tested on its own against Azurite), so the services cannot tell the difference.
export class MemoryWorkQueue<T = unknown> implements WorkQueue<T> {
  readonly name = 'memory';
  readonly poisonName = 'memory-poison';
  readonly maxDequeueCount = 5;
  readonly items: WorkItem<T>[] = [];
  private waiters: (() => void)[] = [];

  async ensure(): Promise<void> {}

  async send(body: T): Promise<{ id: string }> {
    const id = randomUUID();
    this.items.push({ id, popReceipt: id, dequeueCount: 0, body, rawText: encodeWorkItem(body), insertedOn: new Date(), expiresOn: undefined, nextVisibleOn: undefined });
    for (const w of this.waiters.splice(0)) w();
    return { id };
  }

  async receive(options: { maxMessages?: number } = {}): Promise<WorkItem<T>[]> {
    const taken = this.items.splice(0, options.maxMessages ?? 1);
    for (const t of taken) t.dequeueCount++;
    return taken;
  }

  /** Resolves when an item is available (for a consumer loop). */
  waitForItem(): Promise<void> {
    if (this.items.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async complete(): Promise<void> {}
  async fail(item: WorkItem<T>): Promise<'retried' | 'poisoned'> {
    this.items.push(item);
    return 'retried';
  }
  async poison(): Promise<void> {}
  async approximateCount(): Promise<number> {
    return this.items.length;
  }
}
