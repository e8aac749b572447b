// Twilio: X-Twilio-Signature checked with Twilio's own validateRequest, outbound through
// the 2010-04-01 Messages REST resource (base URL configurable, so tests and the local
// stack talk to a stand-in).
// The deep import avoids loading the whole REST client (≈200 ms and every API surface)
// just to check a signature; the webhooks module is public and typed.
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import type { InboundEvent, InboundHttpRequest, OutboundSms, ParseResult, ResolvedSecrets, SendResult, SmsChannelAdapter, VerifyResult } from '../channel';
import { failure, headerOf } from '../channel';
import type { HttpClient } from '../http';
import { basicAuth, formBody, joinUrl } from '../http';
import { mapTwilioSendResponse, parseTwilioForm, parseTwilioWebhook, twilioAcknowledgement, twilioSendForm } from './twilio.mapper';

export const TWILIO_API_BASE_URL = 'https://api.twilio.com';

export interface TwilioAdapterOptions {
  readonly http: HttpClient;
  readonly apiBaseUrl?: string;
}

export function createTwilioAdapter(options: TwilioAdapterOptions): SmsChannelAdapter {
  const apiBaseUrl = options.apiBaseUrl ?? TWILIO_API_BASE_URL;
  return {
    provider: 'twilio',
    secretRoles: ['accountSid', 'authToken'],

    verify(req: InboundHttpRequest, secrets: ResolvedSecrets, publicUrl: string): VerifyResult {
      const authToken = secrets.authToken;
      if (!authToken) return { ok: false, reason: 'missing-secret', detail: 'The channel has no Twilio auth token setting.' };
      const signature = headerOf(req, 'x-twilio-signature');
      if (!signature) return { ok: false, reason: 'missing-signature', detail: 'X-Twilio-Signature header is missing.' };
      // Twilio signs the URL it was configured with plus the decoded POST parameters; the
      // library also tries the URL with and without an explicit port, as Twilio does.
      let valid: boolean;
      try {
        valid = validateRequest(authToken, signature, publicUrl, parseTwilioForm(req.rawBody));
      } catch {
        // The library parses the URL and throws on a malformed one: our setting, not their request.
        return { ok: false, reason: 'misconfigured', detail: `The public URL "${publicUrl}" is not a valid absolute URL.` };
      }
      return valid ? { ok: true } : { ok: false, reason: 'bad-signature', detail: 'X-Twilio-Signature does not match this URL, body and auth token.' };
    },

    parseInbound(req: InboundHttpRequest): ParseResult {
      if (req.method.toUpperCase() !== 'POST') return { ok: false, error: { code: 'unsupported-method', message: 'Twilio webhooks must use POST.' } };
      return parseTwilioWebhook(req.rawBody);
    },

    acknowledge(_events: readonly InboundEvent[]) {
      return twilioAcknowledgement();
    },

    async send(msg: OutboundSms, secrets: ResolvedSecrets): Promise<SendResult> {
      const { accountSid, authToken } = secrets;
      if (!accountSid || !authToken) return failure('missing-secret', 'The channel needs both a Twilio account SID and auth token setting.');
      const url = joinUrl(apiBaseUrl, `/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`);
      const outcome = await options.http.send({
        method: 'POST',
        url,
        headers: {
          authorization: basicAuth(accountSid, authToken),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: formBody(twilioSendForm(msg)),
      });
      if (!outcome.ok) return failure('unreachable', `Could not reach Twilio at ${apiBaseUrl}: ${outcome.message}`);
      return mapTwilioSendResponse(outcome.status, outcome.body);
    },
  };
}
