import { seededRng } from '../time';
import type { Ruleset } from '../routing/routing-config';
import { classifyConversation, pickByPercentage, routeToQueue, validateRuleset } from './routing-rules';

const scope = {
  conversation: { channel: 'sms', firstMessage: 'my order never arrived' },
  customer: { type: 'account', tier: 'gold' },
  context: { orderTotal: 250 },
};

describe('classification rules', () => {
  test('every matching rule applies in order and later rules override earlier ones', () => {
    const c = classifyConversation(
      [
        { id: 'r1', condition: "conversation.channel = 'sms'", set: { priority: 50, language: 'en' } },
        { id: 'r2', condition: "customer.tier = 'gold'", set: { priority: 10, skills: [{ skillId: 'billing', minRating: 3 }] } },
        { id: 'r3', condition: "customer.tier = 'silver'", set: { priority: 1 } },
      ],
      scope,
    );
    expect(c).toMatchObject({ priority: 10, language: 'en', skills: [{ skillId: 'billing', minRating: 3 }], matchedRuleIds: ['r1', 'r2'] });
  });

  test('a later rule sees what an earlier rule set on the conversation', () => {
    const c = classifyConversation(
      [
        { id: 'lang', condition: "contains(conversation.firstMessage, 'order')", set: { language: 'fr' } },
        { id: 'fr-skill', condition: "conversation.language = 'fr'", set: { skills: [{ skillId: 'french' }] } },
      ],
      scope,
    );
    expect(c.skills).toEqual([{ skillId: 'french' }]);
  });

  test('a rule marked stop ends classification', () => {
    const c = classifyConversation(
      [
        { id: 'a', condition: 'context.orderTotal > 100', set: { priority: 5 }, stop: true },
        { id: 'b', condition: 'context.orderTotal > 100', set: { priority: 99 } },
      ],
      scope,
    );
    expect(c.priority).toBe(5);
    expect(c.matchedRuleIds).toEqual(['a']);
  });

  test('a broken condition never matches and is reported with its position', () => {
    const c = classifyConversation([{ id: 'bad', condition: 'context.orderTotal >', set: { priority: 1 } }], scope);
    expect(c.priority).toBeUndefined();
    expect(c.problems).toEqual([expect.objectContaining({ ruleId: 'bad', code: 'rule.condition', condition: expect.objectContaining({ column: 21 }) })]);
  });
});

describe('route-to-queue rules', () => {
  const rng = seededRng(7);

  test('the first matching rule decides the queue', () => {
    const r = routeToQueue(
      [
        { id: 'chat', condition: "conversation.channel = 'chat'", queueId: 'q-chat' },
        { id: 'big', condition: 'context.orderTotal > 200', queueId: 'q-big' },
        { id: 'sms', condition: "conversation.channel = 'sms'", queueId: 'q-sms' },
      ],
      'q-fallback',
      scope,
      rng,
    );
    expect(r).toMatchObject({ queueId: 'q-big', ruleId: 'big' });
  });

  test('no matching rule sends the conversation to the fallback queue', () => {
    const r = routeToQueue([{ id: 'x', condition: "customer.type = 'contact'", queueId: 'q' }], 'q-fallback', scope, rng);
    expect(r).toEqual({ queueId: 'q-fallback', ruleId: null, problems: [] });
  });

  test('a rule naming a queue that no longer exists falls through to the next rule', () => {
    const r = routeToQueue(
      [
        { id: 'gone', condition: 'true = true', queueId: 'q-deleted' },
        { id: 'ok', condition: 'true = true', queueId: 'q-ok' },
      ],
      'q-fallback',
      scope,
      rng,
      (id) => id !== 'q-deleted',
    );
    expect(r.queueId).toBe('q-ok');
    expect(r.problems[0]).toMatchObject({ ruleId: 'gone', code: 'rule.target' });
  });

  test('percentage routing splits traffic in the configured proportions', () => {
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    const r = seededRng(42);
    const rule = { id: 'split', condition: "conversation.channel = 'sms'", distribution: [{ queueId: 'a', percent: 70 }, { queueId: 'b', percent: 20 }, { queueId: 'c', percent: 10 }] };
    for (let i = 0; i < 10_000; i++) counts[routeToQueue([rule], 'f', scope, r).queueId]!++;
    expect(counts.a! / 10_000).toBeCloseTo(0.7, 1);
    expect(counts.b! / 10_000).toBeCloseTo(0.2, 1);
    expect(counts.c! / 10_000).toBeCloseTo(0.1, 1);
  });

  test('pickByPercentage maps a roll onto cumulative shares and never falls off the end', () => {
    const shares = [{ queueId: 'a', percent: 33.3 }, { queueId: 'b', percent: 33.3 }, { queueId: 'c', percent: 33.4 }];
    expect(pickByPercentage(shares, 0)).toBe('a');
    expect(pickByPercentage(shares, 0.334)).toBe('b');
    expect(pickByPercentage(shares, 0.9999999999)).toBe('c');
  });

  test('a distribution that does not add up to 100 is skipped and reported', () => {
    const r = routeToQueue([{ id: 'bad', condition: 'true', distribution: [{ queueId: 'a', percent: 50 }] }], 'f', scope, rng);
    expect(r.queueId).toBe('f');
    expect(r.problems[0]).toMatchObject({ code: 'rule.distribution', message: 'Percentages add up to 50, not 100' });
  });
});

test('validateRuleset reports every broken condition, distribution and unknown queue for the admin form', () => {
  const ruleset: Ruleset = {
    classification: [{ id: 'c1', condition: "customer.type = 'x' and", set: {} }],
    routeToQueue: [
      { id: 'r1', condition: 'true', distribution: [{ queueId: 'q1', percent: 60 }, { queueId: 'nope', percent: 30 }] },
      { id: 'r2', condition: 'true', queueId: 'q1', distribution: [] },
    ],
    fallbackQueueId: 'missing',
  };
  const problems = validateRuleset(ruleset, (id) => id === 'q1');
  expect(problems.map((p) => `${p.ruleId}:${p.code}`).sort()).toEqual(
    ['(fallback):rule.target', 'c1:rule.condition', 'r1:rule.distribution', 'r1:rule.target', 'r2:rule.distribution', 'r2:rule.target'].sort(),
  );
});
