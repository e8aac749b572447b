import type { HttpHandler } from '@azure/functions';
import type { SmsProvider } from '../channels/channel';
import { type ApiRequest, guarded, headersToRecord, readText, toResponse } from '../hosting/http';
import type { ChannelValidationService } from '../inbound/channel-validation.service';
import type { SmsCallback, SmsCallbackService } from '../inbound/sms-inbound.service';
import { apiRequest, publicUrlOf, routeParam } from './request';

export function smsCallbackHandler(
  sms: SmsCallbackService,
  route: { provider: SmsProvider; kind: SmsCallback['kind'] },
  options: { publicBaseUrl: string; maxBytes: number },
): HttpHandler {
  return guarded(async (request, context) => {
    const channelId = routeParam(request, 'channelId');
    // The raw text, untouched: providers sign the exact bytes or form fields they sent.
    const rawBody = await readText(request, options.maxBytes);
    const reply = await sms.handle(
      {
        provider: route.provider,
        kind: route.kind,
        channelId,
        request: { method: request.method, url: request.url, headers: headersToRecord(request.headers), rawBody },
        publicUrl: publicUrlOf(request, options.publicBaseUrl),
      },
      context,
    );
    return { status: reply.status, headers: { ...reply.headers }, ...(reply.body !== undefined ? { body: reply.body } : {}) };
  });
}

export function channelValidationHandler(service: ChannelValidationService, options: { maxBytes: number }): HttpHandler {
  return guarded(async (request, context) => {
    const channelId = routeParam(request, 'channelId');
    const api: ApiRequest = await apiRequest(request, { body: 'optional-json', maxBytes: options.maxBytes });
    return toResponse(await service.validate(channelId, api, context));
  });
}
