// Registers a webhook plugin step through the Web API the way a deployment tool would on real
// Dataverse: serviceendpoint (contract 8) → sdkmessageprocessingstep (+ images).
import type { DynamicsWebApi } from 'dynamics-web-api';

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
  const endpointId: string = await api.create({
    collection: 'serviceendpoints',
    data: { name: `${s.name} endpoint`, contract: 8, url: s.url, authtype: 4, authvalue: s.key ?? '', messageformat: 2 },
  });
  const [message] = (await api.retrieveMultiple({ collection: 'sdkmessages', filter: `name eq '${s.message}'`, select: ['sdkmessageid'] })).value;
  const [filter] = s.table
    ? (await api.retrieveMultiple({
      collection: 'sdkmessagefilters',
      filter: `_sdkmessageid_value eq ${message.sdkmessageid} and primaryobjecttypecode eq '${s.table}'`,
      select: ['sdkmessagefilterid'],
    })).value
    : [];
  const stepId: string = await api.create({
    collection: 'sdkmessageprocessingsteps',
    data: {
      name: s.name,
      stage: s.stage,
      mode: s.mode === 'sync' ? 0 : 1,
      rank: s.rank ?? 1,
      filteringattributes: s.filteringAttributes?.join(',') ?? null,
      supporteddeployment: 0,
      'sdkmessageid@odata.bind': `/sdkmessages(${message.sdkmessageid})`,
      ...(filter ? { 'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${filter.sdkmessagefilterid})` } : {}),
      'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${endpointId})`,
    },
  });
  for (const image of s.images ?? []) {
    await api.create({
      collection: 'sdkmessageprocessingstepimages',
      data: {
        name: image.alias,
        entityalias: image.alias,
        imagetype: image.type === 'pre' ? 0 : image.type === 'post' ? 1 : 2,
        messagepropertyname: s.message === 'Create' ? 'Id' : 'Target',
        attributes: image.attributes?.join(',') ?? null,
        'sdkmessageprocessingstepid@odata.bind': `/sdkmessageprocessingsteps(${stepId})`,
      },
    });
  }
  return { endpointId, stepId };
}
