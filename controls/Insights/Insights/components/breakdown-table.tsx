import * as React from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { Translate } from '../../../shared/src';
import type { BreakdownRow, Dimension } from '../logic/aggregate';
import type { Formats } from '../logic/format';

const useStyles = makeStyles({
  wrap: { overflowX: 'auto', maxHeight: '420px', overflowY: 'auto' },
  table: { borderCollapse: 'collapse', width: '100%', fontVariantNumeric: 'tabular-nums', fontSize: tokens.fontSizeBase200 },
  th: {
    textAlign: 'right',
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground2,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    whiteSpace: 'nowrap',
    position: 'sticky',
    top: 0,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  td: { textAlign: 'right', padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`, whiteSpace: 'nowrap' },
  name: { textAlign: 'left', fontWeight: tokens.fontWeightRegular },
});

export interface BreakdownTableProps {
  rows: readonly BreakdownRow[];
  by: Dimension;
  /** The row's name: a queue's or agent's display name, a channel's label, a period. */
  nameOf: (row: BreakdownRow) => string;
  t: Translate;
  f: Formats;
}

/** The view's figures by queue, agent, channel or period: the sums and what derives from them. */
export function BreakdownTable({ rows, by, nameOf, t, f }: BreakdownTableProps): React.ReactElement | null {
  const s = useStyles();
  // An empty view says so once, above the figures.
  if (rows.length === 0) return null;
  const head = [
    t(`Breakdown_${by}`), t('Col_Incoming'), t('Col_Answered'), t('Col_Abandoned'), t('Col_AbandonRate'), t('Col_Asa'), t('Col_ServiceLevel'),
    t('Col_Aht'), t('Col_WrapUp'), t('Col_TransferRate'), t('Col_Consults'), t('Col_Declines'), t('Col_Timeouts'), t('Col_Survey'),
  ];
  return (
    <div className={s.wrap} tabIndex={0} role="region" aria-label={t('Breakdown_Label', t(`Breakdown_${by}`))}>
      <table className={s.table} data-testid="insights-breakdown">
        <thead>
          <tr>
            {head.map((label, i) => (
              <th key={i} scope="col" className={mergeClasses(s.th, i === 0 && s.name)}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const { measures: m, derived: d } = r;
            return (
              <tr key={String(r.key)} data-key={r.key ?? ''}>
                <th scope="row" className={mergeClasses(s.td, s.name)}>
                  {nameOf(r)}
                </th>
                <td className={s.td} data-figure="incoming">{f.count(m.incoming)}</td>
                <td className={s.td} data-figure="answered">{f.count(m.answered)}</td>
                <td className={s.td} data-figure="abandoned">{f.count(m.abandoned)}</td>
                <td className={s.td} data-figure="abandonRate">{f.percent(d.abandonRate)}</td>
                <td className={s.td} data-figure="asa">{f.duration(d.averageSpeedToAnswerMs)}</td>
                <td className={s.td} data-figure="serviceLevel">{f.percent(d.serviceLevel20s)}</td>
                <td className={s.td} data-figure="aht">{f.duration(d.averageHandleMs)}</td>
                <td className={s.td} data-figure="wrapUp">{f.duration(d.averageWrapUpMs)}</td>
                <td className={s.td} data-figure="transferRate">{f.percent(d.transferRate)}</td>
                <td className={s.td} data-figure="consults">{f.count(m.consults)}</td>
                <td className={s.td} data-figure="declines">{f.count(m.declines)}</td>
                <td className={s.td} data-figure="timeouts">{f.count(m.timeouts)}</td>
                <td className={s.td} data-figure="survey">{f.rating(d.surveyAverage)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
