import * as React from 'react';
import { Caption1, makeStyles, tokens, type Theme } from '@fluentui/react-components';
import {
  ControlShell,
  ConversationState,
  LiveRegion,
  SessionRole,
  VirtualList,
  consultCandidates,
  mergeMessages,
  newArrivals,
  paneTemplateData,
  pollFrom,
  usePolling,
  type ConversationRow,
  type MessageRow,
  type SessionRow,
  type SwitchboardData,
  type TemplateRow,
  type Translate,
} from '../../../shared/src';
import { ActionsBar, type PaneActions } from './actions-bar';
import { ComposeBox } from './compose-box';
import { MessageBubble, authorLabel } from './message-bubble';

export type PaneData = Pick<
  SwitchboardData,
  | 'currentUserId'
  | 'conversation'
  | 'messagesFrom'
  | 'sendMessage'
  | 'mySession'
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
  error: {
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorPaletteRedBackground1,
    color: tokens.colorPaletteRedForeground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorPaletteRedBorder1}`,
    fontSize: tokens.fontSizeBase200,
  },
});

const messageKey = (m: MessageRow) => m.swb_sequence;

export function CommunicationPaneApp(props: CommunicationPaneAppProps): React.ReactElement {
  const { data, conversationId, t } = props;
  const s = useStyles();
  const me = data.currentUserId;
  const [conversation, setConversation] = React.useState<ConversationRow>();
  const [session, setSession] = React.useState<SessionRow>();
  const [messages, setMessages] = React.useState<MessageRow[]>([]);
  const [templates, setTemplates] = React.useState<TemplateRow[]>([]);
  const [error, setError] = React.useState('');
  const [announcement, setAnnouncement] = React.useState('');
  const messagesRef = React.useRef(messages);
  messagesRef.current = messages;
  const loaded = React.useRef(false);

  const time = React.useMemo(() => {
    const fmt = new Intl.DateTimeFormat(props.locale, { hour: '2-digit', minute: '2-digit' });
    return (iso: string | null | undefined) => (iso ? fmt.format(new Date(iso)) : '');
  }, [props.locale]);

  const refresh = React.useCallback(async () => {
    if (!conversationId) return;
    try {
      const first = !loaded.current;
      const [row, batch, mine, tpls] = await Promise.all([
        data.conversation(conversationId),
        data.messagesFrom(conversationId, pollFrom(messagesRef.current)),
        first ? data.mySession(conversationId) : Promise.resolve(undefined),
        first ? data.templates().catch(() => []) : Promise.resolve(undefined),
      ]);
      setConversation(row);
      if (mine) setSession(mine);
      if (tpls) setTemplates(tpls);
      const before = messagesRef.current;
      const merged = mergeMessages(before, batch);
      if (merged !== before) {
        messagesRef.current = merged;
        setMessages(merged);
        // After a refresh the whole transcript loads at once: that is not news to announce.
        const fresh = first ? [] : newArrivals(before, merged).filter((m) => m._swb_authoragentid_value?.toLowerCase() !== me);
        if (fresh.length) {
          const last = fresh[fresh.length - 1];
          const text = (last.swb_body ?? '').slice(0, 160);
          setAnnouncement(fresh.length === 1 ? t('Announce_NewMessage', authorLabel(last, me, t), text) : t('Announce_NewMessages', fresh.length, authorLabel(last, me, t), text));
        }
      }
      loaded.current = true;
      setError('');
    } catch {
      setError(t('Load_Failed'));
    }
  }, [conversationId, data, me, t]);

  usePolling(refresh, props.pollSeconds * 1000, Boolean(conversationId));

  // The conversation's primary agent is the authority (it is re-read on every poll, so a
  // transfer away takes the actions from the sender at once); the session, read once, only
  // speaks while the row has no primary agent yet.
  const primaryAgent = conversation?._swb_primaryagentid_value?.toLowerCase();
  const isPrimary = Boolean(conversation && (primaryAgent ? primaryAgent === me : session?.swb_role === SessionRole.Primary));

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
    return {
      loadConsultCandidates: () => candidates(true),
      loadTransferCandidates: () => candidates(false),
      loadQueues: async () => (await data.queues()).filter((q) => q.id.toLowerCase() !== conversation?._swb_queueid_value?.toLowerCase()),
      consult: (agentId) => data.consult(id, agentId),
      transferToQueue: (queueId) => data.transferToQueue(id, queueId),
      transferToAgent: (agentId) => data.transferToAgent(id, agentId),
      end: async () => {
        await data.endConversation(id);
        await refresh();
      },
      close: async () => {
        await data.closeConversation(id);
        await refresh();
      },
    };
  }, [conversationId, conversation?._swb_queueid_value, data, me, refresh]);

  const onSend = async (text: string, internal: boolean): Promise<boolean> => {
    if (!conversationId) return false;
    try {
      await data.sendMessage(conversationId, text, internal);
      setAnnouncement(internal ? t('Announce_NoteAdded') : t('Announce_Sent'));
      await refresh();
      return true;
    } catch {
      setError(t('Send_Failed'));
      return false;
    }
  };

  const customerName = conversation?.swb_customername ?? (conversation?.['_swb_customerid_value@OData.Community.Display.V1.FormattedValue'] as string | undefined);
  const templateData = paneTemplateData(customerName, props.userName, conversation?.['_swb_queueid_value@OData.Community.Display.V1.FormattedValue'] as string | undefined);

  const renderItem = React.useCallback((m: MessageRow) => <MessageBubble message={m} me={me} t={t} time={time} />, [me, t, time]);

  if (!conversationId) {
    return (
      <ControlShell theme={props.theme} errorText={t('Control_Error')}>
        <Caption1 className={s.empty}>{t('NoConversation')}</Caption1>
      </ControlShell>
    );
  }

  return (
    <ControlShell theme={props.theme} errorText={t('Control_Error')}>
      <div className={s.root} style={{ height: props.height }} data-testid="communication-pane">
        <ActionsBar t={t} state={conversation?.swb_state} isPrimary={isPrimary} actions={actions} onDone={setAnnouncement} onError={setError} />
        {/* Not Fluent's MessageBar: it needs ResizeObserver, which some hosts (and jsdom) lack. */}
        {error && (
          <div role="alert" className={s.error}>
            {error}
          </div>
        )}
        {messages.length === 0 && loaded.current ? (
          <Caption1 className={s.empty}>{t('Transcript_Empty')}</Caption1>
        ) : null}
        <VirtualList
          items={messages}
          itemKey={messageKey}
          renderItem={renderItem}
          estimateHeight={76}
          stickToBottom
          ariaLabel={t('Transcript_Label')}
          className={s.transcript}
        />
        <ComposeBox
          t={t}
          disabled={!conversation || conversation.swb_state === ConversationState.Closed}
          templates={templates.filter((x) => x.swb_channeltype == null || conversation?.swb_channeltype == null || x.swb_channeltype === conversation.swb_channeltype)}
          templateData={templateData}
          onSend={onSend}
        />
        <LiveRegion message={announcement} />
      </div>
    </ControlShell>
  );
}
