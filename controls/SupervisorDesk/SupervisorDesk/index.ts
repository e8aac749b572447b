import * as React from 'react';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { SupervisorDeskApp } from './components/supervisor-desk-app';
import { FloorSource } from './data/floor-source';
import { sectionsOf } from './logic/sections';
import { SwitchboardData, makeTranslate, pushOf, themeOf, userIdOf, type AgentPush, type Translate } from '../../shared/src';

export class SupervisorDesk implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private source!: FloorSource;
  private transcript!: SwitchboardData;
  private t!: Translate;
  private push: AgentPush | undefined;

  public init(context: ComponentFramework.Context<IInputs>): void {
    const me = userIdOf(context);
    this.source = new FloorSource(context.webAPI, me, Date.now, () => context.userSettings.getTimeZoneOffsetMinutes());
    this.transcript = new SwitchboardData(context.webAPI, me);
    this.push = pushOf(context);
    this.t = makeTranslate(context.resources);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    return React.createElement(SupervisorDeskApp, {
      source: this.source,
      transcript: this.transcript,
      pollSeconds: Math.max(2, context.parameters.pollSeconds?.raw ?? 15),
      push: this.push,
      transcriptSeconds: Math.max(1, context.parameters.transcriptSeconds?.raw ?? 3),
      sections: sectionsOf(context.parameters.sections?.raw),
      heightPx: Math.max(400, context.parameters.heightPx?.raw ?? 760),
      languageId: context.userSettings.languageId,
      t: this.t,
      theme: themeOf(context),
    });
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // Nothing to release: polling stops when React unmounts the desk.
  }
}
