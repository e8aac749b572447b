import * as React from 'react';
import { Badge, Button, Caption1, Link, Spinner, Subtitle2, makeStyles, tokens, useId, type Theme } from '@fluentui/react-components';
import { SentimentAlert, SentimentView, isAlarming } from './sentiment-view';
import {
  ChannelType,
  ControlShell,
  ConversationState,
  FORMATTED,
  IdentificationResult,
  LOOKUP_TABLE,
  contextRows,
  customerLabel,
  formatDuration,
  nameOf,
  parseJsonArray,
  parseJsonObject,
  preChatRows,
  refusalText,
  usePushedPolling,
  type AgentPush,
  type ConversationRow,
  type CustomerRef,
  type KnownText,
  type LabelledValue,
  type PreChatQuestion,
  type SwitchboardData,
  type Translate,
} from '../../../shared/src';

export interface SummarySections {
  customer: boolean;
  routing: boolean;
  preChat: boolean;
  context: boolean;
  sentiment: boolean;
  history: boolean;
}

export interface ConversationSummaryAppProps {
  data: Pick<SwitchboardData, 'conversation' | 'recordName' | 'chooseCustomer' | 'earlierConversations' | 'preChatQuestions'>;
  conversationId: string | undefined;
  sections: SummarySections;
  historyCount: number;
  /** Live updates: the summary re-reads when its conversation changes; polling slows right down. */
  push?: AgentPush;
  openRecord: (table: string, id: string) => void;
  t: Translate;
  locale: string;
  theme?: Theme;
  clock?: () => number;
}

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalM },
  section: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  heading: { margin: 0 },
  grid: { display: 'grid', gridTemplateColumns: 'minmax(8em, max-content) 1fr', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXXS, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
  candidates: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  candidate: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
  history: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

function Section(props: { title: string; children: React.ReactNode }): React.ReactElement {
  const s = useStyles();
  const id = useId('swb-summary-section');
  return (
    <section className={s.section} aria-labelledby={id}>
      <Subtitle2 as="h3" id={id} className={s.heading}>
        {props.title}
      </Subtitle2>
      {props.children}
    </section>
  );
}

function Pairs(props: { rows: [string, React.ReactNode][]; empty: string; testId?: string }): React.ReactElement {
  const s = useStyles();
  if (props.rows.length === 0) return <Caption1 className={s.muted}>{props.empty}</Caption1>;
  return (
    <dl className={s.grid} data-testid={props.testId}>
      {props.rows.map(([k, v], i) => (
        <React.Fragment key={`${i}:${k}`}>
          <dt className={s.term}>{k}</dt>
          <dd className={s.value}>{v}</dd>
        </React.Fragment>
      ))}
    </dl>
  );
}

const labelled = (rows: LabelledValue[]): [string, React.ReactNode][] => rows.map((r) => [r.label, r.value]);

/** Keys and values the control has words for in its resources (Key_page, Value_provider_acs). */
function knownText(t: Translate): KnownText {
  return (key, value) => {
    const id = value === undefined ? `Key_${key}` : `Value_${key}_${value}`;
    if (!/^[A-Za-z0-9_]+$/.test(id)) return undefined;
    const text = t(id);
    return text && text !== id ? text : undefined;
  };
}

const NO_QUESTIONS: PreChatQuestion[] = [];
const UNSETTLED_POLL_MS = 3_000;
const SETTLED_POLL_MS = 30_000;

interface Candidate extends CustomerRef {
  name: string;
}

export function ConversationSummaryApp(props: ConversationSummaryAppProps): React.ReactElement {
  const { data, conversationId, sections, t } = props;
  const s = useStyles();
  const [row, setRow] = React.useState<ConversationRow>();
  const [questions, setQuestions] = React.useState<PreChatQuestion[]>([]);
  const [candidates, setCandidates] = React.useState<Candidate[]>([]);
  const [history, setHistory] = React.useState<ConversationRow[]>();
  const [failed, setFailed] = React.useState(false);
  const [choosing, setChoosing] = React.useState(false);
  // A refused choice says why (Dataverse's words) beside the candidates; the summary stays.
  const [refused, setRefused] = React.useState('');

  const load = React.useCallback(async () => {
    if (!conversationId) return;
    try {
      const conv = await data.conversation(conversationId);
      // The widget's questions give the answers their labels, in the agent's language.
      setQuestions(conv._swb_chatwidgetid_value && conv.swb_prechatanswers ? await data.preChatQuestions(conv._swb_chatwidgetid_value) : NO_QUESTIONS);
      setRow(conv);
      setFailed(false);
      if (conv.swb_identificationresult === IdentificationResult.Ambiguous && !conv._swb_customerid_value) {
        const refs = parseJsonArray(conv.swb_candidateids).filter(
          (c): c is CustomerRef => !!c && typeof c === 'object' && ((c as CustomerRef).table === 'contact' || (c as CustomerRef).table === 'account') && typeof (c as CustomerRef).id === 'string',
        );
        setCandidates(await Promise.all(refs.map(async (r) => ({ ...r, name: await data.recordName(r).catch(() => r.id) }))));
      } else setCandidates([]);
      if (sections.history && conv._swb_customerid_value) setHistory(await data.earlierConversations(conv._swb_customerid_value, conversationId, props.historyCount));
      else setHistory([]);
    } catch {
      setFailed(true);
    }
  }, [conversationId, data, sections.history, props.historyCount]);

  // The form opens while routing and the plugin steps are still writing (an offer accepted a
  // moment ago, a transfer): re-read often until the conversation is assigned, then now and then
  // so a transfer or wrap-up shows without reloading the form.
  const settled = Boolean(row?.swb_firstassignedon) || row?.swb_state === ConversationState.Closed;
  // With push, a change of this conversation (assignment, transfer, wrap-up) is read when told.
  usePushedPolling(props.push, load, settled ? SETTLED_POLL_MS : UNSETTLED_POLL_MS, Boolean(conversationId), (e) => e.kind === 'conversation' && e.conversationId === conversationId?.toLowerCase());

  const dateFmt = React.useMemo(() => new Intl.DateTimeFormat(props.locale, { dateStyle: 'medium', timeStyle: 'short' }), [props.locale]);

  let content: React.ReactNode;
  if (!conversationId) content = <Caption1 className={s.muted}>{t('NoConversation')}</Caption1>;
  else if (failed) content = <Caption1 role="alert" className={s.error}>{t('Load_Failed')}</Caption1>;
  else if (!row) content = <Spinner size="tiny" label={t('Loading')} />;
  else {
    const customerTable = (row[`_swb_customerid_value${LOOKUP_TABLE}`] as string | undefined) ?? 'contact';
    const label = customerLabel(row, questions);
    const customerName = label.source === 'record' ? label.name : (row.swb_customername ?? row._swb_customerid_value ?? '');
    const choose = async (c: Candidate) => {
      setChoosing(true);
      setRefused('');
      try {
        await data.chooseCustomer(conversationId, c);
        await load();
      } catch (error) {
        setRefused(refusalText(error, t('Choose_Failed'), t('Refused_NoAccess')));
      } finally {
        setChoosing(false);
      }
    };

    const customer = row._swb_customerid_value ? (
      <Link onClick={() => props.openRecord(customerTable, row._swb_customerid_value as string)}>{customerName}</Link>
    ) : candidates.length > 0 ? (
      <div>
        <Caption1>{t('Customer_Ambiguous', candidates.length)}</Caption1>
        {refused && (
          <Caption1 role="alert" className={s.error} block>
            {refused}
          </Caption1>
        )}
        <ul className={s.candidates} aria-label={t('Customer_Candidates')}>
          {candidates.map((c) => (
            <li key={c.id} className={s.candidate}>
              <Link onClick={() => props.openRecord(c.table, c.id)}>{c.name}</Link>
              <Caption1 className={s.muted}>{t(`Table_${c.table}`)}</Caption1>
              <Button size="small" disabled={choosing} onClick={() => void choose(c)} aria-label={t('Customer_ChooseAria', c.name)}>
                {t('Customer_Choose')}
              </Button>
            </li>
          ))}
        </ul>
      </div>
    ) : (
      <span>
        <Badge appearance="tint" color="warning">
          {t('Customer_Unidentified')}
        </Badge>{' '}
        {[label.source === 'given' ? label.name : '', row.swb_customerphone].filter(Boolean).join(' · ')}
      </span>
    );

    const queued = row.swb_queuedon ? Date.parse(row.swb_queuedon) : NaN;
    const assigned = row.swb_firstassignedon ? Date.parse(row.swb_firstassignedon) : NaN;
    const now = (props.clock ?? Date.now)();
    const wait = Number.isNaN(queued) ? '' : Number.isNaN(assigned) ? t('Wait_Ongoing', formatDuration(now - queued)) : formatDuration(assigned - queued);
    const channel = row.swb_channeltype != null ? t(`Channel_${String(nameOf(ChannelType, row.swb_channeltype))}`) : '';
    const lookupName = (col: string) => (row[`${col}${FORMATTED}`] as string | undefined) ?? '';
    const known = knownText(t);
    const preChat = labelled(preChatRows(parseJsonObject(row.swb_prechatanswers), questions, props.locale, known));
    const context = labelled(contextRows(parseJsonObject(row.swb_context), known));

    content = (
      <>
        {sections.sentiment && isAlarming(row.swb_sentiment) && <SentimentAlert sentiment={row.swb_sentiment!} t={t} />}
        {sections.customer && (
          <Section title={t('Section_Customer')}>
            <div data-testid="summary-customer">{customer}</div>
          </Section>
        )}
        {sections.routing && (
          <Section title={t('Section_Routing')}>
            <Pairs
              rows={(
                [
                  [t('Field_Channel'), channel],
                  [t('Field_Queue'), lookupName('_swb_queueid_value')],
                  [t('Field_Workstream'), lookupName('_swb_workstreamid_value')],
                  [t('Field_Wait'), wait],
                ] as [string, string][]
              ).map(([k, v]): [string, React.ReactNode] => [k, v || <span className={s.muted}>{t('None')}</span>])}
              empty=""
            />
          </Section>
        )}
        {sections.preChat && (
          <Section title={t('Section_PreChat')}>
            <Pairs rows={preChat} empty={t('PreChat_None')} testId="summary-prechat" />
          </Section>
        )}
        {sections.context && (
          <Section title={t('Section_Context')}>
            <Pairs rows={context} empty={t('Context_None')} testId="summary-context" />
          </Section>
        )}
        {sections.sentiment && (
          <Section title={t('Section_Sentiment')}>
            <SentimentView sentiment={row.swb_sentiment} trend={row.swb_sentimenttrend} t={t} />
          </Section>
        )}
        {sections.history && (
          <Section title={t('Section_History')}>
            {!history ? (
              <Spinner size="tiny" label={t('Loading')} />
            ) : history.length === 0 ? (
              <Caption1 className={s.muted}>{t('History_None')}</Caption1>
            ) : (
              <ul className={s.history}>
                {history.map((h) => {
                  const when = h.swb_openedon ?? h.createdon;
                  return (
                    <li key={h.activityid}>
                      <Link onClick={() => props.openRecord('swb_conversation', h.activityid)}>{h.subject || t('History_Untitled')}</Link>{' '}
                      <Caption1 className={s.muted}>
                        {when ? dateFmt.format(new Date(when)) : ''}
                        {h.swb_state === ConversationState.Closed ? '' : ` · ${t('History_Open')}`}
                      </Caption1>
                    </li>
                  );
                })}
              </ul>
            )}
          </Section>
        )}
      </>
    );
  }

  return (
    <ControlShell theme={props.theme} errorText={t('Control_Error')}>
      <div className={s.root} data-testid="conversation-summary">
        {content}
      </div>
    </ControlShell>
  );
}
