import * as React from 'react';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { ConversationSummaryApp } from './components/conversation-summary-app';
import { SwitchboardData, makeTranslate, pushOf, recordIdOf, themeOf, userIdOf, type AgentPush, type Translate } from '../../shared/src';

const LOCALES: Record<number, string> = { 1033: 'en-US', 1036: 'fr-FR' };

export class ConversationSummary implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private data!: SwitchboardData;
  private t!: Translate;
  private push: AgentPush | undefined;
  private context!: ComponentFramework.Context<IInputs>;
  private readonly openRecord = (table: string, id: string) => {
    void this.context.navigation.openForm({ entityName: table, entityId: id });
  };

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.context = context;
    this.data = new SwitchboardData(context.webAPI, userIdOf(context));
    this.push = pushOf(context);
    this.t = makeTranslate(context.resources);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    this.context = context;
    const p = context.parameters;
    // An unset TwoOptions input arrives as null: the manifest default applies.
    const on = (v: boolean | null | undefined, fallback: boolean) => (v === null || v === undefined ? fallback : v);
    return React.createElement(ConversationSummaryApp, {
      data: this.data,
      conversationId: recordIdOf(context, p.conversationId?.raw),
      push: this.push,
      sections: {
        customer: on(p.showCustomer?.raw, true),
        routing: on(p.showRouting?.raw, true),
        preChat: on(p.showPreChat?.raw, true),
        context: on(p.showContext?.raw, true),
        sentiment: on(p.showSentiment?.raw, true),
        history: on(p.showHistory?.raw, true),
      },
      historyCount: Math.min(50, Math.max(1, p.historyCount?.raw ?? 5)),
      openRecord: this.openRecord,
      t: this.t,
      locale: LOCALES[context.userSettings.languageId] ?? 'en-US',
      theme: themeOf(context),
    });
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // Nothing outlives the React tree.
  }
}
