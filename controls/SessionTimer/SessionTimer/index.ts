import * as React from 'react';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { SessionTimerApp } from './components/session-timer-app';
import { SwitchboardData, makeTranslate, recordIdOf, themeOf, userIdOf, type Translate } from '../../shared/src';

export class SessionTimer implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private data!: SwitchboardData;
  private t!: Translate;

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.data = new SwitchboardData(context.webAPI, userIdOf(context));
    this.t = makeTranslate(context.resources);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    return React.createElement(SessionTimerApp, {
      data: this.data,
      conversationId: recordIdOf(context, context.parameters.conversationId?.raw),
      refreshSeconds: context.parameters.refreshSeconds?.raw ?? 15,
      t: this.t,
      theme: themeOf(context),
    });
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // Nothing to release: timers and polls belong to the React tree the host unmounts.
  }
}
