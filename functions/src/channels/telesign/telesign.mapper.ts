// TeleSign payloads ⇄ our shapes. Pure apart from node:crypto for the HMAC.
//
// One callback URL receives both kinds of notification (TeleSign's "Transaction Callback
// Service"): mobile-originated messages carry `user_response` and sub_resource "mo_sms";
// delivery reports carry only `reference_id` and `status`. Numbers are bare digits with
// the country code ("11234567890").
//
// Callback authentication (developer.telesign.com/enterprise/docs/authenticate-callbacks):
// TeleSign signs the raw body only — no method, date or path — with HMAC-SHA256 keyed by
// the base64-decoded API key, and sends it as `Authorization: TSA <customer id>:<base64
// signature>`, repeated in `X-TS-Authorization`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DeliveryStatus, InboundEvent, OutboundSms, ParseResult, SendFailureCode, SendResult } from '../channel';
import { failure } from '../channel';
import { parseJson } from '../http';
import { fromProviderDigits, toProviderDigits } from '../numbers';

export function telesignSignature(apiKey: string, rawBody: string): string {
  return createHmac('sha256', Buffer.from(apiKey, 'base64')).update(rawBody, 'utf8').digest('base64');
}

/** Splits "TSA <customer id>:<signature>" (or a bare signature in X-TS-Authorization). */
export function parseTelesignAuthorization(header: string): { customerId?: string; signature: string } | undefined {
  const value = header.trim();
  const match = /^TSA\s+([^:\s]+):(\S+)$/i.exec(value);
  if (match) return { customerId: match[1]!, signature: match[2]! };
  if (/^[A-Za-z0-9+/=]+$/.test(value)) return { signature: value };
  return undefined;
}

export type TelesignCallbackCheck = 'valid' | 'malformed-header' | 'wrong-customer' | 'bad-signature';

export function checkTelesignCallback(header: string, rawBody: string, customerId: string, apiKey: string): TelesignCallbackCheck {
  const parsed = parseTelesignAuthorization(header);
  if (!parsed) return 'malformed-header';
  if (parsed.customerId !== undefined && parsed.customerId.toLowerCase() !== customerId.toLowerCase()) return 'wrong-customer';
  const expected = Buffer.from(telesignSignature(apiKey, rawBody), 'utf8');
  const given = Buffer.from(parsed.signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'valid' : 'bad-signature';
}

interface StatusMapping {
  readonly status: DeliveryStatus;
  readonly final: boolean;
}

// SMS status codes, developer.telesign.com "All status and error codes" / SMS callbacks.
export function mapTelesignStatus(code: number): StatusMapping | undefined {
  if (code === 200 || code === 201) return { status: 'delivered', final: true };
  if (code === 290 || code === 292) return { status: 'queued', final: false };
  if (code === 203 || code === 295 || code === 599) return { status: 'sent', final: false };
  // 250 "final status unknown", 251 "sent, no handset receipt within 12 hours": it left
  // TeleSign and nothing more will come, but delivery cannot be claimed.
  if (code === 250 || code === 251) return { status: 'sent', final: true };
  if ((code >= 204 && code <= 299) || (code >= 500 && code <= 598) || code >= 10000) return { status: 'failed', final: true };
  return undefined;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseTelesignCallback(rawBody: string): ParseResult {
  const json = parseJson(rawBody);
  if (!isObject(json)) return { ok: false, error: { code: 'malformed-body', message: 'TeleSign callbacks are a JSON object.' } };
  const referenceId = typeof json.reference_id === 'string' ? json.reference_id : undefined;
  const status = isObject(json.status) ? json.status : undefined;
  const userResponse = isObject(json.user_response) ? json.user_response : undefined;

  if (userResponse || json.sub_resource === 'mo_sms') {
    if (!userResponse) return { ok: false, error: { code: 'missing-field', message: 'user_response is missing from an mo_sms callback.' } };
    const phone = userResponse.phone_number;
    const text = userResponse.mo_message;
    if (!referenceId || typeof phone !== 'string' || typeof text !== 'string') {
      return { ok: false, error: { code: 'missing-field', message: 'reference_id, user_response.phone_number and user_response.mo_message are required.' } };
    }
    const senderId = typeof userResponse.sender_id === 'string' ? userResponse.sender_id : '';
    const receivedAt = typeof json.submit_timestamp === 'string' ? json.submit_timestamp : typeof status?.updated_on === 'string' ? status.updated_on : undefined;
    const event: InboundEvent = {
      kind: 'message',
      provider: 'telesign',
      providerMessageId: referenceId,
      from: fromProviderDigits(phone),
      // sender_id is the long or short code the customer wrote to.
      to: fromProviderDigits(senderId),
      body: text,
      mediaUrls: [],
      ...(receivedAt ? { receivedAt } : {}),
    };
    return { ok: true, events: [event] };
  }

  if (status && referenceId) {
    const code = typeof status.code === 'number' ? status.code : Number.parseInt(String(status.code), 10);
    if (!Number.isFinite(code)) return { ok: false, error: { code: 'missing-field', message: 'status.code is not a number.' } };
    const mapped = mapTelesignStatus(code);
    if (!mapped) return { ok: true, events: [{ kind: 'ignored', provider: 'telesign', reason: `Status code ${code} is not an SMS delivery status.` }] };
    const errors = Array.isArray(json.errors) ? json.errors.filter(isObject) : [];
    const firstError = errors[0];
    const description = typeof status.description === 'string' ? status.description : undefined;
    const event: InboundEvent = {
      kind: 'status',
      provider: 'telesign',
      providerMessageId: referenceId,
      status: mapped.status,
      final: mapped.final,
      providerStatus: String(code),
      ...(mapped.status === 'failed' ? { errorCode: String(firstError?.code ?? code) } : {}),
      ...(mapped.status === 'failed' && (typeof firstError?.description === 'string' || description)
        ? { errorMessage: typeof firstError?.description === 'string' ? firstError.description : description }
        : {}),
      ...(typeof status.updated_on === 'string' ? { occurredAt: status.updated_on } : {}),
      ...(typeof json.external_id === 'string' && json.external_id !== '' ? { clientReference: json.external_id } : {}),
    };
    return { ok: true, events: [event] };
  }

  // Template, Viber, WhatsApp… callbacks may share the URL; they are not ours to store.
  if (referenceId) return { ok: true, events: [{ kind: 'ignored', provider: 'telesign', reason: `Callback for sub_resource "${String(json.sub_resource ?? 'unknown')}" is not SMS.` }] };
  return { ok: false, error: { code: 'missing-field', message: 'reference_id is missing.' } };
}

export function telesignSendForm(msg: OutboundSms): Record<string, string | undefined> {
  return {
    // TeleSign wants the number with country code and no "+".
    phone_number: toProviderDigits(msg.to),
    message: msg.body,
    // Account-related notification: conversational replies are neither OTP nor marketing.
    message_type: 'ARN',
    sender_id: msg.from ? toProviderDigits(msg.from) : undefined,
    external_id: msg.clientReference,
  };
}

// Error codes (errors[].code), TeleSign "All status and error codes". Older accounts
// still return the negative five-digit forms of the same conditions.
const ERROR_CODES: Readonly<Record<string, SendFailureCode>> = {
  '10008': 'credentials-rejected',
  '10009': 'credentials-rejected',
  '10015': 'credentials-rejected',
  '10022': 'credentials-rejected',
  '10028': 'credentials-rejected',
  '-30000': 'credentials-rejected',
  '-30001': 'credentials-rejected',
  '-30002': 'credentials-rejected',
  '-30003': 'credentials-rejected',
  '-30004': 'credentials-rejected',
  '-30005': 'credentials-rejected',
  '-30006': 'credentials-rejected',
  '-30007': 'credentials-rejected',
  '-30008': 'credentials-rejected',
  '-30009': 'credentials-rejected',
  '-30010': 'credentials-rejected',
  '10010': 'account-inactive',
  '10011': 'account-inactive',
  '10030': 'account-inactive',
  '10019': 'rate-limited',
  '11000': 'invalid-recipient',
  '11001': 'invalid-recipient',
  '10033': 'trial-restriction',
};

// Status codes that say the sender (our number) is the problem.
const SENDER_STATUS_CODES = new Set([502, 508, 521]);

export function mapTelesignSendResponse(httpStatus: number, body: string): SendResult {
  const json = parseJson(body);
  const obj = isObject(json) ? json : {};
  const status = isObject(obj.status) ? obj.status : {};
  const statusCode = typeof status.code === 'number' ? status.code : undefined;
  const errors = Array.isArray(obj.errors) ? obj.errors.filter(isObject) : [];
  const firstError = errors[0];
  const providerCode = firstError?.code !== undefined ? String(firstError.code) : statusCode !== undefined ? String(statusCode) : undefined;
  const message =
    typeof firstError?.description === 'string' ? firstError.description
      : typeof status.description === 'string' ? status.description
        : `TeleSign answered HTTP ${httpStatus}.`;

  if (httpStatus >= 200 && httpStatus < 300) {
    const referenceId = typeof obj.reference_id === 'string' ? obj.reference_id : undefined;
    const mapped = statusCode !== undefined ? mapTelesignStatus(statusCode) : undefined;
    if (referenceId && (!mapped || mapped.status !== 'failed')) return { ok: true, providerMessageId: referenceId, status: mapped?.status ?? 'queued' };
    if (!referenceId) return failure('provider-error', 'TeleSign accepted the request but returned no reference_id.', { httpStatus, retryable: false });
  }

  for (const e of errors) {
    const code = ERROR_CODES[String(e.code)];
    if (code) return failure(code, typeof e.description === 'string' ? e.description : message, { httpStatus, providerCode: String(e.code) });
  }
  if (statusCode !== undefined && SENDER_STATUS_CODES.has(statusCode)) return failure('number-not-owned', message, { httpStatus, providerCode });
  if (httpStatus === 401 || httpStatus === 403) return failure('credentials-rejected', message, { httpStatus, providerCode });
  if (httpStatus === 429) return failure('rate-limited', message, { httpStatus, providerCode });
  if (httpStatus >= 500) return failure('provider-error', message, { httpStatus, providerCode, retryable: true });
  return failure('provider-error', message, { httpStatus, providerCode, retryable: false });
}
