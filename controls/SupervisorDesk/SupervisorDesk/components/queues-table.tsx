import * as React from 'react';
import { Caption1, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { Translate } from '../../../shared/src';
import type { QueueFigures } from '../logic/floor';
import type { Formats } from '../logic/format';

const useStyles = makeStyles({
  wrap: { overflowX: 'auto' },
  table: { borderCollapse: 'collapse', width: '100%', fontVariantNumeric: 'tabular-nums', fontSize: tokens.fontSizeBase200 },
  th: { textAlign: 'right', fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2, padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, whiteSpace: 'nowrap' },
  td: { textAlign: 'right', padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`, whiteSpace: 'nowrap' },
  name: { textAlign: 'left' },
  alert: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
});

export interface QueuesTableProps {
  queues: readonly QueueFigures[];
  now: number;
  t: Translate;
  f: Formats;
}

/** One row per supervised queue: what waits now, how today went. */
export function QueuesTable({ queues, now, t, f }: QueuesTableProps): React.ReactElement {
  const s = useStyles();
  if (queues.length === 0) return <Caption1 className={s.muted}>{t('NoQueues')}</Caption1>;
  const head = ['Queue_Name', 'Queue_Waiting', 'Queue_LongestWait', 'Queue_Answered', 'Queue_Asa', 'Queue_Sl20', 'Queue_Sl60', 'Queue_Abandoned', 'Queue_AbandonRate', 'Queue_Available'];
  return (
    <div className={s.wrap}>
      <table className={s.table} data-testid="queues-table">
        <thead>
          <tr>
            {head.map((k, i) => (
              <th key={k} scope="col" className={mergeClasses(s.th, i === 0 && s.name)}>
                {t(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => (
            <tr key={q.id} data-queue={q.name}>
              <th scope="row" className={mergeClasses(s.td, s.name)}>
                {q.name}
              </th>
              <td className={mergeClasses(s.td, q.waiting > 0 && s.alert)} data-figure="waiting">{q.waiting}</td>
              <td className={s.td} data-figure="longest">{f.duration(q.longestWaitSince === null ? null : now - q.longestWaitSince)}</td>
              <td className={s.td} data-figure="answered">{q.answered}</td>
              <td className={s.td} data-figure="asa">{f.duration(q.averageSpeedToAnswerMs)}</td>
              <td className={s.td} data-figure="sl20">{f.percent(q.serviceLevel20s)}</td>
              <td className={s.td} data-figure="sl60">{f.percent(q.serviceLevel60s)}</td>
              <td className={s.td} data-figure="abandoned">{q.abandoned}</td>
              <td className={s.td} data-figure="abandonRate">{f.percent(q.abandonRate)}</td>
              <td className={mergeClasses(s.td, q.agentsAvailable === 0 && q.waiting > 0 && s.alert)} data-figure="available">
                {t('Queue_AvailableOf', q.agentsAvailable, q.members)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
