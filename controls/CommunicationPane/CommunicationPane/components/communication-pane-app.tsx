import * as React from 'react';
import { Button, Caption1, makeStyles, tokens, useId, type Theme } from '@fluentui/react-components';
import {
  ControlShell,
  LiveRegion,
  VirtualList,
  composeModeOf,
  consultCandidates,
  mergeMessages,
  newArrivals,
  paneTemplateData,
  participationOf,
  pollFrom,
  refusalText,
  sessionMayHaveChanged,
  templatesFor,
  usePolling,
  pollIntervalMs,
  useCoalesced,
  usePush,
  ChannelType,
  ConversationState,
  type AgentPush,
  type ConversationRow,
  type MessageRow,
  type Participation,
  type SessionRow,
  type SwitchboardData,
  type TemplateRow,
  type Translate,
} from '../../../shared/src';
import { ActionsBar, type PaneActions } from './actions-bar';
import { ComposeBox } from './compose-box';
import { MessageBubble, announcementOf } from './message-bubble';

export type PaneData = Pick<
  SwitchboardData,
  | 'currentUserId'
  | 'conversation'
  | 'messagesFrom'
  | 'sendMessage'
  | 'sentSequence'
  | 'myLatestSession'
  | 'participants'
  | 'templates'
  | 'queues'
  | 'queueMembers'
  | 'agentStatuses'
  | 'userNames'
  | 'consult'
  | 'transferToQueue'
  | 'transferToAgent'
  | 'endConversation'
  | 'closeConversation'
>;

export interface CommunicationPaneAppProps {
  data: PaneData;
  conversationId: string | undefined;
  pollSeconds: number;
  /** Live updates: messages, state changes and the customer typing arrive at once; polling slows right down. */
  push?: AgentPush;
  height: number;
  t: Translate;
  locale: string;
  userName: string;
  theme?: Theme;
}

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', backgroundColor: tokens.colorNeutralBackground2, border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, overflow: 'hidden' },
  transcript: { flexGrow: 1, minHeight: 0, outlineOffset: '-2px' },
  empty: { padding: tokens.spacingHorizontalL, color: tokens.colorNeutralForeground3, textAlign: 'center' },
  strip: {
    display: 'flex',
    alignItems: 'flex-start',
    columnGap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    fontSize: tokens.fontSizeBase200,
    lineHeight: tokens.lineHeightBase200,
  },
  stripText: { flexGrow: 1, minWidth: 0, overflowWrap: 'anywhere' },
  error: { backgroundColor: tokens.colorPaletteRedBackground1, color: tokens.colorPaletteRedForeground1, borderBottomColor: tokens.colorPaletteRedBorder1 },
  info: { backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground2 },
  gone: { backgroundColor: tokens.colorPaletteMarigoldBackground1, color: tokens.colorNeutralForeground1 },
  dismiss: { flexShrink: 0, whiteSpace: 'nowrap' },
  typing: { paddingInline: tokens.spacingHorizontalM, paddingBlock: tokens.spacingVerticalXXS, color: tokens.colorNeutralForeground3, fontStyle: 'italic' },
});

const messageKey = (m: MessageRow) => m.swb_sequence;

/** The sentence under the toolbar saying where the agent stands, when it is not simply "primary". */
function standingText(p: Participation, t: Translate): string {
  switch (p.kind) {
    case 'consult':
      return `${p.primaryName ? t('Notice_Consult', p.primaryName) : t('Notice_ConsultUnnamed')} ${t('Action_PrimaryOnly')}`;
    case 'transferred':
      return `${p.toName ? t('Notice_Transferred', p.toName) : t('Notice_TransferredUnnamed')} ${t('Notice_ReadOnly')}`;
    case 'requeued':
      return `${p.queueName ? t('Notice_Requeued', p.queueName) : t('Notice_RequeuedUnnamed')} ${t('Notice_ReadOnly')}`;
    case 'left':
      return `${t('Notice_Left')} ${t('Notice_ReadOnly')}`;
    case 'observer':
      return t('Notice_Observer');
    default:
      return '';
  }
}

export function CommunicationPaneApp(props: CommunicationPaneAppProps): React.ReactElement {
  const { data, conversationId, t } = props;
  const s = useStyles();
  const me = data.currentUserId;
  const [conversation, setConversation] = React.useState<ConversationRow>();
  const [session, setSession] = React.useState<SessionRow>();
  const [messages, setMessages] = React.useState<MessageRow[]>([]);
  const [templates, setTemplates] = React.useState<TemplateRow[]>([]);
  const [loadError, setLoadError] = React.useState('');
  // A refused action stays on screen until the agent dismisses it or acts again: the next poll
  // succeeding says nothing about the action that failed.
  const [actionError, setActionError] = React.useState('');
  const [announcement, setAnnouncement] = React.useState('');
  const messagesRef = React.useRef(messages);
  messagesRef.current = messages;
  const conversationRef = React.useRef<ConversationRow>();
  const sessionRef = React.useRef<SessionRow>();
  const loaded = React.useRef(false);
  const standingId = useId('swb-pane-standing');

  const time = React.useMemo(() => {
    const fmt = new Intl.DateTimeFormat(props.locale, { hour: '2-digit', minute: '2-digit' });
    return (iso: string | null | undefined) => (iso ? fmt.format(new Date(iso)) : '');
  }, [props.locale]);

  /** `recheck`: read the agent's session again whatever moved (after a refusal: the server knows better). */
  const refresh = React.useCallback(async (recheck = false) => {
    if (!conversationId) return;
    try {
      const first = !loaded.current;
      const [row, batch, tpls] = await Promise.all([
        data.conversation(conversationId),
        data.messagesFrom(conversationId, pollFrom(messagesRef.current)),
        first ? data.templates().catch(() => []) : Promise.resolve(undefined),
      ]);
      // The session row is read when the pane opens and again whenever the conversation's primary
      // agent or state moves (a transfer, an end): that is when it may have been closed.
      const before = conversationRef.current;
      const reread = recheck || first || sessionMayHaveChanged(before, row) || participationOf(row, sessionRef.current, me).kind === 'joining';
      const mine = reread ? await data.myLatestSession(conversationId) : sessionRef.current;
      if (before && participationOf(before, sessionRef.current, me).kind === 'primary') {
        const now = participationOf(row, mine, me);
        if (now.kind !== 'primary' && now.kind !== 'joining') setAnnouncement(standingText(now, t));
      }
      conversationRef.current = row;
      sessionRef.current = mine;
      setConversation(row);
      setSession(mine);
      if (tpls) setTemplates(tpls);
      const previous = messagesRef.current;
      const merged = mergeMessages(previous, batch);
      if (merged !== previous) {
        messagesRef.current = merged;
        setMessages(merged);
        // After a refresh the whole transcript loads at once: that is not news to announce.
        const fresh = first ? [] : newArrivals(previous, merged).filter((m) => m._swb_authoragentid_value?.toLowerCase() !== me);
        if (fresh.length) setAnnouncement(announcementOf(fresh, me, t));
      }
      loaded.current = true;
      setLoadError('');
    } catch {
      setLoadError(t('Load_Failed'));
    }
  }, [conversationId, data, me, t]);

  const poll = React.useCallback(() => refresh(), [refresh]);
  const soon = useCoalesced(poll);
  const [customerTyping, setCustomerTyping] = React.useState(false);
  const typingTimer = React.useRef<ReturnType<typeof setTimeout>>();
  React.useEffect(() => () => clearTimeout(typingTimer.current), []);
  const pushState = usePush(
    props.push,
    (e) => {
      if (!('conversationId' in e) || !conversationId || e.conversationId !== conversationId.toLowerCase()) return;
      if (e.kind === 'typing') {
        if (e.by !== 'customer') return;
        // Shown for 6 s after the last signal (the widget sends one every 3 s while typing).
        setCustomerTyping(true);
        clearTimeout(typingTimer.current);
        typingTimer.current = setTimeout(() => setCustomerTyping(false), 6000);
        return;
      }
      // A message this pane already has (its own, or an event repeated) costs no read.
      if (e.kind === 'message' && e.sequence !== undefined && e.sequence <= (messagesRef.current.at(-1)?.swb_sequence ?? 0)) return;
      if (e.kind === 'message') setCustomerTyping(false);
      void soon();
    },
    () => void soon(),
  );
  // A closed conversation changes no more (a reopen is pushed): no polling it.
  const closed = conversation?.swb_state === ConversationState.Closed;
  usePolling(poll, pollIntervalMs(pushState, props.pollSeconds * 1000), Boolean(conversationId) && !(closed && pushState === 'connected'));

  // The customer of a chat sees that their agent is typing: at most one signal every 3 s, only
  // from the primary agent, only for a reply (a note is nobody's business on the other side).
  const lastTyping = React.useRef(0);
  const onTyping = React.useCallback(
    (internal: boolean) => {
      if (internal || !conversationId || !props.push || conversation?.swb_channeltype !== ChannelType.LiveChat) return;
      if (conversation?._swb_primaryagentid_value?.toLowerCase() !== me) return;
      const now = Date.now();
      if (now - lastTyping.current < 3000) return;
      if (props.push.sendEvent('typing', { conversationId: conversationId.toLowerCase() })) lastTyping.current = now;
    },
    [conversation?.swb_channeltype, conversation?._swb_primaryagentid_value, conversationId, me, props.push],
  );

  const participation: Participation = conversation ? participationOf(conversation, session, me) : { kind: 'joining' };
  const isPrimary = participation.kind === 'primary';
  const mode = composeModeOf(participation, conversation?.swb_state);
  const standing = standingText(participation, t);

  const actions = React.useMemo<PaneActions>(() => {
    const id = conversationId ?? '';
    // Available members of the queue with capacity left, never me. A consult also skips whoever
    // is already in the conversation; a transfer does not: handing over to the agent you just
    // consulted is the usual way a transfer goes.
    const candidates = async (skipParticipants: boolean) => {
      const queueId = conversation?._swb_queueid_value;
      if (!queueId) return [];
      const [members, inConversation] = await Promise.all([data.queueMembers(queueId), skipParticipants ? data.participants(id) : Promise.resolve([])]);
      const [statuses, names] = await Promise.all([data.agentStatuses(members), data.userNames(members)]);
      return consultCandidates(members, statuses, names, [me, ...inConversation]);
    };
    // Every action ends with a fresh read, so the pane shows what is true now; a refused one
    // also re-reads the agent's session, which may be why it was refused.
    const thenRefresh = async (work: Promise<void>) => {
      try {
        await work;
      } catch (error) {
        void refresh(true);
        throw error;
      }
      await refresh();
    };
    return {
      loadConsultCandidates: () => candidates(true),
      loadTransferCandidates: () => candidates(false),
      loadQueues: async () => (await data.queues()).filter((q) => q.id.toLowerCase() !== conversation?._swb_queueid_value?.toLowerCase()),
      consult: (agentId) => thenRefresh(data.consult(id, agentId)),
      transferToQueue: (queueId) => thenRefresh(data.transferToQueue(id, queueId)),
      transferToAgent: (agentId) => thenRefresh(data.transferToAgent(id, agentId)),
      end: () => thenRefresh(data.endConversation(id)),
      close: () => thenRefresh(data.closeConversation(id)),
    };
  }, [conversationId, conversation?._swb_queueid_value, data, me, refresh]);

  /** Resolves to '' when stored, else the sentence saying why not. */
  const onSend = async (text: string, internal: boolean): Promise<string> => {
    if (!conversationId) return t('Send_Failed');
    setActionError('');
    try {
      await data.sendMessage(conversationId, text, internal, messages.reduce((n, m) => Math.max(n, m.swb_sequence ?? 0), 0));
      // A reply is told to the customer now, over this desk's connection (the app checks that the
      // sender is the primary agent); the push-relay step would tell them one async job later.
      if (!internal) props.push?.sendEvent('sent', { conversationId: conversationId.toLowerCase(), sequence: data.sentSequence(conversationId) });
      setAnnouncement(internal ? t('Announce_NoteAdded') : t('Announce_Sent'));
      await refresh();
      return '';
    } catch (error) {
      // The composer shows it as an alert, which speaks for itself.
      void refresh(true);
      return refusalText(error, t('Send_Failed'), t('Refused_NoAccess'));
    }
  };

  const customerName = conversation?.swb_customername ?? (conversation?.['_swb_customerid_value@OData.Community.Display.V1.FormattedValue'] as string | undefined);
  const templateData = paneTemplateData(customerName, props.userName, conversation?.['_swb_queueid_value@OData.Community.Display.V1.FormattedValue'] as string | undefined);
  const offered = React.useMemo(() => templatesFor(templates, conversation?.swb_channeltype, props.locale), [templates, conversation?.swb_channeltype, props.locale]);

  const renderItem = React.useCallback((m: MessageRow) => <MessageBubble message={m} me={me} t={t} time={time} />, [me, t, time]);

  if (!conversationId) {
    return (
      <ControlShell theme={props.theme} errorText={t('Control_Error')}>
        <Caption1 className={s.empty}>{t('NoConversation')}</Caption1>
      </ControlShell>
    );
  }

  const gone = participation.kind === 'transferred' || participation.kind === 'requeued' || participation.kind === 'left' || participation.kind === 'observer';
  return (
    <ControlShell theme={props.theme} errorText={t('Control_Error')}>
      <div className={s.root} style={{ height: props.height }} data-testid="communication-pane" data-standing={participation.kind} data-push={pushState ?? 'none'}>
        <ActionsBar
          t={t}
          state={conversation?.swb_state}
          isPrimary={isPrimary}
          reasonId={standing ? standingId : undefined}
          actions={actions}
          onStart={() => setActionError('')}
          onDone={setAnnouncement}
          onError={(error) => setActionError(refusalText(error, t('Action_Failed'), t('Refused_NoAccess')))}
        />
        {standing && (
          <div id={standingId} className={`${s.strip} ${gone ? s.gone : s.info}`} role={gone ? 'status' : undefined} data-testid="pane-standing">
            <span className={s.stripText}>{standing}</span>
          </div>
        )}
        {/* Not Fluent's MessageBar: it needs ResizeObserver, which some hosts (and jsdom) lack. */}
        {actionError && (
          <div role="alert" className={`${s.strip} ${s.error}`}>
            <span className={s.stripText}>{actionError}</span>
            <Button size="small" appearance="transparent" className={s.dismiss} onClick={() => setActionError('')}>
              {t('Dismiss')}
            </Button>
          </div>
        )}
        {loadError && (
          <div role="alert" className={`${s.strip} ${s.error}`}>
            <span className={s.stripText}>{loadError}</span>
          </div>
        )}
        {messages.length === 0 && loaded.current ? <Caption1 className={s.empty}>{t('Transcript_Empty')}</Caption1> : null}
        <VirtualList items={messages} itemKey={messageKey} renderItem={renderItem} estimateHeight={76} stickToBottom ariaLabel={t('Transcript_Label')} className={s.transcript} />
        {customerTyping && (
          <Caption1 className={s.typing} aria-live="polite" data-testid="pane-typing">
            {t('Typing_Customer')}
          </Caption1>
        )}
        <ComposeBox t={t} mode={mode} consulting={participation.kind === 'consult'} templates={offered} templateData={templateData} onSend={onSend} onTyping={onTyping} />
        <LiveRegion message={announcement} />
      </div>
    </ControlShell>
  );
}
