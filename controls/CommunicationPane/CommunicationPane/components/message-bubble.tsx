import * as React from 'react';
import { Caption1, makeStyles, mergeClasses, shorthands, tokens } from '@fluentui/react-components';
import { AuthorKind, DeliveryStatus, FORMATTED, MessageDirection, Visibility, nameOf, deliveryFailureOf, type MessageRow, type Translate } from '../../../shared/src';

const useStyles = makeStyles({
  row: { display: 'flex', paddingBlock: tokens.spacingVerticalXS, paddingInline: tokens.spacingHorizontalM },
  inbound: { justifyContent: 'flex-start' },
  outbound: { justifyContent: 'flex-end' },
  center: { justifyContent: 'center' },
  bubble: {
    maxWidth: '78%',
    ...shorthands.borderRadius(tokens.borderRadiusLarge),
    paddingBlock: tokens.spacingVerticalS,
    paddingInline: tokens.spacingHorizontalM,
    boxShadow: tokens.shadow2,
  },
  customer: { backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1 },
  agent: { backgroundColor: tokens.colorBrandBackground2, color: tokens.colorNeutralForeground1 },
  bot: { backgroundColor: tokens.colorPaletteLavenderBackground2, color: tokens.colorNeutralForeground1 },
  system: { backgroundColor: 'transparent', boxShadow: 'none', color: tokens.colorNeutralForeground3, fontStyle: 'italic', textAlign: 'center' },
  // Internal notes must never be mistaken for something the customer saw.
  internal: {
    backgroundColor: tokens.colorPaletteYellowBackground1,
    ...shorthands.border(tokens.strokeWidthThin, 'dashed', tokens.colorPaletteMarigoldBorder2),
    boxShadow: 'none',
  },
  meta: { display: 'flex', columnGap: tokens.spacingHorizontalS, alignItems: 'baseline', marginBottom: tokens.spacingVerticalXXS, color: tokens.colorNeutralForeground3 },
  author: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  noteTag: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorPaletteMarigoldForeground2, textTransform: 'uppercase', letterSpacing: '0.04em' },
  body: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0, fontFamily: tokens.fontFamilyBase, fontSize: tokens.fontSizeBase300, lineHeight: tokens.lineHeightBase300 },
  status: { display: 'block', textAlign: 'end', marginTop: tokens.spacingVerticalXXS, color: tokens.colorNeutralForeground3 },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

export interface MessageBubbleProps {
  message: MessageRow;
  me: string;
  t: Translate;
  time: (iso: string | null | undefined) => string;
}

export function authorLabel(m: MessageRow, me: string, t: Translate): string {
  if (m.swb_authorkind === AuthorKind.Agent && m._swb_authoragentid_value?.toLowerCase() === me) return t('Author_You');
  const kind = String(nameOf(AuthorKind, m.swb_authorkind) ?? 'System');
  // Another agent's message names them (the lookup's display name), not just "Agent".
  const agent = m.swb_authorkind === AuthorKind.Agent ? ((m as MessageRow & Record<string, unknown>)[`_swb_authoragentid_value${FORMATTED}`] as string | undefined) : undefined;
  return m.swb_authorname || agent || t(`Author_${kind}`);
}

/**
 * What the live region says for messages that just arrived: who wrote what, as a sentence, with
 * an internal note said to be one and an automated line not attributed to a person.
 */
export function announcementOf(fresh: readonly MessageRow[], me: string, t: Translate): string {
  const last = fresh[fresh.length - 1];
  if (!last) return '';
  const text = (last.swb_body ?? '').slice(0, 160);
  const who = authorLabel(last, me, t);
  const sentence =
    last.swb_authorkind === AuthorKind.System
      ? t('Announce_System', text)
      : last.swb_visibility === Visibility.Internal
        ? t('Announce_Note', who, text)
        : t('Announce_NewMessage', who, text);
  return fresh.length === 1 ? sentence : t('Announce_NewMessages', fresh.length, sentence);
}

/** The delivery word, and for a text that was not delivered, why (in the agent's words when the reason is known). */
function deliveryLabel(m: MessageRow, status: string, t: Translate): string {
  if (m.swb_deliverystatus !== DeliveryStatus.Failed) return t(`Delivery_${status}`);
  const why = deliveryFailureOf(m.swb_error);
  if (!why) return t('Delivery_Failed');
  return 'key' in why ? t(why.key) : `${t('Delivery_Failed')}: ${why.text}`;
}

function MessageBubbleImpl({ message: m, me, t, time }: MessageBubbleProps): React.ReactElement {
  const s = useStyles();
  const internal = m.swb_visibility === Visibility.Internal;
  const system = m.swb_authorkind === AuthorKind.System;
  const outbound = m.swb_direction === MessageDirection.Outbound;
  const kindClass = system ? s.system : m.swb_authorkind === AuthorKind.Bot ? s.bot : m.swb_authorkind === AuthorKind.Agent ? s.agent : s.customer;
  const status = !internal && outbound && m.swb_deliverystatus != null ? String(nameOf(DeliveryStatus, m.swb_deliverystatus) ?? '') : '';
  const author = authorLabel(m, me, t);
  return (
    <div className={mergeClasses(s.row, system ? s.center : outbound ? s.outbound : s.inbound)}>
      <div
        className={mergeClasses(s.bubble, kindClass, internal && s.internal)}
        data-kind={String(nameOf(AuthorKind, m.swb_authorkind))}
        data-internal={internal ? 'true' : undefined}
        aria-label={internal ? t('Message_InternalAria', author) : undefined}
      >
        <div className={s.meta}>
          {internal && <Caption1 className={s.noteTag}>{t('Message_InternalTag')}</Caption1>}
          <Caption1 className={s.author}>{author}</Caption1>
          <Caption1>
            <time dateTime={m.createdon ?? undefined}>{time(m.createdon)}</time>
          </Caption1>
        </div>
        {/* Text node only: a message body is never interpreted as HTML. */}
        <p className={s.body}>{m.swb_body ?? ''}</p>
        {status && (
          <Caption1 className={mergeClasses(s.status, m.swb_deliverystatus === DeliveryStatus.Failed && s.failed)} title={m.swb_error ?? undefined} data-testid="delivery-status">
            {deliveryLabel(m, status, t)}
          </Caption1>
        )}
      </div>
    </div>
  );
}

export const MessageBubble = React.memo(MessageBubbleImpl);
