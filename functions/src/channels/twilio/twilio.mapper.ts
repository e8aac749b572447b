// Twilio payloads ⇄ our shapes. Pure: no I/O, no SDK.
// Inbound and status webhooks are application/x-www-form-urlencoded with PascalCase
// parameters (MessageSid, From, To, Body, NumMedia, MediaUrl0…, MessageStatus,
// ErrorCode). Twilio adds parameters without notice, so unknown ones are ignored here
// (and still signed over by validateRequest, which takes every parameter).
import type { DeliveryStatus, HttpReply, InboundEvent, OutboundSms, ParseResult, SendFailureCode, SendResult } from '../channel';
import { failure } from '../channel';
import { parseJson } from '../http';

export function parseTwilioForm(rawBody: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawBody)) params[key] = value;
  return params;
}

interface StatusMapping {
  readonly status: DeliveryStatus;
  readonly final: boolean;
}

// https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
const STATUS: Readonly<Record<string, StatusMapping>> = {
  accepted: { status: 'queued', final: false },
  scheduled: { status: 'queued', final: false },
  queued: { status: 'queued', final: false },
  sending: { status: 'sent', final: false },
  sent: { status: 'sent', final: false },
  delivered: { status: 'delivered', final: true },
  read: { status: 'delivered', final: true },
  partially_delivered: { status: 'delivered', final: true },
  undelivered: { status: 'failed', final: true },
  failed: { status: 'failed', final: true },
  canceled: { status: 'failed', final: true },
};

export function mapTwilioStatus(value: string): StatusMapping | undefined {
  return STATUS[value.toLowerCase()];
}

export function parseTwilioWebhook(rawBody: string): ParseResult {
  if (rawBody.trim() === '') return { ok: false, error: { code: 'malformed-body', message: 'Empty body; Twilio posts form-encoded parameters.' } };
  if (/^\s*[[{]/.test(rawBody)) return { ok: false, error: { code: 'malformed-body', message: 'Expected a form-encoded body, got JSON.' } };
  const p = parseTwilioForm(rawBody);
  const sid = p.MessageSid ?? p.SmsMessageSid ?? p.SmsSid;
  if (!sid) return { ok: false, error: { code: 'missing-field', message: 'MessageSid is missing.' } };

  // A status callback carries MessageStatus; an incoming message carries SmsStatus=received
  // and (for older payloads) no MessageStatus at all.
  const messageStatus = p.MessageStatus;
  if (messageStatus !== undefined && messageStatus !== 'received' && messageStatus !== 'receiving') {
    const mapped = mapTwilioStatus(messageStatus);
    if (!mapped) return { ok: true, events: [{ kind: 'ignored', provider: 'twilio', reason: `Unknown MessageStatus "${messageStatus}".` }] };
    const event: InboundEvent = {
      kind: 'status',
      provider: 'twilio',
      providerMessageId: sid,
      status: mapped.status,
      final: mapped.final,
      providerStatus: messageStatus,
      ...(p.ErrorCode ? { errorCode: p.ErrorCode } : {}),
      ...(p.ErrorMessage ? { errorMessage: p.ErrorMessage } : {}),
      ...(p.To ? { to: p.To } : {}),
    };
    return { ok: true, events: [event] };
  }

  if (p.From === undefined || p.To === undefined) {
    return { ok: false, error: { code: 'missing-field', message: 'From and To are required on an incoming message.' } };
  }
  const numMedia = Number.parseInt(p.NumMedia ?? '0', 10);
  const mediaUrls: string[] = [];
  for (let i = 0; i < (Number.isFinite(numMedia) ? numMedia : 0); i += 1) {
    const url = p[`MediaUrl${i}`];
    if (url) mediaUrls.push(url);
  }
  // From/To stay exactly as Twilio sent them: E.164 for long codes, digits for short codes.
  return {
    ok: true,
    events: [{ kind: 'message', provider: 'twilio', providerMessageId: sid, from: p.From, to: p.To, body: p.Body ?? '', mediaUrls }],
  };
}

/** An empty TwiML response: we answer later through the REST API, never inline. */
export function twilioAcknowledgement(): HttpReply {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
  };
}

const MESSAGING_SERVICE_SID = /^MG[0-9a-f]{32}$/i;

export function twilioSendForm(msg: OutboundSms): Record<string, string | undefined> {
  // With a Messaging Service, Twilio picks the sender (and handles short-code/long-code
  // fallback); sending both From and MessagingServiceSid risks error 21660.
  const sender = MESSAGING_SERVICE_SID.test(msg.from) ? { MessagingServiceSid: msg.from } : { From: msg.from };
  return {
    To: msg.to,
    ...sender,
    Body: msg.body,
    StatusCallback: msg.statusCallbackUrl,
  };
}

// Twilio REST error codes (https://www.twilio.com/docs/api/errors) → what an admin can act on.
const ERROR_CODES: Readonly<Record<string, { code: SendFailureCode }>> = {
  '20003': { code: 'credentials-rejected' },
  '20404': { code: 'credentials-rejected' }, // the account in the URL does not exist for these credentials
  '20005': { code: 'account-inactive' },
  '30002': { code: 'account-inactive' },
  '21601': { code: 'number-not-owned' },
  '21606': { code: 'number-not-owned' },
  '21212': { code: 'number-not-owned' },
  '21659': { code: 'number-not-owned' },
  '21660': { code: 'number-not-owned' },
  '21661': { code: 'number-not-owned' },
  '21211': { code: 'invalid-recipient' },
  '21614': { code: 'invalid-recipient' },
  '21612': { code: 'invalid-recipient' },
  '21408': { code: 'invalid-recipient' }, // region not enabled for this destination
  '21610': { code: 'recipient-opted-out' },
  '21608': { code: 'trial-restriction' },
  '21219': { code: 'trial-restriction' },
  '20429': { code: 'rate-limited' },
  '14107': { code: 'rate-limited' },
};

/** Maps a Messages.json response to our result. `body` is Twilio's JSON ({sid,status} or {code,message,status}). */
export function mapTwilioSendResponse(httpStatus: number, body: string): SendResult {
  const json = parseJson(body) as Record<string, unknown> | undefined;
  if (httpStatus >= 200 && httpStatus < 300) {
    const sid = typeof json?.sid === 'string' ? json.sid : undefined;
    if (!sid) return failure('provider-error', 'Twilio accepted the request but returned no message sid.', { httpStatus, retryable: false });
    const mapped = typeof json?.status === 'string' ? mapTwilioStatus(json.status) : undefined;
    return { ok: true, providerMessageId: sid, status: mapped?.status ?? 'queued' };
  }
  const providerCode = json?.code !== undefined ? String(json.code) : undefined;
  const message = typeof json?.message === 'string' ? json.message : `Twilio answered HTTP ${httpStatus}.`;
  const known = providerCode ? ERROR_CODES[providerCode] : undefined;
  if (known) return failure(known.code, message, { httpStatus, providerCode });
  if (httpStatus === 401 || httpStatus === 403) return failure('credentials-rejected', message, { httpStatus, providerCode });
  if (httpStatus === 429) return failure('rate-limited', message, { httpStatus, providerCode });
  if (httpStatus >= 500) return failure('provider-error', message, { httpStatus, providerCode, retryable: true });
  return failure('provider-error', message, { httpStatus, providerCode, retryable: false });
}
