import { TREND_POINTS, foldMessageSentiment, formatSentimentTrend, parseSentimentTrend, type SentimentPoint, type StoredSentiment } from './sentiment-trend';

const NOTHING: StoredSentiment = { score: null, level: null, trend: [] };
const at = (i: number) => new Date(Date.UTC(2025, 0, 1, 9, 0, i)).toISOString();

/** The conversation's columns after each message score in turn, as they are stored (score rounded to hundredths). */
function fold(scores: number[]): { stored: StoredSentiment; alerts: boolean[] } {
  let stored = NOTHING;
  const alerts: boolean[] = [];
  scores.forEach((s, i) => {
    const next = foldMessageSentiment(stored, s, at(i));
    alerts.push(next.alert);
    stored = { score: Math.round(next.rolling.score * 100) / 100, level: next.rolling.level, trend: parseSentimentTrend(next.trend) };
  });
  return { stored, alerts };
}

describe('a conversation folding its customer messages', () => {
  test('an angry first message makes the conversation very negative and alerts', () => {
    const next = foldMessageSentiment(NOTHING, -0.8, at(0));
    expect(next.rolling.level).toBe('veryNegative');
    expect(next).toMatchObject({ alert: true, levelChanged: true });
    expect(parseSentimentTrend(next.trend)).toEqual([{ at: at(0), level: 'veryNegative' }]);
  });

  test('the alert fires once on the way down, not again while the conversation stays negative', () => {
    expect(fold([0, -1, -1, -1, -0.6]).alerts).toEqual([false, true, false, false, false]);
  });

  test('a customer who calmed down and got angry again is alerted a second time', () => {
    const { alerts, stored } = fold([-0.6, 0.6, 0.6, -1, -1]);
    expect(alerts).toEqual([true, false, false, true, false]);
    expect(stored.trend.map((p) => p.level)).toEqual(['veryNegative', 'neutral', 'slightlyPositive', 'negative', 'veryNegative']);
  });

  test('neutral and positive messages never alert', () => {
    expect(fold([0, 0.4, 0.9, 0.1]).alerts.some(Boolean)).toBe(false);
  });

  test('the trend keeps the newest points, oldest first', () => {
    const { stored } = fold(Array.from({ length: TREND_POINTS + 5 }, (_, i) => (i % 2 ? 0.5 : -0.5)));
    expect(stored.trend).toHaveLength(TREND_POINTS);
    expect(stored.trend[TREND_POINTS - 1]!.at).toBe(at(TREND_POINTS + 4));
    expect(stored.trend[0]!.at).toBe(at(5));
  });
});

describe('the trend column', () => {
  test('never outgrows the column: the oldest points go first', () => {
    const points: SentimentPoint[] = Array.from({ length: 200 }, (_, i) => ({ at: at(i), level: 'slightlyNegative' }));
    const json = formatSentimentTrend(points, { points: 200, chars: 4000 });
    expect(json.length).toBeLessThanOrEqual(4000);
    const kept = parseSentimentTrend(json);
    expect(kept[kept.length - 1]).toEqual(points[199]);
    expect(kept.length).toBeLessThan(200);
  });

  test('reads back what it wrote and leaves out what is not a point', () => {
    expect(parseSentimentTrend('[{"at":"2025-01-01T00:00:00.000Z","level":"negative"},{"at":1,"level":"negative"},{"at":"x","level":"furious"},null]')).toEqual([
      { at: '2025-01-01T00:00:00.000Z', level: 'negative' },
    ]);
    expect(parseSentimentTrend('not json')).toEqual([]);
    expect(parseSentimentTrend('{"at":"x"}')).toEqual([]);
    expect(parseSentimentTrend(null)).toEqual([]);
  });
});
