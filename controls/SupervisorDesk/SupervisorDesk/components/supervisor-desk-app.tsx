import * as React from 'react';
import { Button, Caption1, Subtitle1, Subtitle2, Tab, TabList, makeStyles, tokens, type Theme } from '@fluentui/react-components';
import { ControlShell, LiveRegion, useNow, usePushedPolling, type AgentPush, type Translate } from '../../../shared/src';
import type { FloorSource } from '../data/floor-source';
import { ALL_STATES, agentFigures, filterRows, ongoingRows, queueFigures, sortRows, type AgentFigures, type Floor, type OngoingRow, type RowFilter, type SortKey } from '../logic/floor';
import { formats } from '../logic/format';
import { AgentsList } from './agents-list';
import { ConversationsList, type RowAction } from './conversations-list';
import { MonitorPanel, type TranscriptData } from './monitor-panel';
import { CloseDialog, MoveDialog, type MoveTarget } from './move-dialog';
import { QueuesTable } from './queues-table';

export type Section = 'queues' | 'conversations' | 'agents';

export type DeskSource = Pick<FloorSource, 'allowed' | 'refresh' | 'monitor' | 'join' | 'assign' | 'transferToAgent' | 'transferToQueue' | 'forceClose' | 'setPresence' | 'signOut'>;

export interface SupervisorDeskProps {
  source: DeskSource;
  transcript: TranscriptData;
  pollSeconds: number;
  transcriptSeconds: number;
  sections: ReadonlySet<Section>;
  heightPx: number;
  languageId: number;
  t: Translate;
  theme?: Theme;
  clock?: () => number;
  /**
   * Where a push "something changed" event would come from: the desk refreshes at once, with
   * the same delta reads as the poll. Returns the unsubscribe.
   */
  subscribe?: (onChange: () => void) => () => void;
  /**
   * Live updates: the supervisor's connection is in the groups of their queues and of all
   * supervisors, so a conversation arriving, offered, moving or ending there, and an agent's
   * presence or capacity, refresh the desk at once. While connected it still reads every minute
   * (or every pollSeconds if longer): the figures that age (waits, service level) stay current.
   */
  push?: AgentPush;
}

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalM, boxSizing: 'border-box', minWidth: 0 },
  head: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  title: { margin: 0, flexGrow: 1 },
  muted: { color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1 },
  section: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  heading: { margin: 0 },
  main: { display: 'flex', minHeight: 0, flexGrow: 1, columnGap: tokens.spacingHorizontalS },
  lists: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS, flexGrow: 1, minWidth: 0 },
});

type DialogState = { mode: 'assign' | 'transfer' | 'close'; row: OngoingRow; refusal: string } | null;

/** Dataverse's refusal as the step worded it (the supervisor's language), or a plain failure. */
function refusalOf(e: unknown, t: Translate): string {
  const message = (e as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? message : t('Action_Failed', '');
}

export function SupervisorDeskApp(props: SupervisorDeskProps): React.ReactElement {
  const { source, t } = props;
  const s = useStyles();
  const clock = props.clock ?? Date.now;
  const now = useNow(1000, clock);
  const f = React.useMemo(() => formats(props.languageId), [props.languageId]);
  const [allowed, setAllowed] = React.useState<boolean>();
  const [floor, setFloor] = React.useState<Floor>();
  const [updatedAt, setUpdatedAt] = React.useState<number>();
  const [requests, setRequests] = React.useState(0);
  const [partial, setPartial] = React.useState<string[]>([]);
  const [error, setError] = React.useState('');
  const [announcement, setAnnouncement] = React.useState('');
  const [tab, setTab] = React.useState<'conversations' | 'agents'>(props.sections.has('conversations') ? 'conversations' : 'agents');
  const [filter, setFilter] = React.useState<RowFilter>({ text: '', states: ALL_STATES, channel: null, queueId: null });
  const [sort, setSort] = React.useState<{ key: SortKey; descending: boolean }>({ key: 'wait', descending: true });
  const [monitoring, setMonitoring] = React.useState<{ id: string; customer: string } | null>(null);
  const [joined, setJoined] = React.useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = React.useState<DialogState>(null);
  const [busy, setBusy] = React.useState(false);
  const [busyAgents, setBusyAgents] = React.useState<ReadonlySet<string>>(new Set());

  // Refreshes run one after another (a poll tick, an action's refresh and a push event may
  // coincide): each reads from the watermark the previous one left.
  const chain = React.useRef<Promise<void>>(Promise.resolve());
  const allowedRef = React.useRef<boolean>();
  const refresh = React.useCallback(() => {
    const run = async () => {
      try {
        if (allowedRef.current === undefined) {
          allowedRef.current = await source.allowed();
          setAllowed(allowedRef.current);
        }
        if (!allowedRef.current) return;
        const r = await source.refresh();
        setFloor(r.floor);
        setUpdatedAt(clock());
        setRequests(r.requests);
        setPartial(r.partial);
        setError('');
      } catch {
        setError(t('Load_Failed'));
      }
    };
    chain.current = chain.current.then(run);
    return chain.current;
  }, [source, t, clock]);
  // A busy floor sends bursts of events: at most one refresh runs and one waits. While connected
  // the desk still reads every minute (waits and service levels age between events); while push
  // is down it keeps its own interval.
  const { soon } = usePushedPolling(props.push, refresh, props.pollSeconds * 1000, allowed !== false, (e) => e.kind === 'queue' || e.kind === 'conversation' || e.kind === 'agent', { connectedMs: 60_000, downMs: 0 });
  React.useEffect(() => props.subscribe?.(() => void soon()), [props.subscribe, soon]);

  const rows = React.useMemo(() => (floor ? ongoingRows(floor) : []), [floor]);
  const queues = React.useMemo(() => (floor ? queueFigures(floor, rows) : []), [floor, rows]);
  const agents = React.useMemo(() => (floor ? agentFigures(floor) : []), [floor]);
  const queueNames = React.useMemo(() => new Map((floor?.queues ?? []).map((q) => [q.id, q.name])), [floor]);
  const agentNames = React.useMemo(() => new Map([...(floor?.agents.values() ?? [])].map((a) => [a.id, a.name])), [floor]);
  // Sorted when the rows, the filter or the order change, not every second: the list does not
  // reshuffle under the supervisor's pointer as the clock ticks.
  const shown = React.useMemo(() => sortRows(filterRows(rows, filter), sort.key, sort.descending, updatedAt ?? clock()), [rows, filter, sort, updatedAt, clock]);

  // A newly waiting conversation is announced (the first load is not news).
  const seenWaiting = React.useRef<Set<string>>();
  React.useEffect(() => {
    if (!floor) return;
    const waiting = rows.filter((r) => r.state === 'waiting');
    const first = !seenWaiting.current;
    const seen = (seenWaiting.current ??= new Set());
    const fresh = waiting.filter((r) => !seen.has(r.id));
    waiting.forEach((r) => seen.add(r.id));
    if (!first && fresh[0]) setAnnouncement(t('Announce_NewWaiting', fresh[0].customer || t('Untitled'), fresh[0].queueName));
  }, [floor, rows, t]);

  const onSort = React.useCallback((key: SortKey) => setSort((p) => ({ key, descending: p.key === key ? !p.descending : key === 'wait' || key === 'handle' || key === 'sinceCustomer' })), []);

  const onAction = React.useCallback(
    (action: RowAction, row: OngoingRow) => {
      const customer = row.customer || t('Untitled');
      const run = async () => {
        try {
          if (action === 'monitor') {
            // The Monitor row first: if Dataverse refuses it, the transcript does not open.
            await source.monitor(row.id, row.queueId, t('Monitor_AuditName', customer));
            setMonitoring({ id: row.id, customer });
            setAnnouncement(t('Announce_Monitoring', customer));
          } else if (action === 'join') {
            await source.join(row.id);
            setJoined((j) => new Set([...j, row.id]));
            setMonitoring({ id: row.id, customer });
            setAnnouncement(t('Announce_Joined', customer));
            void refresh();
          } else {
            setDialog({ mode: action === 'close' ? 'close' : action, row, refusal: '' });
          }
          setError('');
        } catch (e) {
          setError(refusalOf(e, t));
        }
      };
      void run();
    },
    [source, t, refresh],
  );

  const confirmMove = async (target: MoveTarget) => {
    if (!dialog) return;
    const row = dialog.row;
    setBusy(true);
    try {
      if (target.kind === 'queue') await source.transferToQueue(row.id, target.queueId);
      else if (dialog.mode === 'assign') await source.assign(row.id, target.agentId, target.overCapacity);
      else await source.transferToAgent(row.id, target.agentId, target.overCapacity);
      setDialog(null);
      setAnnouncement(t(dialog.mode === 'assign' ? 'Announce_Assigned' : 'Announce_Transferred', row.customer || t('Untitled'), target.name));
      void refresh();
    } catch (e) {
      setDialog({ ...dialog, refusal: refusalOf(e, t) });
    } finally {
      setBusy(false);
    }
  };

  const confirmClose = async () => {
    if (!dialog) return;
    const row = dialog.row;
    setBusy(true);
    try {
      await source.forceClose(row.id);
      setDialog(null);
      setAnnouncement(t('Announce_Closed', row.customer || t('Untitled')));
      void refresh();
    } catch (e) {
      setDialog({ ...dialog, refusal: refusalOf(e, t) });
    } finally {
      setBusy(false);
    }
  };

  const onAgent = React.useCallback(
    (agent: AgentFigures, work: () => Promise<void>, done: string) => {
      setBusyAgents((b) => new Set([...b, agent.id]));
      work()
        .then(() => {
          setAnnouncement(done);
          setError('');
          return refresh();
        })
        .catch((e: unknown) => setError(refusalOf(e, t)))
        .finally(() => setBusyAgents((b) => new Set([...b].filter((x) => x !== agent.id))));
    },
    [refresh, t],
  );
  const onPresence = React.useCallback(
    (agent: AgentFigures, presence: number) => agent.statusId && onAgent(agent, () => source.setPresence(agent.statusId!, presence as never), t('Announce_Presence', agent.name)),
    [onAgent, source, t],
  );
  const onSignOut = React.useCallback((agent: AgentFigures) => agent.statusId && onAgent(agent, () => source.signOut(agent.statusId!), t('Announce_SignedOut', agent.name)), [onAgent, source, t]);

  const monitoredRow = monitoring ? rows.find((r) => r.id === monitoring.id) ?? null : null;
  const queueBlock = props.sections.has('queues') ? 90 + 30 * queues.length : 0;
  const listHeight = Math.max(240, props.heightPx - 230 - queueBlock);
  // Agents of the conversation's queue who have a status row (someone never onboarded as an agent
  // has no capacity to respect), its current agent left out.
  const candidates = dialog && dialog.mode !== 'close' ? agents.filter((a) => a.statusId !== null && dialog.row.queueId !== null && a.queues.includes(dialog.row.queueId) && a.id !== dialog.row.agentId) : [];

  return (
    <ControlShell theme={props.theme} errorText={t('Control_Error')}>
      <div className={s.root} style={{ height: props.heightPx }} data-testid="supervisor-desk" data-requests={requests} data-updated={updatedAt ?? ''}>
        <div className={s.head}>
          <Subtitle1 as="h2" className={s.title}>
            {t('Title')}
          </Subtitle1>
          <Caption1 className={s.muted}>{updatedAt === undefined ? t('Loading') : t('Updated', f.clockSeconds(updatedAt), props.pollSeconds)}</Caption1>
          <Button size="small" onClick={() => void refresh()} disabled={allowed === false}>
            {t('Refresh')}
          </Button>
        </div>
        {error && (
          <Caption1 role="alert" className={s.error}>
            {error}
          </Caption1>
        )}
        {partial.length > 0 && <Caption1 className={s.muted}>{t('Partial')}</Caption1>}
        {allowed === false ? (
          <Caption1 role="alert">{t('Forbidden')}</Caption1>
        ) : (
          <>
            {props.sections.has('queues') && (
              <section className={s.section} aria-labelledby="swb-desk-queues">
                <Subtitle2 as="h3" id="swb-desk-queues" className={s.heading}>
                  {t('Queues_Title')}
                </Subtitle2>
                {floor ? <QueuesTable queues={queues} now={now} t={t} f={f} /> : <Caption1 className={s.muted}>{t('Loading')}</Caption1>}
              </section>
            )}
            {(props.sections.has('conversations') || props.sections.has('agents')) && (
              <div className={s.main}>
                <div className={s.lists}>
                  <TabList selectedValue={tab} onTabSelect={(_e, d) => setTab(d.value as 'conversations' | 'agents')} size="small">
                    {props.sections.has('conversations') && <Tab value="conversations">{t('Tab_Conversations', rows.length)}</Tab>}
                    {props.sections.has('agents') && <Tab value="agents">{t('Tab_Agents', agents.length)}</Tab>}
                  </TabList>
                  {!floor ? (
                    <Caption1 className={s.muted}>{t('Loading')}</Caption1>
                  ) : tab === 'conversations' ? (
                    <ConversationsList
                      rows={shown}
                      total={rows.length}
                      queues={floor.queues}
                      filter={filter}
                      onFilter={setFilter}
                      sort={sort}
                      onSort={onSort}
                      selected={monitoring?.id ?? null}
                      onAction={onAction}
                      now={now}
                      t={t}
                      f={f}
                      height={listHeight}
                    />
                  ) : (
                    <AgentsList agents={agents} queueNames={queueNames} now={now} t={t} f={f} height={listHeight} busy={busyAgents} onPresence={onPresence} onSignOut={onSignOut} />
                  )}
                </div>
                {monitoring && (
                  <MonitorPanel
                    conversationId={monitoring.id}
                    row={monitoredRow}
                    customer={monitoring.customer}
                    joined={joined.has(monitoring.id)}
                    names={agentNames}
                    transcript={props.transcript}
                    transcriptSeconds={props.transcriptSeconds}
                    height={listHeight + 90}
                    t={t}
                    f={f}
                    onAction={onAction}
                    onClose={() => setMonitoring(null)}
                  />
                )}
              </div>
            )}
          </>
        )}
        {dialog && dialog.mode === 'close' && <CloseDialog row={dialog.row} busy={busy} refusal={dialog.refusal} t={t} onCancel={() => setDialog(null)} onConfirm={() => void confirmClose()} />}
        {dialog && dialog.mode !== 'close' && (
          <MoveDialog
            mode={dialog.mode}
            row={dialog.row}
            agents={candidates}
            queues={(floor?.queues ?? []).filter((q) => q.id !== dialog.row.queueId)}
            busy={busy}
            refusal={dialog.refusal}
            t={t}
            onCancel={() => setDialog(null)}
            onConfirm={(target) => void confirmMove(target)}
          />
        )}
        <LiveRegion message={announcement} />
      </div>
    </ControlShell>
  );
}
