import * as React from 'react';
import { Caption1, Text, makeStyles, tokens } from '@fluentui/react-components';
import { formatElapsed } from '@switchboard/core';
import { ControlShell, timerFromRows, useNow, usePushedPolling, type AgentPush, type ConversationRow, type SessionRow, type SwitchboardData, type Translate } from '../../../shared/src';
import type { Theme } from '@fluentui/react-components';

export interface SessionTimerAppProps {
  data: Pick<SwitchboardData, 'conversation' | 'myLatestSession'>;
  conversationId: string | undefined;
  refreshSeconds: number;
  /** Live updates: a state change or transfer restarts the timer at once; polling slows right down. */
  push?: AgentPush;
  t: Translate;
  theme?: Theme;
  clock?: () => number;
}

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'baseline', columnGap: tokens.spacingHorizontalS, padding: tokens.spacingVerticalXS, whiteSpace: 'nowrap' },
  time: { fontVariantNumeric: 'tabular-nums', fontWeight: tokens.fontWeightSemibold },
  wrapup: { color: tokens.colorPaletteMarigoldForeground2 },
  left: { color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export function SessionTimerApp(props: SessionTimerAppProps): React.ReactElement {
  const { data, conversationId, t } = props;
  const styles = useStyles();
  const [rows, setRows] = React.useState<{ row: ConversationRow; session: SessionRow | undefined }>();
  const [failed, setFailed] = React.useState(false);
  const now = useNow(1000, props.clock);

  usePushedPolling(
    props.push,
    async () => {
      if (!conversationId) return;
      try {
        const [row, session] = await Promise.all([data.conversation(conversationId), data.myLatestSession(conversationId)]);
        setRows({ row, session });
        setFailed(false);
      } catch {
        setFailed(true);
      }
    },
    props.refreshSeconds * 1000,
    Boolean(conversationId),
    // The timer restarts on a state change or a transfer: both are conversation events.
    (e) => e.kind === 'conversation' && e.conversationId === conversationId?.toLowerCase(),
  );

  let body: React.ReactNode;
  if (!conversationId) body = <Caption1>{t('Timer_NoConversation')}</Caption1>;
  else if (failed && !rows) body = <Caption1 className={styles.error}>{t('Timer_LoadError')}</Caption1>;
  else if (!rows) body = <Caption1>{t('Timer_Loading')}</Caption1>;
  else {
    const reading = timerFromRows(rows.row, rows.session, now);
    const phase = t(`Phase_${reading.phase}`);
    const shown = formatElapsed(reading.elapsedMs);
    body = (
      // role=timer is not live by default: a screen reader is not interrupted every second.
      <div role="timer" aria-label={t('Timer_AriaLabel', phase, shown)} className={styles.root}>
        <Caption1 className={reading.phase === 'wrapUp' ? styles.wrapup : reading.phase === 'left' ? styles.left : undefined}>{phase}</Caption1>
        <Text size={500} className={styles.time} data-testid="timer-value">
          {shown}
        </Text>
      </div>
    );
  }
  return <ControlShell theme={props.theme} errorText={t('Control_Error')}>{body}</ControlShell>;
}
