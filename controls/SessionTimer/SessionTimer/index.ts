import * as React from 'react';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { SessionTimerApp } from './components/session-timer-app';
import { SwitchboardData, makeTranslate, pushOf, recordIdOf, themeOf, userIdOf, type AgentPush, type Translate } from '../../shared/src';

export class SessionTimer implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private data!: SwitchboardData;
  private t!: Translate;
  private push: AgentPush | undefined;

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.data = new SwitchboardData(context.webAPI, userIdOf(context));
    this.push = pushOf(context);
    this.t = makeTranslate(context.resources);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    return React.createElement(SessionTimerApp, {
      data: this.data,
      conversationId: recordIdOf(context, context.parameters.conversationId?.raw),
      refreshSeconds: context.parameters.refreshSeconds?.raw ?? 15,
      push: this.push,
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
