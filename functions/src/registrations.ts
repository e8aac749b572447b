import type { FunctionDef } from './hosting/function-def';
import { guarded, headersToRecord, json, KiB, readText, toResponse } from './hosting/http';
import { apiRequest, routeParam } from './handlers/request';
import { chatHandlers } from './handlers/chat.handler';
import { dataverseWebhookHandler } from './handlers/dataverse-webhook.handler';
import { channelValidationHandler, smsCallbackHandler } from './handlers/sms.handler';
import { insightsFoldTimerHandler, routingQueueHandler } from './handlers/background.handler';
import type { ChatApiService } from './chat/chat-api';
import type { ChannelValidationService } from './inbound/channel-validation.service';
import type { SmsCallbackService } from './inbound/sms-inbound.service';
import type { BroadcastService } from './outbound/broadcast.service';
import type { RoutingWorker } from './routing/routing-worker';
import type { PushUpstreamService } from './push/push-upstream.service';
import type { BotCallbackService } from './bots/bot-callback.service';
import type { PluginWebhookService } from './webhooks/plugin-webhook.service';
import type { WidgetScriptService } from './widget/widget-script.service';
import type { InsightsFoldService } from './insights/insights-fold.service';

// The services behind the table's functions: handlers only parse and map; everything a route
// decides lives behind one of these, each declared beside its feature and built in composition.ts.
export interface Services {
  sms: SmsCallbackService;
  channelValidation: ChannelValidationService;
  chat: ChatApiService;
  widgetScript: WidgetScriptService;
  pluginWebhooks: PluginWebhookService;
  routingWorker: RoutingWorker;
  broadcasts: BroadcastService;
  pushUpstream: PushUpstreamService;
  botCallbacks: BotCallbackService;
  insightsFold: InsightsFoldService;
}

export interface TableSettings {
  publicBaseUrl: string;
  webhookKey: string;
  storageConnectionSetting: string;
  queues: { routing: string };
}

// Body limits: SMS callbacks are small forms/JSON; Event Grid may batch events; a Dataverse
// RemoteExecutionContext carries entity images and can reach hundreds of KB.
export const LIMITS = {
  smsBytes: 64 * KiB,
  acsBytes: 1024 * KiB,
  validateBytes: 8 * KiB,
  broadcastBytes: 1024 * KiB,
  chatStartBytes: 32 * KiB,
  chatMessageBytes: 16 * KiB,
  webhookBytes: 2048 * KiB,
  pushEventBytes: 64 * KiB,
  botCallbackBytes: 32 * KiB,
};

export function functionsTable(services: Services, settings: TableSettings): FunctionDef[] {
  const sms = (provider: 'twilio' | 'telesign' | 'acs', kind: 'message' | 'status' | 'mixed', maxBytes = LIMITS.smsBytes) =>
    smsCallbackHandler(services.sms, { provider, kind }, { publicBaseUrl: settings.publicBaseUrl, maxBytes });
  const chat = chatHandlers(services.chat, services.widgetScript, { maxMessageBytes: LIMITS.chatMessageBytes, maxStartBytes: LIMITS.chatStartBytes });

  return [
    // Public provider callbacks: authenticated by the providers' own signatures, so anonymous here.
    { kind: 'http', name: 'sms-twilio-inbound', route: 'sms/twilio/{channelId}', methods: ['POST'], authLevel: 'anonymous', handler: sms('twilio', 'message') },
    { kind: 'http', name: 'sms-twilio-status', route: 'sms/twilio/{channelId}/status', methods: ['POST'], authLevel: 'anonymous', handler: sms('twilio', 'status') },
    { kind: 'http', name: 'sms-telesign', route: 'sms/telesign/{channelId}', methods: ['POST'], authLevel: 'anonymous', handler: sms('telesign', 'mixed') },
    { kind: 'http', name: 'sms-acs', route: 'sms/acs/{channelId}', methods: ['POST', 'OPTIONS'], authLevel: 'anonymous', handler: sms('acs', 'mixed', LIMITS.acsBytes) },
    // Admin only: needs a function key, which the admin app passes when the button is pressed.
    {
      kind: 'http',
      name: 'sms-validate',
      route: 'sms/{channelId}/validate',
      methods: ['POST'],
      authLevel: 'function',
      handler: channelValidationHandler(services.channelValidation, { maxBytes: LIMITS.validateBytes }),
    },
    // Admin only, like validate: function key + SWITCHBOARD_ADMIN_KEY (checked by the service).
    {
      kind: 'http',
      name: 'admin-broadcasts',
      route: 'admin/broadcasts',
      methods: ['POST'],
      authLevel: 'function',
      handler: guarded(async (request, context) => toResponse(await services.broadcasts.send(await apiRequest(request, { body: 'json', maxBytes: LIMITS.broadcastBytes }), context))),
    },
    { kind: 'http', name: 'chat-config', route: 'chat/{widgetId}/config', methods: ['GET', 'OPTIONS'], authLevel: 'anonymous', handler: chat.widgetConfig },
    { kind: 'http', name: 'chat-start', route: 'chat/{widgetId}/conversations', methods: ['POST', 'OPTIONS'], authLevel: 'anonymous', handler: chat.startConversation },
    { kind: 'http', name: 'chat-messages', route: 'chat/conversations/{id}/messages', methods: ['GET', 'POST', 'OPTIONS'], authLevel: 'anonymous', handler: chat.messages },
    { kind: 'http', name: 'chat-end', route: 'chat/conversations/{id}/end', methods: ['POST', 'OPTIONS'], authLevel: 'anonymous', handler: chat.endConversation },
    { kind: 'http', name: 'chat-negotiate', route: 'chat/conversations/{id}/negotiate', methods: ['POST', 'OPTIONS'], authLevel: 'anonymous', handler: chat.negotiate },
    { kind: 'http', name: 'chat-typing', route: 'chat/conversations/{id}/typing', methods: ['POST', 'OPTIONS'], authLevel: 'anonymous', handler: chat.typing },
    { kind: 'http', name: 'chat-csat', route: 'chat/conversations/{id}/csat', methods: ['POST', 'OPTIONS'], authLevel: 'anonymous', handler: chat.answerSurvey },
    { kind: 'http', name: 'chat-widget-script', route: 'chat/widget.js', methods: ['GET'], authLevel: 'anonymous', handler: chat.widgetScript },
    // Authenticated by WEBHOOK_KEY in the handler so the dev host and Azure behave the same.
    {
      kind: 'http',
      name: 'dataverse-webhook',
      route: 'dataverse/{step}',
      methods: ['POST'],
      authLevel: 'anonymous',
      handler: dataverseWebhookHandler(services.pluginWebhooks, { webhookKey: settings.webhookKey, maxBytes: LIMITS.webhookBytes }),
    },
    // Web PubSub's event handler: authenticated by the service's signature (ce-signature) in the service.
    {
      kind: 'http',
      name: 'push-events',
      route: 'push/events',
      methods: ['POST', 'OPTIONS'],
      authLevel: 'anonymous',
      handler: guarded(async (request) => toResponse(await services.pushUpstream.handle(await apiRequest(request, { body: 'optional-json', maxBytes: LIMITS.pushEventBytes })))),
    },
    // Webhook bots answer: authenticated by the bot's HMAC signature over the raw body, in the service.
    {
      kind: 'http',
      name: 'bot-callback',
      route: 'bots/{botId}/conversations/{id}/{action}',
      methods: ['POST'],
      authLevel: 'anonymous',
      handler: guarded(async (request) =>
        toResponse(
          await services.botCallbacks.handle({
            botId: routeParam(request, 'botId'),
            conversationId: routeParam(request, 'id'),
            action: routeParam(request, 'action'),
            rawBody: await readText(request, LIMITS.botCallbackBytes),
            headers: headersToRecord(request.headers),
          }),
        ),
      ),
    },
    { kind: 'http', name: 'health', route: 'health', methods: ['GET'], authLevel: 'anonymous', handler: async () => json(200, { status: 'ok' }) },
    {
      kind: 'queue',
      name: 'routing-worker',
      queueName: settings.queues.routing,
      connection: settings.storageConnectionSetting,
      handler: routingQueueHandler(services.routingWorker),
    },
    // Historical analytics: what changed is folded into the hour, day and month buckets.
    { kind: 'timer', name: 'insights-fold', schedule: '0 */5 * * * *', handler: insightsFoldTimerHandler(services.insightsFold) },
  ];
}
