import * as React from 'react';
import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { Translate } from '../../../shared/src';
import type { Figures } from '../logic/aggregate';
import type { Formats } from '../logic/format';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: tokens.spacingHorizontalS, margin: 0, padding: 0 },
  tile: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
  },
  label: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, margin: 0 },
  value: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightBase500, fontVariantNumeric: 'tabular-nums', margin: 0 },
  hint: { color: tokens.colorNeutralForeground3 },
});

export interface KpiTilesProps {
  figures: Figures;
  t: Translate;
  f: Formats;
}

interface Tile {
  kpi: string;
  label: string;
  value: string;
  hint?: string;
}

/** The headline figures of the view, derived from its sums (core's derive). */
export function KpiTiles({ figures, t, f }: KpiTilesProps): React.ReactElement {
  const s = useStyles();
  const { measures: m, derived: d } = figures;
  const tiles: Tile[] = [
    { kpi: 'incoming', label: t('Kpi_Incoming'), value: f.count(m.incoming) },
    { kpi: 'answered', label: t('Kpi_Answered'), value: f.count(m.answered) },
    { kpi: 'abandoned', label: t('Kpi_Abandoned'), value: f.count(m.abandoned) },
    { kpi: 'abandonRate', label: t('Kpi_AbandonRate'), value: f.percent(d.abandonRate), hint: t('Kpi_AbandonRate_Hint') },
    { kpi: 'asa', label: t('Kpi_Asa'), value: f.duration(d.averageSpeedToAnswerMs), hint: t('Kpi_Asa_Hint') },
    { kpi: 'serviceLevel', label: t('Kpi_ServiceLevel'), value: f.percent(d.serviceLevel20s), hint: t('Kpi_ServiceLevel_Hint', f.percent(d.serviceLevel60s)) },
    { kpi: 'aht', label: t('Kpi_Aht'), value: f.duration(d.averageHandleMs), hint: t('Kpi_Aht_Hint') },
    { kpi: 'wrapUp', label: t('Kpi_WrapUp'), value: f.duration(d.averageWrapUpMs) },
    { kpi: 'transferRate', label: t('Kpi_TransferRate'), value: f.percent(d.transferRate), hint: t('Kpi_TransferRate_Hint', f.count(m.transfers)) },
    { kpi: 'consults', label: t('Kpi_Consults'), value: f.count(m.consults) },
    { kpi: 'declines', label: t('Kpi_Declines'), value: f.count(m.declines) },
    { kpi: 'timeouts', label: t('Kpi_Timeouts'), value: f.count(m.timeouts) },
    { kpi: 'survey', label: t('Kpi_Survey'), value: f.rating(d.surveyAverage), hint: t('Kpi_Survey_Hint', f.count(m.surveys)) },
  ];
  return (
    <dl className={s.grid} data-testid="insights-kpis">
      {tiles.map((tile) => (
        <div key={tile.kpi} className={s.tile} data-kpi={tile.kpi}>
          <dt className={s.label}>{tile.label}</dt>
          <dd className={s.value} data-value>
            {tile.value}
          </dd>
          {tile.hint && (
            <dd style={{ margin: 0 }}>
              <Caption1 className={s.hint}>{tile.hint}</Caption1>
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}
