import type { InvocationContext } from '@azure/functions';
import type { ApiRequest, HttpResult } from '../hosting/http';

// What the chat routes call (widget/src/contract.ts is the wire contract).
export interface ChatApiService {
  preflight(request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
  widgetConfig(widgetId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
  startConversation(widgetId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
  readMessages(conversationId: string, after: number, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
  sendMessage(conversationId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
  endConversation(conversationId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
  /** The customer's Web PubSub client URL, for their own conversation only ({ url: null } when push is off). */
  negotiate(conversationId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
  /** The customer is typing: told to the conversation's agents. */
  typing(conversationId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
  /** The customer's post-conversation rating and comment (survey-answer.use-case.ts). */
  answerSurvey(conversationId: string, request: ApiRequest, context: InvocationContext): Promise<HttpResult>;
}
