import * as React from 'react';
import {
  Badge,
  Button,
  Caption1,
  Card,
  Field,
  PresenceBadge,
  Select,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
  useId,
  type PresenceBadgeStatus,
  type Theme,
} from '@fluentui/react-components';
import { PRESENCE_BASES, presenceBaseOf, presenceChoiceOf, type PresenceBase } from '@switchboard/core';
import {
  ControlShell,
  ConversationState,
  LiveRegion,
  automaticPresence,
  customerLabel,
  formatDuration,
  presenceReason,
  refusalText,
  useNow,
  usePushedPolling,
  type AgentPush,
  type AgentStatusRow,
  type ConversationRow,
  type OfferRow,
  type PreChatQuestion,
  type SwitchboardData,
  type Translate,
} from '../../../shared/src';
import { needsQuestions, offerView, type OfferView } from './offer-view';

export type InboxData = Pick<
  SwitchboardData,
  'myAgentStatus' | 'setPresence' | 'useAutomaticPresence' | 'myPendingOffers' | 'answerOffer' | 'myOpenConversations' | 'myConsultConversations' | 'conversationsByIds' | 'preChatQuestions'
>;

export interface AgentInboxAppProps {
  data: InboxData;
  pollSeconds: number;
  /** Live updates: offers, presence and conversation changes arrive at once, and polling slows right down. */
  push?: AgentPush;
  openConversation: (id: string) => void;
  t: Translate;
  theme?: Theme;
  clock?: () => number;
}

// Fluent's badge for each base presence; stored values become names through core's one table.
const PRESENCE_BADGE: Record<PresenceBase, PresenceBadgeStatus> = {
  Available: 'available',
  Busy: 'busy',
  DoNotDisturb: 'do-not-disturb',
  Away: 'away',
  Offline: 'offline',
};

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL, padding: tokens.spacingHorizontalM },
  presence: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  presenceRow: { display: 'flex', alignItems: 'flex-end', columnGap: tokens.spacingHorizontalS },
  presenceField: { flexGrow: 1, minWidth: 0 },
  reason: { color: tokens.colorNeutralForeground2 },
  section: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  heading: { margin: 0, display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  offer: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXS, borderLeft: `${tokens.strokeWidthThickest} solid ${tokens.colorBrandStroke1}` },
  offerTop: { display: 'flex', alignItems: 'baseline', columnGap: tokens.spacingHorizontalS },
  customer: { flexGrow: 1, minWidth: 0, overflowWrap: 'anywhere' },
  countdown: { flexShrink: 0, fontVariantNumeric: 'tabular-nums', fontWeight: tokens.fontWeightSemibold },
  urgent: { color: tokens.colorPaletteRedForeground1 },
  buttons: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXS, marginTop: tokens.spacingVerticalXS },
  button: { whiteSpace: 'nowrap', flexShrink: 0 },
  // The customer's name on a line of its own: a narrow inbox gives it the whole width.
  item: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXS, paddingBlock: tokens.spacingVerticalXXS, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}` },
  row: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
  spacer: { flexGrow: 1 },
  // A pill keeps its word inside it: it never shrinks, the name beside it does.
  badge: { flexShrink: 0, whiteSpace: 'nowrap' },
  grow: { flexGrow: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  error: { display: 'flex', alignItems: 'flex-start', columnGap: tokens.spacingHorizontalS, color: tokens.colorPaletteRedForeground1, overflowWrap: 'anywhere' },
  errorText: { flexGrow: 1, minWidth: 0 },
});

interface Offered {
  row: ConversationRow;
  questions: PreChatQuestion[];
}

export function AgentInboxApp(props: AgentInboxAppProps): React.ReactElement {
  const { data, t } = props;
  const s = useStyles();
  const now = useNow(1000, props.clock);
  const [status, setStatus] = React.useState<AgentStatusRow | null>();
  const [offers, setOffers] = React.useState<OfferRow[]>([]);
  const [offered, setOffered] = React.useState<ReadonlyMap<string, Offered>>(new Map());
  const [open, setOpen] = React.useState<ConversationRow[]>();
  const [loadError, setLoadError] = React.useState('');
  // A refused answer or presence change stays until dismissed or the next try: the next poll
  // succeeding says nothing about it.
  const [actionError, setActionError] = React.useState('');
  const [announcement, setAnnouncement] = React.useState('');
  const [answering, setAnswering] = React.useState<string>();
  const [consults, setConsults] = React.useState<ConversationRow[]>([]);
  const seenOffers = React.useRef(new Set<string>());
  const seenConsults = React.useRef<Set<string>>();
  // The refresh reads (and announces) from the ref; rendering reads the state.
  const offeredRef = React.useRef<ReadonlyMap<string, Offered>>(offered);
  const offersId = useId('swb-offers');
  const openId = useId('swb-open');
  const reasonId = useId('swb-presence-reason');

  const describe = (o: OfferRow, at: number, known: ReadonlyMap<string, Offered>): OfferView => {
    const c = known.get(o._swb_conversationid_value.toLowerCase());
    return offerView(o, c?.row, c?.questions ?? [], at);
  };

  const refresh = React.useCallback(async () => {
    try {
      const [mine, pending, conversations, consulting] = await Promise.all([data.myAgentStatus(), data.myPendingOffers(), data.myOpenConversations(), data.myConsultConversations()]);
      // The offered conversations are read once each (who, which channel, since when): an offer
      // lasts minutes and none of that changes while it is pending.
      const missing = pending.map((o) => o._swb_conversationid_value.toLowerCase()).filter((id) => !offeredRef.current.has(id));
      if (missing.length) {
        const rows = await data.conversationsByIds(missing).catch(() => []);
        const next = new Map(offeredRef.current);
        for (const row of rows) {
          const questions = needsQuestions(row) ? await data.preChatQuestions(row._swb_chatwidgetid_value!) : [];
          next.set(row.activityid.toLowerCase(), { row, questions });
        }
        offeredRef.current = next;
        setOffered(next);
      }
      setStatus(mine ?? null);
      setOffers(pending);
      setOpen(conversations);
      setConsults(consulting);
      const fresh = pending.filter((o) => !seenOffers.current.has(o.swb_offerid));
      fresh.forEach((o) => seenOffers.current.add(o.swb_offerid));
      // Consults already there when the inbox opens are not news; later invitations are.
      const firstLook = !seenConsults.current;
      const known = (seenConsults.current ??= new Set());
      const invited = consulting.filter((c) => !known.has(c.activityid));
      invited.forEach((c) => known.add(c.activityid));
      if (fresh.length) setAnnouncement(offerSentence(describe(fresh[0]!, Date.now(), offeredRef.current), t));
      else if (invited.length && !firstLook) setAnnouncement(t('Announce_Consult', conversationName(invited[0]!, t)));
      setLoadError('');
    } catch {
      setLoadError(t('Load_Failed'));
    }
  }, [data, t]);

  // An offer, a presence or a conversation of mine changed: read again now (once for a burst).
  const { state: pushState } = usePushedPolling(props.push, refresh, props.pollSeconds * 1000, true, (e) => e.kind === 'offer' || e.kind === 'agent' || e.kind === 'conversation');

  // Presence writes go one after another: two quick clicks (a choice, then "Return to automatic")
  // must reach Dataverse in the order the agent made them, or the earlier one could land last.
  const presenceWrites = React.useRef<Promise<void>>(Promise.resolve());
  const changePresence = (write: () => Promise<void>, next: AgentStatusRow, announce: string) => {
    if (!status) return;
    const previous = status;
    setActionError('');
    setStatus(next);
    presenceWrites.current = presenceWrites.current.then(async () => {
      try {
        await write();
        setAnnouncement(announce);
      } catch (error) {
        setStatus(previous);
        setActionError(refusalText(error, t('Presence_Failed'), t('Refused_NoAccess')));
      }
    });
  };

  const pickPresence = (value: number) => {
    if (!status) return;
    const choice = value as AgentStatusRow['swb_basepresence'];
    changePresence(() => data.setPresence(status.swb_agentstatusid, choice), { ...status, swb_basepresence: choice, swb_manualoverride: true }, t('Announce_Presence', t(`Presence_${String(presenceBaseOf(value))}`)));
  };

  const backToAutomatic = () => {
    if (!status) return;
    const presence = automaticPresence(status);
    changePresence(() => data.useAutomaticPresence(status.swb_agentstatusid, presence), { ...status, swb_basepresence: presenceChoiceOf(presence), swb_manualoverride: false }, t('Announce_Automatic', t(`Presence_${presence}`)));
  };

  const answer = async (offer: OfferRow, accept: boolean) => {
    setAnswering(offer.swb_offerid);
    setActionError('');
    try {
      await data.answerOffer(offer.swb_offerid, accept);
      setOffers((list) => list.filter((o) => o.swb_offerid !== offer.swb_offerid));
      setAnnouncement(accept ? t('Announce_Accepted') : t('Announce_Declined'));
      if (accept) props.openConversation(offer._swb_conversationid_value);
      void refresh();
    } catch (error) {
      setActionError(refusalText(error, t('Offer_Failed'), t('Refused_NoAccess')));
      void refresh();
    } finally {
      setAnswering(undefined);
    }
  };

  const presence = status?.swb_basepresence;
  const reason = status ? presenceReason(status) : undefined;
  return (
    <ControlShell theme={props.theme} errorText={t('Control_Error')}>
      <div className={s.root} data-testid="agent-inbox" data-push={pushState ?? 'none'}>
        {loadError && (
          <Caption1 role="alert" className={s.error}>
            {loadError}
          </Caption1>
        )}
        {actionError && (
          <div role="alert" className={s.error}>
            <Caption1 className={s.errorText}>{actionError}</Caption1>
            <Button size="small" appearance="transparent" className={s.button} onClick={() => setActionError('')}>
              {t('Dismiss')}
            </Button>
          </div>
        )}
        <div className={s.presence}>
          <div className={s.presenceRow}>
            {presence !== undefined && <PresenceBadge status={PRESENCE_BADGE[presenceBaseOf(presence) ?? 'Offline']} size="large" aria-hidden />}
            <Field className={s.presenceField} label={t('Presence_Label')} hint={status === null ? t('Presence_NotSetUp') : undefined}>
              <Select value={presence !== undefined ? String(presence) : ''} disabled={!status} aria-describedby={reason ? reasonId : undefined} onChange={(_e, d) => pickPresence(Number(d.value))}>
                {presence === undefined && <option value="">{t('Loading')}</option>}
                {PRESENCE_BASES.map((k) => (
                  <option key={k} value={String(presenceChoiceOf(k))}>
                    {t(`Presence_${k}`)}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          {reason && (
            <Caption1 id={reasonId} className={s.reason} data-testid="presence-reason">
              {reasonText(reason, t)}
            </Caption1>
          )}
          {reason?.kind === 'manual' && (
            <Button size="small" appearance="secondary" className={s.button} style={{ alignSelf: 'flex-start' }} onClick={backToAutomatic}>
              {t('Presence_BackToAutomatic')}
            </Button>
          )}
        </div>

        <section className={s.section} aria-labelledby={offersId}>
          <Subtitle2 as="h3" id={offersId} className={s.heading}>
            {t('Offers_Title')}
            {offers.length > 0 && (
              <Badge appearance="filled" color="brand" className={s.badge} aria-label={t('Offers_Count', offers.length)}>
                {offers.length}
              </Badge>
            )}
          </Subtitle2>
          {offers.length === 0 ? (
            <Caption1 className={s.muted}>{t('Offers_None')}</Caption1>
          ) : (
            <ul className={s.list}>
              {offers.map((o) => (
                <OfferCard key={o.swb_offerid} view={describe(o, now, offered)} t={t} busy={answering === o.swb_offerid} onAnswer={(accept) => void answer(o, accept)} />
              ))}
            </ul>
          )}
        </section>

        <section className={s.section} aria-labelledby={openId}>
          <Subtitle2 as="h3" id={openId} className={s.heading}>
            {t('Open_Title')}
          </Subtitle2>
          {!open ? (
            <Caption1 className={s.muted}>{t('Loading')}</Caption1>
          ) : open.length + consults.length === 0 ? (
            <Caption1 className={s.muted}>{t('Open_None')}</Caption1>
          ) : (
            <ul className={s.list}>
              {[...open.map((c) => ({ c, consult: false })), ...consults.filter((c) => !open.some((o) => o.activityid === c.activityid)).map((c) => ({ c, consult: true }))].map(({ c, consult }) => {
                const name = conversationName(c, t);
                return (
                  <li key={c.activityid} className={s.item}>
                    <Text className={s.grow} title={name}>
                      {name}
                    </Text>
                    <div className={s.row}>
                      <Badge className={s.badge} appearance="tint" color={consult ? 'informative' : c.swb_state === ConversationState.WrapUp ? 'warning' : 'success'}>
                        {consult ? t('State_Consult') : c.swb_state === ConversationState.WrapUp ? t('State_WrapUp') : t('State_Active')}
                      </Badge>
                      <span className={s.spacer} />
                      <Button size="small" className={s.button} onClick={() => props.openConversation(c.activityid)} aria-label={t('Open_ResumeAria', name)}>
                        {t('Open_Resume')}
                      </Button>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
        <LiveRegion message={announcement} />
      </div>
    </ControlShell>
  );
}

interface OfferCardProps {
  view: OfferView;
  t: Translate;
  busy: boolean;
  onAnswer: (accept: boolean) => void;
}

function OfferCard({ view, t, busy, onAnswer }: OfferCardProps): React.ReactElement {
  const s = useStyles();
  const nameId = useId('swb-offer-name');
  const detailsId = useId('swb-offer-details');
  const name = view.customer.name || t('Offer_Untitled');
  const expired = view.leftMs === 0;
  const channel = view.channel ? t(`Channel_${view.channel}`) : '';
  return (
    <li>
      <Card className={s.offer} role="group" aria-labelledby={nameId} aria-describedby={detailsId}>
        <div className={s.offerTop}>
          <Text weight="semibold" id={nameId} className={s.customer}>
            {name}
          </Text>
          {view.leftMs !== null && (
            <span role="timer" aria-label={expired ? t('Offer_Expired') : t('Offer_TimeLeft', formatDuration(view.leftMs))} className={`${s.countdown} ${view.leftMs < 10_000 ? s.urgent : ''}`}>
              {expired ? t('Offer_Expired') : formatDuration(view.leftMs)}
            </span>
          )}
        </div>
        <div id={detailsId}>
          <Caption1 className={s.muted} data-testid="offer-where">
            {[channel, view.queue].filter(Boolean).join(' · ')}
          </Caption1>
          <br />
          <Caption1 className={s.muted} data-testid="offer-waited">
            {view.waitedMs !== null ? t('Offer_Waited', formatDuration(view.waitedMs)) : ''}
            {view.customer.source === 'given' || view.customer.source === 'phone' ? ` · ${t('Offer_NotIdentified')}` : ''}
          </Caption1>
        </div>
        <div className={s.buttons}>
          <Button size="small" className={s.button} appearance="primary" disabled={expired || busy} onClick={() => onAnswer(true)} aria-label={t('Offer_AcceptAria', name)}>
            {t('Offer_Accept')}
          </Button>
          <Button size="small" className={s.button} disabled={expired || busy} onClick={() => onAnswer(false)} aria-label={t('Offer_DeclineAria', name)}>
            {t('Offer_Decline')}
          </Button>
        </div>
      </Card>
    </li>
  );
}

function reasonText(reason: NonNullable<ReturnType<typeof presenceReason>>, t: Translate): string {
  const name = t(`Presence_${reason.presence}`);
  if (reason.kind === 'manual') return t('PresenceWhy_Manual', name);
  if (reason.kind === 'automatic') return t('PresenceWhy_Automatic', name);
  return t(`PresenceWhy_${reason.presence}`, reason.used, reason.max);
}

function offerSentence(view: OfferView, t: Translate): string {
  const who = view.customer.name || t('Offer_Untitled');
  const where = [view.channel ? t(`Channel_${view.channel}`) : '', view.queue].filter(Boolean).join(', ');
  return where ? t('Announce_Offer', `${who} (${where})`) : t('Announce_Offer', who);
}

function conversationName(c: ConversationRow, t: Translate): string {
  return customerLabel(c).name || c.subject || t('Open_Untitled');
}
