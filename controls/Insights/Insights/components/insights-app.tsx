import * as React from 'react';
import { Button, Caption1, Select, Spinner, Subtitle1, Subtitle2, Tab, TabList, makeStyles, tokens, type Theme } from '@fluentui/react-components';
import { ChannelType, ControlShell, LiveRegion, nameOf, type Translate } from '../../../shared/src';
import { InsightsForbidden, type InsightsSource } from '../data/insights-source';
import { DIMENSIONS, breakdownOf, namesOf, seriesOf, totalOf, type BreakdownRow, type BucketRow, type Dimension } from '../logic/aggregate';
import { aggregateCsv, conversationCsv } from '../logic/csv';
import { formats } from '../logic/format';
import type { InsightFilters } from '../logic/query';
import { RANGE_PRESETS, rangeOf, type Range, type RangePreset } from '../logic/range';
import { BreakdownTable } from './breakdown-table';
import { KpiTiles } from './kpi-tiles';
import { SentimentBar } from './sentiment-bar';
import { TrendChart } from './trend-chart';

export type InsightsData = Pick<InsightsSource, 'buckets' | 'foldedThrough' | 'conversations'>;

export interface InsightsAppProps {
  source: InsightsData;
  defaultRange: RangePreset;
  showSentiment: boolean;
  languageId: number;
  /** The user's time zone (Dataverse's setting), minutes east of UTC. */
  offsetMinutes: () => number;
  t: Translate;
  theme?: Theme;
  clock?: () => number;
  /** Hands a CSV to the person (a Blob URL download in the browser). */
  download?: (fileName: string, csv: string) => void;
}

/** Saves text as a file through a Blob URL: no server round trip, nothing left in the page. */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalM, boxSizing: 'border-box', minWidth: 0 },
  head: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalS, flexWrap: 'wrap' },
  title: { margin: 0, flexGrow: 1 },
  filters: { display: 'flex', alignItems: 'flex-end', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalS, flexWrap: 'wrap' },
  field: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXS, minWidth: '160px' },
  fieldLabel: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  muted: { color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1 },
  card: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    minWidth: 0,
  },
  cardHead: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  heading: { margin: 0, flexGrow: 1 },
});

type Status = 'loading' | 'ready' | 'error' | 'forbidden';

interface View {
  range: Range;
  filters: InsightFilters;
  rows: BucketRow[];
  unreadable: number;
  foldedThrough: number | null;
}

/** A select's value for a filter: '' every value, '~none' the rows without one, else the id. */
const NONE = '~none';
const toValue = (v: string | null | undefined) => (v === undefined ? '' : v === null ? NONE : v);
const fromValue = (v: string): string | null | undefined => (v === '' ? undefined : v === NONE ? null : v);

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

export function InsightsApp(props: InsightsAppProps): React.ReactElement {
  const { source, t } = props;
  const s = useStyles();
  const clock = props.clock ?? Date.now;
  const download = props.download ?? downloadCsv;
  const offset = props.offsetMinutes();
  const f = React.useMemo(() => formats(props.languageId, offset), [props.languageId, offset]);
  const [preset, setPreset] = React.useState<RangePreset>(props.defaultRange);
  const [filters, setFilters] = React.useState<InsightFilters>({});
  const [by, setBy] = React.useState<Dimension>('queue');
  const [status, setStatus] = React.useState<Status>('loading');
  const [view, setView] = React.useState<View>();
  const [known, setKnown] = React.useState(() => ({ queues: new Map<string | null, string>(), agents: new Map<string | null, string>(), channels: new Set<number>() }));
  const [exporting, setExporting] = React.useState(false);
  const [exportError, setExportError] = React.useState('');
  const [announcement, setAnnouncement] = React.useState('');
  const [reloads, setReloads] = React.useState(0);

  // The newest request wins: a slow 24-month read must not overwrite the "today" asked for after it.
  const latest = React.useRef(0);
  React.useEffect(() => {
    const seq = ++latest.current;
    const range = rangeOf(preset, clock(), props.offsetMinutes());
    setStatus('loading');
    Promise.all([source.buckets(range, filters), source.foldedThrough()]).then(
      ([result, foldedThrough]) => {
        if (seq !== latest.current) return;
        setView({ range, filters, rows: result.rows, unreadable: result.unreadable, foldedThrough });
        setKnown((k) => {
          const next = { queues: new Map(k.queues), agents: new Map(k.agents), channels: new Set(k.channels) };
          namesOf(result.rows, next);
          return next;
        });
        setStatus('ready');
      },
      (e: unknown) => {
        if (seq !== latest.current) return;
        setStatus(e instanceof InsightsForbidden ? 'forbidden' : 'error');
      },
    );
    // props.offsetMinutes and clock are read when a view is asked for; they do not ask for one.
  }, [source, preset, filters, reloads]);

  const total = React.useMemo(() => (view ? totalOf(view.rows) : undefined), [view]);
  const series = React.useMemo(() => (view ? seriesOf(view.rows, view.range.periods) : []), [view]);
  const breakdown = React.useMemo(() => (view ? breakdownOf(view.rows, by) : []), [view, by]);

  const queueName = React.useCallback((id: string | null) => (id === null ? t('Queue_None') : known.queues.get(id) || t('Unnamed')), [known, t]);
  const agentName = React.useCallback((id: string | null) => (id === null ? t('Agent_None') : known.agents.get(id) || t('Unnamed')), [known, t]);
  const channelName = React.useCallback((value: number | null) => {
    const code = nameOf(ChannelType, value);
    return code ? t(`Channel_${code}`) : value === null ? t('Channel_None') : String(value);
  }, [t]);
  const rowName = React.useCallback(
    (r: BreakdownRow) => {
      if (by === 'queue') return queueName(r.key);
      if (by === 'agent') return agentName(r.key);
      if (by === 'channel') return channelName(r.key === null ? null : Number(r.key));
      return f.periodLong(r.period ?? 0, view?.range.grain ?? 'day');
    },
    [by, queueName, agentName, channelName, f, view],
  );

  const byName = (m: Map<string | null, string>, name: (id: string | null) => string) => [...m.keys()].map((id) => ({ id, name: name(id) })).sort((a, b) => (a.id === null ? 1 : b.id === null ? -1 : a.name.localeCompare(b.name)));
  const queues = byName(known.queues, queueName);
  const agents = byName(known.agents, agentName);
  const channels = [...new Set([...Object.values(ChannelType), ...known.channels])];

  const exportFigures = () => {
    if (!view) return;
    download(`${t('File_Figures')}-${view.range.grain}-${day(view.range.from)}-${day(view.range.to - 1)}.csv`, aggregateCsv(view.rows, view.range.grain, t));
    setAnnouncement(t('Export_Done', f.count(view.rows.length)));
  };
  const exportConversations = () => {
    if (!view) return;
    setExporting(true);
    setExportError('');
    source.conversations(view.range, view.filters).then(
      (lines) => {
        download(`${t('File_Conversations')}-${day(view.range.from)}-${day(view.range.to - 1)}.csv`, conversationCsv(lines, t));
        setAnnouncement(t('Export_Done', f.count(lines.length)));
        setExporting(false);
      },
      (e: unknown) => {
        setExportError(e instanceof InsightsForbidden ? t('Export_Forbidden') : t('Export_Failed'));
        setExporting(false);
      },
    );
  };

  const lastPeriod = view?.range.periods[view.range.periods.length - 1];
  return (
    <ControlShell theme={props.theme} errorText={t('Control_Error')}>
      <section className={s.root} data-testid="insights" data-state={status} data-range={view?.range.preset ?? ''} data-grain={view?.range.grain ?? ''} aria-busy={status === 'loading'}>
        <div className={s.head}>
          <Subtitle1 as="h2" className={s.title}>
            {t('Title')}
          </Subtitle1>
          {status === 'loading' && <Spinner size="tiny" label={t('Loading')} />}
          <Button onClick={exportFigures} disabled={!view || status === 'forbidden'}>
            {t('Export_Figures')}
          </Button>
          <Button onClick={exportConversations} disabled={!view || exporting || status === 'forbidden'}>
            {exporting ? t('Export_Working') : t('Export_Conversations')}
          </Button>
          <Button appearance="subtle" onClick={() => setReloads((n) => n + 1)} disabled={status === 'forbidden'}>
            {t('Refresh')}
          </Button>
        </div>
        {status === 'forbidden' ? (
          <Caption1 role="alert" className={s.error}>
            {t('Forbidden')}
          </Caption1>
        ) : (
          <>
            <div className={s.filters}>
              <TabList size="small" selectedValue={preset} onTabSelect={(_, d) => setPreset(d.value as RangePreset)} aria-label={t('Range_Label')}>
                {RANGE_PRESETS.map((p) => (
                  <Tab key={p} value={p}>
                    {t(`Range_${p}`)}
                  </Tab>
                ))}
              </TabList>
              <label className={s.field}>
                <span className={s.fieldLabel}>{t('Filter_Queue')}</span>
                <Select size="small" value={toValue(filters.queueId)} onChange={(_, d) => setFilters((x) => ({ ...x, queueId: fromValue(d.value) }))}>
                  <option value="">{t('Filter_AllQueues')}</option>
                  {queues.map((q) => (
                    <option key={toValue(q.id)} value={toValue(q.id)}>
                      {q.name}
                    </option>
                  ))}
                </Select>
              </label>
              <label className={s.field}>
                <span className={s.fieldLabel}>{t('Filter_Channel')}</span>
                <Select size="small" value={filters.channel === undefined ? '' : String(filters.channel)} onChange={(_, d) => setFilters((x) => ({ ...x, channel: d.value === '' ? undefined : Number(d.value) }))}>
                  <option value="">{t('Filter_AllChannels')}</option>
                  {channels.map((c) => (
                    <option key={c} value={String(c)}>
                      {channelName(c)}
                    </option>
                  ))}
                </Select>
              </label>
              <label className={s.field}>
                <span className={s.fieldLabel}>{t('Filter_Agent')}</span>
                <Select size="small" value={toValue(filters.agentId)} onChange={(_, d) => setFilters((x) => ({ ...x, agentId: fromValue(d.value) }))}>
                  <option value="">{t('Filter_AllAgents')}</option>
                  {agents.map((a) => (
                    <option key={toValue(a.id)} value={toValue(a.id)}>
                      {a.name}
                    </option>
                  ))}
                </Select>
              </label>
            </div>
            {view && lastPeriod !== undefined && (
              <Caption1 className={s.muted} data-testid="insights-caption">
                {t('Range_Caption', f.periodLong(view.range.periods[0] ?? view.range.from, view.range.grain), f.periodLong(lastPeriod, view.range.grain), t(`Grain_${view.range.grain}`))}
                {view.foldedThrough !== null && ` · ${t('FoldedThrough', f.dateTime(view.foldedThrough))}`}
                {view.unreadable > 0 && ` · ${t('Unreadable', f.count(view.unreadable))}`}
              </Caption1>
            )}
            {status === 'error' && (
              <Caption1 role="alert" className={s.error}>
                {t('Load_Failed')}{' '}
                <Button size="small" appearance="transparent" onClick={() => setReloads((n) => n + 1)}>
                  {t('Retry')}
                </Button>
              </Caption1>
            )}
            {exportError && (
              <Caption1 role="alert" className={s.error}>
                {exportError}
              </Caption1>
            )}
            {view && total && (
              <>
                {total.measures.incoming === 0 && <Caption1 className={s.muted}>{t('Empty')}</Caption1>}
                <KpiTiles figures={total} t={t} f={f} />
                <div className={s.card}>
                  <Subtitle2 as="h3" className={s.heading}>
                    {t('Trend_Title')}
                  </Subtitle2>
                  <TrendChart series={series} grain={view.range.grain} t={t} f={f} />
                </div>
                {props.showSentiment && (
                  <div className={s.card}>
                    <Subtitle2 as="h3" className={s.heading}>
                      {t('Sentiment_Title')}
                    </Subtitle2>
                    <SentimentBar measures={total.measures} t={t} f={f} />
                  </div>
                )}
                <div className={s.card}>
                  <div className={s.cardHead}>
                    <Subtitle2 as="h3" className={s.heading}>
                      {t('Breakdown_Title')}
                    </Subtitle2>
                    <TabList size="small" selectedValue={by} onTabSelect={(_, d) => setBy(d.value as Dimension)} aria-label={t('Breakdown_By')}>
                      {DIMENSIONS.map((d) => (
                        <Tab key={d} value={d}>
                          {t(`Breakdown_${d}`)}
                        </Tab>
                      ))}
                    </TabList>
                  </div>
                  <BreakdownTable rows={breakdown} by={by} nameOf={rowName} t={t} f={f} />
                </div>
              </>
            )}
          </>
        )}
        <LiveRegion message={announcement} />
      </section>
    </ControlShell>
  );
}
