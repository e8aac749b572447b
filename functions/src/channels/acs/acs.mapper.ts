// Azure Communication Services SMS, delivered by Event Grid ⇄ our shapes. Pure.
//
// Event Grid posts in one of two schemas, chosen on the subscription:
//  - Event Grid schema: always a JSON array of { id, topic, subject, eventType, eventTime,
//    data, dataVersion, metadataVersion }; ownership is proven by answering a
//    Microsoft.EventGrid.SubscriptionValidationEvent with { validationResponse }.
//  - CloudEvents 1.0: { specversion, type, source, id, time, subject, data }, one object per
//    request (or an array when batching); ownership is proven by the CloudEvents abuse-
//    protection handshake, an HTTP OPTIONS carrying WebHook-Request-Origin.
// ACS's data keys are camelCase on the wire (messageId, from, to, message,
// receivedTimestamp, deliveryStatus…) while Microsoft's published samples write them
// PascalCase; both are accepted. Numbers in the samples are bare digits.
import type { DeliveryStatus, HttpReply, InboundEvent, InboundHttpRequest, ParseResult, SendFailureCode, SendResult } from '../channel';
import { failure, headerOf } from '../channel';
import { parseJson } from '../http';
import { fromProviderDigits } from '../numbers';

export const EVENT_TYPES = {
  validation: 'Microsoft.EventGrid.SubscriptionValidationEvent',
  received: 'Microsoft.Communication.SMSReceived',
  deliveryReport: 'Microsoft.Communication.SMSDeliveryReportReceived',
} as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a data field whatever its first letter's case ("messageId" / "MessageId"). */
function field(data: Json, name: string): unknown {
  if (name in data) return data[name];
  const pascal = name.charAt(0).toUpperCase() + name.slice(1);
  if (pascal in data) return data[pascal];
  const lower = name.toLowerCase();
  const key = Object.keys(data).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : data[key];
}

const text = (data: Json, name: string): string | undefined => {
  const v = field(data, name);
  return typeof v === 'string' ? v : undefined;
};

export function mapAcsDeliveryStatus(value: string): { status: DeliveryStatus; final: boolean } {
  switch (value.toLowerCase()) {
    case 'delivered':
      return { status: 'delivered', final: true };
    case 'failed':
    case 'expired':
    case 'undelivered':
    case 'rejected':
      return { status: 'failed', final: true };
    default:
      return { status: 'sent', final: false };
  }
}

function cloudEventsHandshake(req: InboundHttpRequest): ParseResult {
  const origin = headerOf(req, 'webhook-request-origin');
  if (!origin) return { ok: false, error: { code: 'unsupported-method', message: 'OPTIONS without WebHook-Request-Origin is not a CloudEvents handshake.' } };
  const reply: HttpReply = {
    status: 200,
    headers: { 'WebHook-Allowed-Origin': origin, 'WebHook-Allowed-Rate': '*', Allow: 'POST, OPTIONS' },
  };
  return { ok: true, events: [{ kind: 'validation', provider: 'acs', reply }] };
}

function mapOne(event: Json): InboundEvent | { error: string } {
  const type = typeof event.eventType === 'string' ? event.eventType : typeof event.type === 'string' ? event.type : undefined;
  if (!type) return { error: 'An event has neither eventType (Event Grid schema) nor type (CloudEvents).' };
  const data = isObject(event.data) ? event.data : undefined;

  if (type === EVENT_TYPES.validation) {
    const code = data ? text(data, 'validationCode') : undefined;
    if (!code) return { error: 'SubscriptionValidationEvent without data.validationCode.' };
    return {
      kind: 'validation',
      provider: 'acs',
      reply: { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ validationResponse: code }) },
    };
  }

  if (type === EVENT_TYPES.received) {
    if (!data) return { error: 'SMSReceived without data.' };
    const messageId = text(data, 'messageId');
    const from = text(data, 'from');
    const to = text(data, 'to');
    const message = text(data, 'message');
    if (!messageId || from === undefined || to === undefined || message === undefined) return { error: 'SMSReceived needs data.messageId, from, to and message.' };
    const receivedAt = text(data, 'receivedTimestamp');
    return {
      kind: 'message', provider: 'acs', providerMessageId: messageId, from: fromProviderDigits(from), to: fromProviderDigits(to), body: message, mediaUrls: [],
      ...(receivedAt ? { receivedAt } : {}),
    };
  }

  if (type === EVENT_TYPES.deliveryReport) {
    if (!data) return { error: 'SMSDeliveryReportReceived without data.' };
    const messageId = text(data, 'messageId');
    const deliveryStatus = text(data, 'deliveryStatus');
    if (!messageId || !deliveryStatus) return { error: 'SMSDeliveryReportReceived needs data.messageId and deliveryStatus.' };
    const mapped = mapAcsDeliveryStatus(deliveryStatus);
    const details = text(data, 'deliveryStatusDetails');
    const to = text(data, 'to');
    const occurredAt = text(data, 'receivedTimestamp');
    const tag = text(data, 'tag');
    return {
      kind: 'status', provider: 'acs', providerMessageId: messageId, status: mapped.status, final: mapped.final, providerStatus: deliveryStatus,
      ...(mapped.status === 'failed' && details ? { errorMessage: details } : {}),
      ...(to ? { to: fromProviderDigits(to) } : {}),
      ...(occurredAt ? { occurredAt } : {}),
      ...(tag ? { clientReference: tag } : {}),
    };
  }

  return { kind: 'ignored', provider: 'acs', reason: `Event type ${type} is not an SMS event.` };
}

export function parseAcsEventGrid(req: InboundHttpRequest): ParseResult {
  const method = req.method.toUpperCase();
  if (method === 'OPTIONS') return cloudEventsHandshake(req);
  if (method !== 'POST') return { ok: false, error: { code: 'unsupported-method', message: 'Event Grid delivers with POST (and OPTIONS for the CloudEvents handshake).' } };
  const json = parseJson(req.rawBody);
  const list = Array.isArray(json) ? json : isObject(json) ? [json] : undefined;
  if (!list) return { ok: false, error: { code: 'malformed-body', message: 'Event Grid posts a JSON array (or one CloudEvent object).' } };
  const events: InboundEvent[] = [];
  for (const item of list) {
    if (!isObject(item)) return { ok: false, error: { code: 'malformed-body', message: 'Every event must be a JSON object.' } };
    const mapped = mapOne(item);
    if ('error' in mapped) return { ok: false, error: { code: 'missing-field', message: mapped.error } };
    events.push(mapped);
  }
  return { ok: true, events };
}

/** A handshake gets its own answer; anything else a bare 200 (Event Grid retries on other codes). */
export function acsAcknowledgement(events: readonly InboundEvent[]): HttpReply {
  const handshake = events.find((e) => e.kind === 'validation');
  if (handshake && handshake.kind === 'validation') return handshake.reply;
  return { status: 200, headers: {} };
}

// ---- outbound -----------------------------------------------------------------------------

/** One recipient's entry of the SMS send response (SmsSendResult in @azure/communication-sms). */
export interface AcsRecipientResult {
  readonly to: string;
  readonly messageId?: string;
  readonly httpStatusCode: number;
  readonly successful: boolean;
  readonly errorMessage?: string;
}

/** What the SDK threw: a RestError from the service, or a transport failure without status. */
export interface AcsThrown {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message: string;
}

export function mapAcsRecipientResult(result: AcsRecipientResult): SendResult {
  if (result.successful && result.messageId) return { ok: true, providerMessageId: result.messageId, status: 'queued' };
  const message = result.errorMessage ?? `ACS answered ${result.httpStatusCode} for ${result.to}.`;
  return classify(result.httpStatusCode, undefined, message);
}

export function mapAcsThrown(error: AcsThrown): SendResult {
  if (error.statusCode === undefined) return failure('unreachable', `Could not reach Azure Communication Services: ${error.message}`, error.code ? { providerCode: error.code } : {});
  return classify(error.statusCode, error.code, error.message);
}

function classify(httpStatus: number, providerCode: string | undefined, message: string): SendResult {
  const extra = { httpStatus, ...(providerCode ? { providerCode } : {}) };
  if (httpStatus === 401 || httpStatus === 403) return failure('credentials-rejected', message, extra);
  if (httpStatus === 429) return failure('rate-limited', message, extra);
  if (httpStatus >= 500) return failure('provider-error', message, { ...extra, retryable: true });
  const code: SendFailureCode = /\bfrom\b|sender|not owned|does not belong/i.test(message)
    ? 'number-not-owned'
    : /\bto\b|recipient|destination|phone number format/i.test(message)
      ? 'invalid-recipient'
      : /opt(ed)?[ -]?out|unsubscrib/i.test(message)
        ? 'recipient-opted-out'
        : 'provider-error';
  return failure(code, message, { ...extra, retryable: false });
}
