// Incoming, answered and abandoned per period, as plain SVG: three lines need no chart library
// (uPlot, Chart.js and Recharts added 52–443 KiB to the bundle, measured: see the README), and
// SVG takes the host theme's colours from Fluent's CSS variables. Each period carries a tooltip
// with its three figures; the same figures are in the breakdown table by period, for keyboards
// and screen readers.
import * as React from 'react';
import { makeStyles, tokens } from '@fluentui/react-components';
import type { Measures } from '@switchboard/core';
import type { Translate } from '../../../shared/src';
import type { Formats } from '../logic/format';
import type { Grain } from '../logic/range';

const HEIGHT = 220;
const MARGIN = { top: 10, right: 12, bottom: 26, left: 44 };

export const SERIES = [
  { key: 'incoming', label: 'Series_Incoming', color: tokens.colorBrandForeground1, dash: undefined },
  { key: 'answered', label: 'Series_Answered', color: tokens.colorPaletteGreenForeground1, dash: undefined },
  { key: 'abandoned', label: 'Series_Abandoned', color: tokens.colorPaletteRedForeground1, dash: '5 3' },
] as const;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS, minWidth: 0 },
  svg: { display: 'block', width: '100%', overflow: 'visible' },
  axis: { fill: tokens.colorNeutralForeground3, fontSize: '11px', fontFamily: tokens.fontFamilyBase },
  grid: { stroke: tokens.colorNeutralStroke2, strokeWidth: 1 },
  legend: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXXS, margin: 0, padding: 0, listStyleType: 'none', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  key: { display: 'inline-flex', alignItems: 'center', columnGap: tokens.spacingHorizontalXS },
  hover: { fill: 'transparent', ':hover': { fill: tokens.colorNeutralBackground1Hover, opacity: 0.6 } },
});

/** A round axis maximum (1, 2, 5 × 10ⁿ steps) at or above max, with 4 steps. */
export function niceScale(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 4, step: 1 };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude);
  const wholeStep = Math.max(1, Math.ceil(step));
  return { top: wholeStep * Math.ceil(max / wholeStep), step: wholeStep };
}

function useWidth(fallback: number): [React.RefObject<HTMLDivElement>, number] {
  const ref = React.useRef<HTMLDivElement>(null);
  const [width, setWidth] = React.useState(fallback);
  React.useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = () => {
      if (el.clientWidth > 0) setWidth(el.clientWidth);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export interface TrendChartProps {
  series: readonly { period: number; measures: Measures }[];
  grain: Grain;
  t: Translate;
  f: Formats;
}

export function TrendChart({ series, grain, t, f }: TrendChartProps): React.ReactElement {
  const s = useStyles();
  const [ref, width] = useWidth(720);
  const plotW = Math.max(100, width - MARGIN.left - MARGIN.right);
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const n = Math.max(1, series.length);
  const band = plotW / n;
  const max = series.reduce((m, p) => Math.max(m, p.measures.incoming, p.measures.answered, p.measures.abandoned), 0);
  const { top, step } = niceScale(max);
  const x = (i: number) => MARGIN.left + (i + 0.5) * band;
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  // As many period labels as fit, about one per 64 px.
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(plotW / 64))));
  const totals = series.reduce((a, p) => ({ incoming: a.incoming + p.measures.incoming, answered: a.answered + p.measures.answered, abandoned: a.abandoned + p.measures.abandoned }), { incoming: 0, answered: 0, abandoned: 0 });
  const summary = t('Chart_Summary', t(`Grain_${grain}`), f.count(totals.incoming), f.count(totals.answered), f.count(totals.abandoned));
  return (
    <div className={s.root} ref={ref} data-testid="insights-trend">
      <svg className={s.svg} width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-label={summary}>
        {ticks.map((v) => (
          <g key={v}>
            <line className={s.grid} x1={MARGIN.left} x2={MARGIN.left + plotW} y1={y(v)} y2={y(v)} />
            <text className={s.axis} x={MARGIN.left - 6} y={y(v)} dy="0.32em" textAnchor="end">
              {f.count(v)}
            </text>
          </g>
        ))}
        {series.map((p, i) =>
          i % every === 0 ? (
            <text key={p.period} className={s.axis} x={x(i)} y={HEIGHT - 8} textAnchor="middle">
              {f.period(p.period, grain)}
            </text>
          ) : null,
        )}
        {SERIES.map((line) => (
          <g key={line.key} style={{ stroke: line.color, fill: line.color }} data-series={line.key}>
            <polyline fill="none" strokeWidth={2} strokeDasharray={line.dash} strokeLinejoin="round" points={series.map((p, i) => `${x(i)},${y(p.measures[line.key])}`).join(' ')} />
            {n <= 48 && series.map((p, i) => <circle key={p.period} cx={x(i)} cy={y(p.measures[line.key])} r={2.5} stroke="none" />)}
          </g>
        ))}
        {series.map((p, i) => (
          <rect key={p.period} className={s.hover} x={MARGIN.left + i * band} y={MARGIN.top} width={band} height={plotH} data-period={new Date(p.period).toISOString()}>
            <title>{t('Chart_Point', f.periodLong(p.period, grain), f.count(p.measures.incoming), f.count(p.measures.answered), f.count(p.measures.abandoned))}</title>
          </rect>
        ))}
      </svg>
      <ul className={s.legend} aria-hidden="true">
        {SERIES.map((line) => (
          <li key={line.key} className={s.key}>
            <svg width="18" height="8" aria-hidden="true">
              <line x1="0" x2="18" y1="4" y2="4" style={{ stroke: line.color }} strokeWidth={2} strokeDasharray={line.dash} />
            </svg>
            {t(line.label)}
          </li>
        ))}
      </ul>
    </div>
  );
}
