import * as React from 'react';
import { Badge, Caption1, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { SENTIMENT_LEVELS, parseSentimentTrend, type SentimentLevel } from '@switchboard/core';
import { Sentiment, nameOf, type Translate } from '../../../shared/src';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  spark: { display: 'block', overflow: 'visible' },
  line: { fill: 'none', stroke: tokens.colorNeutralForeground2, strokeWidth: '1.5px', strokeLinejoin: 'round', strokeLinecap: 'round' },
  neutral: { stroke: tokens.colorNeutralStroke2, strokeWidth: '1px', strokeDasharray: '2 2' },
  bad: { fill: tokens.colorPaletteRedForeground1 },
  meh: { fill: tokens.colorNeutralForeground3 },
  good: { fill: tokens.colorPaletteGreenForeground1 },
});

type Color = 'danger' | 'warning' | 'informative' | 'success';

/** The badge colour of each level: the two the agent is alerted on in red. */
const COLOR: Readonly<Record<string, Color>> = {
  VeryNegative: 'danger',
  Negative: 'danger',
  SlightlyNegative: 'warning',
  Neutral: 'informative',
  SlightlyPositive: 'success',
  Positive: 'success',
  VeryPositive: 'success',
};

/** The resource key part of a level: core's `veryNegative` is the choice `VeryNegative`. */
const keyOf = (level: SentimentLevel): string => level.charAt(0).toUpperCase() + level.slice(1);

/** Negative or very negative: the agent sees the alert. */
export function isAlarming(sentiment: number | null | undefined): boolean {
  return sentiment != null && sentiment <= Sentiment.Negative;
}

const WIDTH = 120;
const HEIGHT = 28;
const PAD = 3;

/** The recent levels as a small line, positive up; its label says where it went. */
function Sparkline(props: { levels: SentimentLevel[]; label: string }): React.ReactElement {
  const s = useStyles();
  const n = props.levels.length;
  const top = SENTIMENT_LEVELS.length - 1;
  const x = (i: number) => PAD + (i * (WIDTH - 2 * PAD)) / Math.max(1, n - 1);
  const y = (level: SentimentLevel) => PAD + ((top - SENTIMENT_LEVELS.indexOf(level)) * (HEIGHT - 2 * PAD)) / top;
  const last = props.levels[n - 1]!;
  const dot = SENTIMENT_LEVELS.indexOf(last) < SENTIMENT_LEVELS.indexOf('neutral') - 1 ? s.bad : last === 'slightlyNegative' || last === 'neutral' ? s.meh : s.good;
  return (
    <svg className={s.spark} width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.label} data-testid="summary-sentiment-trend">
      <title>{props.label}</title>
      <line className={s.neutral} x1={PAD} x2={WIDTH - PAD} y1={y('neutral')} y2={y('neutral')} />
      <polyline className={s.line} points={props.levels.map((l, i) => `${x(i).toFixed(1)},${y(l).toFixed(1)}`).join(' ')} />
      <circle className={dot} cx={x(n - 1)} cy={y(last)} r={3} />
    </svg>
  );
}

/** The conversation's level (seven-point scale) and, once there are two points, its trend. */
export function SentimentView(props: { sentiment: number | null | undefined; trend: string | null | undefined; t: Translate }): React.ReactElement {
  const { t } = props;
  const s = useStyles();
  const name = props.sentiment != null ? nameOf(Sentiment, props.sentiment) : undefined;
  if (!name) return <Caption1 className={s.muted}>{t('Sentiment_None')}</Caption1>;
  const levels = parseSentimentTrend(props.trend).map((p) => p.level);
  const label = (level: SentimentLevel) => t(`Sentiment_${keyOf(level)}`);
  return (
    <div className={s.row} data-testid="summary-sentiment">
      <Badge appearance="tint" color={COLOR[String(name)] ?? 'informative'}>
        {t(`Sentiment_${String(name)}`)}
      </Badge>
      {levels.length >= 2 && <Sparkline levels={levels} label={t('Sentiment_Trend', levels.length, label(levels[0]!), label(levels[levels.length - 1]!))} />}
    </div>
  );
}

/** Shown while the conversation is negative or very negative. */
export function SentimentAlert(props: { sentiment: number; t: Translate }): React.ReactElement {
  const { t } = props;
  const name = String(nameOf(Sentiment, props.sentiment) ?? 'Negative');
  // Multiline: the automatic layout measures itself with ResizeObserver, which some hosts lack.
  return (
    <MessageBar intent="error" layout="multiline" role="alert" data-testid="summary-sentiment-alert">
      <MessageBarBody>
        <MessageBarTitle>{t('Sentiment_AlertTitle')}</MessageBarTitle>
        {t('Sentiment_AlertBody', t(`Sentiment_${name}`).toLocaleLowerCase())}
      </MessageBarBody>
    </MessageBar>
  );
}
