// Library surface of the functions workspace (for the dev host and other parts of the app).
// The Azure entry point is main.ts.
export * from './hosting/function-def';
export * from './hosting/errors';
export * from './hosting/http';
export * from './config';
export * from './composition';
export * from './registrations';
export type { ApiRequest } from './hosting/http';
export type { ChatApiService } from './chat/chat-api';
export type { ChannelValidationService } from './inbound/channel-validation.service';
export type { SmsCallback, SmsCallbackService } from './inbound/sms-inbound.service';
export type { BroadcastService } from './outbound/broadcast.service';
export type { RoutingWorker } from './routing/routing-worker';
export type { PluginWebhookService } from './webhooks/plugin-webhook.service';
export type { WidgetScriptService } from './widget/widget-script.service';
export * from './dataverse/errors';
export * from './dataverse/retry';
export * from './dataverse/token-source';
export * from './dataverse/dataverse-client';
export * from './queue/work-queue';
export * from './queue/storage-work-queue.adapter';
