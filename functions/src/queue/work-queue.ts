// A durable work queue with peek-lock semantics: a received item is hidden for a visibility
// timeout; completing deletes it; an instance that dies mid-way simply lets it reappear.
export interface WorkItem<T = unknown> {
  id: string;
  popReceipt: string;
  // How many times the item has been handed out, including this time.
  dequeueCount: number;
  body: T;
  // The raw message text (base64 JSON) as stored, copied verbatim to the poison queue.
  rawText: string;
  insertedOn: Date | undefined;
  expiresOn: Date | undefined;
  nextVisibleOn: Date | undefined;
}

export interface ReceiveOptions {
  maxMessages?: number;
  visibilityTimeoutSeconds?: number;
}

export interface WorkQueue<T = unknown> {
  readonly name: string;
  readonly poisonName: string;
  readonly maxDequeueCount: number;
  ensure(): Promise<void>;
  send(body: T, options?: { delaySeconds?: number; ttlSeconds?: number }): Promise<{ id: string }>;
  receive(options?: ReceiveOptions): Promise<WorkItem<T>[]>;
  complete(item: WorkItem<T>): Promise<void>;
  // Processing failed: make the item visible again after a delay, or poison it when it has
  // used up its dequeues (the Azure Functions host's behaviour for queue triggers).
  fail(item: WorkItem<T>, options?: { retryDelaySeconds?: number }): Promise<'retried' | 'poisoned'>;
  poison(item: WorkItem<T>): Promise<void>;
  approximateCount(): Promise<number>;
}

export function encodeWorkItem(body: unknown): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
}

// Mirrors the Functions host: base64 content is decoded; JSON is parsed; anything else
// stays a string. Returns undefined when the text is not valid base64 at all.
export function decodeWorkItem(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return { ok: false };
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  try {
    return { ok: true, value: JSON.parse(decoded) as unknown };
  } catch {
    return { ok: true, value: decoded };
  }
}
