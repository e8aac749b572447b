// Public surface of @switchboard/plugins: the webhook service functions mounts, the ports it
// must supply, the registry and its steps.json form, and the Dataverse adapter.
export { handleStepWebhook, pluginWebhookService, type InvocationLog, type StepWebhookResponse } from './service';
export { verifyWebhookKey, WEBHOOK_KEY_HEADER, type WebhookCredentials } from './webhook-key';
export { stepRegistry, findStep } from './registry';
export { pluginRegistrations, registrationProblems, WEBHOOK_KEY_SETTING } from './steps-manifest';
export type { StepDefinition, StepHandler, StepResult, StepTrigger } from './step';
export type { DataversePort, DeliveryPort, PluginConfig, SendResult, StepDeps, UpdateOutcome, Versioned } from './ports';
export { parseExecutionContext, type ContextError } from './context/context.parser';
export type { StepContext, EntityImage, EntityRef, AttributeValue } from './context/execution-context';
export { recomputeAgent, type RecomputeOutcome } from './capacity/recompute-agent';
export { releaseOffer, type EndedOffer } from './capacity/release-offer';
export { connectionBack, connectionLost, type BackOutcome, type LostOutcome } from './capacity/connection-presence';
export { presenceAfterLoad } from './capacity/agent-load';
export { WebApiDataverseAdapter } from './adapters/dataverse-web-api.adapter';
