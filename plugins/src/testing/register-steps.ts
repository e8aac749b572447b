// Registers plugins' steps.json content through the Web API, the way a deployment tool (or the
// packer's imported solution) lands them in Dataverse: one serviceendpoint (contract 8,
// WebhookKey) per endpoint, then sdkmessageprocessingstep rows and their images.
import type { DynamicsWebApi } from 'dynamics-web-api';
import type { PluginRegistrations } from '@switchboard/solution/pack/plugin-steps';

const IMAGE_TYPES = { pre: 0, post: 1, both: 2 } as const;

export async function registerSteps(api: DynamicsWebApi, regs: PluginRegistrations, functionsBaseUrl: string, key: string): Promise<number> {
  const endpoints = new Map<string, string>();
  for (const e of regs.serviceEndpoints) {
    const id: string = await api.create({
      collection: 'serviceendpoints',
      data: { name: e.name, contract: 8, url: e.url.replace('{functionsBaseUrl}', functionsBaseUrl), authtype: 4, authvalue: key, messageformat: 2 },
    });
    endpoints.set(e.name, id);
  }
  const messages = new Map<string, string>();
  for (const s of regs.steps) {
    if (!messages.has(s.message)) {
      const [m] = (await api.retrieveMultiple({ collection: 'sdkmessages', filter: `name eq '${s.message}'`, select: ['sdkmessageid'] })).value;
      messages.set(s.message, m.sdkmessageid);
    }
    const messageId = messages.get(s.message)!;
    // Associate/Disassociate are registered on no table: no sdkmessagefilter.
    const [filter] = s.primaryTable
      ? (await api.retrieveMultiple({
        collection: 'sdkmessagefilters',
        filter: `_sdkmessageid_value eq ${messageId} and primaryobjecttypecode eq '${s.primaryTable}'`,
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
        'sdkmessageid@odata.bind': `/sdkmessages(${messageId})`,
        ...(filter ? { 'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${filter.sdkmessagefilterid})` } : {}),
        'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${endpoints.get(s.serviceEndpoint)})`,
      },
    });
    for (const image of s.images ?? []) {
      await api.create({
        collection: 'sdkmessageprocessingstepimages',
        data: {
          name: image.alias,
          entityalias: image.alias,
          imagetype: IMAGE_TYPES[image.type],
          messagepropertyname: s.message === 'Create' ? 'Id' : 'Target',
          attributes: image.attributes?.join(',') ?? null,
          'sdkmessageprocessingstepid@odata.bind': `/sdkmessageprocessingsteps(${stepId})`,
        },
      });
    }
  }
  return regs.steps.length;
}
