// Registers a webhook plugin step through the Web API the way a deployment tool would on real
// Dataverse: serviceendpoint (contract 8) → sdkmessageprocessingstep (+ images).
import type { DynamicsWebApi } from 'dynamics-web-api';
import { processingStepRow, serviceEndpointRow, stepImageRow, type StepRegistration } from '@switchboard/solution';

export interface WebhookStep {
  name: string;
  url: string;
  message: 'Create' | 'Update' | 'Delete' | 'Associate' | 'Disassociate';
  /** Absent for Associate/Disassociate: Dataverse registers them on no table (no sdkmessagefilter). */
  table?: string;
  stage: 10 | 20 | 40;
  mode: 'sync' | 'async';
  /** WebhookKey: sent as ?code=<key> */
  key?: string;
  rank?: number;
  filteringAttributes?: string[];
  images?: { alias: string; type: 'pre' | 'post' | 'both'; attributes?: string[] }[];
}

export async function registerWebhookStep(api: DynamicsWebApi, s: WebhookStep): Promise<{ endpointId: string; stepId: string }> {
  const endpointId: string = await api.create({ collection: 'serviceendpoints', data: serviceEndpointRow({ name: `${s.name} endpoint`, url: s.url }, s.key ?? '') });
  const [message] = (await api.retrieveMultiple({ collection: 'sdkmessages', filter: `name eq '${s.message}'`, select: ['sdkmessageid'] })).value;
  const [filter] = s.table
    ? (await api.retrieveMultiple({ collection: 'sdkmessagefilters', filter: `_sdkmessageid_value eq ${message.sdkmessageid} and primaryobjecttypecode eq '${s.table}'`, select: ['sdkmessagefilterid'] })).value
    : [];
  const registration: StepRegistration = { ...s, serviceEndpoint: `${s.name} endpoint`, ...(s.table ? { primaryTable: s.table } : {}) };
  const stepId: string = await api.create({
    collection: 'sdkmessageprocessingsteps',
    data: processingStepRow(registration, { messageId: message.sdkmessageid, filterId: filter?.sdkmessagefilterid, endpointId }),
  });
  for (const image of s.images ?? []) await api.create({ collection: 'sdkmessageprocessingstepimages', data: stepImageRow(image, s.message, stepId) });
  return { endpointId, stepId };
}
