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
  FORMATTED,
  LiveRegion,
  formatDuration,
  useNow,
  usePolling,
  type AgentStatusRow,
  type ConversationRow,
  type OfferRow,
  type SwitchboardData,
  type Translate,
} from '../../../shared/src';

export type InboxData = Pick<SwitchboardData, 'myAgentStatus' | 'setPresence' | 'myPendingOffers' | 'answerOffer' | 'myOpenConversations' | 'myConsultConversations'>;

export interface AgentInboxAppProps {
  data: InboxData;
  pollSeconds: number;
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
  presence: { display: 'flex', alignItems: 'flex-end', columnGap: tokens.spacingHorizontalS },
  section: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  heading: { margin: 0, display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  offer: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS, borderLeft: `${tokens.strokeWidthThickest} solid ${tokens.colorBrandStroke1}` },
  offerTop: { display: 'flex', alignItems: 'baseline', columnGap: tokens.spacingHorizontalS },
  countdown: { marginLeft: 'auto', fontVariantNumeric: 'tabular-nums', fontWeight: tokens.fontWeightSemibold },
  urgent: { color: tokens.colorPaletteRedForeground1 },
  buttons: { display: 'flex', columnGap: tokens.spacingHorizontalS },
  row: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
  grow: { flexGrow: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export function AgentInboxApp(props: AgentInboxAppProps): React.ReactElement {
  const { data, t } = props;
  const s = useStyles();
  const now = useNow(1000, props.clock);
  const [status, setStatus] = React.useState<AgentStatusRow | null>();
  const [offers, setOffers] = React.useState<OfferRow[]>([]);
  const [open, setOpen] = React.useState<ConversationRow[]>();
  const [error, setError] = React.useState('');
  const [announcement, setAnnouncement] = React.useState('');
  const [answering, setAnswering] = React.useState<string>();
  const [consults, setConsults] = React.useState<ConversationRow[]>([]);
  const seenOffers = React.useRef(new Set<string>());
  const seenConsults = React.useRef<Set<string>>();
  const offersId = useId('swb-offers');
  const openId = useId('swb-open');

  const refresh = React.useCallback(async () => {
    try {
      const [mine, pending, conversations, consulting] = await Promise.all([data.myAgentStatus(), data.myPendingOffers(), data.myOpenConversations(), data.myConsultConversations()]);
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
      if (fresh.length) setAnnouncement(t('Announce_Offer', offerTitle(fresh[0], t)));
      else if (invited.length && !firstLook) setAnnouncement(t('Announce_Consult', conversationName(invited[0], t)));
      setError('');
    } catch {
      setError(t('Load_Failed'));
    }
  }, [data, t]);

  usePolling(refresh, props.pollSeconds * 1000);

  const changePresence = async (value: number) => {
    if (!status) return;
    const previous = status;
    setStatus({ ...status, swb_basepresence: value as AgentStatusRow['swb_basepresence'] });
    try {
      await data.setPresence(status.swb_agentstatusid, value as AgentStatusRow['swb_basepresence']);
      setAnnouncement(t('Announce_Presence', t(`Presence_${String(presenceBaseOf(value))}`)));
    } catch {
      setStatus(previous);
      setError(t('Presence_Failed'));
    }
  };

  const answer = async (offer: OfferRow, accept: boolean) => {
    setAnswering(offer.swb_offerid);
    try {
      await data.answerOffer(offer.swb_offerid, accept);
      setOffers((list) => list.filter((o) => o.swb_offerid !== offer.swb_offerid));
      setAnnouncement(accept ? t('Announce_Accepted') : t('Announce_Declined'));
      if (accept) props.openConversation(offer._swb_conversationid_value);
      void refresh();
    } catch {
      setError(t('Offer_Failed'));
    } finally {
      setAnswering(undefined);
    }
  };

  const presence = status?.swb_basepresence;
  return (
    <ControlShell theme={props.theme} errorText={t('Control_Error')}>
      <div className={s.root} data-testid="agent-inbox">
        {error && (
          <Caption1 role="alert" className={s.error}>
            {error}
          </Caption1>
        )}
        <div className={s.presence}>
          {presence !== undefined && <PresenceBadge status={PRESENCE_BADGE[presenceBaseOf(presence) ?? 'Offline']} size="large" aria-hidden />}
          <Field label={t('Presence_Label')} hint={status === null ? t('Presence_NotSetUp') : undefined}>
            <Select value={presence !== undefined ? String(presence) : ''} disabled={!status} onChange={(_e, d) => void changePresence(Number(d.value))}>
              {presence === undefined && <option value="">{t('Loading')}</option>}
              {PRESENCE_BASES.map((k) => (
                <option key={k} value={String(presenceChoiceOf(k))}>
                  {t(`Presence_${k}`)}
                </option>
              ))}
            </Select>
          </Field>
        </div>

        <section className={s.section} aria-labelledby={offersId}>
          <Subtitle2 as="h3" id={offersId} className={s.heading}>
            {t('Offers_Title')}
            {offers.length > 0 && (
              <Badge appearance="filled" color="brand" aria-label={t('Offers_Count', offers.length)}>
                {offers.length}
              </Badge>
            )}
          </Subtitle2>
          {offers.length === 0 ? (
            <Caption1 className={s.muted}>{t('Offers_None')}</Caption1>
          ) : (
            <ul className={s.list}>
              {offers.map((o) => {
                const expires = o.swb_expireson ? Date.parse(o.swb_expireson) : NaN;
                const left = Number.isNaN(expires) ? null : Math.max(0, expires - now);
                const expired = left === 0;
                const title = offerTitle(o, t);
                return (
                  <li key={o.swb_offerid}>
                    <Card className={s.offer} aria-label={title}>
                      <div className={s.offerTop}>
                        <Text weight="semibold">{title}</Text>
                        {left !== null && (
                          <span role="timer" aria-label={expired ? t('Offer_Expired') : t('Offer_TimeLeft', formatDuration(left))} className={`${s.countdown} ${left < 10_000 ? s.urgent : ''}`}>
                            {expired ? t('Offer_Expired') : formatDuration(left)}
                          </span>
                        )}
                      </div>
                      <Caption1 className={s.muted}>{(o[`_swb_queueid_value${FORMATTED}`] as string | undefined) ?? ''}</Caption1>
                      <div className={s.buttons}>
                        <Button appearance="primary" disabled={expired || answering === o.swb_offerid} onClick={() => void answer(o, true)} aria-label={t('Offer_AcceptAria', title)}>
                          {t('Offer_Accept')}
                        </Button>
                        <Button disabled={expired || answering === o.swb_offerid} onClick={() => void answer(o, false)} aria-label={t('Offer_DeclineAria', title)}>
                          {t('Offer_Decline')}
                        </Button>
                      </div>
                    </Card>
                  </li>
                );
              })}
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
                  <li key={c.activityid} className={s.row}>
                    <Badge appearance="tint" color={consult ? 'informative' : c.swb_state === ConversationState.WrapUp ? 'warning' : 'success'}>
                      {consult ? t('State_Consult') : c.swb_state === ConversationState.WrapUp ? t('State_WrapUp') : t('State_Active')}
                    </Badge>
                    <Text className={s.grow}>{name}</Text>
                    <Button size="small" onClick={() => props.openConversation(c.activityid)} aria-label={t('Open_ResumeAria', name)}>
                      {t('Open_Resume')}
                    </Button>
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

function conversationName(c: ConversationRow, t: Translate): string {
  return c.swb_customername || (c[`_swb_customerid_value${FORMATTED}`] as string | undefined) || c.subject || t('Open_Untitled');
}

function offerTitle(o: OfferRow, t: Translate): string {
  return (o[`_swb_conversationid_value${FORMATTED}`] as string | undefined) || t('Offer_Untitled');
}
