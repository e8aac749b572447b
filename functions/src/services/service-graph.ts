// Builds every Dataverse-backed service from the infrastructure once: repositories over the
// one DataverseClient, the channel layer, the routing pipeline, chat and outbound. Azure
// (main.ts), the dev host and the tests all compose through here.
import type { RoutingTriggerPort } from '@switchboard/core';
import { handleStepWebhook, recomputeAgent, type PluginConfig, type StepDeps, WebApiDataverseAdapter } from '@switchboard/plugins';
import {
  appSettingsSecretResolver,
  type ChannelDelivery,
  createChannelDelivery,
  createSmsAdapters,
  type SecretResolver,
  type SmsAdapterOptions,
  type SmsAdapters,
  publicUrlFor,
} from '../channels';
import { ChatService, type ChatSettings } from '../chat/chat.service';
import { InMemoryRateLimiter } from '../chat/rate-limiter';
import { TokenSigner } from '../chat/customer-token';
import type { DataverseClient } from '../dataverse/dataverse-client';
import { channelSecretResolver, DataverseChannelDirectory } from '../dataverse/repositories/channel.repository';
import { DataverseConversationStore } from '../dataverse/repositories/conversation.repository';
import { DataverseCustomerFinder } from '../dataverse/repositories/customer.repository';
import { DataverseMessageStore } from '../dataverse/repositories/message.repository';
import { DataverseOptOutStore } from '../dataverse/repositories/opt-out.repository';
import { SmsInboundService } from '../inbound/sms-inbound.service';
import { AdminValidationService } from '../inbound/channel-validation.service';
import { AutomatedMessenger, DataverseAutomatedMessageSource } from '../outbound/automated-messages';
import { TemplateBroadcaster } from '../outbound/template-broadcast';
import { sendLifecycleMessage } from '../outbound/lifecycle-messages';
import { AdminBroadcastService } from '../outbound/broadcast.service';
import { FileWidgetScriptService, widgetScriptCandidates } from '../widget/widget-script.service';
import type { WorkQueue } from '../queue/work-queue';
import { DataverseOfferTimeoutSweeper } from '../routing/offer-timeout.sweeper';
import { queueRoutingTrigger } from '../routing/routing-trigger';
import { DataverseRoutingWorker } from '../routing/routing-worker';
import { RoutingRepository } from '../routing/routing.repository';
import type { Env } from '../config';
import { ConfigError } from '../hosting/errors';
import type { PluginWebhookService } from './contracts';

/** SWITCHBOARD_TRUSTED_PROXY_HOPS: how many proxies append to X-Forwarded-For in front of the app. */
function trustedProxyHops(settings: Env): Partial<ChatSettings> {
  const raw = settings['SWITCHBOARD_TRUSTED_PROXY_HOPS']?.trim();
  if (!raw) return {};
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) throw new ConfigError([`SWITCHBOARD_TRUSTED_PROXY_HOPS must be a whole number from 0 to 10, got "${raw}"`]);
  return { trustedProxyHops: hops };
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
  offerTimeouts: DataverseOfferTimeoutSweeper;
  chat: ChatService;
  templates: TemplateBroadcaster;
  stepDeps: StepDeps;
  pluginWebhooks: PluginWebhookService;
  widgetScript: FileWidgetScriptService;
  broadcasts: AdminBroadcastService;
}

export function buildServiceGraph(options: GraphOptions): ServiceGraph {
  const now = options.now ?? Date.now;
  const client = options.client;
  const ttl = options.cacheTtlMs ?? 30_000;
  const adapters = createSmsAdapters(options.adapterOptions ?? {});
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
    data: new WebApiDataverseAdapter(client.api, { execute: (op) => client.execute(op) }),
    delivery,
    routingTrigger,
    clock: { now },
    config: pluginConfig,
    ...(options.log ? { log: options.log } : {}),
  };
  const repo = new RoutingRepository(client);
  const routingWorker = new DataverseRoutingWorker({
    repo,
    client,
    routing: routingTrigger,
    automated,
    recomputeAgent: (agentId) => recomputeAgent(agentId, stepDeps),
    now,
    ...(options.random ? { random: options.random } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const offerTimeouts = new DataverseOfferTimeoutSweeper({ repo, client, recomputeAgent: (agentId) => recomputeAgent(agentId, stepDeps), routing: routingTrigger });
  const sms = new SmsInboundService({ adapters, channels, secrets, conversations, messages, customers, optOuts, routing: routingTrigger, confirmations, automated, now });
  const channelValidation = new AdminValidationService({ deliveryDeps, adminKey: options.settings['SWITCHBOARD_ADMIN_KEY'] });
  const chat = new ChatService({
    client,
    conversations,
    messages,
    customers,
    routing: routingTrigger,
    automated,
    signer: new TokenSigner(options.settings['CHAT_TOKEN_KEY'] ?? ''),
    limiter: new InMemoryRateLimiter({ now }),
    now,
    settings: { ...trustedProxyHops(options.settings), ...options.chat },
  });
  const templates = new TemplateBroadcaster({ client, conversations, messages, optOuts, delivery, channels, now });
  const agentName = async (agentId: string) =>
    (await client.retrieveWithETag<{ fullname?: string | null; firstname?: string | null }>('systemusers', agentId, ['fullname']))?.row.fullname ?? null;
  // Dataverse plugin steps (webhooks) run the plugins package's handlers on these same ports.
  const pluginWebhooks: PluginWebhookService = {
    async handle(step, executionContext, _context, webhook = {}) {
      const r = await handleStepWebhook(step, executionContext, stepDeps, undefined, webhook);
      // A trimmed context has no images to tell which lifecycle moment this was: no automated
      // message rather than a wrong one (only the customer-facing greeting is lost).
      // Only once the step did its work: a failed step is retried by Dataverse, and so is this.
      if (step === 'conversation-state' && r.status < 300) {
        await sendLifecycleMessage(executionContext, { automated, conversations, agentName }).catch((e: Error) => options.log?.(`lifecycle message failed: ${e.message}`));
      }
      return { status: r.status, ...(r.headers ? { headers: r.headers } : {}), body: r.body };
    },
  };
  const widgetScript = new FileWidgetScriptService(widgetScriptCandidates(options.settings['WIDGET_SCRIPT_PATH']));
  const broadcasts = new AdminBroadcastService({ broadcaster: templates, adminKey: options.settings['SWITCHBOARD_ADMIN_KEY'] });
  return { broadcasts, widgetScript, pluginWebhooks, adapters, secrets, channels, conversations, messages, optOuts, delivery, automated, routingTrigger, sms, channelValidation, routingWorker, offerTimeouts, chat, templates, stepDeps };
}
