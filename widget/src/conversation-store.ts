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

/** A chat that ended with the survey unanswered: kept so a reload asks again, until answered, dismissed or closed. */
export interface PendingSurvey {
  readonly widgetId: string;
  readonly conversationId: string;
  readonly token: string;
  readonly expiresOn: IsoInstant;
  readonly endedOn: IsoInstant;
}

/** The server takes an answer this long after the end (and the token must still work). */
export const surveyWindowMs = 24 * 3600 * 1000;

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

  private get surveyKey(): string {
    return `switchboard.survey.${this.widgetId}`;
  }

  // Any storage call can throw: a read is then "nothing stored", a write keeps what memory has.
  private get(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  private put(key: string, raw: string | null): void {
    try {
      if (raw === null) this.storage?.removeItem(key);
      else this.storage?.setItem(key, raw);
    } catch {
      /* storage blocked: this page only */
    }
  }

  /** A record of this widget whose token still works (and that `usable` accepts); anything else is removed. */
  private parse<T extends PendingSurvey | StoredConversation>(key: string, raw: string | null, usable: (value: T) => boolean = () => true): T | undefined {
    if (!raw) return undefined;
    try {
      const value = JSON.parse(raw) as T;
      if (value?.widgetId === this.widgetId && typeof value.conversationId === 'string' && typeof value.token === 'string' && Date.parse(value.expiresOn) > this.now() && usable(value)) {
        return value;
      }
    } catch {
      /* unreadable: removed below */
    }
    if (key === this.key) this.clear();
    else this.put(key, null);
    return undefined;
  }

  load(): StoredConversation | undefined {
    const value = this.parse<StoredConversation>(this.key, this.get(this.key) ?? this.memory);
    return value && { ...value, outbox: Array.isArray(value.outbox) ? value.outbox : [] };
  }

  save(value: StoredConversation): void {
    const raw = JSON.stringify(value);
    this.memory = raw;
    this.put(this.key, raw);
  }

  clear(): void {
    this.memory = null;
    this.put(this.key, null);
  }

  loadSurvey(): PendingSurvey | undefined {
    return this.parse<PendingSurvey>(this.surveyKey, this.get(this.surveyKey), (v) => Date.parse(v.endedOn) + surveyWindowMs > this.now());
  }

  saveSurvey(value: PendingSurvey): void {
    this.put(this.surveyKey, JSON.stringify(value));
  }

  clearSurvey(): void {
    this.put(this.surveyKey, null);
  }
}
