// The composition root: the one place the functions app is wired. From the settings it builds
// the infrastructure (one Dataverse client, the routing queue), then every Dataverse-backed
// service once over it (repositories, the channel layer, the routing pipeline, chat,
// outbound, the plugin steps' ports), then the functions table. Azure (main.ts) passes the
// settings it read from process.env; the dev host passes its own; nothing here reads a global.
import { ManagedIdentityCredential } from '@azure/identity';
import { NO_PUSH, type PushPort, type RoutingTriggerPort } from '@switchboard/core';
import { connectionLost, recomputeAgent, releaseOffer, type PluginConfig, type StepDeps, WebApiDataverseAdapter } from '@switchboard/plugins';
import {
  appSettingsSecretResolver,
  type ChannelDelivery,
  createChannelDelivery,
  createSmsAdapters,
  type SecretResolver,
  type SmsAdapterOptions,
  type SmsAdapters,
  publicUrlFor,
} from './channels';
import { ChatApiHandler } from './chat/chat-api.handler';
import type { ChatSettings } from './chat/chat-settings';
import { TokenSigner } from './chat/customer-token';
import { InMemoryRateLimiter } from './chat/rate-limiter';
import type { Env, FunctionsConfig } from './config';
import { DataverseClient } from './dataverse/dataverse-client';
import { channelSecretResolver, DataverseChannelDirectory } from './dataverse/repositories/channel.repository';
import { DataverseConversationStore } from './dataverse/repositories/conversation.repository';
import { DataverseCustomerFinder } from './dataverse/repositories/customer.repository';
import { DataverseMessageStore } from './dataverse/repositories/message.repository';
import { DataverseOptOutStore } from './dataverse/repositories/opt-out.repository';
import { createTokenSource } from './dataverse/token-source';
import { ConfigError, NotImplementedError } from './hosting/errors';
import type { FunctionDef } from './hosting/function-def';
import { AdminValidationService } from './inbound/channel-validation.service';
import { SmsInboundService } from './inbound/sms-inbound.service';
import { AutomatedMessenger, DataverseAutomatedMessageSource } from './outbound/automated-messages';
import { AdminBroadcastService } from './outbound/broadcast.service';
import { TemplateBroadcaster } from './outbound/template-broadcast';
import { parseConnectionString, type PushUpstreamService, WebPubSubUpstream } from './push/push-upstream.service';
import { WebPubSubPush } from './push/web-pubsub.adapter';
import { WebhookBotCallbacks } from './bots/bot-callback.service';
import { DataverseInsightsFoldStore } from './insights/insights-fold.repository';
import { DataverseInsightsFold } from './insights/insights-fold.service';
import { BotService } from './bots/bot.service';
import { DirectLineConnector } from './bots/directline/directline.connector';
import { WebhookBotConnector } from './bots/webhook/webhook-bot.connector';
import { sentimentProviderOf, sentimentSettings } from './insights/sentiment-settings';
import { DataverseSentimentStore } from './insights/sentiment.repository';
import { SentimentService } from './insights/sentiment.service';
import { queueServiceClient, StorageWorkQueue } from './queue/storage-work-queue.adapter';
import type { WorkQueue } from './queue/work-queue';
import { functionsTable, type Services } from './registrations';
import { ArrivalPlacer } from './routing/arrival';
import { RoutingConfigCache } from './routing/routing-config.cache';
import { queueRoutingTrigger } from './routing/routing-trigger';
import { DataverseRoutingWorker } from './routing/routing-worker';
import { RoutingRepository } from './routing/routing.repository';
import { createPluginWebhookService, type PluginWebhookService } from './webhooks/plugin-webhook.service';
import { SmsSurvey } from './survey/sms-survey';
import { surveysOf } from './survey/survey-settings';
import { FileWidgetScriptService, widgetScriptCandidates } from './widget/widget-script.service';

// The maxDequeueCount in host.json; our own senders and the dev host use the same budget.
export const MAX_DEQUEUE_COUNT = 5;

// ---- infrastructure -----------------------------------------------------------------------

export interface Infrastructure {
  config: FunctionsConfig;
  dataverse: DataverseClient;
  routingQueue: WorkQueue;
}

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

// ---- the service graph --------------------------------------------------------------------

/** SWITCHBOARD_TRUSTED_PROXY_HOPS: how many proxies append to X-Forwarded-For in front of the app. */
function trustedProxyHops(settings: Env): Partial<ChatSettings> {
  const raw = settings['SWITCHBOARD_TRUSTED_PROXY_HOPS']?.trim();
  if (!raw) return {};
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) throw new ConfigError([`SWITCHBOARD_TRUSTED_PROXY_HOPS must be a whole number from 0 to 10, got "${raw}"`]);
  return { trustedProxyHops: hops };
}

// How long a chat's "nothing new" is answered from memory (chat/chat-cursors.ts).
function cursorTrust(settings: Env): Partial<ChatSettings> {
  const raw = settings['SWITCHBOARD_CHAT_CURSOR_TRUST_SECONDS']?.trim();
  if (!raw) return {};
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) throw new ConfigError([`SWITCHBOARD_CHAT_CURSOR_TRUST_SECONDS must be a number of seconds from 0 to 3600, got "${raw}"`]);
  return { cursorTrustMs: seconds * 1000 };
}

/**
 * Live updates: SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING (and the hub, SWITCHBOARD_WEBPUBSUB_HUB,
 * default "switchboard"). Without it nothing is pushed and every client polls as before.
 */
export interface PushSettings {
  connectionString: string;
  hub: string;
  /** SWITCHBOARD_PRESENCE_GRACE_SECONDS: a disconnect shorter than this keeps presence (150). */
  graceSeconds: number;
}

export function pushSettings(settings: Env): PushSettings | null {
  const connectionString = settings['SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING']?.trim();
  if (!connectionString) return null;
  try {
    parseConnectionString(connectionString);
  } catch (err) {
    throw new ConfigError([`SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING: ${(err as Error).message}`]);
  }
  const hub = settings['SWITCHBOARD_WEBPUBSUB_HUB']?.trim() || 'switchboard';
  if (!/^[A-Za-z][A-Za-z0-9_]{0,127}$/.test(hub)) throw new ConfigError([`SWITCHBOARD_WEBPUBSUB_HUB must start with a letter and hold only letters, digits and _, got "${hub}"`]);
  const rawGrace = settings['SWITCHBOARD_PRESENCE_GRACE_SECONDS']?.trim();
  const graceSeconds = rawGrace ? Number(rawGrace) : 150;
  if (!Number.isFinite(graceSeconds) || graceSeconds < 1 || graceSeconds > 3600) throw new ConfigError([`SWITCHBOARD_PRESENCE_GRACE_SECONDS must be a number of seconds from 1 to 3600, got "${rawGrace}"`]);
  return { connectionString, hub, graceSeconds };
}

// The local stack points Twilio and TeleSign at its phone simulator.
function apiBaseUrls(settings: Env): SmsAdapterOptions {
  const twilio = settings['SWITCHBOARD_TWILIO_API_BASE_URL'];
  const telesign = settings['SWITCHBOARD_TELESIGN_API_BASE_URL'];
  return { apiBaseUrls: { ...(twilio ? { twilio } : {}), ...(telesign ? { telesign } : {}) } };
}

export interface GraphOptions {
  client: DataverseClient;
  routingQueue: WorkQueue;
  /** App settings (process.env in Azure): channel secrets (SWB_*), chat token key, admin key. */
  settings: Env;
  publicBaseUrl: string;
  adapterOptions?: SmsAdapterOptions;
  now?: () => number;
  random?: () => number;
  /** Channel and automated-message row cache; tests use 0. */
  cacheTtlMs?: number;
  chat?: Partial<ChatSettings>;
  routingTrigger?: RoutingTriggerPort;
  /** Tests pass their own; otherwise built from the settings (none when not configured). */
  push?: PushPort;
  /**
   * A new SMS or chat is routed in the request that stored it, as well as queued (default true):
   * the queue trigger's polling (up to maxPollingInterval, 2 s) is most of the time an offer takes
   * to reach an agent. The queued item stays the durable path; the pass it would repeat is skipped
   * as covered on this instance. Tests that drain the queue themselves turn it off.
   */
  routeOnArrival?: boolean;
  log?: (line: string) => void;
}

export interface ServiceGraph {
  adapters: SmsAdapters;
  secrets: SecretResolver;
  channels: DataverseChannelDirectory;
  conversations: DataverseConversationStore;
  messages: DataverseMessageStore;
  optOuts: DataverseOptOutStore;
  delivery: ChannelDelivery;
  automated: AutomatedMessenger;
  routingTrigger: RoutingTriggerPort;
  sms: SmsInboundService;
  channelValidation: AdminValidationService;
  routingWorker: DataverseRoutingWorker;
  chat: ChatApiHandler;
  templates: TemplateBroadcaster;
  stepDeps: StepDeps;
  pluginWebhooks: PluginWebhookService;
  widgetScript: FileWidgetScriptService;
  broadcasts: AdminBroadcastService;
  push: PushPort;
  pushUpstream: PushUpstreamService;
  bots: BotService;
  botCallbacks: WebhookBotCallbacks;
  insightsFold: DataverseInsightsFold;
}

export function buildServiceGraph(options: GraphOptions): ServiceGraph {
  const now = options.now ?? Date.now;
  const client = options.client;
  const ttl = options.cacheTtlMs ?? 30_000;
  const adapters = createSmsAdapters(options.adapterOptions ?? {});
  const pushConfig = pushSettings(options.settings);
  const push = options.push ?? (pushConfig ? new WebPubSubPush({ connectionString: pushConfig.connectionString, hub: pushConfig.hub, ...(options.log ? { log: options.log } : {}) }) : NO_PUSH);
  const secrets = channelSecretResolver(appSettingsSecretResolver(options.settings));
  const channels = new DataverseChannelDirectory(client, { ttlMs: ttl, now });
  const conversations = new DataverseConversationStore(client);
  const messages = new DataverseMessageStore(client);
  const optOuts = new DataverseOptOutStore(client);
  const customers = new DataverseCustomerFinder(client);
  const statusCallbackUrl = (channel: { channelId: string; provider: string }) =>
    channel.provider === 'twilio' ? publicUrlFor(options.publicBaseUrl, `/api/sms/twilio/${channel.channelId}/status`) : undefined;
  const deliveryDeps = { channels, adapters, secrets, optOuts, statusCallbackUrl };
  const delivery = createChannelDelivery(deliveryDeps);
  const confirmations = createChannelDelivery({ ...deliveryDeps, optOuts: { isOptedOut: async () => false } });
  const automated = new AutomatedMessenger({
    source: new DataverseAutomatedMessageSource(client, { ttlMs: ttl, now }),
    client,
    conversations,
    messages,
    delivery,
    now,
  });
  const routingTrigger = options.routingTrigger ?? queueRoutingTrigger(options.routingQueue);
  // The app user may reassign any conversation (routing, offer acceptance); its id is an app setting.
  const appUser = options.settings['SWITCHBOARD_APP_USER_ID']?.trim();
  const pluginConfig: PluginConfig = { defaultRegion: options.settings['SWITCHBOARD_DEFAULT_REGION'] ?? 'US', defaultLanguage: 1033, trustedUserIds: appUser ? [appUser] : [] };
  const stepDeps: StepDeps = {
    data: new WebApiDataverseAdapter(client.api, { execute: (op) => client.execute(op), batch: (build) => client.batch(build), readBatch: (build) => client.readBatch(build) }),
    delivery,
    routingTrigger,
    clock: { now },
    config: pluginConfig,
    ...(push !== NO_PUSH ? { push } : {}),
    ...(options.log ? { log: options.log } : {}),
  };
  const repo = new RoutingRepository(client);
  const routingConfig = new RoutingConfigCache(() => repo.loadConfig(), { ttlMs: ttl, now });
  // The post-conversation survey's switch and wording come with the routing configuration.
  const surveys = surveysOf(routingConfig);
  // Bot turns go through the durable queue only (never inline like arrivals): a turn run twice
  // would give the bot the customer's message twice. A hand-off routes like an arrival.
  const botSecrets = appSettingsSecretResolver(options.settings);
  const bots = new BotService({
    conversations,
    messages,
    routing: routingTrigger,
    handoffRouting: { enqueue: (work, o) => arrivals.enqueue(work, o) },
    config: routingConfig,
    connectors: { directline: new DirectLineConnector(), webhook: new WebhookBotConnector() },
    secrets: botSecrets,
    agentLanguage: options.settings['SWITCHBOARD_AGENT_LANGUAGE'] ?? 'en',
    ...(push !== NO_PUSH ? { push } : {}),
    now,
    // A hand-off or a failing bot is worth a line in the host's log even where nothing else logs.
    log: options.log ?? ((line) => console.log(line)),
  });
  const botCallbacks = new WebhookBotCallbacks({ bots, config: routingConfig, secrets: botSecrets, now });
  // Sentiment: SWITCHBOARD_SENTIMENT (insights/sentiment-settings.ts) and each workstream's switch.
  // Scoring goes through the durable queue only, never inline in the customer's request.
  const sentiment = new SentimentService({
    provider: sentimentProviderOf(sentimentSettings(options.settings)),
    store: new DataverseSentimentStore(client),
    routing: routingTrigger,
    config: routingConfig,
    ...(push !== NO_PUSH ? { push } : {}),
    now,
    ...(options.log ? { log: options.log } : {}),
  });
  const routingWorker = new DataverseRoutingWorker({
    repo,
    config: routingConfig,
    routing: routingTrigger,
    automated,
    recomputeAgent: (agentId) => recomputeAgent(agentId, stepDeps),
    releaseOffer: (offer) => releaseOffer(offer, stepDeps),
    connectionLost: (agentId, since) => connectionLost(agentId, since, stepDeps),
    push,
    bots,
    sentiment,
    now,
    ...(options.random ? { random: options.random } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const placer = new ArrivalPlacer({ config: routingConfig, now, ...(options.random ? { random: options.random } : {}) });
  const arrivals: RoutingTriggerPort =
    options.routeOnArrival === false
      ? routingTrigger
      : {
          async enqueue(work, enqueueOptions) {
            const at = work.at ?? now();
            await routingTrigger.enqueue({ ...work, at }, enqueueOptions);
            if (enqueueOptions?.delaySeconds) return;
            // Best effort: a failure here leaves the queued item to do it.
            await routingWorker.run({ ...work, at }).catch((err: Error) => options.log?.(`routing on arrival failed (the queued item will retry): ${err.message}`));
          },
        };
  const waitingCount = (queueId: string) => repo.waitingCount(queueId);
  const sms = new SmsInboundService({ adapters, channels, secrets, conversations, messages, customers, optOuts, routing: arrivals, confirmations, automated, placer, bots, waitingCount, push, sentiment, now });
  const channelValidation = new AdminValidationService({ deliveryDeps, adminKey: options.settings['SWITCHBOARD_ADMIN_KEY'] });
  const chat = new ChatApiHandler({
    client,
    conversations,
    messages,
    customers,
    routing: arrivals,
    automated,
    placer,
    bots,
    sentiment,
    waitingCount,
    signer: new TokenSigner(options.settings['CHAT_TOKEN_KEY'] ?? ''),
    limiter: new InMemoryRateLimiter({ now }),
    push,
    now,
    surveys,
    settings: { ...trustedProxyHops(options.settings), ...cursorTrust(options.settings), ...options.chat },
  });
  const templates = new TemplateBroadcaster({ client, conversations, messages, optOuts, delivery, channels, now });
  const agentName = async (agentId: string) =>
    (await client.retrieveWithETag<{ fullname?: string | null; firstname?: string | null }>('systemusers', agentId, ['fullname']))?.row.fullname ?? null;
  const pluginWebhooks = createPluginWebhookService({ stepDeps, automated, conversations, agentName, changed: (id) => chat.cursors.forget(id), survey: new SmsSurvey({ conversations, messages, delivery, surveys, now }), ...(options.log ? { log: options.log } : {}) });
  const widgetScript = new FileWidgetScriptService(widgetScriptCandidates(options.settings['WIDGET_SCRIPT_PATH']));
  const broadcasts = new AdminBroadcastService({ broadcaster: templates, adminKey: options.settings['SWITCHBOARD_ADMIN_KEY'] });
  const pushUpstream = pushUpstreamOf(pushConfig, push, routingTrigger, conversations, now, options.log);
  const insightsFold = new DataverseInsightsFold({ store: new DataverseInsightsFoldStore(client), now, ...(options.log ? { log: options.log } : {}) });
  return { insightsFold, bots, botCallbacks, push, pushUpstream, broadcasts, widgetScript, pluginWebhooks, adapters, secrets, channels, conversations, messages, optOuts, delivery, automated, routingTrigger, sms, channelValidation, routingWorker, chat, templates, stepDeps };
}

/** Typing is frequent: who is primary where is remembered for a minute (a transfer shows within it). */
function pushUpstreamOf(config: PushSettings | null, push: PushPort, routing: RoutingTriggerPort, conversations: DataverseConversationStore, now: () => number, log?: (line: string) => void): PushUpstreamService {
  if (!config) return { handle: refuse('Push events (SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING is not set)') };
  const { endpoint, accessKey } = parseConnectionString(config.connectionString);
  const primaries = new Map<string, { primary: string | null; at: number }>();
  return new WebPubSubUpstream({
    serviceHost: endpoint.host,
    accessKey,
    hub: config.hub,
    push,
    routing,
    graceSeconds: config.graceSeconds,
    now,
    ...(log ? { log } : {}),
    isPrimary: async (userId, conversationId) => {
      const key = conversationId.toLowerCase();
      let known = primaries.get(key);
      if (!known || now() - known.at > 60_000) {
        const found = await conversations.get(key);
        known = { primary: found?.row._swb_primaryagentid_value?.toLowerCase() ?? null, at: now() };
        if (primaries.size > 10_000) primaries.clear();
        primaries.set(key, known);
      }
      return known.primary === userId;
    },
  });
}

// ---- services and the functions table ----------------------------------------------------

// A service left out of the factories answers 501 NotImplemented (the HTTP edge) or fails
// (queue and timer hosts): nothing pretends to have worked. The dev host's tests serve the
// table this way, without Dataverse.
function refuse(feature: string): () => Promise<never> {
  return async () => {
    throw new NotImplementedError(feature);
  };
}

export function notImplementedServices(): Services {
  return {
    sms: { handle: refuse('SMS inbound processing') },
    channelValidation: { validate: refuse('Channel API key validation') },
    chat: {
      preflight: refuse('Chat API'),
      widgetConfig: refuse('Chat API'),
      startConversation: refuse('Chat API'),
      readMessages: refuse('Chat API'),
      sendMessage: refuse('Chat API'),
      endConversation: refuse('Chat API'),
      negotiate: refuse('Chat API'),
      typing: refuse('Chat API'),
      answerSurvey: refuse('Chat API'),
    },
    pushUpstream: { handle: refuse('Push events') },
    botCallbacks: { handle: refuse('Webhook bot callbacks') },
    widgetScript: { script: refuse('Widget script delivery') },
    pluginWebhooks: { handle: refuse('Plugin step webhooks') },
    routingWorker: { process: refuse('Routing worker') },
    broadcasts: { send: refuse('Template broadcasts') },
    insightsFold: { run: refuse('Insights fold') },
  };
}

export type ServiceFactories = { [K in keyof Services]?: (infra: Infrastructure) => Services[K] };

// All services share one graph per infrastructure (one Dataverse client, one channel cache).
const graphs = new WeakMap<Infrastructure, ServiceGraph>();

function graphOf(infra: Infrastructure): ServiceGraph {
  let graph = graphs.get(infra);
  if (!graph) {
    graph = buildServiceGraph({
      client: infra.dataverse,
      routingQueue: infra.routingQueue,
      settings: infra.config.appSettings,
      publicBaseUrl: infra.config.publicBaseUrl,
      adapterOptions: apiBaseUrls(infra.config.appSettings),
    });
    graphs.set(infra, graph);
  }
  return graph;
}

/** The shipped services, each from the one graph of its infrastructure. */
export const serviceFactories: ServiceFactories = {
  sms: (infra) => graphOf(infra).sms,
  channelValidation: (infra) => graphOf(infra).channelValidation,
  chat: (infra) => graphOf(infra).chat,
  routingWorker: (infra) => graphOf(infra).routingWorker,
  pluginWebhooks: (infra) => graphOf(infra).pluginWebhooks,
  widgetScript: (infra) => graphOf(infra).widgetScript,
  broadcasts: (infra) => graphOf(infra).broadcasts,
  pushUpstream: (infra) => graphOf(infra).pushUpstream,
  botCallbacks: (infra) => graphOf(infra).botCallbacks,
  insightsFold: (infra) => graphOf(infra).insightsFold,
};

export interface Composition {
  infrastructure: Infrastructure;
  services: Services;
  table: FunctionDef[];
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
    broadcasts: pick('broadcasts'),
    pushUpstream: pick('pushUpstream'),
    botCallbacks: pick('botCallbacks'),
    insightsFold: pick('insightsFold'),
  };
  return { infrastructure, services, table: functionsTable(services, config) };
}
