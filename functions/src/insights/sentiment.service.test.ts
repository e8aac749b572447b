import { conversationGroup, queueGroup, scoredSentiment, type PushEvent, type RoutingConfig, type RoutingWork, type SentimentInput, type SentimentProvider, type SentimentScore } from '@switchboard/core';
import { Sentiment } from '@switchboard/solution';
import { ConcurrencyConflict } from '../dataverse/errors';
import type { SentimentConversation, SentimentRows, SentimentStore, SentimentWrite } from './sentiment.repository';
import { SentimentService, type ScoreSentimentWork } from './sentiment.service';

const CONVERSATION = '0f8fad5b-d9cb-469f-a165-70867728950e';
const QUEUE = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const WORKSTREAM = 'b3a1c2d4-0000-4000-8000-000000000001';
const QUIET_WORKSTREAM = 'b3a1c2d4-0000-4000-8000-000000000002';
const T0 = Date.UTC(2025, 2, 3, 10, 0, 0);

/** A provider that answers the scores it is told, by text, and counts what it was asked. */
class ScriptedProvider implements SentimentProvider {
  readonly name = 'scripted';
  readonly asked: SentimentInput[] = [];
  down = false;
  constructor(private readonly scores: Record<string, number | 'error'>) {}
  async score(texts: readonly SentimentInput[]): Promise<SentimentScore[]> {
    if (this.down) throw new Error('provider unreachable');
    this.asked.push(...texts);
    return texts.map((t) => {
      const s = this.scores[t.text];
      return s === 'error' || s === undefined ? { id: t.id, error: 'UnsupportedLanguageCode' } : scoredSentiment(t.id, s);
    });
  }
}

/** Dataverse as far as scoring reads and writes it: a conversation with its ETag, messages with their scores. */
class MemoryStore implements SentimentStore {
  conversation: SentimentConversation = { activityid: CONVERSATION, swb_state: 612400002, _swb_workstreamid_value: WORKSTREAM, _swb_queueid_value: QUEUE };
  version = 1;
  messages = new Map<string, { swb_sentiment?: number | null; swb_sentimentscore?: number | null }>();
  loads = 0;
  writes = 0;
  /** Runs once, just before the next write lands: another writer got there first. */
  beforeWrite: (() => void) | undefined;

  async load(conversationId: string, messageId: string): Promise<SentimentRows> {
    this.loads++;
    const m = this.messages.get(messageId);
    return {
      conversation: conversationId === CONVERSATION ? { row: { ...this.conversation }, etag: `W/"${this.version}"` } : null,
      message: m ? { swb_messageid: messageId, swb_sentiment: (m.swb_sentiment ?? null) as Sentiment | null } : null,
    };
  }

  async write(w: SentimentWrite): Promise<void> {
    const racing = this.beforeWrite;
    this.beforeWrite = undefined;
    racing?.();
    if (w.etag !== `W/"${this.version}"`) throw new ConcurrencyConflict('swb_conversations', w.conversationId, w.etag);
    this.writes++;
    this.messages.set(w.messageId, { ...w.message });
    this.conversation = { ...this.conversation, ...(w.conversation as Partial<SentimentConversation>) };
    this.version++;
  }
}

function config(workstreams: { id: string; sentiment?: boolean }[]): RoutingConfig {
  return { queues: [], capacityProfiles: [], operatingHours: [], workstreams: workstreams as RoutingConfig['workstreams'] };
}

function setup(options: { provider?: ScriptedProvider | null; quiet?: boolean } = {}) {
  const provider =
    options.provider === undefined
      ? new ScriptedProvider({ 'Hello, where is my parcel?': 0, 'This is unacceptable, I am furious!': -0.8, 'Still nothing. Terrible.': -1, 'Thank you, that is great!': 0.9, '¿Dónde está?': 'error' })
      : options.provider;
  const store = new MemoryStore();
  const queued: RoutingWork[] = [];
  const pushed: { group: string; event: PushEvent }[] = [];
  let now = T0;
  const service = new SentimentService({
    provider,
    store,
    routing: { enqueue: async (work) => void queued.push(work) },
    config: { get: async () => config([{ id: WORKSTREAM }, { id: QUIET_WORKSTREAM, sentiment: false }]) },
    push: {
      toUser: async () => {},
      toGroup: async (group, event) => void pushed.push({ group, event }),
      join: async () => {},
      leave: async () => {},
      clientUrl: async () => null,
      isConnected: async () => undefined,
    },
    now: () => (now += 1000),
  });
  let next = 0;
  /** The customer writes `text`: the message is stored, then handed to the service as the chat and SMS paths do. */
  const customerWrites = async (text: string, workstreamId: string | null = WORKSTREAM) => {
    const messageId = `m${++next}`;
    store.messages.set(messageId, { swb_sentiment: null });
    const queuedNow = await service.customerWrote({ activityid: CONVERSATION, _swb_workstreamid_value: workstreamId, swb_language: 'en-GB' }, messageId, text);
    return { messageId, queued: queuedNow };
  };
  /** The routing worker takes every queued item. */
  const drain = async () => {
    const outcomes = [];
    while (queued.length > 0) outcomes.push(await service.run(queued.shift() as ScoreSentimentWork));
    return outcomes;
  };
  return { service, provider, store, queued, pushed, customerWrites, drain };
}

describe('whether a message is scored at all', () => {
  it('with sentiment off for the organisation, a customer message is not even queued, and an item queued before never reaches a provider', async () => {
    const t = setup({ provider: null });
    expect(await t.customerWrites('This is unacceptable, I am furious!')).toMatchObject({ queued: false });
    expect(t.queued).toEqual([]);
    expect(t.service.enabled).toBe(false);
    const early: ScoreSentimentWork = { kind: 'score-sentiment', conversationId: CONVERSATION, messageId: 'm1', text: 'x', language: 'en', reason: 'queued before the switch' };
    await expect(t.service.run(early)).resolves.toBe('off');
    expect(t.store.loads).toBe(0);
  });

  it('a workstream switched off queues nothing and calls no provider, while the other workstreams are scored', async () => {
    const t = setup();
    expect(await t.customerWrites('This is unacceptable, I am furious!', QUIET_WORKSTREAM)).toMatchObject({ queued: false });
    expect(t.queued).toEqual([]);
    expect(await t.customerWrites('This is unacceptable, I am furious!', WORKSTREAM)).toMatchObject({ queued: true });
    expect(t.queued).toEqual([expect.objectContaining({ kind: 'score-sentiment', conversationId: CONVERSATION, text: 'This is unacceptable, I am furious!', language: 'en-GB' })]);
  });

  it('an item queued before its workstream was switched off is dropped before the provider is asked', async () => {
    const t = setup();
    await t.customerWrites('This is unacceptable, I am furious!');
    t.store.conversation._swb_workstreamid_value = QUIET_WORKSTREAM;
    expect(await t.drain()).toEqual(['off']);
    expect(t.provider!.asked).toEqual([]);
  });

  it('scoring waits for the worker: the customer write only queues it', async () => {
    const t = setup();
    await t.customerWrites('This is unacceptable, I am furious!');
    expect(t.provider!.asked).toEqual([]);
    expect(t.store.writes).toBe(0);
  });

  it('a queue that refuses the item does not fail the customer write', async () => {
    const t = setup();
    const failing = new SentimentService({
      provider: t.provider,
      store: t.store,
      routing: { enqueue: async () => Promise.reject(new Error('queue down')) },
      config: { get: async () => config([{ id: WORKSTREAM }]) },
      now: () => T0,
    });
    await expect(failing.customerWrote({ activityid: CONVERSATION, _swb_workstreamid_value: WORKSTREAM, swb_language: null }, 'm1', 'hello')).resolves.toBe(false);
  });
});

describe('scoring a message', () => {
  it('writes the message score and the conversation rolling score, level and trend', async () => {
    const t = setup();
    const { messageId } = await t.customerWrites('Hello, where is my parcel?');
    expect(await t.drain()).toEqual(['scored']);
    expect(t.store.messages.get(messageId)).toEqual({ swb_sentiment: Sentiment.Neutral, swb_sentimentscore: 0 });
    expect(t.store.conversation).toMatchObject({ swb_sentiment: Sentiment.Neutral, swb_sentimentscore: 0 });
    expect(JSON.parse(t.store.conversation.swb_sentimenttrend!)).toEqual([{ at: expect.any(String), level: 'neutral' }]);
    expect(t.store.conversation.swb_sentimentalerton).toBeUndefined();
    // one read and one write per message
    expect([t.store.loads, t.store.writes]).toEqual([1, 1]);
    expect(t.provider!.asked).toEqual([{ id: messageId, text: 'Hello, where is my parcel?', language: 'en-GB' }]);
  });

  it('crossing into negative alerts once: the alert time is stamped and the agents and the queue supervisors are told', async () => {
    const t = setup();
    await t.customerWrites('Hello, where is my parcel?');
    await t.drain();
    t.pushed.length = 0;
    await t.customerWrites('This is unacceptable, I am furious!');
    await t.drain();
    expect(t.store.conversation.swb_sentiment).toBe(Sentiment.Negative);
    const alertedOn = t.store.conversation.swb_sentimentalerton;
    expect(alertedOn).toEqual(expect.any(String));
    const event = { kind: 'conversation', conversationId: CONVERSATION };
    expect(t.pushed).toEqual([
      { group: conversationGroup(CONVERSATION), event },
      { group: queueGroup(QUEUE), event },
    ]);

    // Still negative, and worse: no second alert.
    await t.customerWrites('Still nothing. Terrible.');
    await t.drain();
    expect(t.store.conversation.swb_sentiment).toBe(Sentiment.VeryNegative);
    expect(t.store.conversation.swb_sentimentalerton).toBe(alertedOn);
    expect(JSON.parse(t.store.conversation.swb_sentimenttrend!).map((p: { level: string }) => p.level)).toEqual(['neutral', 'negative', 'veryNegative']);
  });

  it('a customer who calmed down and is angry again is alerted again', async () => {
    const t = setup();
    await t.customerWrites('This is unacceptable, I am furious!');
    await t.drain();
    const first = t.store.conversation.swb_sentimentalerton;
    for (let i = 0; i < 3; i++) await t.customerWrites('Thank you, that is great!');
    await t.drain();
    expect(t.store.conversation.swb_sentiment).toBeGreaterThan(Sentiment.Neutral);
    await t.customerWrites('This is unacceptable, I am furious!');
    await t.customerWrites('This is unacceptable, I am furious!');
    await t.drain();
    expect(t.store.conversation.swb_sentiment).toBeLessThanOrEqual(Sentiment.Negative);
    expect(t.store.conversation.swb_sentimentalerton).not.toBe(first);
  });

  it('while the level stays the same only the agents are told (their trend moved), not the supervisors', async () => {
    const t = setup();
    await t.customerWrites('Hello, where is my parcel?');
    await t.drain();
    t.pushed.length = 0;
    await t.customerWrites('Hello, where is my parcel?');
    await t.drain();
    expect(t.pushed).toEqual([{ group: conversationGroup(CONVERSATION), event: { kind: 'conversation', conversationId: CONVERSATION } }]);
  });

  it('a redelivered item neither asks the provider again nor counts the message twice', async () => {
    const t = setup();
    await t.customerWrites('This is unacceptable, I am furious!');
    const item = t.queued[0]!;
    await t.drain();
    const after = { ...t.store.conversation };
    t.queued.push(item);
    expect(await t.drain()).toEqual(['already-scored']);
    expect(t.provider!.asked).toHaveLength(1);
    expect(t.store.conversation).toEqual(after);
  });

  it('when another writer moves the conversation in between, the score is folded again on the row as it is now, without asking the provider twice', async () => {
    const t = setup();
    await t.customerWrites('Hello, where is my parcel?');
    await t.drain();
    await t.customerWrites('This is unacceptable, I am furious!');
    t.store.beforeWrite = () => {
      // another instance scored a very positive message meanwhile
      t.store.conversation = { ...t.store.conversation, swb_sentiment: Sentiment.VeryPositive, swb_sentimentscore: 90, swb_sentimenttrend: '[{"at":"2025-03-03T10:00:00.000Z","level":"veryPositive"}]' };
      t.store.version++;
    };
    expect(await t.drain()).toEqual(['scored']);
    expect(t.provider!.asked).toHaveLength(2);
    // 0.9 folded with -0.8 → 0.05: the other writer's score counted
    expect(t.store.conversation).toMatchObject({ swb_sentiment: Sentiment.Neutral, swb_sentimentscore: 5 });
    expect(JSON.parse(t.store.conversation.swb_sentimenttrend!)).toHaveLength(2);
  });

  it('a message the provider cannot score stays unscored and is not retried', async () => {
    const t = setup();
    const { messageId } = await t.customerWrites('¿Dónde está?');
    expect(await t.drain()).toEqual(['not-scored']);
    expect(t.store.messages.get(messageId)).toEqual({ swb_sentiment: null });
    expect(t.store.writes).toBe(0);
  });

  it('a provider that is down fails the item, so the queue tries it again later', async () => {
    const t = setup();
    t.provider!.down = true;
    await t.customerWrites('This is unacceptable, I am furious!');
    const item = t.queued[0] as ScoreSentimentWork;
    await expect(t.service.run(item)).rejects.toThrow('provider unreachable');
    t.provider!.down = false;
    await expect(t.service.run(item)).resolves.toBe('scored');
  });

  it('a message or conversation deleted since it was queued is let go', async () => {
    const t = setup();
    const { messageId } = await t.customerWrites('Hello, where is my parcel?');
    t.store.messages.delete(messageId);
    expect(await t.drain()).toEqual(['gone']);
    expect(t.provider!.asked).toEqual([]);
  });
});
