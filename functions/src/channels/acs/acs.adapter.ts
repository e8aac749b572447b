// Azure Communication Services: inbound via Event Grid, outbound via @azure/communication-sms
// behind the narrow AcsSmsSender seam.
//
// Event Grid does not sign what it delivers. What it does pass on faithfully is the
// endpoint URL we give it — query string included, on the validation handshake too — and
// any static "delivery property" headers. So the admin appends `?key=<secret>` to the
// endpoint URL (or sets an `x-switchboard-key` delivery header) and we compare that with
// the channel's eventGridKey setting.
import { timingSafeEqual } from 'node:crypto';
import { SmsClient } from '@azure/communication-sms';
import type { InboundEvent, InboundHttpRequest, OutboundSms, ParseResult, ResolvedSecrets, SendResult, SmsChannelAdapter, VerifyResult } from '../channel';
import { failure, headerOf, queryOf } from '../channel';
import type { AcsRecipientResult, AcsThrown } from './acs.mapper';
import { acsAcknowledgement, mapAcsRecipientResult, mapAcsThrown, parseAcsEventGrid } from './acs.mapper';

export const ACS_KEY_QUERY_PARAMETER = 'key';
export const ACS_KEY_HEADER = 'x-switchboard-key';

export interface AcsSendRequest {
  readonly from: string;
  readonly to: string;
  readonly message: string;
  readonly enableDeliveryReport: boolean;
  readonly tag?: string;
}

export type AcsSendOutcome = { readonly ok: true; readonly result: AcsRecipientResult } | { readonly ok: false; readonly error: AcsThrown };

/** The only thing we need from the SDK. */
export interface AcsSmsSender {
  send(req: AcsSendRequest): Promise<AcsSendOutcome>;
}

export type AcsSenderFactory = (connectionString: string) => AcsSmsSender;

// The SDK refuses plain http unless told otherwise; only a loopback stand-in may have it.
function endpointOf(connectionString: string): URL | undefined {
  const endpoint = /(?:^|;)\s*endpoint=([^;]+)/i.exec(connectionString)?.[1]?.trim();
  if (!endpoint) return undefined;
  try {
    return new URL(endpoint);
  } catch {
    return undefined;
  }
}

function isLoopbackHttp(connectionString: string): boolean {
  const url = endpointOf(connectionString);
  return url?.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
}

/** @azure/communication-sms's SmsClient, one per connection string. */
export function sdkAcsSenderFactory(options: { maxRetries?: number } = {}): AcsSenderFactory {
  const clients = new Map<string, SmsClient>();
  return (connectionString) => ({
    async send(req) {
      try {
        let client = clients.get(connectionString);
        if (!client) {
          client = new SmsClient(connectionString, {
            allowInsecureConnection: isLoopbackHttp(connectionString),
            ...(options.maxRetries !== undefined ? { retryOptions: { maxRetries: options.maxRetries } } : {}),
          });
          clients.set(connectionString, client);
        }
        const [result] = await client.send(
          { from: req.from, to: [req.to], message: req.message },
          { enableDeliveryReport: req.enableDeliveryReport, ...(req.tag ? { tag: req.tag } : {}) },
        );
        if (!result) return { ok: false, error: { statusCode: 500, message: 'ACS returned no result for the recipient.' } };
        return {
          ok: true,
          result: {
            to: result.to,
            httpStatusCode: result.httpStatusCode,
            successful: result.successful,
            ...(result.messageId ? { messageId: result.messageId } : {}),
            ...(result.errorMessage ? { errorMessage: result.errorMessage } : {}),
          },
        };
      } catch (err) {
        const e = err as { statusCode?: number; code?: string; message?: string };
        return { ok: false, error: { ...(e.statusCode !== undefined ? { statusCode: e.statusCode } : {}), ...(e.code ? { code: e.code } : {}), message: e.message ?? String(err) } };
      }
    },
  });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface AcsAdapterOptions {
  readonly senderFactory: AcsSenderFactory;
}

export function createAcsAdapter(options: AcsAdapterOptions): SmsChannelAdapter {
  return {
    provider: 'acs',
    secretRoles: ['connectionString', 'eventGridKey'],

    verify(req: InboundHttpRequest, secrets: ResolvedSecrets, _publicUrl: string): VerifyResult {
      const expected = secrets.eventGridKey;
      if (!expected) return { ok: false, reason: 'missing-secret', detail: 'The channel has no Event Grid key setting.' };
      const given = queryOf(req).get(ACS_KEY_QUERY_PARAMETER) ?? headerOf(req, ACS_KEY_HEADER);
      if (!given) return { ok: false, reason: 'missing-signature', detail: `Neither ?${ACS_KEY_QUERY_PARAMETER}= nor ${ACS_KEY_HEADER} is present.` };
      return sameSecret(given, expected) ? { ok: true } : { ok: false, reason: 'bad-signature', detail: 'The Event Grid key does not match the channel\'s.' };
    },

    parseInbound(req: InboundHttpRequest): ParseResult {
      return parseAcsEventGrid(req);
    },

    acknowledge(events: readonly InboundEvent[]) {
      return acsAcknowledgement(events);
    },

    async send(msg: OutboundSms, secrets: ResolvedSecrets): Promise<SendResult> {
      const { connectionString } = secrets;
      if (!connectionString) return failure('missing-secret', 'The channel has no ACS connection string setting.');
      const endpoint = endpointOf(connectionString);
      if (!endpoint || !/accesskey=/i.test(connectionString)) {
        return failure('invalid-configuration', 'The ACS connection string must read "endpoint=https://…;accesskey=…".');
      }
      if (endpoint.protocol !== 'https:' && !isLoopbackHttp(connectionString)) {
        return failure('invalid-configuration', `The ACS endpoint must use https (got ${endpoint.origin}).`);
      }
      const outcome = await options.senderFactory(connectionString).send({
        from: msg.from,
        to: msg.to,
        message: msg.body,
        // Delivery reports arrive through Event Grid as SMSDeliveryReportReceived.
        enableDeliveryReport: true,
        ...(msg.clientReference ? { tag: msg.clientReference } : {}),
      });
      return outcome.ok ? mapAcsRecipientResult(outcome.result) : mapAcsThrown(outcome.error);
    },
  };
}
