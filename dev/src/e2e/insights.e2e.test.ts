// Insights through the local stack as a supervisor uses them: `npm start`'s entry point on free
// ports, the real Insights bundle as Sam Leroy (Switchboard Supervisor). The app writes bucket
// rows exactly as the fold does (core's contribution → AggregateTable → hour/day/month keys,
// measures as core's JSON, the fold's deterministic row ids) from a known set of conversation
// facts, so the figures on the page must equal core's derive() of those facts. Sam switches the
// period and the queue, exports both CSVs (the browser's download), and the 24-month view's read
// + render time is printed. An agent is refused. Then Ctrl-C, and nothing may be left.
//
// To keep the set-up short, each fact writes the grains a view reads for it: month rows for all,
// day rows for the last 92 days, hour rows for the last two days (the fold writes all three).
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import {
  AggregateTable,
  INSIGHTS_CHANNEL_CHOICE,
  INSIGHTS_GRAIN_CHOICE,
  addMeasures,
  bucketKeyText,
  bucketKeysOf,
  contribution,
  derive,
  emptyMeasures,
  formatElapsed,
  measuresToJson,
  type ConversationFacts,
  type InsightsBucketKey,
  type InsightsChannel,
  type Measures,
  type SentimentLevel,
} from '@switchboard/core';
import { insightsBucketId } from '@switchboard/functions/insights/insights-fold.service';
import { ChannelType, ConversationState } from '@switchboard/solution';
import { AGENTS, IDS } from '../seed/demo-data';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { TestWebApi, until } from './dataverse-client';
import { groupAlive, isRunning, startStackProcess, type StackProcess } from './stack-process';

jest.setTimeout(180_000);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const APP_TOKEN = 'switchboard-dev-app-token';
const agent = (key: string) => AGENTS.find((a) => a.key === key)!.id;
const Q = IDS.queues;

let stack: StackProcess;
let browser: LaunchedBrowser;
let app: TestWebApi;
let page: Page;

const now = Date.now();
const midnight = Math.floor(now / DAY) * DAY;
/** `daysAgo` UTC days before today, at `hour` UTC. */
const at = (daysAgo: number, hour: number, minutes = 0) => midnight - daysAgo * DAY + hour * HOUR + minutes * 60_000;
const s = 1000;
const m = 60_000;

type Fact = ConversationFacts;
const fact = (id: string, channel: InsightsChannel, queueId: string, agentKey: string | null, openedAt: number, rest: Partial<Fact> = {}): Fact => ({
  id, channel, queueId, agentId: agentKey ? agent(agentKey) : null, openedAt, ...rest,
});
const answered = (openedAt: number, waitMs: number, handleMs: number, wrapUpMs = 0) => ({
  firstAssignedAt: openedAt + waitMs,
  ...(wrapUpMs ? { wrapUpAt: openedAt + waitMs + handleMs } : {}),
  closedAt: openedAt + waitMs + handleMs + wrapUpMs,
});

/** The last week, today included: every measure the tiles show has a non-zero value here. */
const WEEK: Fact[] = [
  fact('r1', 'livechat', Q.web, 'alice', at(1, 9), { queuedAt: at(1, 9) + 5 * s, ...answered(at(1, 9), 20 * s, 8 * m, 2 * m), transfers: 1, survey: 4, sentiment: 'positive' }),
  fact('r2', 'livechat', Q.web, 'bruno', at(2, 10), { ...answered(at(2, 10), 70 * s, 15 * m), consults: 1, declines: 1, survey: 2, sentiment: 'negative' }),
  fact('r3', 'livechat', Q.web, null, at(2, 11), { closedAt: at(2, 11) + 3 * m, timeouts: 1, sentiment: 'veryNegative' }),
  fact('r4', 'sms', Q.billing, 'chloe', at(3, 14), { ...answered(at(3, 14), 40 * s, 20 * m, 2 * m), survey: 5, sentiment: 'veryPositive' }),
  fact('r5', 'sms', Q.sms, 'alice', at(5, 8), { ...answered(at(5, 8), 15 * s, 5 * m, 1 * m), sentiment: 'neutral' }),
  fact('r6', 'sms', Q.billing, null, at(6, 16), { closedAt: at(6, 16) + 1 * m, declines: 2 }),
  fact('t1', 'livechat', Q.web, 'alice', now - 40 * m, { ...answered(now - 40 * m, 12 * s, 20 * m), sentiment: 'slightlyPositive' }),
  fact('t2', 'sms', Q.billing, null, now - 10 * m),
];
/** The rest of the last 30 days. */
const MONTH: Fact[] = [
  fact('o1', 'livechat', Q.billing, 'bruno', at(9, 13), answered(at(9, 13), 25 * s, 12 * m)),
  fact('o2', 'sms', Q.sms, 'chloe', at(15, 9), { ...answered(at(15, 9), 3 * m, 9 * m, 3 * m), survey: 3 }),
  fact('o3', 'livechat', Q.web, null, at(20, 17), { closedAt: at(20, 17) + 4 * m }),
  fact('o4', 'sms', Q.billing, 'alice', at(28, 11), { ...answered(at(28, 11), 90 * s, 30 * m, 5 * m), transfers: 2, sentiment: 'slightlyNegative' }),
];

/** Two years of history: a busy floor's month rows, for the 24-month view's timing. */
function history(count: number): Fact[] {
  let seed = 20;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const first = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth() - 23, 1);
  const last = midnight - 95 * DAY;
  const levels: SentimentLevel[] = ['veryNegative', 'negative', 'slightlyNegative', 'neutral', 'slightlyPositive', 'positive', 'veryPositive'];
  return Array.from({ length: count }, (_, i) => {
    const openedAt = first + Math.floor(rand() * (last - first));
    const queue = pick([Q.web, Q.billing, Q.sms]);
    const isAnswered = rand() < 0.8;
    return fact(`h${i}`, queue === Q.web ? 'livechat' : pick(['livechat', 'sms'] as const), queue, isAnswered ? pick(['alice', 'bruno', 'chloe']) : null, openedAt, {
      ...(isAnswered ? answered(openedAt, Math.floor(rand() * 120) * s, (2 + Math.floor(rand() * 30)) * m, Math.floor(rand() * 3) * m) : { closedAt: openedAt + 2 * m }),
      transfers: rand() < 0.1 ? 1 : 0,
      ...(rand() < 0.4 ? { survey: 1 + Math.floor(rand() * 5) } : {}),
      ...(rand() < 0.7 ? { sentiment: pick(levels) } : {}),
    });
  });
}
const HISTORY = history(3000);
const FACTS = [...WEEK, ...MONTH, ...HISTORY];

/** The bucket rows the fold would write for these facts (only the grains a view reads for them, see above). */
function bucketRows(facts: readonly Fact[]): Record<string, unknown>[] {
  const table = new AggregateTable();
  for (const f of facts) table.fold(null, contribution(f));
  const rows = new Map<string, { key: InsightsBucketKey; measures: Measures }>();
  for (const c of table.rows()) {
    for (const key of bucketKeysOf(c.key)) {
      if (key.grain === 'day' && c.key.hour < midnight - 92 * DAY) continue;
      if (key.grain === 'hour' && c.key.hour < midnight - 2 * DAY) continue;
      const text = bucketKeyText(key);
      rows.set(text, { key, measures: addMeasures(rows.get(text)?.measures ?? emptyMeasures(), c.measures) });
    }
  }
  return [...rows.entries()].map(([text, { key, measures }]) => ({
    swb_insightbucketid: insightsBucketId(key),
    swb_name: text,
    swb_bucketkey: text,
    swb_grain: INSIGHTS_GRAIN_CHOICE[key.grain],
    swb_periodstart: new Date(key.periodStart).toISOString().replace('.000Z', 'Z'),
    ...(key.queueId ? { 'swb_queueid@odata.bind': `/queues(${key.queueId})` } : {}),
    swb_channeltype: INSIGHTS_CHANNEL_CHOICE[key.channel as InsightsChannel],
    ...(key.agentId ? { 'swb_agentid@odata.bind': `/systemusers(${key.agentId})` } : {}),
    swb_measures: measuresToJson(measures),
  }));
}

async function create(set: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(stack.dataverseApi + set, { method: 'POST', headers: { authorization: `Bearer ${APP_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${set} → ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

/** What the tiles must say: core's derive() of the facts opened in [from, to), formatted as the control does (en-US). */
function expectedTiles(facts: readonly Fact[], from: number, to: number) {
  const sum = facts.filter((f) => f.openedAt >= from && f.openedAt < to).reduce((a, f) => addMeasures(a, contribution(f).measures), emptyMeasures());
  const d = derive(sum);
  const pct = (x: number | null) => (x === null ? '—' : new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 }).format(x));
  const dur = (x: number | null) => (x === null ? '—' : formatElapsed(x));
  const n = (x: number) => new Intl.NumberFormat('en-US').format(x);
  return {
    incoming: n(sum.incoming), answered: n(sum.answered), abandoned: n(sum.abandoned), abandonRate: pct(d.abandonRate), asa: dur(d.averageSpeedToAnswerMs),
    serviceLevel: pct(d.serviceLevel20s), aht: dur(d.averageHandleMs), wrapUp: dur(d.averageWrapUpMs), transferRate: pct(d.transferRate), consults: n(sum.consults),
    declines: n(sum.declines), timeouts: n(sum.timeouts), survey: d.surveyAverage === null ? '—' : d.surveyAverage.toFixed(1),
  };
}

const tiles = () =>
  page.getByTestId('insights-kpis').evaluate((dl) => Object.fromEntries([...dl.querySelectorAll('[data-kpi]')].map((t) => [t.getAttribute('data-kpi'), t.querySelector('[data-value]')?.textContent ?? ''])));

/** Clicks and waits until the view asked for has been read and drawn. */
async function view(action: () => Promise<void>, range: string): Promise<number> {
  const started = Date.now();
  await action();
  await page.locator(`[data-testid="insights"][data-state="ready"][data-range="${range}"]`).waitFor({ timeout: 30_000 });
  return Date.now() - started;
}

const weekFrom = midnight - 6 * DAY;
const tomorrow = midnight + DAY;

beforeAll(async () => {
  stack = await startStackProcess({ readyTimeoutMs: 150_000 });
  app = new TestWebApi(stack.dataverseApi, APP_TOKEN);
  browser = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
  const rows = bucketRows(FACTS);
  const started = Date.now();
  for (let i = 0; i < rows.length; i += 8) await Promise.all(rows.slice(i, i + 8).map((r) => create('swb_insightbuckets', r)));
  console.log(`[insights] seeded ${rows.length} bucket rows from ${FACTS.length} conversation facts in ${Date.now() - started} ms`);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('insights on the local stack', () => {
  it("Sam's last 7 days: every tile equals core's derive() of the conversations opened in them, read from day buckets", async () => {
    page = await browser.context.newPage();
    await page.goto(`${stack.web}/workspace/insights?range=7d`);
    await page.locator('[data-testid="insights"][data-state="ready"][data-range="7d"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('insights').getAttribute('data-grain')).toBe('day');
    expect(await tiles()).toEqual(expectedTiles(FACTS, weekFrom, tomorrow));
    // Seven days on the chart, the sentiment of the week, a breakdown row per queue.
    expect(await page.getByTestId('insights-trend').locator('rect[data-period]').count()).toBe(7);
    await page.getByTestId('insights-sentiment').getByText('Very negative 1 (17%)').waitFor();
    const queues = await page.getByTestId('insights-breakdown').locator('tbody th').allTextContents();
    expect(queues.sort()).toEqual(['Billing', 'SMS support', 'Web support'].sort());
  });

  it('30 days adds the weeks before; the Billing queue narrows it; the figures CSV has its day rows with the same totals', async () => {
    const from = midnight - 29 * DAY;
    await view(() => page.getByRole('tab', { name: '30 days' }).click(), '30d');
    expect(await tiles()).toEqual(expectedTiles(FACTS, from, tomorrow));
    await page.getByRole('combobox', { name: 'Queue' }).selectOption({ label: 'Billing' });
    const billing = FACTS.filter((f) => f.queueId === Q.billing);
    await until('the Billing figures', async () => (await tiles())['incoming'] === expectedTiles(billing, from, tomorrow).incoming);
    expect(await tiles()).toEqual(expectedTiles(billing, from, tomorrow));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export figures (CSV)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^insights-day-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = fs.readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 8)).toEqual(['Period start (UTC)', 'Period', 'Queue id', 'Queue', 'Channel', 'Agent id', 'Agent', 'Incoming']);
    const cells = lines.slice(1).map((l) => l.split(','));
    // One row per day × channel × agent of Billing that had conversations; the columns add up to the tiles.
    const inRange = billing.filter((f) => f.openedAt >= from);
    const groups = new Set(inRange.map((f) => `${Math.floor(f.openedAt / DAY)}|${f.channel}|${f.firstAssignedAt ? f.agentId : ''}`));
    expect(cells).toHaveLength(groups.size);
    expect(cells.every((c) => c[1] === 'day' && c[2] === Q.billing && c[3] === 'Billing')).toBe(true);
    const column = (name: string) => cells.reduce((a, c) => a + Number(c[header.indexOf(name)]), 0);
    expect([column('Incoming'), column('Answered'), column('Abandoned')]).toEqual(['incoming', 'answered', 'abandoned'].map((k) => inRange.reduce((a, f) => a + contribution(f).measures[k as 'incoming'], 0)));
    expect(cells.find((c) => c[6] === 'Chloé Durand')?.[4]).toBe('Sms');
  });

  it('12 and 24 months read month buckets and count every month of history; the 24-month view\'s read and draw time is printed', async () => {
    await page.getByRole('combobox', { name: 'Queue' }).selectOption({ label: 'All queues' });
    await page.locator('[data-testid="insights"][data-state="ready"]').waitFor();
    const d = new Date(now);
    await view(() => page.getByRole('tab', { name: '12 months' }).click(), '12m');
    expect(await page.getByTestId('insights').getAttribute('data-grain')).toBe('month');
    expect(await tiles()).toEqual(expectedTiles(FACTS, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 11, 1), tomorrow));
    const timings: number[] = [];
    for (let i = 0; i < 3; i++) {
      timings.push(await view(() => page.getByRole('tab', { name: '24 months' }).click(), '24m'));
      if (i < 2) await view(() => page.getByRole('tab', { name: '30 days' }).click(), '30d');
    }
    expect(await tiles()).toEqual(expectedTiles(FACTS, 0, tomorrow));
    expect(await page.getByTestId('insights-trend').locator('rect[data-period]').count()).toBe(24);
    const months = await app.list(`swb_insightbuckets?$select=swb_insightbucketid&$filter=swb_grain eq ${INSIGHTS_GRAIN_CHOICE.month}`);
    // The browser's own timing of the bucket reads (the last three are the 24-month views').
    const reads = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('swb_insightbuckets') && e.name.includes('612400002')).map((e) => Math.round(e.duration)));
    console.log(`[insights] 24-month view, ${months.length} month buckets (${FACTS.length} conversations): click → drawn ${timings.join(' / ')} ms, of which the Dataverse read ${reads.slice(-3).join(' / ')} ms (three runs)`);
  });

  it('the conversations CSV lists the conversations opened in the period with their wait, handle time, rating and sentiment', async () => {
    // Two closed conversations of yesterday, written as the app (what routing and the pane would have stamped).
    const opened = at(1, 15);
    const rows = [
      { activityid: 'c5eed000-0000-4000-8000-000000000001', subject: 'Insights test chat', swb_state: ConversationState.Closed, swb_channeltype: ChannelType.LiveChat, 'swb_queueid@odata.bind': `/queues(${Q.web})`, 'swb_primaryagentid@odata.bind': `/systemusers(${agent('bruno')})`, swb_openedon: new Date(opened).toISOString(), swb_queuedon: new Date(opened + 5 * s).toISOString(), swb_firstassignedon: new Date(opened + 35 * s).toISOString(), swb_wrapupon: new Date(opened + 35 * s + 10 * m).toISOString(), swb_closedon: new Date(opened + 35 * s + 12 * m).toISOString(), swb_csatrating: 4, swb_sentiment: 612400005 },
      { activityid: 'c5eed000-0000-4000-8000-000000000002', subject: 'Insights test SMS', swb_state: ConversationState.Closed, swb_channeltype: ChannelType.Sms, 'swb_queueid@odata.bind': `/queues(${Q.billing})`, swb_openedon: new Date(opened + HOUR).toISOString(), swb_closedon: new Date(opened + HOUR + 2 * m).toISOString(), swb_waitseconds: 120 },
    ];
    for (const r of rows) await create('swb_conversations', r);
    await view(() => page.getByRole('tab', { name: '7 days' }).click(), '7d');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export conversations (CSV)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^conversations-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = fs.readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('Conversation id,Opened on (UTC),Channel,Queue id,Queue,Agent id,Agent,First wait (s),Handle time (s),Survey rating,Sentiment');
    const iso = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString();
    expect(lines).toContain(`c5eed000-0000-4000-8000-000000000001,${iso(opened)},LiveChat,${Q.web},Web support,${agent('bruno')},Bruno Petit,30,600,4,positive`);
    expect(lines).toContain(`c5eed000-0000-4000-8000-000000000002,${iso(opened + HOUR)},Sms,${Q.billing},Billing,,,120,,,`);
  });

  it('an agent opening insights is told which role they need, and reads no figure', async () => {
    const alice = await browser.context.newPage();
    await alice.goto(`${stack.web}/workspace/insights?as=alice`);
    await alice.getByText('Insights need the Switchboard Supervisor or Switchboard Administrator role.').waitFor({ timeout: 30_000 });
    expect(await alice.getByTestId('insights-kpis').count()).toBe(0);
    await alice.close();
  });

  it('Ctrl-C stops every process the stack started', async () => {
    const pids = stack.pids;
    expect(await stack.stop()).toBe(0);
    await until('every stack process and its children to exit', () => pids.every((p) => !isRunning(p) && !groupAlive(p)), 10_000);
  });
});
