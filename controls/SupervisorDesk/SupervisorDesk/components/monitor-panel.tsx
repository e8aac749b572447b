import * as React from 'react';
import { Badge, Button, Caption1, Field, Subtitle2, Text, Textarea, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { AuthorKind, VirtualList, Visibility, mergeMessages, nameOf, pollFrom, usePolling, type MessageRow, type SwitchboardData, type Translate } from '../../../shared/src';
import type { OngoingRow } from '../logic/floor';
import type { Formats } from '../logic/format';
import type { RowAction } from './conversations-list';

const useStyles = makeStyles({
  root: {
    display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalM, minWidth: '320px', width: '380px', flexShrink: 0,
    borderLeft: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground2,
  },
  head: { display: 'flex', alignItems: 'flex-start', columnGap: tokens.spacingHorizontalS },
  title: { flexGrow: 1, margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXS },
  message: { display: 'flex', flexDirection: 'column', padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, margin: `${tokens.spacingVerticalXXS} 0`, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground1 },
  customer: { borderLeft: `${tokens.strokeWidthThickest} solid ${tokens.colorBrandStroke1}` },
  internal: { backgroundColor: tokens.colorPaletteYellowBackground1 },
  system: { fontStyle: 'italic', backgroundColor: 'transparent' },
  meta: { display: 'flex', columnGap: tokens.spacingHorizontalXS, alignItems: 'center' },
  body: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 },
  transcript: { flexGrow: 1, minHeight: '200px' },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export type TranscriptData = Pick<SwitchboardData, 'messagesFrom' | 'sendMessage'>;

const messageKey = (m: MessageRow) => m.swb_sequence;

export interface MonitorPanelProps {
  conversationId: string;
  /** The conversation as the last refresh saw it; null once it is closed or left the supervisor's queues. */
  row: OngoingRow | null;
  customer: string;
  joined: boolean;
  /** Names of the agents of the supervisor's queues, by id: the pane writes only the author's id. */
  names: ReadonlyMap<string, string>;
  transcript: TranscriptData;
  transcriptSeconds: number;
  height: number;
  t: Translate;
  f: Formats;
  onAction: (action: RowAction, row: OngoingRow) => void;
  onClose: () => void;
}

/**
 * The live transcript, read-only: monitoring writes nothing the customer or the agent can see.
 * Once the supervisor joins (a consult), they add internal notes here.
 */
export function MonitorPanel(props: MonitorPanelProps): React.ReactElement {
  const { t, f, row } = props;
  const s = useStyles();
  const [messages, setMessages] = React.useState<MessageRow[]>([]);
  const [error, setError] = React.useState('');
  const [note, setNote] = React.useState('');
  const [sending, setSending] = React.useState(false);
  const latest = React.useRef(messages);
  latest.current = messages;

  React.useEffect(() => setMessages([]), [props.conversationId]);

  const poll = React.useCallback(async () => {
    try {
      const rows = await props.transcript.messagesFrom(props.conversationId, pollFrom(latest.current));
      setMessages((m) => mergeMessages(m, rows));
      setError('');
    } catch {
      setError(t('Load_Failed'));
    }
  }, [props.transcript, props.conversationId, t]);
  usePolling(poll, props.transcriptSeconds * 1000);

  const send = async () => {
    const body = note.trim();
    if (!body) return;
    setSending(true);
    try {
      await props.transcript.sendMessage(props.conversationId, body, true);
      setNote('');
      void poll();
    } catch (e) {
      setError(t('Action_Failed', (e as Error).message ?? ''));
    } finally {
      setSending(false);
    }
  };

  const author = (m: MessageRow) => {
    if (m.swb_authorkind === AuthorKind.Customer) return m.swb_authorname || props.customer || t('Author_Customer');
    const byId = m._swb_authoragentid_value ? props.names.get(m._swb_authoragentid_value.toLowerCase()) : undefined;
    return m.swb_authorname || byId || t(`Author_${String(nameOf(AuthorKind, m.swb_authorkind) ?? 'System')}`);
  };

  return (
    <aside className={s.root} aria-label={t('Monitor_Title', props.customer)} data-testid="monitor-panel">
      <div className={s.head}>
        <Subtitle2 as="h3" className={s.title}>
          {t('Monitor_Title', props.customer)}
        </Subtitle2>
        <Button size="small" appearance="subtle" onClick={props.onClose}>
          {t('Monitor_Close')}
        </Button>
      </div>
      <Caption1 className={s.muted}>{props.joined ? t('Monitor_Joined') : t('Monitor_Silent')}</Caption1>
      {row ? (
        <div className={s.actions}>
          {!props.joined && (
            <Button size="small" disabled={row.state !== 'active'} onClick={() => props.onAction('join', row)}>
              {t('Action_Join')}
            </Button>
          )}
          {row.state === 'waiting' && (
            <Button size="small" onClick={() => props.onAction('assign', row)}>
              {t('Action_Assign')}
            </Button>
          )}
          {row.state === 'active' && (
            <Button size="small" onClick={() => props.onAction('transfer', row)}>
              {t('Action_Transfer')}
            </Button>
          )}
          <Button size="small" onClick={() => props.onAction('close', row)}>
            {t('Action_ForceClose')}
          </Button>
        </div>
      ) : (
        <Caption1 className={s.muted}>{t('Monitor_Over')}</Caption1>
      )}
      {error && (
        <Caption1 role="alert" className={s.error}>
          {error}
        </Caption1>
      )}
      {messages.length === 0 ? (
        <Caption1 className={s.muted}>{t('Monitor_Empty')}</Caption1>
      ) : (
        <VirtualList
          items={messages}
          itemKey={messageKey}
          stickToBottom
          estimateHeight={56}
          ariaLabel={t('Monitor_TranscriptAria', props.customer)}
          className={s.transcript}
          style={{ height: Math.max(200, props.height - (props.joined ? 260 : 160)) }}
          fallbackViewport={props.height}
          renderItem={(m) => {
            const internal = m.swb_visibility === Visibility.Internal;
            const system = m.swb_authorkind === AuthorKind.System;
            return (
              <div className={mergeClasses(s.message, m.swb_authorkind === AuthorKind.Customer && s.customer, internal && s.internal, system && s.system)} data-internal={internal ? 'true' : undefined}>
                <span className={s.meta}>
                  {internal && (
                    <Badge size="small" appearance="tint" color="warning">
                      {t('Internal_Tag')}
                    </Badge>
                  )}
                  <Caption1>
                    <strong>{author(m)}</strong> · {f.clock(m.createdon ? Date.parse(m.createdon) : null)}
                  </Caption1>
                </span>
                <Text as="p" className={s.body}>
                  {m.swb_body ?? ''}
                </Text>
              </div>
            );
          }}
        />
      )}
      {props.joined && row && (
        <Field label={t('Note_Label')}>
          <Textarea value={note} resize="vertical" onChange={(_e, d) => setNote(d.value)} onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void send();
            }
          }} />
        </Field>
      )}
      {props.joined && row && (
        <Button appearance="primary" disabled={sending || !note.trim()} onClick={() => void send()}>
          {t('Note_Send')}
        </Button>
      )}
    </aside>
  );
}
