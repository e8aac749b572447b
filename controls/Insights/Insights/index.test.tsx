import * as path from 'node:path';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { derive, type ConversationFacts } from '@switchboard/core';
import { createMockContext, prop, type MockContext } from '../../shared/src/testing';
import { loadResx } from '../../shared/src/testing/load-resx';
import { formatDuration } from '../../shared/src';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { Insights } from './index';
import { bucketRowsOf } from './testing/bucket-rows';

const ME = '11111111-1111-4111-8111-111111111111';
const ALICE = '22222222-2222-4222-8222-222222222222';
const BRUNO = '33333333-3333-4333-8333-333333333333';
const WEB = 'aaaaaaaa-0000-4000-8000-000000000001';
const BILLING = 'aaaaaaaa-0000-4000-8000-000000000002';
const NAMES = { [ALICE]: 'Alice Martin', [BRUNO]: 'Bruno Petit', [WEB]: 'Web support', [BILLING]: 'Billing' };
const NOW = Date.parse('2026-11-24T10:30:00Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const LIVECHAT = 612400000;
const SMS = 612400001;

/** Five conversations of the last week, one of the week before, one of last year. */
const FACTS: ConversationFacts[] = [
  { id: 'c1', channel: 'livechat', queueId: WEB, agentId: ALICE, openedAt: NOW - 2 * DAY, queuedAt: NOW - 2 * DAY + 5_000, firstAssignedAt: NOW - 2 * DAY + 15_000, wrapUpAt: NOW - 2 * DAY + 10 * MIN, closedAt: NOW - 2 * DAY + 12 * MIN, transfers: 1, survey: 5, sentiment: 'positive' },
  { id: 'c2', channel: 'livechat', queueId: WEB, agentId: BRUNO, openedAt: NOW - 2 * DAY + 3 * MIN, firstAssignedAt: NOW - 2 * DAY + 4 * MIN, closedAt: NOW - 2 * DAY + 20 * MIN, consults: 1, declines: 2, survey: 3, sentiment: 'negative' },
  { id: 'c3', channel: 'livechat', queueId: WEB, agentId: null, openedAt: NOW - 1 * DAY, closedAt: NOW - 1 * DAY + 2 * MIN, timeouts: 1, sentiment: 'veryNegative' },
  { id: 'c4', channel: 'sms', queueId: BILLING, agentId: ALICE, openedAt: NOW - 3 * DAY, firstAssignedAt: NOW - 3 * DAY + 50_000, wrapUpAt: NOW - 3 * DAY + 30 * MIN, closedAt: NOW - 3 * DAY + 31 * MIN, sentiment: 'neutral' },
  { id: 'c5', channel: 'sms', queueId: BILLING, agentId: null, openedAt: NOW - 20 * MIN },
  { id: 'c6', channel: 'sms', queueId: BILLING, agentId: BRUNO, openedAt: NOW - 12 * DAY, firstAssignedAt: NOW - 12 * DAY + 30_000, closedAt: NOW - 12 * DAY + 5 * MIN },
  { id: 'c7', channel: 'livechat', queueId: WEB, agentId: ALICE, openedAt: NOW - 300 * DAY, firstAssignedAt: NOW - 300 * DAY + 10_000, closedAt: NOW - 300 * DAY + 9 * MIN },
];

function setup(options: { defaultRange?: string; showSentiment?: boolean; languageId?: 1033 | 1036; facts?: ConversationFacts[] } = {}): MockContext<IInputs> {
  const lang = options.languageId ?? 1033;
  const mock = createMockContext<IInputs>({
    parameters: { anchor: prop(''), defaultRange: prop(options.defaultRange ?? '7d'), showSentiment: prop(options.showSentiment ?? true, 'TwoOptions') } as unknown as IInputs,
    strings: loadResx(path.join(__dirname, `strings/Insights.${lang}.resx`)),
    userId: ME,
    languageId: lang,
  });
  for (const row of bucketRowsOf(options.facts ?? FACTS, NAMES)) mock.webAPI.put('swb_insightbucket', row);
  return mock;
}

async function mount(mock: MockContext<IInputs>) {
  const control: ComponentFramework.ReactControl<IInputs, IOutputs> = new Insights();
  control.init(mock.context, mock.notifyOutputChanged, {}, document.createElement('div'));
  const view = render(control.updateView(mock.context));
  await waitFor(() => expect(root().dataset['state']).toBe('ready'));
  return { control, view };
}

const root = () => screen.getByTestId('insights');
const kpi = (name: string) => root().querySelector(`[data-kpi="${name}"] [data-value]`)?.textContent;
const lastQuery = (mock: MockContext<IInputs>, table = 'swb_insightbucket') => decodeURIComponent([...mock.webAPI.calls].reverse().find((c) => c.table === table && c.op === 'retrieveMultiple')!.options!);
const inLastWeek = FACTS.filter((f) => f.openedAt >= Date.parse('2026-11-18T00:00:00Z'));

beforeEach(() => {
  jest.useFakeTimers();
  jest.setSystemTime(NOW);
});
afterEach(async () => {
  await act(async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  });
  jest.useRealTimers();
});

describe('Insights', () => {
  test("init → updateView → getOutputs → destroy: the last 7 days' figures are core's derive() of the conversations opened in them, from one read of day buckets", async () => {
    const mock = setup();
    const { control, view } = await mount(mock);
    const expected = derive(bucketRowsOf(inLastWeek).filter((r) => r['swb_grain'] === 612400002).map((r) => JSON.parse(String(r['swb_measures']))).reduce(addJson, {}));
    expect(kpi('incoming')).toBe('5');
    expect(kpi('answered')).toBe('3');
    expect(kpi('abandoned')).toBe('1');
    expect(kpi('abandonRate')).toBe(`${Math.round(expected.abandonRate! * 100)}%`);
    expect(kpi('asa')).toBe(formatDuration(expected.averageSpeedToAnswerMs!));
    expect(kpi('aht')).toBe(formatDuration(expected.averageHandleMs!));
    expect(kpi('wrapUp')).toBe(formatDuration(expected.averageWrapUpMs!));
    expect(kpi('serviceLevel')).toBe(`${Math.round(expected.serviceLevel20s! * 100)}%`);
    expect(kpi('transferRate')).toBe(`${Math.round(expected.transferRate! * 100)}%`);
    expect([kpi('consults'), kpi('declines'), kpi('timeouts'), kpi('survey')]).toEqual(['1', '2', '1', '4.0']);
    // One request: the day rows of 18–24 November (UTC).
    const reads = mock.webAPI.calls.filter((c) => c.table === 'swb_insightbucket');
    expect(reads).toHaveLength(1);
    expect(lastQuery(mock)).toContain('swb_grain eq 612400001 and swb_periodstart ge 2026-11-18T00:00:00Z and swb_periodstart lt 2026-11-25T00:00:00Z');
    expect(root().dataset['grain']).toBe('day');
    expect(mock.webAPI.calls.every((c) => c.op === 'retrieveMultiple')).toBe(true);
    expect(control.getOutputs?.()).toEqual({});
    view.unmount();
    control.destroy();
  });

  test('the chart has a point per day of the range, zeros included, each saying its three figures', async () => {
    await mount(setup());
    const points = screen.getByTestId('insights-trend').querySelectorAll('rect[data-period]');
    expect([...points].map((p) => p.getAttribute('data-period'))).toEqual(['18', '19', '20', '21', '22', '23', '24'].map((d) => `2026-11-${d}T00:00:00.000Z`));
    expect(points[4]!.textContent).toBe('Sun, Nov 22, 2026: 2 incoming, 2 answered, 0 abandoned');
    expect(points[0]!.textContent).toBe('Wed, Nov 18, 2026: 0 incoming, 0 answered, 0 abandoned');
    expect(screen.getByRole('img', { name: 'Conversations by day (UTC): 5 incoming, 3 answered, 1 abandoned in all.' })).toBeTruthy();
  });

  test('30 days counts the conversation of the week before; 12 and 24 months read month buckets and count last year', async () => {
    const mock = setup();
    await mount(mock);
    fireEvent.click(screen.getByRole('tab', { name: '30 days' }));
    await waitFor(() => expect(root().dataset['range']).toBe('30d'));
    expect(kpi('incoming')).toBe('6');
    fireEvent.click(screen.getByRole('tab', { name: '12 months' }));
    await waitFor(() => expect(root().dataset['range']).toBe('12m'));
    expect(kpi('incoming')).toBe('7');
    expect(lastQuery(mock)).toContain('swb_grain eq 612400002 and swb_periodstart ge 2025-12-01T00:00:00Z and swb_periodstart lt 2026-12-01T00:00:00Z');
    fireEvent.click(screen.getByRole('tab', { name: '24 months' }));
    await waitFor(() => expect(root().dataset['range']).toBe('24m'));
    expect(screen.getByTestId('insights-trend').querySelectorAll('rect[data-period]')).toHaveLength(24);
    expect(lastQuery(mock)).toContain('swb_periodstart ge 2024-12-01T00:00:00Z');
  });

  test("today reads hour buckets from midnight in the user's time zone", async () => {
    const mock = setup({ defaultRange: 'today' });
    (mock.context.userSettings as { getTimeZoneOffsetMinutes: () => number }).getTimeZoneOffsetMinutes = () => 120;
    await mount(mock);
    // 10:30 UTC is 12:30 in UTC+2: today began at 22:00 UTC the day before.
    expect(lastQuery(mock)).toContain('swb_grain eq 612400000 and swb_periodstart ge 2026-11-23T22:00:00Z and swb_periodstart lt 2026-11-24T11:00:00Z');
    expect(kpi('incoming')).toBe('1');
    const points = screen.getByTestId('insights-trend').querySelectorAll('rect[data-period]');
    expect(points).toHaveLength(13);
    // The axis shows the user's clock: the first hour is midnight there.
    expect(screen.getByTestId('insights-trend').querySelector('text[text-anchor="middle"]')!.textContent).toBe('12:00 AM');
  });

  test('the queue filter narrows the query and the figures; its choices are the queues seen, by name', async () => {
    const mock = setup();
    await mount(mock);
    const queue = screen.getByRole('combobox', { name: 'Queue' }) as HTMLSelectElement;
    expect([...queue.options].map((o) => o.textContent)).toEqual(['All queues', 'Billing', 'Web support']);
    fireEvent.change(queue, { target: { value: WEB } });
    await waitFor(() => expect(kpi('incoming')).toBe('3'));
    expect(lastQuery(mock)).toContain(`_swb_queueid_value eq ${WEB}`);
    fireEvent.change(screen.getByRole('combobox', { name: 'Channel' }), { target: { value: String(SMS) } });
    await waitFor(() => expect(kpi('incoming')).toBe('0'));
    expect(screen.getByText('No conversation in this period.')).toBeTruthy();
    expect(lastQuery(mock)).toContain(`swb_channeltype eq ${SMS}`);
  });

  test('the breakdown names each queue, each agent and the unanswered, busiest first', async () => {
    await mount(setup());
    const table = () => screen.getByTestId('insights-breakdown');
    const rows = () => within(table()).getAllByRole('row').slice(1).map((r) => [within(r).getByRole('rowheader').textContent, r.querySelector('[data-figure="incoming"]')!.textContent]);
    expect(rows()).toEqual([['Web support', '3'], ['Billing', '2']]);
    fireEvent.click(screen.getByRole('tab', { name: 'Agent' }));
    expect(rows()).toEqual([['Alice Martin', '2'], ['Unanswered (no agent)', '2'], ['Bruno Petit', '1']]);
    fireEvent.click(screen.getByRole('tab', { name: 'Channel' }));
    expect(rows()).toEqual([['Live chat', '3'], ['SMS', '2']]);
    const agent = screen.getByRole('combobox', { name: 'Agent' }) as HTMLSelectElement;
    expect([...agent.options].map((o) => o.textContent)).toEqual(['All agents', 'Alice Martin', 'Bruno Petit', 'Unanswered (no agent)']);
  });

  test('the sentiment bar shows how many conversations ended at each level, and hides when the maker turns it off', async () => {
    const { view } = await mount(setup());
    const legend = within(screen.getByTestId('insights-sentiment'));
    expect(legend.getByText('Very negative 1 (25%)')).toBeTruthy();
    expect(legend.getByText('Positive 1 (25%)')).toBeTruthy();
    expect(legend.getByText('Very positive 0 (0%)')).toBeTruthy();
    view.unmount();
    await mount(setup({ showSentiment: false }));
    expect(screen.queryByTestId('insights-sentiment')).toBeNull();
    expect(screen.queryByText('Sentiment at the end of the conversation')).toBeNull();
  });

  test('exporting the figures downloads one row per bucket read, French headers, values a program reads', async () => {
    const downloads = captureDownloads();
    await mount(setup({ languageId: 1036 }));
    fireEvent.click(screen.getByRole('button', { name: 'Exporter les chiffres (CSV)' }));
    const [file] = await downloads.files();
    expect(file!.name).toBe('analyses-day-2026-11-18-2026-11-24.csv');
    const lines = file!.text.replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 12)).toEqual([
      'Début de période (UTC)', 'Période', 'Id de la file', 'File', 'Canal', "Id de l'agent", 'Agent', 'Entrantes', 'Répondues', 'Abandonnées', "Taux d'abandon", 'Première attente totale (s)',
    ]);
    expect(lines).toHaveLength(1 + 5);
    // 22 November, web, live chat, Alice: c1 answered after 10 s (queued 5 s after opening), handled 9:45, wrap-up 2:00, one transfer, survey 5.
    const alice = lines.find((l) => l.startsWith(`2026-11-22T00:00:00.000Z,day,${WEB},Web support,LiveChat,${ALICE}`))!.split(',');
    expect(alice.slice(7)).toEqual(['1', '1', '0', '0', '10', '10', '1', '1', '1', '1', '1', '585', '585', '1', '120', '120', '1', '1', '0', '0', '0', '1', '5', '5', '0', '0', '0', '0', '0', '1', '0']);
    const unanswered = lines.find((l) => l.startsWith('2026-11-23T00:00:00.000Z'))!.split(',');
    expect(unanswered.slice(5, 11)).toEqual(['', '', '1', '0', '1', '1']);
    downloads.restore();
  });

  test('exporting the conversations reads those opened in the range with the same filters, and lists wait, handle time, rating and sentiment', async () => {
    const downloads = captureDownloads();
    const mock = setup();
    mock.webAPI.put('swb_conversation', {
      activityid: 'cccccccc-0000-4000-8000-000000000001', swb_openedon: '2026-11-22T10:00:00Z', swb_queuedon: '2026-11-22T10:00:05Z', swb_firstassignedon: '2026-11-22T10:00:35Z',
      swb_wrapupon: '2026-11-22T10:10:35Z', swb_closedon: '2026-11-22T10:12:00Z', swb_channeltype: LIVECHAT, _swb_queueid_value: WEB, '_swb_queueid_value@OData.Community.Display.V1.FormattedValue': 'Web support',
      _swb_primaryagentid_value: ALICE, '_swb_primaryagentid_value@OData.Community.Display.V1.FormattedValue': 'Alice Martin', swb_csatrating: 4, swb_sentiment: 612400005,
    });
    mock.webAPI.put('swb_conversation', { activityid: 'cccccccc-0000-4000-8000-000000000002', swb_openedon: '2026-11-23T08:00:00Z', swb_closedon: '2026-11-23T08:03:00Z', swb_waitseconds: 180, swb_channeltype: SMS, _swb_queueid_value: BILLING, '_swb_queueid_value@OData.Community.Display.V1.FormattedValue': '=Billing' });
    mock.webAPI.put('swb_conversation', { activityid: 'cccccccc-0000-4000-8000-000000000003', swb_openedon: '2026-10-01T08:00:00Z', swb_channeltype: SMS, _swb_queueid_value: BILLING });
    await mount(mock);
    fireEvent.click(screen.getByRole('button', { name: 'Export conversations (CSV)' }));
    const [file] = await downloads.files();
    expect(file!.name).toBe('conversations-2026-11-18-2026-11-24.csv');
    expect(lastQuery(mock, 'swb_conversation')).toContain('swb_openedon ge 2026-11-18T00:00:00Z and swb_openedon lt 2026-11-25T00:00:00Z');
    expect(file!.text.replace(/^\ufeff/, '').trimEnd().split('\r\n')).toEqual([
      'Conversation id,Opened on (UTC),Channel,Queue id,Queue,Agent id,Agent,First wait (s),Handle time (s),Survey rating,Sentiment',
      `cccccccc-0000-4000-8000-000000000001,2026-11-22T10:00:00.000Z,LiveChat,${WEB},Web support,${ALICE},Alice Martin,30,600,4,positive`,
      // Never answered: the wait Dataverse stamped; a name that starts like a formula is defused.
      `cccccccc-0000-4000-8000-000000000002,2026-11-23T08:00:00.000Z,Sms,${BILLING},'=Billing,,,180,,,`,
    ]);
    expect(screen.getByTestId('live-region').textContent).toBe('2 rows exported.');
    downloads.restore();
  });

  test('someone without the Supervisor or Administrator role is told which role the insights need', async () => {
    const mock = setup();
    mock.webAPI.failNext('retrieveMultiple', Object.assign(new Error('Principal user is missing prvReadswb_insightbucket privilege'), { errorCode: 0x80040220 }));
    const control: ComponentFramework.ReactControl<IInputs, IOutputs> = new Insights();
    control.init(mock.context, mock.notifyOutputChanged, {}, document.createElement('div'));
    render(control.updateView(mock.context));
    expect((await screen.findByRole('alert')).textContent).toBe('Insights need the Switchboard Supervisor or Switchboard Administrator role.');
    expect(screen.queryByTestId('insights-kpis')).toBeNull();
  });

  test('when Dataverse cannot be reached it says so, and Retry reads again', async () => {
    const mock = setup();
    mock.webAPI.failNext('retrieveMultiple');
    const control: ComponentFramework.ReactControl<IInputs, IOutputs> = new Insights();
    control.init(mock.context, mock.notifyOutputChanged, {}, document.createElement('div'));
    render(control.updateView(mock.context));
    await screen.findByText('Dataverse could not be reached.');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(kpi('incoming')).toBe('5'));
    expect(screen.queryByText('Dataverse could not be reached.')).toBeNull();
  });
});

function addJson(a: Record<string, number>, m: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number') out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Blob URL downloads as the browser would save them: file name and text. */
function captureDownloads() {
  const blobs: Blob[] = [];
  const names: string[] = [];
  const create = jest.fn((b: Blob) => {
    blobs.push(b);
    return `blob:test/${blobs.length}`;
  });
  const originalCreate = URL.createObjectURL;
  const originalRevoke = URL.revokeObjectURL;
  URL.createObjectURL = create;
  URL.revokeObjectURL = jest.fn();
  const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    names.push(this.download);
  });
  return {
    async files() {
      await waitFor(() => expect(names.length).toBeGreaterThan(0));
      return Promise.all(blobs.map(async (b, i) => ({ name: names[i]!, text: await readBlob(b) })));
    },
    restore() {
      URL.createObjectURL = originalCreate;
      URL.revokeObjectURL = originalRevoke;
      click.mockRestore();
    },
  };
}

function readBlob(b: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(b);
  });
}
