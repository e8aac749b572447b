// Work for the routing pipeline: what plugin steps, the SMS and chat services and the routing
// worker itself ask routing to do next. The items travel through a durable queue, so the
// shape is part of the stored contract; the port is what producers enqueue through (the
// functions app backs it with its Storage queue, tests with a recorder).

/**
 * What to route next. Duplicates are harmless: routing is idempotent. `at` is when the item was
 * enqueued (ms): a pass over the same queue that started after it has already seen its cause,
 * so the worker may skip it — that is how wake-ups arriving together merge into one pass.
 */
export type RoutingWork = (
  | { kind: 'route-conversation'; conversationId: string; queueId: string | null; reason: string }
  | { kind: 'route-queue'; queueId: string; reason: string }
  /**
   * The agent may take work now. `recompute`: false when the sender has just written the
   * agent's capacity from their rows (a release); true (the default) for a presence change,
   * which is also the repair point for a reservation an instance died holding.
   */
  | { kind: 'route-agent'; agentId: string; reason: string; recompute?: boolean }
  /** Routing configuration changed: drop cached configuration and re-evaluate what waits. */
  | { kind: 'config-changed'; table: string; id: string; message: string; reason: string }
  /** Capacity held for a set wrap-up time ends now: recompute the agent from their rows. */
  | { kind: 'recompute-agent'; agentId: string; reason: string }
  /**
   * An offer's expiry has come: scheduled (a delayed queue item) when the offer is made, so
   * nothing polls for expired offers. Times the offer out if it is still pending.
   */
  | { kind: 'offer-expired'; offerId: string; conversationId: string; agentId: string; queueId: string; reason: string }
  /**
   * The agent's last push connection closed at `since` (ms); scheduled for when the disconnect
   * grace ends. Still no connection then: the agent is routed as Offline until they come back.
   */
  | { kind: 'agent-disconnected'; agentId: string; since: number; reason: string }
  /**
   * A bot that holds a conversation has something to answer: the conversation opened, or the
   * customer wrote `text` (message `messageId`). Turns of one conversation are taken in order.
   */
  | { kind: 'bot-turn'; conversationId: string; botId: string; input: { kind: 'opened' } | { kind: 'message'; messageId: string; text: string }; reason: string }
  /**
   * Scheduled when a bot is waited for: `answer` (a webhook bot must have answered the customer's
   * message of `since` by now) or `idle` (nothing happened since `since` for the bot's inactivity
   * timeout). Still so when it comes: a person takes over, or the idle conversation is closed.
   */
  | { kind: 'bot-check'; conversationId: string; botId: string; check: 'answer' | 'idle'; since: number; reason: string }
  /** An agent's internal note `messageId` asks the conversation's bot `question`; the answer is an internal note. */
  | { kind: 'bot-consult'; conversationId: string; messageId: string; question: string; agentId: string; reason: string }
  /**
   * The customer wrote `text` (message `messageId`, BCP 47 `language`): score its sentiment and
   * fold it into the conversation's. Only enqueued when sentiment is on for the organisation and
   * the conversation's workstream; never scored in the customer's request.
   */
  | { kind: 'score-sentiment'; conversationId: string; messageId: string; text: string; language: string; reason: string }
) & { at?: number };

export interface RoutingTriggerPort {
  enqueue(work: RoutingWork, options?: { delaySeconds?: number }): Promise<void>;
}

const KINDS: ReadonlySet<string> = new Set<RoutingWork['kind']>(['route-conversation', 'route-queue', 'route-agent', 'config-changed', 'recompute-agent', 'offer-expired', 'agent-disconnected', 'bot-turn', 'bot-check', 'bot-consult', 'score-sentiment']);

/** A dequeued item is only trusted as far as its kind: anything else is dropped by the worker. */
export function isRoutingWork(value: unknown): value is RoutingWork {
  return typeof value === 'object' && value !== null && KINDS.has(String((value as { kind?: unknown }).kind));
}
