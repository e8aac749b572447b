// One Direct Line conversation: its numbered activities, its stream subscriber and its counters.
//
// Numbering follows the service: every activity, the client's and the bot's, gets the next
// sequence number and the id `<conversationId>|<seq, 7 digits>`; the watermark is the last
// sequence number a client has seen, and a GET or a stream replay returns what comes after it.
// Typing activities are "WebSocket only" ("Receive activities from the bot in Direct Line API
// 3.0", activity availability table): they are pushed to the stream as they happen and never
// kept, so neither a GET nor a replay returns them.
import type { Activity, ActivitySet, ChannelAccount } from './activity';
import { badArgument } from './direct-line-error';

/** A watermark from a query string: absent or empty is none; anything but a sequence number is refused. */
export function parseWatermark(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) throw badArgument(`Invalid watermark '${value}'`);
  return Number(value);
}

export interface ConversationCounters {
  /** activities clients posted that reached the bot */
  activitiesIn: number;
  /** activities the bot sent, typing included */
  activitiesOut: number;
  typingOut: number;
  /** posts refused because the bot was down or threw */
  botErrors: number;
  /** posts answered before the bot finished its turn */
  botTimeouts: number;
}

export interface StreamSubscriber {
  send(frame: string): void;
  close(reason: string): void;
}

export class ConversationLog {
  started = false;
  user?: ChannelAccount;
  locale?: string;
  /** the bot's own memory (BotConversation.state) */
  readonly botState: Record<string, unknown> = {};
  /** user ids Direct Line already announced to the bot with conversationUpdate */
  readonly announced = new Set<string>();
  readonly counters: ConversationCounters = { activitiesIn: 0, activitiesOut: 0, typingOut: 0, botErrors: 0, botTimeouts: 0 };
  private readonly kept: Array<{ seq: number; activity: Activity }> = [];
  private nextSeq = 0;
  private subscriber?: StreamSubscriber;
  /** bot turns run one after the other, so replies to two quick messages never interleave */
  private turns: Promise<unknown> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly botId: string,
  ) {}

  /** Last sequence number given out, -1 before the first activity. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Numbers the activity, keeps it unless it is typing, and pushes it to the stream. */
  append(activity: Omit<Activity, 'id'>): Activity {
    const seq = this.nextSeq++;
    const stored = { ...activity, id: `${this.id}|${String(seq).padStart(7, '0')}` } as Activity;
    if (stored.type !== 'typing') this.kept.push({ seq, activity: stored });
    this.subscriber?.send(JSON.stringify({ activities: [stored], watermark: String(seq) } satisfies ActivitySet));
    return stored;
  }

  /** Kept activities after the watermark; the returned watermark is where the next read starts. */
  after(watermark: number | undefined): ActivitySet {
    const from = watermark ?? -1;
    const activities = this.kept.filter((k) => k.seq > from).map((k) => k.activity);
    const last = Math.max(from, this.lastSeq);
    return { activities, ...(last >= 0 ? { watermark: String(last) } : {}) };
  }

  transcript(): Activity[] {
    return this.kept.map((k) => k.activity);
  }

  /**
   * The service keeps one WebSocket per conversation and closes extra ones with the reason
   * `collision` ("Receive activities from the bot", WebSocket vs HTTP GET): the newest wins here,
   * so a client that lost its connection and reconnects is never the one shut out.
   */
  subscribe(subscriber: StreamSubscriber, replayFrom: number): () => void {
    this.subscriber?.close('collision');
    this.subscriber = subscriber;
    const replay = this.after(replayFrom);
    if (replay.activities.length > 0) subscriber.send(JSON.stringify(replay));
    return () => {
      if (this.subscriber === subscriber) this.subscriber = undefined;
    };
  }

  get streamOpen(): boolean {
    return this.subscriber !== undefined;
  }

  /** Queues a bot turn behind the ones already running for this conversation. */
  enqueue<T>(turn: () => Promise<T>): Promise<T> {
    const result = this.turns.then(turn, turn);
    this.turns = result.catch(() => undefined);
    return result;
  }
}
