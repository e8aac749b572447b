import type { Infrastructure, ServiceFactories } from '../composition';
import { buildServiceGraph, type ServiceGraph } from './service-graph';

// The one place where finished services are plugged in. Azure (main.ts) and the dev host
// both compose from this map; a service missing here answers 501 NotImplemented.
// All services share one graph per infrastructure (one Dataverse client, one channel cache).
const graphs = new WeakMap<Infrastructure, ServiceGraph>();

function graphOf(infra: Infrastructure): ServiceGraph {
  let graph = graphs.get(infra);
  if (!graph) {
    graph = buildServiceGraph({
      client: infra.dataverse,
      routingQueue: infra.routingQueue,
      settings: infra.config.appSettings ?? process.env,
      publicBaseUrl: infra.config.publicBaseUrl,
      adapterOptions: apiBaseUrls(infra.config.appSettings ?? process.env),
    });
    graphs.set(infra, graph);
  }
  return graph;
}

// The local stack points Twilio and TeleSign at its phone simulator.
function apiBaseUrls(env: Readonly<Record<string, string | undefined>>) {
  const twilio = env['SWITCHBOARD_TWILIO_API_BASE_URL'];
  const telesign = env['SWITCHBOARD_TELESIGN_API_BASE_URL'];
  return { apiBaseUrls: { ...(twilio ? { twilio } : {}), ...(telesign ? { telesign } : {}) } };
}

export const serviceFactories: ServiceFactories = {
  sms: (infra) => graphOf(infra).sms,
  channelValidation: (infra) => graphOf(infra).channelValidation,
  chat: (infra) => graphOf(infra).chat,
  routingWorker: (infra) => graphOf(infra).routingWorker,
  offerTimeouts: (infra) => graphOf(infra).offerTimeouts,
  pluginWebhooks: (infra) => graphOf(infra).pluginWebhooks,
  widgetScript: (infra) => graphOf(infra).widgetScript,
  broadcasts: (infra) => graphOf(infra).broadcasts,
};
