import { contribution, emptyMeasures, type Measures } from './metrics';
import { SENTIMENT_LEVELS } from './sentiment';
import { applyMeasures, bucketKeysOf, bucketKeyText, isEmptyMeasures, contributionFromJson, contributionToJson, measuresFromJson, measuresToJson, nextPeriod, periodStart } from './insight-buckets';
import { chooseGrain, insightsQuery, readInsightsRow } from './insights-query';

const Q1 = '0a1b2c3d-0000-4000-8000-000000000001';
const Q2 = '0A1B2C3D-0000-4000-8000-000000000002';
const at = (y: number, m: number, d = 1, h = 0) => Date.UTC(y, m - 1, d, h);

describe('insights query', () => {
  test('two days or less read hour rows, up to 92 days day rows, longer ranges month rows', () => {
    expect(chooseGrain({ from: at(2026, 3, 1), to: at(2026, 3, 3) })).toBe('hour');
    expect(chooseGrain({ from: at(2026, 3, 1), to: at(2026, 3, 3, 1) })).toBe('day');
    expect(chooseGrain({ from: at(2026, 1, 1), to: at(2026, 1, 1) + 92 * 86_400_000 })).toBe('day');
    expect(chooseGrain({ from: at(2024, 1, 1), to: at(2026, 1, 1) })).toBe('month');
  });

  test('a 24-month view is one filter on month rows over whole months, widened to the months it touches', () => {
    const q = insightsQuery({ from: at(2024, 1, 15), to: at(2025, 12, 20) });
    expect(q.grain).toBe('month');
    expect(q.from).toBe(at(2024, 1, 1));
    expect(q.to).toBe(at(2026, 1, 1));
    expect(q.periods).toBe(24);
    expect(q.filter).toBe(
      "swb_grain eq 612400002 and swb_periodstart ge 2024-01-01T00:00:00Z and swb_periodstart lt 2026-01-01T00:00:00Z and swb_bucketkey ge 'month|2024-01-01T00:00:00Z' and swb_bucketkey lt 'month|2026-01-01T00:00:00Z'",
    );
    expect(q.options).toBe(`?$select=swb_periodstart,_swb_queueid_value,swb_channeltype,_swb_agentid_value,swb_measures&$filter=${q.filter}&$orderby=swb_periodstart asc`);
  });

  test('queues, channels and agents narrow the rows; null picks the rows without one', () => {
    const q = insightsQuery({ from: at(2026, 3, 1), to: at(2026, 3, 2) }, { queueIds: [Q1, Q2], channels: ['sms'], agentIds: [null] });
    expect(q.grain).toBe('hour');
    expect(q.periods).toBe(24);
    expect(q.filter).toBe(
      `swb_grain eq 612400000 and swb_periodstart ge 2026-03-01T00:00:00Z and swb_periodstart lt 2026-03-02T00:00:00Z and swb_bucketkey ge 'hour|2026-03-01T00:00:00Z' and swb_bucketkey lt 'hour|2026-03-02T00:00:00Z' and (_swb_queueid_value eq ${Q1} or _swb_queueid_value eq ${Q2.toLowerCase()}) and swb_channeltype eq 612400001 and _swb_agentid_value eq null`,
    );
  });

  test('an id that is not a GUID is refused rather than put in a filter', () => {
    expect(() => insightsQuery({ from: at(2026, 3, 1), to: at(2026, 3, 2) }, { queueIds: ["x' or 1 eq 1"] })).toThrow(/not a GUID/);
    expect(() => insightsQuery({ from: at(2026, 3, 2), to: at(2026, 3, 1) })).toThrow(/range/);
  });

  test('a row of the query reads back as its period, dimensions and measures', () => {
    const row = readInsightsRow({ swb_periodstart: '2026-03-01T00:00:00Z', _swb_queueid_value: Q2, swb_channeltype: 612400000, _swb_agentid_value: null, swb_measures: '{"incoming":3,"answered":2,"sentiment":{"positive":1}}' });
    expect(row).toMatchObject({ periodStart: at(2026, 3, 1), queueId: Q2.toLowerCase(), channel: 'livechat', agentId: null });
    expect(row.measures).toMatchObject({ incoming: 3, answered: 2, abandoned: 0 });
    expect(row.measures.sentiment.positive).toBe(1);
  });
});

describe('insight buckets', () => {
  test('a conversation counts in its UTC hour, day and month, under keys that fit the 200-character column', () => {
    const c = contribution({ id: 'c', channel: 'livechat', queueId: Q2, agentId: null, openedAt: at(2026, 2, 28, 23) + 59 * 60_000 });
    const keys = bucketKeysOf(c.key);
    expect(keys.map((k) => [k.grain, new Date(k.periodStart).toISOString()])).toEqual([
      ['hour', '2026-02-28T23:00:00.000Z'],
      ['day', '2026-02-28T00:00:00.000Z'],
      ['month', '2026-02-01T00:00:00.000Z'],
    ]);
    expect(bucketKeyText(keys[2]!)).toBe(`month|2026-02-01T00:00:00Z|${Q2.toLowerCase()}|livechat|`);
    expect(bucketKeyText({ ...keys[0]!, agentId: Q1 }).length).toBeLessThanOrEqual(200);
  });

  test('adding and taking back cover every measure, sentiment levels included', () => {
    const all = emptyMeasures();
    for (const k of Object.keys(all) as (keyof Measures)[]) if (k !== 'sentiment') (all[k] as number) = 3;
    for (const l of SENTIMENT_LEVELS) all.sentiment[l] = 3;
    const into = emptyMeasures();
    applyMeasures(into, all, 1);
    expect(into).toEqual(all);
    applyMeasures(into, all, -1);
    expect(isEmptyMeasures(into)).toBe(true);
  });

  test('months and days step over month ends and leap days', () => {
    expect(nextPeriod('month', at(2024, 12, 31, 5))).toBe(at(2025, 1, 1));
    expect(nextPeriod('day', at(2024, 2, 28, 23))).toBe(at(2024, 2, 29));
    expect(periodStart('month', at(2024, 2, 29, 12))).toBe(at(2024, 2, 1));
  });

  test('measures and contributions survive their JSON columns exactly, and an unreadable column reads as nothing', () => {
    const c = contribution({ id: 'c', channel: 'sms', queueId: Q1, agentId: Q1, openedAt: at(2026, 3, 1, 9), firstAssignedAt: at(2026, 3, 1, 9) + 15_000, closedAt: at(2026, 3, 1, 10), transfers: 2, survey: 5, sentiment: 'veryNegative' });
    expect(contributionFromJson(contributionToJson(c))).toEqual(c);
    expect(measuresFromJson(measuresToJson(c.measures))).toEqual(c.measures);
    expect(contributionToJson(c).length).toBeLessThan(4000);
    expect(contributionFromJson('not json')).toBeNull();
    expect(contributionFromJson(null)).toBeNull();
    expect(measuresFromJson('{"incoming":"x"}').incoming).toBe(0);
  });
});
