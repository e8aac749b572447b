import * as React from 'react';
import {
  Badge,
  Button,
  Caption1,
  Field,
  Input,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Select,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ChannelType, Sentiment, VirtualList, nameOf, type Translate } from '../../../shared/src';
import { CHANNEL_KEYS, handleMs, isUpset, sinceCustomerMs, waitMs, type FloorState, type OngoingRow, type RowFilter, type SortKey } from '../logic/floor';
import { DASH, type Formats } from '../logic/format';

export type RowAction = 'monitor' | 'join' | 'assign' | 'transfer' | 'close';

const GRID = 'minmax(120px,1.6fr) minmax(60px,0.7fr) minmax(80px,1fr) minmax(76px,0.8fr) minmax(110px,1.3fr) minmax(70px,1fr) 56px 60px 72px minmax(76px,0.9fr) 112px';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS, minWidth: 0, flexGrow: 1 },
  // Narrow hosts (the monitor panel open beside it) scroll sideways rather than cut a column off.
  scroll: { overflowX: 'auto', minWidth: 0 },
  table: { minWidth: '1000px' },
  filters: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXS, alignItems: 'flex-end' },
  search: { minWidth: '220px', flexGrow: 1, maxWidth: '360px' },
  header: { display: 'grid', gridTemplateColumns: GRID, columnGap: tokens.spacingHorizontalS, padding: `0 ${tokens.spacingHorizontalS}`, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  headButton: { minWidth: 0, justifyContent: 'flex-start', paddingLeft: 0, paddingRight: 0, fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase200 },
  headNumber: { justifyContent: 'flex-end' },
  more: { minWidth: 'auto' },
  headText: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase200, alignSelf: 'center' },
  row: {
    display: 'grid', gridTemplateColumns: GRID, columnGap: tokens.spacingHorizontalS, alignItems: 'center', minHeight: '40px',
    padding: `0 ${tokens.spacingHorizontalS}`, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`, fontSize: tokens.fontSizeBase200,
  },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
  // An upset customer (negative or very negative): a red edge down the row, and a filled badge.
  upset: { boxShadow: `inset 3px 0 0 ${tokens.colorPaletteRedBorder2}` },
  cell: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  number: { fontVariantNumeric: 'tabular-nums', textAlign: 'right' },
  muted: { color: tokens.colorNeutralForeground3 },
  long: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  actions: { display: 'flex', columnGap: tokens.spacingHorizontalXS, justifyContent: 'flex-end' },
  list: { height: '100%', minHeight: '240px' },
});

const SENTIMENT_COLOR: Record<string, 'danger' | 'warning' | 'informative' | 'success'> = {
  VeryNegative: 'danger', Negative: 'danger', SlightlyNegative: 'warning', Neutral: 'informative', SlightlyPositive: 'success', Positive: 'success', VeryPositive: 'success',
};
const STATE_COLOR: Record<FloorState, 'warning' | 'success' | 'informative'> = { waiting: 'warning', active: 'success', wrapup: 'informative' };
const STATE_KEY: Record<FloorState, string> = { waiting: 'State_Waiting', active: 'State_Active', wrapup: 'State_WrapUp' };
/** A customer waiting this long for an agent, or for an answer, is shown in red. */
const LONG_MS = 60_000;

export interface ConversationsListProps {
  rows: readonly OngoingRow[];
  total: number;
  queues: readonly { id: string; name: string }[];
  filter: RowFilter;
  onFilter: (f: RowFilter) => void;
  sort: { key: SortKey; descending: boolean };
  onSort: (key: SortKey) => void;
  selected: string | null;
  onAction: (action: RowAction, row: OngoingRow) => void;
  now: number;
  t: Translate;
  f: Formats;
  height: number;
}

// Stable across renders: the list keeps its keys and offsets for 10,000 rows until the rows change.
const rowKey = (r: OngoingRow) => r.id;

export function ConversationsList(props: ConversationsListProps): React.ReactElement {
  const { rows, t, f, filter, sort } = props;
  const s = useStyles();
  const stateValue = filter.states.size === 3 ? '' : [...filter.states][0] ?? '';
  const columns: { key: SortKey | null; label: string; numeric?: boolean }[] = [
    { key: 'customer', label: t('Col_Customer') },
    { key: 'channel', label: t('Col_Channel') },
    { key: 'queue', label: t('Col_Queue') },
    { key: 'state', label: t('Col_State') },
    { key: 'agent', label: t('Col_Agent') },
    { key: null, label: t('Col_Consultants') },
    { key: 'wait', label: t('Col_Wait'), numeric: true },
    { key: 'handle', label: t('Col_Handle'), numeric: true },
    { key: 'sinceCustomer', label: t('Col_SinceCustomer'), numeric: true },
    { key: 'sentiment', label: t('Col_Sentiment') },
    { key: null, label: t('Col_Actions') },
  ];
  const renderRow = React.useCallback(
    (r: OngoingRow) => <ConversationRowView row={r} now={props.now} t={t} f={f} selected={r.id === props.selected} onAction={props.onAction} />,
    [props.now, props.selected, props.onAction, t, f],
  );
  return (
    <div className={s.root}>
      <div className={s.filters} role="search">
        <Field label={t('Search_Label')} className={s.search}>
          <Input type="search" value={filter.text} placeholder={t('Search_Placeholder')} onChange={(_e, d) => props.onFilter({ ...filter, text: d.value })} />
        </Field>
        <Field label={t('Filter_State')}>
          <Select value={stateValue} onChange={(_e, d) => props.onFilter({ ...filter, states: d.value ? new Set([d.value as FloorState]) : new Set<FloorState>(['waiting', 'active', 'wrapup']) })}>
            <option value="">{t('Filter_All')}</option>
            <option value="waiting">{t('State_Waiting')}</option>
            <option value="active">{t('State_Active')}</option>
            <option value="wrapup">{t('State_WrapUp')}</option>
          </Select>
        </Field>
        <Field label={t('Filter_Channel')}>
          <Select value={filter.channel === null ? '' : String(filter.channel)} onChange={(_e, d) => props.onFilter({ ...filter, channel: d.value ? Number(d.value) : null })}>
            <option value="">{t('Filter_All')}</option>
            <option value={String(ChannelType.LiveChat)}>{t('Channel_LiveChat')}</option>
            <option value={String(ChannelType.Sms)}>{t('Channel_Sms')}</option>
          </Select>
        </Field>
        <Field label={t('Filter_Queue')}>
          <Select value={filter.queueId ?? ''} onChange={(_e, d) => props.onFilter({ ...filter, queueId: d.value || null })}>
            <option value="">{t('Filter_All')}</option>
            {props.queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('Filter_Sentiment')}>
          <Select value={filter.upsetOnly ? 'upset' : ''} onChange={(_e, d) => props.onFilter({ ...filter, upsetOnly: d.value === 'upset' })}>
            <option value="">{t('Filter_All')}</option>
            <option value="upset">{t('Filter_Upset')}</option>
          </Select>
        </Field>
        <Caption1 className={s.muted} aria-live="polite">
          {t('Shown_Count', rows.length, props.total)}
        </Caption1>
      </div>
      <div className={s.scroll}>
      <div className={s.table}>
      <div className={s.header} role="presentation">
        {columns.map((c) =>
          c.key ? (
            <Button
              key={c.label}
              appearance="transparent"
              size="small"
              className={mergeClasses(s.headButton, c.numeric && s.headNumber)}
              aria-label={sort.key !== c.key ? t('Sort_By', c.label) : sort.descending ? t('Sorted_Descending', c.label) : t('Sorted_Ascending', c.label)}
              onClick={() => props.onSort(c.key!)}
            >
              {c.label}
              {sort.key === c.key ? (sort.descending ? ' ↓' : ' ↑') : ''}
            </Button>
          ) : (
            <span key={c.label} className={s.headText}>
              {c.label}
            </span>
          ),
        )}
      </div>
      {rows.length === 0 ? (
        <Caption1 className={s.muted}>{props.total === 0 ? t('None_Conversations') : t('None_Match')}</Caption1>
      ) : (
        <VirtualList
          items={rows}
          itemKey={rowKey}
          renderItem={renderRow}
          estimateHeight={41}
          overscan={200}
          ariaLabel={t('Tab_ConversationsAria')}
          className={s.list}
          style={{ height: props.height }}
          fallbackViewport={props.height}
        />
      )}
      </div>
      </div>
    </div>
  );
}

interface RowViewProps {
  row: OngoingRow;
  now: number;
  t: Translate;
  f: Formats;
  selected: boolean;
  onAction: (action: RowAction, row: OngoingRow) => void;
}

const ConversationRowView = React.memo(function ConversationRowView({ row: r, now, t, f, selected, onAction }: RowViewProps): React.ReactElement {
  const s = useStyles();
  const wait = waitMs(r, now);
  const since = sinceCustomerMs(r, now);
  const sentiment = r.sentiment === null ? undefined : String(nameOf(Sentiment, r.sentiment) ?? '');
  const customer = r.customer || t('Untitled');
  const upset = isUpset(r);
  return (
    <div className={mergeClasses(s.row, selected && s.selected, upset && s.upset)} data-conversation={r.id} data-state={r.state} data-upset={upset || undefined}>
      <span className={s.cell} title={customer}>
        {customer}
      </span>
      <span className={s.cell}>{r.channel === null ? DASH : t(CHANNEL_KEYS[r.channel] ?? 'Channel_LiveChat')}</span>
      <span className={s.cell}>{r.queueName || DASH}</span>
      <span>
        <Badge appearance="tint" color={STATE_COLOR[r.state]}>
          {t(STATE_KEY[r.state])}
        </Badge>
      </span>
      <span className={mergeClasses(s.cell, !r.agentName && s.muted)}>{r.agentName || (r.offeredToName ? t('OfferedTo', r.offeredToName) : t('Nobody'))}</span>
      <span className={mergeClasses(s.cell, r.consultants.length === 0 && s.muted)}>{r.consultants.length ? r.consultants.join(', ') : DASH}</span>
      <span className={mergeClasses(s.cell, s.number, r.state === 'waiting' && wait !== null && wait > LONG_MS && s.long)}>{f.duration(wait)}</span>
      <span className={mergeClasses(s.cell, s.number)}>{f.duration(handleMs(r, now))}</span>
      <span className={mergeClasses(s.cell, s.number, since !== null && since > LONG_MS && r.state === 'active' && s.long)}>{f.duration(since)}</span>
      <span className={s.cell}>
        {sentiment ? (
          <Badge appearance={upset ? 'filled' : 'outline'} color={SENTIMENT_COLOR[sentiment] ?? 'informative'} title={upset ? t('Sentiment_UpsetTitle') : undefined}>
            {t(upset ? 'Sentiment_Upset' : `Sentiment_${sentiment}`, t(`Sentiment_${sentiment}`))}
          </Badge>
        ) : (
          <span className={s.muted}>{DASH}</span>
        )}
      </span>
      <span className={s.actions}>
        <Button size="small" onClick={() => onAction('monitor', r)} aria-label={t('Action_MonitorAria', customer)}>
          {t('Action_Monitor')}
        </Button>
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button size="small" className={s.more} aria-label={t('Action_More', customer)}>
              …
            </Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem disabled={r.state !== 'active'} onClick={() => onAction('join', r)}>
                {t('Action_Join')}
              </MenuItem>
              <MenuItem disabled={r.state !== 'waiting'} onClick={() => onAction('assign', r)}>
                {t('Action_Assign')}
              </MenuItem>
              <MenuItem disabled={r.state !== 'active'} onClick={() => onAction('transfer', r)}>
                {t('Action_Transfer')}
              </MenuItem>
              <MenuItem onClick={() => onAction('close', r)}>{t('Action_ForceClose')}</MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      </span>
    </div>
  );
});
