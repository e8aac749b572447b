// "Anything new?" answered from memory. A customer's widget asks every few seconds; most of
// the time nothing happened. After a read, the instance remembers, per conversation, the token
// it checked, the state it saw and the conversation's message counter: a later poll for
// messages after that counter, with the same token, is answered "nothing new" without a
// Dataverse read.
//
// What invalidates a memo on this instance: a message created in the conversation or a change
// of its state (the message-created and conversation-state steps, whose webhooks this app
// serves), and the customer's own send or end. What this instance cannot see — those webhooks
// served by another instance of a scaled-out app — is bounded by `trustMs`: a memo older than
// that is read again. So a single instance answers an idle chat with no reads at all, and N
// instances with one read per `trustMs` per chat at most; the price is that a reply may reach
// a customer polling another instance up to `trustMs` late (the agent's side is unaffected).
// Real-time delivery (Web PubSub) is what removes the polling altogether.

export interface ChatCursor {
  tokenHash: string;
  state: number | null;
  /** A bot was answering when it was read. */
  botHolding?: boolean;
  /** The conversation's message counter when it was read: nothing is known after it. */
  lastSequence: number;
  widgetId: string | null;
  readAt: number;
}

export class ChatCursors {
  private readonly entries = new Map<string, ChatCursor>();

  constructor(private readonly options: { trustMs: number; now: () => number; max?: number }) {}

  /** The memo, if it is young enough to be trusted. */
  fresh(conversationId: string): ChatCursor | null {
    const key = conversationId.toLowerCase();
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (this.options.now() - entry.readAt >= this.options.trustMs) {
      this.entries.delete(key);
      return null;
    }
    return entry;
  }

  remember(conversationId: string, cursor: Omit<ChatCursor, 'readAt'>): void {
    const key = conversationId.toLowerCase();
    this.entries.delete(key);
    this.entries.set(key, { ...cursor, readAt: this.options.now() });
    // Oldest first out: a map keeps insertion order.
    const max = this.options.max ?? 20_000;
    while (this.entries.size > max) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Something happened in the conversation: the next poll reads Dataverse. */
  forget(conversationId: string): void {
    this.entries.delete(conversationId.toLowerCase());
  }
}
