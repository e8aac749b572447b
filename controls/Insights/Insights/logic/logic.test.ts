import { periodsOf, presetOf, rangeOf } from './range';
import { conversationQuery, bucketQuery } from './query';
import { decimal, toCsv } from './csv';

const NOW = Date.parse('2026-03-31T23:30:00Z');
const iso = (t: number) => new Date(t).toISOString();

describe('ranges', () => {
  test('7 and 30 days are whole UTC days ending today, read at day grain', () => {
    const week = rangeOf('7d', NOW, 0);
    expect([iso(week.from), iso(week.to), week.grain, week.periods.length]).toEqual(['2026-03-25T00:00:00.000Z', '2026-04-01T00:00:00.000Z', 'day', 7]);
    expect(rangeOf('30d', NOW, 0).periods).toHaveLength(30);
  });

  test('12 and 24 months are whole UTC months ending with this one, across a year boundary, read at month grain', () => {
    const year = rangeOf('12m', NOW, 0);
    expect([iso(year.from), iso(year.to), year.grain]).toEqual(['2025-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z', 'month']);
    expect(rangeOf('24m', NOW, 0).periods.map((p) => iso(p).slice(0, 7))).toEqual([
      '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03',
      '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03',
    ]);
  });

  test("today is the user's day, in hours up to the current one; east of UTC it began yesterday in UTC", () => {
    const today = rangeOf('today', NOW, 120);
    // 23:30 UTC is 01:30 on 1 April in UTC+2: the day began at 22:00 UTC.
    expect([iso(today.from), iso(today.to), today.grain, today.periods.length]).toEqual(['2026-03-31T22:00:00.000Z', '2026-04-01T00:00:00.000Z', 'hour', 2]);
  });

  test('a time zone half an hour off UTC gets the hour that holds its midnight, as core widens the query', () => {
    const today = rangeOf('today', Date.parse('2026-03-31T10:10:00Z'), 330);
    expect(iso(today.periods[0]!)).toBe('2026-03-30T18:00:00.000Z');
    expect(periodsOf(Date.parse('2026-03-30T18:30:00Z'), Date.parse('2026-03-30T20:00:00Z'), 'hour').map(iso)).toEqual(['2026-03-30T18:00:00.000Z', '2026-03-30T19:00:00.000Z']);
  });

  test('an unknown default period falls back to 7 days', () => {
    expect([presetOf('24m'), presetOf('forever'), presetOf(null)]).toEqual(['24m', '7d', '7d']);
  });
});

describe('queries', () => {
  const week = rangeOf('7d', NOW, 0);
  test('"unanswered" and "no queue" filter on empty lookups; a channel on its choice value', () => {
    const q = decodeURIComponent(bucketQuery(week, { queueId: null, agentId: null, channel: 612400001 }));
    expect(q).toContain('_swb_queueid_value eq null');
    expect(q).toContain('_swb_agentid_value eq null');
    expect(q).toContain('swb_channeltype eq 612400001');
  });

  test("the conversation export filters an agent on the conversation's primary agent, and the unanswered on never having been assigned", () => {
    expect(conversationQuery(week, { agentId: '22222222-2222-4222-8222-222222222222' })).toContain('_swb_primaryagentid_value eq 22222222-2222-4222-8222-222222222222');
    expect(conversationQuery(week, { agentId: null })).toContain('swb_firstassignedon eq null');
  });
});

describe('CSV', () => {
  test('quotes what needs quoting, keeps numbers plain, ends lines with CRLF after a byte order mark', () => {
    expect(toCsv(['a', 'b "c"'], [['x,y', 0.5], [null, 'line\nbreak']])).toBe('\ufeffa,"b ""c"""\r\n"x,y",0.5\r\n,"line\nbreak"\r\n');
  });

  test('decimals are rounded without exponent or trailing zeros; a missing value stays empty', () => {
    expect([decimal(1 / 3, 4), decimal(0.1 + 0.2, 4), decimal(null, 2), decimal(Number.NaN, 2)]).toEqual([0.3333, 0.3, null, null]);
  });
});
