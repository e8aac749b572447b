import * as React from 'react';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { AgentInboxApp } from './components/agent-inbox-app';
import { SwitchboardData, makeTranslate, pushOf, themeOf, userIdOf, type AgentPush, type Translate } from '../../shared/src';

export class AgentInbox implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private data!: SwitchboardData;
  private t!: Translate;
  private push: AgentPush | undefined;
  private context!: ComponentFramework.Context<IInputs>;
  private notify?: () => void;
  private opened: string | undefined;

  // Accepting or resuming opens the conversation form and also exposes the id as an
  // output, so a custom page can react instead (navigate, open a side pane).
  private readonly openConversation = (id: string) => {
    this.opened = id;
    this.notify?.();
    void this.context.navigation.openForm({ entityName: 'swb_conversation', entityId: id });
  };

  public init(context: ComponentFramework.Context<IInputs>, notifyOutputChanged?: () => void): void {
    this.context = context;
    this.notify = notifyOutputChanged;
    this.data = new SwitchboardData(context.webAPI, userIdOf(context));
    this.push = pushOf(context);
    this.t = makeTranslate(context.resources);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    this.context = context;
    return React.createElement(AgentInboxApp, {
      data: this.data,
      pollSeconds: Math.max(2, context.parameters.pollSeconds?.raw ?? 5),
      push: this.push,
      openConversation: this.openConversation,
      t: this.t,
      theme: themeOf(context),
    });
  }

  public getOutputs(): IOutputs {
    return { openedConversationId: this.opened };
  }

  public destroy(): void {
    this.notify = undefined;
  }
}
