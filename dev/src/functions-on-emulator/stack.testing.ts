// The services on the local stack, in process: the Dataverse emulator over real HTTP (port 0),
// the functions table served by the dev host (port 0), an in-memory routing queue, and
// helpers to seed the rows a scenario needs. Test and benchmark code only.
import { InvocationContext } from '@azure/functions';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { metadata, ChannelType, Provider, BasePresence, AssignmentMethod } from '@switchboard/solution';
import { DynamicsWebApi } from 'dynamics-web-api';
import { createEmulator, type Emulator } from '../dataverse/emulator';
import { FunctionsDevHost } from '../functions-host/dev-host';
import { RegistrationRecorder } from '../functions-host/recorder';
import { DataverseClient } from '@switchboard/functions/dataverse/dataverse-client';
import { register } from '@switchboard/functions/hosting/function-def';
import { functionsTable } from '@switchboard/functions/registrations';
import { buildServiceGraph, notImplementedServices, type GraphOptions, type ServiceGraph } from '@switchboard/functions/composition';
import { MemoryWorkQueue } from '@switchboard/functions/testing/memory-work-queue';
import type { RoutingWork } from '@switchboard/core';

export const TWILIO_TOKEN = 'twilio-auth-token-for-tests-0001';
export const CHAT_KEY = 'chat-token-key-for-tests-0123456789abcdef';
export const ADMIN_KEY = 'admin-key-for-tests-0123456789';
export const FUNCTION_KEY = 'function-key-for-tests-0000';
export const WEBHOOK_KEY = 'webhook-key-for-tests-000';
export const PUBLIC_BASE = 'https://swb.example.test';

export interface Stack {
  emulator: Emulator;
  api: DynamicsWebApi;
  client: DataverseClient;
  queue: MemoryWorkQueue<RoutingWork>;
  graph: ServiceGraph;
  host: FunctionsDevHost;
  baseUrl: string;
  context: InvocationContext;
  /** Runs every queued routing item (and what they enqueue) to completion. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

export async function startStack(options: { twilioApiBaseUrl?: string; graph?: Partial<GraphOptions>; log?: boolean; emulator?: { budget?: string } } = {}): Promise<Stack> {
  const emulator = createEmulator({ metadata, db: ':memory:', ...(options.emulator?.budget ? { budget: options.emulator.budget } : {}) });
  await emulator.listen(0);
  const serverUrl = emulator.url.replace('/api/data/v9.2/', '');
  const api = new DynamicsWebApi({ serverUrl, dataApi: { version: '9.2' }, onTokenRefresh: async () => emulator.appToken, propagateErrors: true });
  const client = new DataverseClient({ url: serverUrl, tokenSource: { getToken: async () => emulator.appToken } });
  const queue = new MemoryWorkQueue<RoutingWork>();
  const graph = buildServiceGraph({
    client,
    routingQueue: queue as MemoryWorkQueue<unknown>,
    settings: { SWB_TWILIO_TOKEN: TWILIO_TOKEN, CHAT_TOKEN_KEY: CHAT_KEY, SWITCHBOARD_ADMIN_KEY: ADMIN_KEY },
    publicBaseUrl: PUBLIC_BASE,
    adapterOptions: options.twilioApiBaseUrl ? { apiBaseUrls: { twilio: options.twilioApiBaseUrl } } : {},
    cacheTtlMs: 0,
    // No plugin webhooks here to tell the chat API of writes made behind its back: no memos.
    chat: { startRate: { burst: 1000, perSecond: 100 }, cursorTrustMs: 0 },
    // Routing happens when a test drains the queue, never behind its back.
    routeOnArrival: false,
    log: options.log ? console.log : () => undefined,
    ...options.graph,
  });
  const services = { ...notImplementedServices(), sms: graph.sms, channelValidation: graph.channelValidation, chat: graph.chat, routingWorker: graph.routingWorker, pluginWebhooks: graph.pluginWebhooks, broadcasts: graph.broadcasts, pushUpstream: graph.pushUpstream, botCallbacks: graph.botCallbacks };
  const recorder = new RegistrationRecorder();
  register(recorder, functionsTable(services, { publicBaseUrl: PUBLIC_BASE, webhookKey: WEBHOOK_KEY, storageConnectionSetting: 'AzureWebJobsStorage', queues: { routing: 'swb-routing' } }));
  const host = new FunctionsDevHost({ registrations: recorder.registrations, port: 0, functionKey: FUNCTION_KEY, enableQueues: false, enableTimers: false, log: options.log ? console.log : () => undefined });
  const baseUrl = await host.start();
  const context = new InvocationContext({ functionName: 'test', logHandler: options.log ? (_l, ...a) => console.log(...a) : () => undefined });
  return {
    emulator,
    api,
    client,
    queue,
    graph,
    host,
    baseUrl,
    context,
    async drain() {
      let n = 0;
      for (;;) {
        const [item] = await queue.receive();
        if (!item) return n;
        n++;
        await graph.routingWorker.process(item.body, { dequeueCount: item.dequeueCount, messageId: item.id }, context);
      }
    },
    async stop() {
      await host.stop();
      await emulator.close();
    },
  };
}

// ---- seeding ------------------------------------------------------------------------------

export async function seedTwilioChannel(api: DynamicsWebApi, extra: Record<string, unknown> = {}): Promise<string> {
  return api.create({
    collection: 'swb_channels',
    data: {
      swb_name: 'Twilio US',
      swb_channeltype: ChannelType.Sms,
      swb_provider: Provider.Twilio,
      swb_phonenumber: '+13175550100',
      swb_accountid: 'AC00000000000000000000000000000001',
      swb_secretsettingname: 'SWB_TWILIO_TOKEN',
      swb_defaultregion: 'US',
      swb_isenabled: true,
      ...extra,
    },
  }) as Promise<string>;
}

export interface RoutingSeed {
  workstreamId: string;
  queueId: string;
  otherQueueId: string;
  agents: { id: string; statusId: string }[];
}

/** A workstream routing everything to one queue; agents in that queue (or the other one). */
export async function seedRouting(
  api: DynamicsWebApi,
  channelType: ChannelType,
  agents: { name: string; queue: 'main' | 'other'; presence?: BasePresence; max?: number; used?: number }[],
): Promise<RoutingSeed> {
  const queueId = (await api.create({ collection: 'queues', data: { name: 'Support', swb_priority: 10, swb_assignmentmethod: AssignmentMethod.HighestCapacity } })) as string;
  const otherQueueId = (await api.create({ collection: 'queues', data: { name: 'Billing', swb_priority: 5 } })) as string;
  const workstreamId = (await api.create({
    collection: 'swb_workstreams',
    data: { swb_name: `WS ${channelType}`, swb_channeltype: channelType, swb_capacityunits: 1, swb_offertimeoutseconds: 60, 'swb_fallbackqueueid@odata.bind': `/queues(${queueId})` },
  })) as string;
  const seeded: { id: string; statusId: string }[] = [];
  for (const a of agents) {
    const id = (await api.create({ collection: 'systemusers', data: { fullname: a.name, domainname: `${a.name.toLowerCase().replace(/\W/g, '')}@example.test` } })) as string;
    await api.associate({ collection: 'queues', primaryKey: a.queue === 'main' ? queueId : otherQueueId, relationshipName: 'queuemembership_association', relatedCollection: 'systemusers', relatedKey: id });
    const statusId = (await api.create({
      collection: 'swb_agentstatuses',
      data: {
        swb_name: a.name,
        'swb_agentid@odata.bind': `/systemusers(${id})`,
        swb_basepresence: a.presence ?? BasePresence.Available,
        swb_capacitymax: a.max ?? 3,
        swb_capacityused: a.used ?? 0,
      },
    })) as string;
    seeded.push({ id, statusId });
  }
  return { workstreamId, queueId, otherQueueId, agents: seeded };
}

/** A Twilio webhook (an inbound text or a status callback) to the stack's route `path`, signed as Twilio signs it: over the public URL. */
export function postSignedTwilio(stack: Pick<Stack, 'baseUrl'>, path: string, fields: Record<string, string>, token = TWILIO_TOKEN): Promise<Response> {
  return fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(token, `${PUBLIC_BASE}${path}`, fields) },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Twilio's form for a text from `from` to one of our numbers. */
export function twilioInbound(sid: string, from: string, body: string, to = '+13175550100'): Record<string, string> {
  return { MessageSid: sid, SmsSid: sid, AccountSid: 'AC00000000000000000000000000000001', From: from, To: to, Body: body, NumMedia: '0', SmsStatus: 'received' };
}

