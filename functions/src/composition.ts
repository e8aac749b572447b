import { ManagedIdentityCredential } from '@azure/identity';
import type { FunctionsConfig } from './config';
import { DataverseClient } from './dataverse/dataverse-client';
import { createTokenSource } from './dataverse/token-source';
import type { FunctionDef } from './hosting/function-def';
import { queueServiceClient, StorageWorkQueue } from './queue/storage-work-queue.adapter';
import type { WorkQueue } from './queue/work-queue';
import { functionsTable } from './registrations';
import type { Services } from './services/contracts';
import { notImplementedServices } from './services/not-implemented';
import { serviceFactories } from './services/factories';

// The maxDequeueCount in host.json; our own senders and the dev host use the same budget.
export const MAX_DEQUEUE_COUNT = 5;

export interface Infrastructure {
  config: FunctionsConfig;
  dataverse: DataverseClient;
  routingQueue: WorkQueue;
}

export interface Composition {
  infrastructure: Infrastructure;
  services: Services;
  table: FunctionDef[];
}

// Service factories receive the infrastructure so they can build on the Dataverse client and
// queues; anything not supplied stays an explicit 501 NotImplemented.
export type ServiceFactories = { [K in keyof Services]?: (infra: Infrastructure) => Services[K] };

export function buildInfrastructure(config: FunctionsConfig): Infrastructure {
  const dataverse = new DataverseClient({ url: config.dataverse.url, tokenSource: createTokenSource(config.dataverse.url, config.dataverse.auth) });
  const storage = config.storage;
  const service = queueServiceClient(
    'connectionString' in storage
      ? { connectionString: storage.connectionString }
      : {
          queueServiceUri: storage.queueServiceUri,
          credential: storage.managedIdentityClientId
            ? new ManagedIdentityCredential({ clientId: storage.managedIdentityClientId })
            : new ManagedIdentityCredential(),
        },
  );
  return {
    config,
    dataverse,
    routingQueue: new StorageWorkQueue(service, config.queues.routing, { maxDequeueCount: MAX_DEQUEUE_COUNT }),
  };
}

export function compose(config: FunctionsConfig, factories: ServiceFactories = serviceFactories): Composition {
  const infrastructure = buildInfrastructure(config);
  const fallback = notImplementedServices();
  const pick = <K extends keyof Services>(key: K): Services[K] => {
    const factory = factories[key] as ((infra: Infrastructure) => Services[K]) | undefined;
    return factory ? factory(infrastructure) : fallback[key];
  };
  const services: Services = {
    sms: pick('sms'),
    channelValidation: pick('channelValidation'),
    chat: pick('chat'),
    widgetScript: pick('widgetScript'),
    pluginWebhooks: pick('pluginWebhooks'),
    routingWorker: pick('routingWorker'),
    offerTimeouts: pick('offerTimeouts'),
    broadcasts: pick('broadcasts'),
  };
  return { infrastructure, services, table: functionsTable(services, config) };
}
