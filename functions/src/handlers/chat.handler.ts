import type { HttpHandler } from '@azure/functions';
import { HttpError } from '../hosting/errors';
import { guarded, toResponse } from '../hosting/http';
import type { ChatApiService } from '../chat/chat-api';
import type { WidgetScriptService } from '../widget/widget-script.service';
import { apiRequest, routeParam } from './request';

// Browsers send CORS preflights to every chat route; the answer depends on the widget's
// allowed origins, so the chat service decides it too.
function withPreflight(chat: ChatApiService, handler: HttpHandler): HttpHandler {
  return guarded(async (request, context) => {
    if (request.method === 'OPTIONS') {
      return toResponse(await chat.preflight(await apiRequest(request, { body: 'none', maxBytes: 0 }), context));
    }
    return handler(request, context);
  });
}

export function chatHandlers(chat: ChatApiService, widget: WidgetScriptService, limits: { maxMessageBytes: number; maxStartBytes: number }) {
  return {
    widgetConfig: withPreflight(chat, async (request, context) =>
      toResponse(await chat.widgetConfig(routeParam(request, 'widgetId'), await apiRequest(request, { body: 'none', maxBytes: 0 }), context)),
    ),
    startConversation: withPreflight(chat, async (request, context) =>
      toResponse(
        await chat.startConversation(routeParam(request, 'widgetId'), await apiRequest(request, { body: 'json', maxBytes: limits.maxStartBytes }), context),
      ),
    ),
    messages: withPreflight(chat, async (request, context) => {
      const conversationId = routeParam(request, 'id');
      if (request.method === 'GET') {
        const afterText = request.query.get('after') ?? '0';
        if (!/^\d{1,15}$/.test(afterText)) throw new HttpError(400, 'InvalidQuery', '"after" must be a non-negative integer.');
        return toResponse(await chat.readMessages(conversationId, Number(afterText), await apiRequest(request, { body: 'none', maxBytes: 0 }), context));
      }
      return toResponse(await chat.sendMessage(conversationId, await apiRequest(request, { body: 'json', maxBytes: limits.maxMessageBytes }), context));
    }),
    endConversation: withPreflight(chat, async (request, context) =>
      toResponse(await chat.endConversation(routeParam(request, 'id'), await apiRequest(request, { body: 'optional-json', maxBytes: limits.maxMessageBytes }), context)),
    ),
    negotiate: withPreflight(chat, async (request, context) =>
      toResponse(await chat.negotiate(routeParam(request, 'id'), await apiRequest(request, { body: 'optional-json', maxBytes: 1024 }), context)),
    ),
    typing: withPreflight(chat, async (request, context) =>
      toResponse(await chat.typing(routeParam(request, 'id'), await apiRequest(request, { body: 'optional-json', maxBytes: 1024 }), context)),
    ),
    answerSurvey: withPreflight(chat, async (request, context) =>
      toResponse(await chat.answerSurvey(routeParam(request, 'id'), await apiRequest(request, { body: 'json', maxBytes: limits.maxMessageBytes }), context)),
    ),
    widgetScript: guarded(async (request, context) => toResponse(await widget.script(await apiRequest(request, { body: 'none', maxBytes: 0 }), context))),
  };
}
