import * as React from 'react';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { InsightsApp } from './components/insights-app';
import { InsightsSource } from './data/insights-source';
import { presetOf } from './logic/range';
import { makeTranslate, themeOf, type Translate } from '../../shared/src';

export class Insights implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private source!: InsightsSource;
  private t!: Translate;
  private offsetMinutes!: () => number;

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.source = new InsightsSource(context.webAPI);
    this.t = makeTranslate(context.resources);
    this.offsetMinutes = () => context.userSettings.getTimeZoneOffsetMinutes();
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    return React.createElement(InsightsApp, {
      source: this.source,
      defaultRange: presetOf(context.parameters.defaultRange?.raw),
      showSentiment: context.parameters.showSentiment?.raw !== false,
      languageId: context.userSettings.languageId,
      offsetMinutes: this.offsetMinutes,
      t: this.t,
      theme: themeOf(context),
    });
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // Nothing to release: the control reads when asked and holds no timer.
  }
}
