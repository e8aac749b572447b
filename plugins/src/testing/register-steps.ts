// Registers plugins' steps.json content through the Web API, the way a deployment tool (or the
// packer's imported solution) lands them in Dataverse: one serviceendpoint (contract 8,
// WebhookKey) per endpoint, then sdkmessageprocessingstep rows and their images.
import type { DynamicsWebApi } from 'dynamics-web-api';
import { processingStepRow, serviceEndpointRow, stepImageRow, type PluginRegistrations } from '@switchboard/solution';

export async function registerSteps(api: DynamicsWebApi, regs: PluginRegistrations, functionsBaseUrl: string, key: string): Promise<number> {
  const endpoints = new Map<string, string>();
  for (const e of regs.serviceEndpoints) {
    const id: string = await api.create({ collection: 'serviceendpoints', data: serviceEndpointRow({ ...e, url: e.url.replace('{functionsBaseUrl}', functionsBaseUrl) }, key) });
    endpoints.set(e.name, id);
  }
  const messages = new Map<string, string>();
  for (const s of regs.steps) {
    if (!messages.has(s.message)) {
      const [m] = (await api.retrieveMultiple({ collection: 'sdkmessages', filter: `name eq '${s.message}'`, select: ['sdkmessageid'] })).value;
      messages.set(s.message, m.sdkmessageid);
    }
    const messageId = messages.get(s.message)!;
    const [filter] = s.primaryTable
      ? (await api.retrieveMultiple({ collection: 'sdkmessagefilters', filter: `_sdkmessageid_value eq ${messageId} and primaryobjecttypecode eq '${s.primaryTable}'`, select: ['sdkmessagefilterid'] })).value
      : [];
    const stepId: string = await api.create({
      collection: 'sdkmessageprocessingsteps',
      data: processingStepRow(s, { messageId, filterId: filter?.sdkmessagefilterid, endpointId: endpoints.get(s.serviceEndpoint)! }),
    });
    for (const image of s.images ?? []) await api.create({ collection: 'sdkmessageprocessingstepimages', data: stepImageRow(image, s.message, stepId) });
  }
  return regs.steps.length;
}
