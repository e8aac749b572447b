// TeleSign: callbacks authenticated with TeleSign's callback HMAC; outbound through the
// REST SMS API (POST /v1/messaging, Basic auth with customer id and API key). The
// `telesignsdk` package adds nothing we need over one form POST and signs with a clock
// and nonce we would have to fake in tests, so the REST call is made directly.
import type { InboundEvent, InboundHttpRequest, OutboundSms, ParseResult, ResolvedSecrets, SendResult, SmsChannelAdapter, VerifyResult } from '../channel';
import { failure, headerOf } from '../channel';
import type { HttpClient } from '../http';
import { basicAuth, formBody, joinUrl } from '../http';
import { checkTelesignCallback, mapTelesignSendResponse, parseTelesignCallback, telesignSendForm } from './telesign.mapper';

export const TELESIGN_API_BASE_URL = 'https://rest-api.telesign.com';

export interface TelesignAdapterOptions {
  readonly http: HttpClient;
  readonly apiBaseUrl?: string;
}

export function createTelesignAdapter(options: TelesignAdapterOptions): SmsChannelAdapter {
  const apiBaseUrl = options.apiBaseUrl ?? TELESIGN_API_BASE_URL;
  return {
    provider: 'telesign',
    secretRoles: ['customerId', 'apiKey'],

    // The public URL plays no part: TeleSign signs the body only.
    verify(req: InboundHttpRequest, secrets: ResolvedSecrets, _publicUrl: string): VerifyResult {
      const { customerId, apiKey } = secrets;
      if (!customerId || !apiKey) return { ok: false, reason: 'missing-secret', detail: 'The channel needs both a TeleSign customer id and API key setting.' };
      const header = headerOf(req, 'authorization') ?? headerOf(req, 'x-ts-authorization');
      if (!header) return { ok: false, reason: 'missing-signature', detail: 'Authorization header is missing.' };
      const check = checkTelesignCallback(header, req.rawBody, customerId, apiKey);
      if (check === 'valid') return { ok: true };
      const detail = {
        'malformed-header': 'Authorization is not "TSA <customer id>:<signature>".',
        'wrong-customer': 'The callback is signed for another TeleSign customer id.',
        'bad-signature': 'The signature does not match this body and API key.',
      }[check];
      return { ok: false, reason: check === 'malformed-header' ? 'missing-signature' : 'bad-signature', detail };
    },

    parseInbound(req: InboundHttpRequest): ParseResult {
      if (req.method.toUpperCase() !== 'POST') return { ok: false, error: { code: 'unsupported-method', message: 'TeleSign callbacks must use POST.' } };
      return parseTelesignCallback(req.rawBody);
    },

    // TeleSign retries anything but a 200, three more times.
    acknowledge(_events: readonly InboundEvent[]) {
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{}' };
    },

    async send(msg: OutboundSms, secrets: ResolvedSecrets): Promise<SendResult> {
      const { customerId, apiKey } = secrets;
      if (!customerId || !apiKey) return failure('missing-secret', 'The channel needs both a TeleSign customer id and API key setting.');
      const outcome = await options.http.send({
        method: 'POST',
        url: joinUrl(apiBaseUrl, '/v1/messaging'),
        headers: {
          authorization: basicAuth(customerId, apiKey),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: formBody(telesignSendForm(msg)),
      });
      if (!outcome.ok) return failure('unreachable', `Could not reach TeleSign at ${apiBaseUrl}: ${outcome.message}`);
      return mapTelesignSendResponse(outcome.status, outcome.body);
    },
  };
}
