import { randomUUID } from 'node:crypto';
import { encodeWorkItem, type WorkItem, type WorkQueue } from '../queue/work-queue';

// An in-process WorkQueue for tests: same interface as the Storage queue (tested on its own
// against Azurite), so the services cannot tell the difference. A delayed item stays invisible
// until the queue's clock reaches it, as a Storage message's visibility timeout does.
export class MemoryWorkQueue<T = unknown> implements WorkQueue<T> {
  readonly name = 'memory';
  readonly poisonName = 'memory-poison';
  readonly maxDequeueCount = 5;
  readonly items: WorkItem<T>[] = [];
  private waiters: (() => void)[] = [];

  constructor(private readonly options: { now?: () => number } = {}) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async ensure(): Promise<void> {}

  async send(body: T, options: { delaySeconds?: number } = {}): Promise<{ id: string }> {
    const id = randomUUID();
    const nextVisibleOn = options.delaySeconds ? new Date(this.now() + options.delaySeconds * 1000) : undefined;
    this.items.push({ id, popReceipt: id, dequeueCount: 0, body, rawText: encodeWorkItem(body), insertedOn: new Date(this.now()), expiresOn: undefined, nextVisibleOn });
    for (const w of this.waiters.splice(0)) w();
    return { id };
  }

  /** Items whose delay has not yet passed. */
  delayed(): WorkItem<T>[] {
    const now = this.now();
    return this.items.filter((i) => i.nextVisibleOn !== undefined && i.nextVisibleOn.getTime() > now);
  }

  async receive(options: { maxMessages?: number } = {}): Promise<WorkItem<T>[]> {
    const now = this.now();
    const taken: WorkItem<T>[] = [];
    for (let i = 0; i < this.items.length && taken.length < (options.maxMessages ?? 1); ) {
      const item = this.items[i]!;
      if (item.nextVisibleOn === undefined || item.nextVisibleOn.getTime() <= now) {
        this.items.splice(i, 1);
        taken.push(item);
      } else i++;
    }
    for (const t of taken) t.dequeueCount++;
    return taken;
  }

  /** Resolves when an item is available (for a consumer loop). */
  waitForItem(): Promise<void> {
    if (this.items.length > this.delayed().length) return Promise.resolve();
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
