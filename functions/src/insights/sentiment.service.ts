// Customer sentiment as the conversation goes. Two halves, because scoring never runs in the
// customer's request (a provider call there would add its latency, and its failures, to every
// message the customer sends):
// - customerWrote, where a customer message is stored (chat API, SMS): decides whether to score
//   it at all — the organisation's switch (a provider or none) and the workstream's
//   (swb_sentimentenabled, from the cached routing configuration: no request) — and only then
//   enqueues a `score-sentiment` work item on the durable queue. Off means nothing is queued;
// - run, from the routing worker: one $batch read (the conversation's sentiment and whether the
//   message is already scored: a redelivered item never calls the provider twice nor counts a
//   message twice), the provider's call, core's fold, and one change set writing the message's
//   score and the conversation's (If-Match: two messages scored at once on two instances both
//   count). The agents of the conversation are told (a `conversation` event: their summary
//   re-reads its level and trend); its queue's supervisors only when the level moved, the one
//   thing their desk shows. Crossing into negative stamps swb_sentimentalerton once per crossing.
import {
  type PushPort,
  type RoutingConfig,
  type RoutingTriggerPort,
  type RoutingWork,
  type SentimentLevel,
  type SentimentProvider,
  conversationGroup,
  foldMessageSentiment,
  isSentimentError,
  parseSentimentTrend,
  queueGroup,
} from '@switchboard/core';
import { Sentiment, type ConversationRow } from '@switchboard/solution';
import { KeyedSerializer } from '../conversations/keyed-serializer';
import { ConcurrencyConflict } from '../dataverse/errors';
import { iso } from '../dataverse/repositories/odata';
import type { SentimentStore } from './sentiment.repository';

export type ScoreSentimentWork = Extract<RoutingWork, { kind: 'score-sentiment' }>;

/** What the chat and SMS paths call once a customer's message is stored. */
export interface SentimentScoring {
  customerWrote(conversation: Pick<ConversationRow, 'activityid' | '_swb_workstreamid_value' | 'swb_language'>, messageId: string, text: string): Promise<boolean>;
}

export interface SentimentServiceDeps {
  /** The organisation's provider; null when SWITCHBOARD_SENTIMENT is off. */
  provider: SentimentProvider | null;
  store: SentimentStore;
  /** The durable queue itself, never the inline arrival path. */
  routing: RoutingTriggerPort;
  /** The cached routing configuration: the workstreams' switches. */
  config: { get(): Promise<RoutingConfig> };
  push?: PushPort;
  now: () => number;
  log?: (line: string) => void;
}

export type SentimentOutcome = 'scored' | 'off' | 'already-scored' | 'gone' | 'not-scored';

const CHOICE: Readonly<Record<SentimentLevel, Sentiment>> = {
  veryNegative: Sentiment.VeryNegative,
  negative: Sentiment.Negative,
  slightlyNegative: Sentiment.SlightlyNegative,
  neutral: Sentiment.Neutral,
  slightlyPositive: Sentiment.SlightlyPositive,
  positive: Sentiment.Positive,
  veryPositive: Sentiment.VeryPositive,
};
const LEVEL_OF = new Map<number, SentimentLevel>(Object.entries(CHOICE).map(([level, choice]) => [choice, level as SentimentLevel]));

/** The Sentiment choice value of a level, and back (null for a value that is not one). */
export const sentimentChoice = (level: SentimentLevel): Sentiment => CHOICE[level];
export const sentimentLevelOf = (choice: number | null | undefined): SentimentLevel | null => (choice == null ? null : (LEVEL_OF.get(choice) ?? null));

/** Azure AI Language's limit per document; the lexicon reads no further either. */
const MAX_TEXT = 5120;
/** Rounds of "read, fold, write" when other writers keep moving the conversation. */
const MAX_ATTEMPTS = 5;

export class SentimentService implements SentimentScoring {
  private readonly perConversation = new KeyedSerializer();

  constructor(private readonly deps: SentimentServiceDeps) {}

  /** Whether the organisation scores anything (SWITCHBOARD_SENTIMENT is not off). */
  get enabled(): boolean {
    return this.deps.provider !== null;
  }

  private log(line: string): void {
    this.deps.log?.(`sentiment: ${line}`);
  }

  /** The workstream's switch; a conversation without one follows the organisation's. */
  private async workstreamAllows(workstreamId: string | null | undefined): Promise<boolean> {
    if (!workstreamId) return true;
    const ws = (await this.deps.config.get()).workstreams.find((w) => w.id.toLowerCase() === workstreamId.toLowerCase());
    return ws?.sentiment !== false;
  }

  /**
   * Queues the message for scoring when both switches are on; true when queued. Never throws: the
   * customer's message is stored, and a sentiment score is not worth failing their request for.
   */
  async customerWrote(conversation: Pick<ConversationRow, 'activityid' | '_swb_workstreamid_value' | 'swb_language'>, messageId: string, text: string): Promise<boolean> {
    if (!this.deps.provider || !text.trim()) return false;
    try {
      if (!(await this.workstreamAllows(conversation._swb_workstreamid_value))) return false;
      await this.deps.routing.enqueue({
        kind: 'score-sentiment',
        conversationId: conversation.activityid,
        messageId,
        text: text.slice(0, MAX_TEXT),
        language: conversation.swb_language?.trim() || 'en',
        reason: 'customer wrote',
        at: this.deps.now(),
      });
      return true;
    } catch (err) {
      this.log(`message ${messageId} of ${conversation.activityid} not queued for scoring: ${(err as Error).message}`);
      return false;
    }
  }

  /** The routing worker's entry. Throws when the provider or Dataverse failed: the queue retries the item. */
  run(work: ScoreSentimentWork): Promise<SentimentOutcome> {
    // One message at a time per conversation on this instance: its rolling score folds them in order.
    return this.perConversation.run(work.conversationId.toLowerCase(), () => this.score(work));
  }

  private async score(work: ScoreSentimentWork): Promise<SentimentOutcome> {
    const { provider } = this.deps;
    // Switched off after the item was queued: nothing leaves the app.
    if (!provider) return 'off';
    let rows = await this.deps.store.load(work.conversationId, work.messageId);
    if (!rows.conversation || !rows.message) return 'gone';
    if (rows.message.swb_sentiment != null) return 'already-scored';
    if (!(await this.workstreamAllows(rows.conversation.row._swb_workstreamid_value))) return 'off';

    const [answer] = await provider.score([{ id: work.messageId, text: work.text, language: work.language }]);
    if (!answer || isSentimentError(answer)) {
      // The provider refused this message (an unsupported language, an empty text): retrying cannot help.
      this.log(`${provider.name} could not score message ${work.messageId}: ${answer && isSentimentError(answer) ? answer.error : 'no answer'}`);
      return 'not-scored';
    }

    for (let attempt = 1; ; attempt++) {
      const conv = rows.conversation!;
      const before = conv.row;
      const now = this.deps.now();
      const fold = foldMessageSentiment(
        {
          score: before.swb_sentimentscore == null ? null : before.swb_sentimentscore / 100,
          level: sentimentLevelOf(before.swb_sentiment),
          trend: parseSentimentTrend(before.swb_sentimenttrend),
        },
        answer.score,
        iso(now),
      );
      try {
        await this.deps.store.write({
          conversationId: work.conversationId,
          etag: conv.etag,
          messageId: work.messageId,
          message: { swb_sentiment: sentimentChoice(answer.level), swb_sentimentscore: Math.round(answer.score * 100) },
          conversation: {
            swb_sentiment: sentimentChoice(fold.rolling.level),
            swb_sentimentscore: Math.round(fold.rolling.score * 100),
            swb_sentimenttrend: fold.trend,
            ...(fold.alert ? { swb_sentimentalerton: iso(now) } : {}),
          },
        });
        if (fold.alert) this.log(`conversation ${work.conversationId} turned ${fold.rolling.level}: its agents and supervisors are alerted`);
        await this.tell(work.conversationId, fold.levelChanged ? (before._swb_queueid_value ?? null) : null);
        return 'scored';
      } catch (err) {
        if (!(err instanceof ConcurrencyConflict) || attempt >= MAX_ATTEMPTS) throw err;
      }
      // Someone wrote the conversation in between (a state change, another message's score): fold again on the row as it is now.
      rows = await this.deps.store.load(work.conversationId, work.messageId);
      if (!rows.conversation || !rows.message) return 'gone';
      if (rows.message.swb_sentiment != null) return 'already-scored';
    }
  }

  /** The agents' summary reads the conversation again; with a queue, the supervisors' desk too. */
  private async tell(conversationId: string, queueId: string | null): Promise<void> {
    const push = this.deps.push;
    if (!push) return;
    const event = { kind: 'conversation', conversationId } as const;
    await push.toGroup(conversationGroup(conversationId), event);
    if (queueId) await push.toGroup(queueGroup(queueId), event);
  }
}
