import * as React from 'react';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { CommunicationPaneApp } from './components/communication-pane-app';
import { SwitchboardData, makeTranslate, pushOf, recordIdOf, themeOf, userIdOf, type AgentPush, type Translate } from '../../shared/src';

const LOCALES: Record<number, string> = { 1033: 'en-US', 1036: 'fr-FR' };

export class CommunicationPane implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private data!: SwitchboardData;
  private t!: Translate;
  private push: AgentPush | undefined;

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.data = new SwitchboardData(context.webAPI, userIdOf(context));
    this.push = pushOf(context);
    this.t = makeTranslate(context.resources);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const allocated = context.mode.allocatedHeight;
    return React.createElement(CommunicationPaneApp, {
      data: this.data,
      conversationId: recordIdOf(context, context.parameters.conversationId?.raw),
      pollSeconds: Math.max(1, context.parameters.pollSeconds?.raw ?? 3),
      push: this.push,
      // Forms report -1 when the height is not fixed; the maker's height applies then.
      height: allocated > 0 ? allocated : Math.max(240, context.parameters.heightPx?.raw ?? 600),
      t: this.t,
      locale: LOCALES[context.userSettings.languageId] ?? 'en-US',
      userName: context.userSettings.userName,
      theme: themeOf(context),
    });
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // Polling stops when the host unmounts the React tree.
  }
}
