import * as React from 'react';
import { Badge, Button, Caption1, Input, PresenceBadge, Select, makeStyles, mergeClasses, tokens, type PresenceBadgeStatus } from '@fluentui/react-components';
import { PRESENCE_BASES, presenceBaseOf, presenceChoiceOf, type PresenceBase } from '@switchboard/core';
import { VirtualList, type Translate } from '../../../shared/src';
import type { AgentFigures } from '../logic/floor';
import { DASH, type Formats } from '../logic/format';

const GRID = 'minmax(140px,1.4fr) minmax(190px,1.3fr) minmax(70px,0.6fr) minmax(150px,1.3fr) 90px 90px minmax(120px,1.2fr) 100px';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS, minWidth: 0, flexGrow: 1 },
  search: { maxWidth: '360px' },
  header: {
    display: 'grid', gridTemplateColumns: GRID, columnGap: tokens.spacingHorizontalS, padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase200,
  },
  row: {
    display: 'grid', gridTemplateColumns: GRID, columnGap: tokens.spacingHorizontalS, alignItems: 'center', minHeight: '44px',
    padding: `0 ${tokens.spacingHorizontalS}`, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`, fontSize: tokens.fontSizeBase200,
  },
  cell: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  presence: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalXS },
  number: { fontVariantNumeric: 'tabular-nums', textAlign: 'right' },
  chips: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalXXS, rowGap: tokens.spacingVerticalXXS },
  muted: { color: tokens.colorNeutralForeground3 },
  full: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  list: { height: '100%' },
});

export const PRESENCE_BADGE: Record<PresenceBase, PresenceBadgeStatus> = {
  Available: 'available',
  Busy: 'busy',
  DoNotDisturb: 'do-not-disturb',
  Away: 'away',
  Offline: 'offline',
};

export interface AgentsListProps {
  agents: readonly AgentFigures[];
  queueNames: ReadonlyMap<string, string>;
  now: number;
  t: Translate;
  f: Formats;
  height: number;
  busy: ReadonlySet<string>;
  onPresence: (agent: AgentFigures, presence: number) => void;
  onSignOut: (agent: AgentFigures) => void;
}

const agentKey = (a: AgentFigures) => a.id;

/** Every agent of the supervisor's queues, alphabetically, however many: the list is virtualised. */
export function AgentsList(props: AgentsListProps): React.ReactElement {
  const { t } = props;
  const s = useStyles();
  const [text, setText] = React.useState('');
  const needle = text.trim().toLocaleLowerCase();
  const shown = React.useMemo(() => (needle ? props.agents.filter((a) => a.name.toLocaleLowerCase().includes(needle)) : props.agents), [props.agents, needle]);
  const renderRow = (a: AgentFigures) => <AgentRowView agent={a} {...props} busy={props.busy.has(a.id)} />;
  return (
    <div className={s.root}>
      <Input className={s.search} type="search" value={text} placeholder={t('Agents_Search')} aria-label={t('Agents_Search')} onChange={(_e, d) => setText(d.value)} />
      <div className={s.header} role="presentation">
        <span>{t('Agent_Name')}</span>
        <span>{t('Agent_Presence')}</span>
        <span>{t('Agent_Since')}</span>
        <span>{t('Agent_Capacity')}</span>
        <span className={s.number}>{t('Agent_Held')}</span>
        <span className={s.number}>{t('Agent_Offers')}</span>
        <span>{t('Agent_Queues')}</span>
        <span />
      </div>
      {shown.length === 0 ? (
        <Caption1 className={s.muted}>{t('None_Agents')}</Caption1>
      ) : (
        <VirtualList items={shown} itemKey={agentKey} renderItem={renderRow} estimateHeight={45} overscan={200} ariaLabel={t('Tab_AgentsAria')} className={s.list} style={{ height: props.height }} fallbackViewport={props.height} />
      )}
    </div>
  );
}

function AgentRowView(props: Omit<AgentsListProps, 'busy' | 'agents'> & { agent: AgentFigures; busy: boolean }): React.ReactElement {
  const { agent: a, t, f, now } = props;
  const s = useStyles();
  const base = presenceBaseOf(a.presence);
  const since = a.presenceSince === null ? null : now - a.presenceSince;
  return (
    <div className={s.row} data-agent={a.id}>
      <span className={s.cell} title={a.name}>
        {a.name}
      </span>
      <span className={s.presence}>
        {base && <PresenceBadge status={a.signedOut ? 'offline' : PRESENCE_BADGE[base]} size="small" aria-hidden />}
        {a.statusId === null ? (
          <span className={s.muted}>{t('Agent_NoStatus')}</span>
        ) : (
          <Select size="small" value={a.presence === null ? '' : String(a.presence)} disabled={props.busy} aria-label={t('Agent_SetPresence', a.name)} onChange={(_e, d) => props.onPresence(a, Number(d.value))}>
            {PRESENCE_BASES.map((k) => (
              <option key={k} value={String(presenceChoiceOf(k))}>
                {t(`Presence_${k}`)}
              </option>
            ))}
          </Select>
        )}
        {a.signedOut && <Caption1 className={s.muted}>{t('Agent_SignedOut')}</Caption1>}
      </span>
      <span className={mergeClasses(s.cell, s.number)} title={a.presenceSince === null ? undefined : t('Agent_SinceAt', f.clock(a.presenceSince))}>
        {f.duration(since)}
      </span>
      <span className={s.chips}>
        <Caption1 className={a.full ? s.full : undefined}>{a.statusId === null ? DASH : t('Agent_Units', a.usedUnits, a.maxUnits)}</Caption1>
        {a.profiles.map((p) => (
          <Badge key={p.id} appearance="tint" size="small" color={p.used >= p.max ? 'danger' : 'brand'}>
            {t('Agent_Profile', p.name, p.used, p.max)}
          </Badge>
        ))}
      </span>
      <span className={mergeClasses(s.cell, s.number)}>{a.held}</span>
      <span className={mergeClasses(s.cell, s.number, a.offers > 0 && s.full)}>{a.offers}</span>
      <span className={s.cell} title={a.queues.map((q) => props.queueNames.get(q) ?? q).join(', ')}>
        {a.queues.map((q) => props.queueNames.get(q) ?? q).join(', ')}
      </span>
      <span>
        <Button size="small" disabled={props.busy || a.statusId === null || a.signedOut} onClick={() => props.onSignOut(a)} aria-label={t('Agent_SignOutAria', a.name)}>
          {t('Agent_SignOut')}
        </Button>
      </span>
    </div>
  );
}
