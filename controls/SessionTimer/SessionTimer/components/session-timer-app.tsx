import * as React from 'react';
import { Caption1, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ControlShell, elapsedMs, formatDuration, readTimer, useNow, usePolling, type SwitchboardData, type TimerReading, type Translate } from '../../../shared/src';
import type { Theme } from '@fluentui/react-components';

export interface SessionTimerAppProps {
  data: Pick<SwitchboardData, 'conversation' | 'mySession'>;
  conversationId: string | undefined;
  refreshSeconds: number;
  t: Translate;
  theme?: Theme;
  clock?: () => number;
}

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'baseline', columnGap: tokens.spacingHorizontalS, padding: tokens.spacingVerticalXS },
  time: { fontVariantNumeric: 'tabular-nums', fontWeight: tokens.fontWeightSemibold },
  wrapup: { color: tokens.colorPaletteMarigoldForeground2 },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export function SessionTimerApp(props: SessionTimerAppProps): React.ReactElement {
  const { data, conversationId, t } = props;
  const styles = useStyles();
  const [reading, setReading] = React.useState<TimerReading | undefined>();
  const [failed, setFailed] = React.useState(false);
  const now = useNow(1000, props.clock);

  usePolling(
    async () => {
      if (!conversationId) return;
      try {
        const [row, session] = await Promise.all([data.conversation(conversationId), data.mySession(conversationId)]);
        setReading(
          readTimer({
            state: row.swb_state,
            openedOn: row.swb_openedon ?? row.createdon,
            activeOn: row.swb_activeon,
            joinedOn: session?.swb_joinedon,
            wrapUpOn: session?.swb_wrapupon ?? row.swb_wrapupon,
            closedOn: row.swb_closedon,
            reopenedOn: row.swb_reopenedon,
          }),
        );
        setFailed(false);
      } catch {
        setFailed(true);
      }
    },
    props.refreshSeconds * 1000,
    Boolean(conversationId),
  );

  let body: React.ReactNode;
  if (!conversationId) body = <Caption1>{t('Timer_NoConversation')}</Caption1>;
  else if (failed && !reading) body = <Caption1 className={styles.error}>{t('Timer_LoadError')}</Caption1>;
  else if (!reading) body = <Caption1>{t('Timer_Loading')}</Caption1>;
  else {
    const phase = t(`Phase_${reading.phase}`);
    const shown = formatDuration(elapsedMs(reading, now));
    body = (
      // role=timer is not live by default: a screen reader is not interrupted every second.
      <div role="timer" aria-label={t('Timer_AriaLabel', phase, shown)} className={styles.root}>
        <Caption1 className={reading.phase === 'wrapup' ? styles.wrapup : undefined}>{phase}</Caption1>
        <Text size={500} className={styles.time} data-testid="timer-value">
          {shown}
        </Text>
      </div>
    );
  }
  return <ControlShell theme={props.theme}>{body}</ControlShell>;
}
