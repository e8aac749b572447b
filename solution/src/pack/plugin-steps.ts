// The contract between plugins/ and the packer: plugins/dist/steps.json, written by the
// plugins build from each handler's registration. Webhook steps only — Switchboard runs
// no code inside Dataverse; a step posts the execution context to the functions app.

export interface PluginRegistrations {
  serviceEndpoints: ServiceEndpointRegistration[];
  steps: StepRegistration[];
}

export interface ServiceEndpointRegistration {
  /** Unique name, shown in Dataverse (`Switchboard conversation changed`). */
  name: string;
  /**
   * Absolute https URL the webhook posts to. May start with `{functionsBaseUrl}`, the functions
   * app's /api base, filled in by `npm run pack -- --functions-url <app URL>` (else a placeholder
   * `npm run configure` replaces after import), e.g. `{functionsBaseUrl}/dataverse/conversation-updated`.
   */
  url: string;
  authType: 'WebhookKey';
  /**
   * Name of the functions app setting that holds the webhook key. The key itself is never
   * in the solution: the admin pastes it into the endpoint after import.
   */
  keySettingName: string;
  description?: string;
}

/**
 * Associate/Disassociate fire on N:N (dis)association. Dataverse registers them on no table
 * ("none", no sdkmessagefilter): such a step sees every relationship and filters on the
 * context's Relationship itself.
 */
export type StepMessage = 'Create' | 'Update' | 'Delete' | 'Associate' | 'Disassociate';

/** Messages Dataverse registers on no table. */
export const TABLELESS_MESSAGES: readonly StepMessage[] = ['Associate', 'Disassociate'];

export interface StepImageRegistration {
  /** Image name and alias the handler reads (`PreImage`). */
  alias: string;
  type: 'pre' | 'post' | 'both';
  /** Columns captured; all columns when omitted. */
  attributes?: string[];
}

export interface StepRegistration {
  /** Unique name, e.g. `swb_message Create: deliver outbound`. Also seeds the step's stable id. */
  name: string;
  /** `name` of the service endpoint it posts to. */
  serviceEndpoint: string;
  message: StepMessage;
  /** Logical name of the table (`swb_message`). Required for Create/Update/Delete; absent for Associate/Disassociate. */
  primaryTable?: string;
  /** 10 pre-validation, 20 pre-operation, 40 post-operation. Async steps must be 40. */
  stage: 10 | 20 | 40;
  mode: 'sync' | 'async';
  /** Execution order among steps of the same message and stage; default 1. */
  rank?: number;
  /** Update only: the step fires only when one of these columns changes. */
  filteringAttributes?: string[];
  images?: StepImageRegistration[];
  description?: string;
  /** Async only: delete the system job when it succeeds (default true). */
  asyncAutoDelete?: boolean;
}

// The Web API bodies a registration becomes on Dataverse: one definition for every tool that
// lands steps through the Web API (the local stack, the emulator and plugin tests).

const IMAGE_TYPES = { pre: 0, post: 1, both: 2 } as const;

/** serviceendpoint: contract 8 (webhook), auth type 4 (WebhookKey, sent as ?code=), JSON. */
export function serviceEndpointRow(e: { name: string; url: string; description?: string }, key: string): Record<string, unknown> {
  return { name: e.name, contract: 8, url: e.url, authtype: 4, authvalue: key, messageformat: 2, description: e.description ?? null };
}

/** sdkmessageprocessingstep; no filter for Associate/Disassociate (registered on no table). */
export function processingStepRow(s: StepRegistration, ids: { messageId: string; filterId?: string | undefined; endpointId: string }): Record<string, unknown> {
  return {
    name: s.name,
    description: s.description ?? null,
    stage: s.stage,
    mode: s.mode === 'sync' ? 0 : 1,
    rank: s.rank ?? 1,
    filteringattributes: s.filteringAttributes?.join(',') ?? null,
    supporteddeployment: 0,
    asyncautodelete: s.asyncAutoDelete ?? false,
    'sdkmessageid@odata.bind': `/sdkmessages(${ids.messageId})`,
    ...(ids.filterId ? { 'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${ids.filterId})` } : {}),
    'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${ids.endpointId})`,
  };
}

/** sdkmessageprocessingstepimage: on Create the image is keyed by Id, otherwise by Target. */
export function stepImageRow(image: StepImageRegistration, message: StepMessage, stepId: string): Record<string, unknown> {
  return {
    name: image.alias,
    entityalias: image.alias,
    imagetype: IMAGE_TYPES[image.type],
    messagepropertyname: message === 'Create' ? 'Id' : 'Target',
    attributes: image.attributes?.join(',') ?? null,
    'sdkmessageprocessingstepid@odata.bind': `/sdkmessageprocessingsteps(${stepId})`,
  };
}
