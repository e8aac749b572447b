// How the conversations of the view ended, on the seven-point scale: one stacked bar and a
// legend with counts and shares (colour is never the only cue).
import * as React from 'react';
import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { SENTIMENT_LEVELS, type Measures, type SentimentLevel } from '@switchboard/core';
import type { Translate } from '../../../shared/src';
import type { Formats } from '../logic/format';

export const SENTIMENT_COLORS: Record<SentimentLevel, string> = {
  veryNegative: tokens.colorPaletteRedBackground3,
  negative: tokens.colorPaletteDarkOrangeBackground3,
  slightlyNegative: tokens.colorPaletteMarigoldBackground3,
  neutral: tokens.colorNeutralStrokeAccessible,
  slightlyPositive: tokens.colorPaletteLightGreenBackground2,
  positive: tokens.colorPaletteLightGreenBackground3,
  veryPositive: tokens.colorPaletteGreenBackground3,
};

const useStyles = makeStyles({
  bar: { display: 'flex', height: '20px', borderRadius: tokens.borderRadiusMedium, overflow: 'hidden', backgroundColor: tokens.colorNeutralBackground3 },
  legend: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXXS, margin: 0, padding: 0, listStyleType: 'none', fontSize: tokens.fontSizeBase200 },
  item: { display: 'inline-flex', alignItems: 'center', columnGap: tokens.spacingHorizontalXS, fontVariantNumeric: 'tabular-nums' },
  swatch: { width: '10px', height: '10px', borderRadius: tokens.borderRadiusSmall, flexShrink: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
});

export function SentimentBar({ measures, t, f }: { measures: Measures; t: Translate; f: Formats }): React.ReactElement {
  const s = useStyles();
  const total = SENTIMENT_LEVELS.reduce((a, l) => a + measures.sentiment[l], 0);
  if (total === 0) return <Caption1 className={s.muted}>{t('Sentiment_None')}</Caption1>;
  const share = (l: SentimentLevel) => measures.sentiment[l] / total;
  return (
    <div className={s.root} data-testid="insights-sentiment">
      <div className={s.bar} role="img" aria-label={t('Sentiment_Summary', f.count(total))}>
        {SENTIMENT_LEVELS.filter((l) => measures.sentiment[l] > 0).map((l) => (
          <div key={l} title={t('Sentiment_Segment', t(`Sentiment_${l}`), f.count(measures.sentiment[l]), f.percent(share(l)))} style={{ width: `${share(l) * 100}%`, backgroundColor: SENTIMENT_COLORS[l] }} />
        ))}
      </div>
      <ul className={s.legend}>
        {SENTIMENT_LEVELS.map((l) => (
          <li key={l} className={s.item} data-level={l}>
            <span className={s.swatch} style={{ backgroundColor: SENTIMENT_COLORS[l] }} aria-hidden="true" />
            {t('Sentiment_Legend', t(`Sentiment_${l}`), f.count(measures.sentiment[l]), f.percent(share(l)))}
          </li>
        ))}
      </ul>
    </div>
  );
}
