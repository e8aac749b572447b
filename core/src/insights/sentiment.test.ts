import { crossedThreshold, rollSentiment, sentimentLevel } from './sentiment';

describe('sentiment', () => {
  test('scores map onto the seven-point scale, symmetric around neutral', () => {
    expect([-1, -0.5, -0.2, 0, 0.2, 0.5, 1].map(sentimentLevel)).toEqual([
      'veryNegative', 'negative', 'slightlyNegative', 'neutral', 'slightlyPositive', 'positive', 'veryPositive',
    ]);
    expect(sentimentLevel(Number.NaN)).toBe('neutral');
  });

  test('the conversation follows the latest messages: a customer who calmed down is no longer very negative', () => {
    let s = rollSentiment(null, -0.9);
    expect(s.level).toBe('veryNegative');
    for (const score of [0.4, 0.5, 0.6]) s = rollSentiment(s, score);
    expect(s).toMatchObject({ messages: 4, level: 'positive' });
  });

  test('an alert fires once when the conversation crosses into negative, not on every negative message', () => {
    expect(crossedThreshold('neutral', 'negative', 'negative')).toBe(true);
    expect(crossedThreshold('negative', 'veryNegative', 'negative')).toBe(false);
    expect(crossedThreshold('negative', 'veryNegative', 'veryNegative')).toBe(true);
    expect(crossedThreshold(null, 'slightlyNegative', 'negative')).toBe(false);
    expect(crossedThreshold(null, 'veryNegative', 'negative')).toBe(true);
  });
});
