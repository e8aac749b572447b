import fc from 'fast-check';
import { AggregateTable, bucketId, contribution, derive, rollUp, type ConversationFacts, type Contribution } from './metrics';
import { SENTIMENT_LEVELS } from './sentiment';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);

describe('historical metrics', () => {
  test('an answered conversation counts its wait, handle and wrap-up time; one never answered and closed is abandoned', () => {
    const answered = contribution({ id: 'a', channel: 'chat', queueId: 'q', agentId: 'x', openedAt: T0 + 1000, queuedAt: T0 + 2000, firstAssignedAt: T0 + 17_000, wrapUpAt: T0 + 317_000, closedAt: T0 + 377_000, transfers: 1, survey: 4, sentiment: 'positive' });
    expect(answered.key).toEqual({ hour: T0, queueId: 'q', channel: 'chat', agentId: 'x' });
    expect(answered.measures).toMatchObject({ incoming: 1, answered: 1, abandoned: 0, waitMs: 15_000, answeredWithin20s: 1, answeredWithin60s: 1, handleMs: 300_000, handled: 1, wrapUpMs: 60_000, wrapUps: 1, transfers: 1, surveySum: 4, surveys: 1 });
    const left = contribution({ id: 'b', channel: 'sms', queueId: 'q', agentId: null, openedAt: T0, closedAt: T0 + 90_000 });
    expect(left.measures).toMatchObject({ incoming: 1, answered: 0, abandoned: 1 });
    const table = new AggregateTable();
    table.fold(null, answered);
    table.fold(null, left);
    const all = rollUp(table.rows(), ['day']);
    expect(all).toHaveLength(1);
    expect(derive(all[0]!.measures)).toMatchObject({ abandonRate: 0.5, averageSpeedToAnswerMs: 15_000, serviceLevel20s: 1, transferRate: 1, surveyAverage: 4 });
  });

  test('a still-waiting conversation is incoming only: neither answered nor abandoned yet', () => {
    expect(contribution({ id: 'c', channel: 'chat', queueId: 'q', agentId: null, openedAt: T0 }).measures).toMatchObject({ incoming: 1, answered: 0, abandoned: 0, handled: 0 });
  });

  // The property the issue asks for: aggregates maintained incrementally, folding snapshots of
  // conversations as they change in any order (late, repeated, interleaved), equal a
  // brute-force recomputation from the conversations' final rows.
  test('incremental aggregates under any order of changes equal a recomputation from the final rows', () => {
    const facts = fc.record({
      channel: fc.constantFrom('chat', 'sms', 'whatsapp'),
      queueId: fc.option(fc.constantFrom('q1', 'q2'), { nil: null }),
      agentId: fc.option(fc.constantFrom('a1', 'a2', 'a3'), { nil: null }),
      openedAt: fc.integer({ min: T0, max: T0 + 3 * 86_400_000 }),
      wait: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: null }),
      handle: fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: null }),
      wrap: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: null }),
      closed: fc.boolean(),
      transfers: fc.nat(3),
      declines: fc.nat(3),
      survey: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
      sentiment: fc.option(fc.constantFrom(...SENTIMENT_LEVELS), { nil: null }),
    });
    type Snapshot = typeof facts extends fc.Arbitrary<infer T> ? T : never;
    const toFacts = (id: string, f: Snapshot): ConversationFacts => {
      const answeredAt = f.wait !== null ? f.openedAt + f.wait : null;
      const wrapUpAt = answeredAt !== null && f.handle !== null ? answeredAt + f.handle : null;
      const closedAt = f.closed ? (wrapUpAt ?? answeredAt ?? f.openedAt) + (f.wrap ?? 0) : null;
      return { id, channel: f.channel, queueId: f.queueId, agentId: f.agentId, openedAt: f.openedAt, queuedAt: f.openedAt, firstAssignedAt: answeredAt, wrapUpAt, closedAt, transfers: f.transfers, declines: f.declines, survey: f.survey, sentiment: f.sentiment };
    };
    // Each conversation goes through 1–4 snapshots; the folds of all conversations are interleaved in a random order.
    const history = fc.array(fc.array(facts, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 25 });
    fc.assert(
      fc.property(history, fc.infiniteStream(fc.nat()), fc.nat(5), (conversations, picks, repeats) => {
        const pending = conversations.map((snaps, i) => snaps.map((s) => toFacts(`c${i}`, s)));
        const lastFolded = new Map<string, Contribution>();
        const table = new AggregateTable();
        const foldNext = (i: number) => {
          const snapshot = pending[i]!.shift()!;
          const next = contribution(snapshot);
          table.fold(lastFolded.get(snapshot.id) ?? null, next);
          lastFolded.set(snapshot.id, next);
        };
        const it = picks[Symbol.iterator]();
        for (;;) {
          const open = pending.map((p, i) => (p.length > 0 ? i : -1)).filter((i) => i >= 0);
          if (open.length === 0) break;
          foldNext(open[it.next().value! % open.length]!);
        }
        // A late re-delivery of the final snapshots changes nothing.
        for (let r = 0; r < repeats; r++) for (const [, c] of lastFolded) table.fold(c, c);
        const brute = new AggregateTable();
        for (const snaps of conversations.map((s, i) => toFacts(`c${i}`, s[s.length - 1]!))) brute.fold(null, contribution(snaps));
        expect(table.rows().map((r) => [bucketId(r.key), r.measures])).toEqual(brute.rows().map((r) => [bucketId(r.key), r.measures]));
      }),
      { numRuns: 300 },
    );
  });
});
