import type { InvocationContext } from '@azure/functions';
import type { HttpReply, InboundHttpRequest, SmsProvider } from '../channels/channel';
import type { HttpResult } from '../hosting/http';

// The services behind the public routes. Handlers only parse and map; everything a route
// decides lives behind one of these interfaces, built in composition.ts.

// A parsed request for JSON APIs: the body is already size-limited and JSON-decoded.
export interface ApiRequest {
  method: string;
  url: string;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  headers: Readonly<Record<string, string>>;
  body: unknown;
}

export interface SmsCallback {
  provider: SmsProvider;
  // Twilio posts messages and statuses to different URLs; TeleSign and ACS mix both on one.
  kind: 'message' | 'status' | 'mixed';
  channelId: string;
  request: InboundHttpRequest;
  // The URL as the provider called it, rebuilt from PUBLIC_BASE_URL (signatures cover it).
  publicUrl: string;
}

export interface SmsCallbackService {
  handle(callback: SmsCallback, context: InvocationContext): Promise<HttpReply>;
}

export interface ChannelValidationService {
  validate(channelId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
}

export interface ChatApiService {
  preflight(request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
  widgetConfig(widgetId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
  startConversation(widgetId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
  readMessages(conversationId: string, after: number, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
  sendMessage(conversationId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
  endConversation(conversationId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
}

export interface WidgetScriptService {
  script(request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
}

// Dataverse plugin steps arrive as webhooks carrying a RemoteExecutionContext.
export interface PluginWebhookService {
  /** `trimmed`: Dataverse left InputParameters and images out (context over 256 KB). */
  handle(step: string, executionContext: unknown, context: InvocationContext, options?: { trimmed?: boolean }): Promise<HttpResult>;
}

// Consumes the routing work queue. Throwing makes the host retry the item, then poison it.
export interface RoutingWorker {
  process(workItem: unknown, meta: { dequeueCount: number; messageId: string }, context: InvocationContext): Promise<void>;
}

// Admin only: a message template sent to many customers (see outbound/template-broadcast.ts).
export interface BroadcastService {
  send(request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
}

export interface OfferTimeoutSweeper {
  sweep(now: Date, context: InvocationContext): Promise<void>;
}

export interface Services {
  sms: SmsCallbackService;
  channelValidation: ChannelValidationService;
  chat: ChatApiService;
  widgetScript: WidgetScriptService;
  pluginWebhooks: PluginWebhookService;
  routingWorker: RoutingWorker;
  offerTimeouts: OfferTimeoutSweeper;
  broadcasts: BroadcastService;
}
