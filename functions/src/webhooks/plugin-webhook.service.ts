// Dataverse plugin steps arrive as webhooks carrying a RemoteExecutionContext; the plugins
// package's handlers run on the ports functions builds (Dataverse, delivery, routing queue).
import type { InvocationContext } from '@azure/functions';
import { handleStepWebhook, parseExecutionContext, type StepDeps } from '@switchboard/plugins';
import type { ConversationStore } from '../dataverse/repositories/conversation.repository';
import type { HttpResult } from '../hosting/http';
import type { AutomatedMessenger } from '../outbound/automated-messages';
import { sendLifecycleMessage } from '../outbound/lifecycle-messages';

export interface PluginWebhookService {
  /** `trimmed`: Dataverse left InputParameters and images out (context over 256 KB). */
  handle(step: string, executionContext: unknown, context: InvocationContext, options?: { trimmed?: boolean }): Promise<HttpResult>;
}

export interface PluginWebhookDeps {
  stepDeps: StepDeps;
  automated: AutomatedMessenger;
  conversations: ConversationStore;
  agentName: (agentId: string) => Promise<string | null>;
  /** Texts the survey question when a served SMS conversation ends (survey/sms-survey.ts). */
  survey?: { afterStateChange(executionContext: unknown): Promise<unknown> };
  /** Told of every conversation a message was written in or whose state moved (the chat's "nothing new" memos). */
  changed?: (conversationId: string) => void;
  log?: (line: string) => void;
}

/** The conversation a message-created, push-relay or conversation-state step was about. */
function conversationOf(step: string, executionContext: unknown): string | null {
  if (step !== 'message-created' && step !== 'push-relay' && step !== 'conversation-state') return null;
  const parsed = parseExecutionContext(executionContext);
  if (!parsed.ok) return null;
  const v = parsed.value;
  if (v.primaryEntityName === 'swb_conversation') return v.primaryEntityId;
  if (v.primaryEntityName !== 'swb_message') return null;
  const ref = v.target?.attributes['swb_conversationid'] as { id?: string } | null | undefined;
  return ref?.id ?? null;
}

export function createPluginWebhookService(deps: PluginWebhookDeps): PluginWebhookService {
  return {
    async handle(step, executionContext, _context, webhook = {}) {
      // Forgotten before the step runs: the push-relay step tells the widget, whose read must
      // then not be answered "nothing new" from this instance's memory.
      const touched = deps.changed ? conversationOf(step, executionContext) : null;
      if (touched) deps.changed!(touched);
      const r = await handleStepWebhook(step, executionContext, deps.stepDeps, undefined, webhook);
      // A trimmed context has no images to tell which lifecycle moment this was: no automated
      // message rather than a wrong one (only the customer-facing greeting is lost).
      // Only once the step did its work: a failed step is retried by Dataverse, and so is this.
      if (step === 'conversation-state' && r.status < 300) {
        await sendLifecycleMessage(executionContext, { automated: deps.automated, conversations: deps.conversations, agentName: deps.agentName }).catch((e: Error) =>
          deps.log?.(`lifecycle message failed: ${e.message}`),
        );
        // After the "ended" message, so the customer reads the thanks before the question.
        await deps.survey?.afterStateChange(executionContext).catch((e: Error) => deps.log?.(`survey question failed: ${e.message}`));
      }
      return { status: r.status, ...(r.headers ? { headers: r.headers } : {}), body: r.body };
    },
  };
}
