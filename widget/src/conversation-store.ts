import type { IsoInstant } from './contract';

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface PendingMessage {
  readonly clientMessageId: string;
  readonly body: string;
  readonly createdOn: IsoInstant;
  /** 'waiting' = queued or failed retryably; 'sending' = in flight; 'rejected' = the server refused it for good. */
  readonly state: 'waiting' | 'sending' | 'rejected';
  readonly attempts: number;
}

export interface StoredConversation {
  readonly widgetId: string;
  readonly conversationId: string;
  readonly token: string;
  readonly expiresOn: IsoInstant;
  /** Messages typed but not yet acknowledged: they survive a reload and are resent with the same clientMessageId. */
  readonly outbox: readonly PendingMessage[];
}

export const conversationStorageKey = (widgetId: string) => `switchboard.chat.${widgetId}`;

// One record per widget id, in localStorage so it survives navigations, new
// tabs and restarts of the browser until the token expires. Storage can throw
// (Safari private mode, quota, disabled storage): the store then degrades to
// memory for this page rather than breaking the chat.
export class ConversationStore {
  private memory: string | null = null;

  constructor(
    private readonly widgetId: string,
    private readonly storage: KeyValueStorage | undefined,
    private readonly now: () => number,
  ) {}

  private get key(): string {
    return conversationStorageKey(this.widgetId);
  }

  load(): StoredConversation | undefined {
    let raw: string | null = this.memory;
    try {
      raw = this.storage?.getItem(this.key) ?? this.memory;
    } catch {
      /* storage blocked: memory copy */
    }
    if (!raw) return undefined;
    try {
      const value = JSON.parse(raw) as StoredConversation;
      if (
        value?.widgetId !== this.widgetId ||
        typeof value.conversationId !== 'string' ||
        typeof value.token !== 'string' ||
        !(Date.parse(value.expiresOn) > this.now())
      ) {
        this.clear();
        return undefined;
      }
      return { ...value, outbox: Array.isArray(value.outbox) ? value.outbox : [] };
    } catch {
      this.clear();
      return undefined;
    }
  }

  save(value: StoredConversation): void {
    const raw = JSON.stringify(value);
    this.memory = raw;
    try {
      this.storage?.setItem(this.key, raw);
    } catch {
      /* keep the memory copy */
    }
  }

  clear(): void {
    this.memory = null;
    try {
      this.storage?.removeItem(this.key);
    } catch {
      /* nothing to clear */
    }
  }
}
