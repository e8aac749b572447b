// HTTP and signing helpers for the security suites: raw requests (any method, content type,
// bytes), and the providers' real signing schemes so "badly signed" means one thing wrong.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import fc from 'fast-check';
import { PUBLIC_BASE, SECRETS, TELESIGN_CUSTOMER, TWILIO_SID } from './security-stack';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

export async function call(baseUrl: string, method: string, path: string, init: { headers?: Record<string, string>; body?: string | Uint8Array } = {}): Promise<Reply> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: init.headers ?? {},
    ...(init.body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body: init.body as BodyInit } : {}),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A body sent chunked, without Content-Length, so only counting while reading can stop it. */
export function callChunked(baseUrl: string, path: string, headers: Record<string, string>, chunk: Buffer, chunks: number): Promise<{ status: number; text: string }> {
  const url = new URL(`${baseUrl}${path}`);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    // The server may answer 413 and close while we still write: that is the point.
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
    let sent = 0;
    const pump = () => {
      while (sent < chunks) {
        sent++;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

/**
 * A refusal as the contract states it: a 4xx (never 2xx, never 5xx) whose body is the JSON error
 * shape. `hostMayAnswer`: the Functions host itself answers unknown paths/methods (404) and a
 * missing function key (401) with an empty body, as Azure does, before our code runs.
 */
export function expectRefused(reply: Reply | { status: number; text: string }, options: { hostMayAnswer?: boolean } = {}): void {
  const where = `${reply.status} ${reply.text.slice(0, 200)}`;
  if (reply.status < 400 || reply.status > 499) throw new Error(`expected a 4xx, got ${where}`);
  if (reply.text === '' && options.hostMayAnswer && (reply.status === 404 || reply.status === 401)) return;
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(reply.text) as typeof body;
  } catch {
    throw new Error(`expected a JSON error body, got ${where}`);
  }
  if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string') throw new Error(`expected { error: { code, message } }, got ${where}`);
}

// ---- provider signing ---------------------------------------------------------------------

export function formOf(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export function twilioSignature(token: string, path: string, params: Record<string, string>): string {
  return getExpectedTwilioSignature(token, `${PUBLIC_BASE}${path}`, params);
}

export function telesignSignature(apiKey: string, body: string): string {
  return createHmac('sha256', Buffer.from(apiKey, 'base64')).update(body, 'utf8').digest('base64');
}

export function telesignAuth(body: string, apiKey = SECRETS.SWB_SEC_TELESIGN_APIKEY, customer = TELESIGN_CUSTOMER): string {
  return `TSA ${customer}:${telesignSignature(apiKey, body)}`;
}

let serial = 0;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

export function twilioInbound(from: string, to: string, body: string, sid = `SM${hex(Date.now(), 16)}${hex(++serial, 16)}`): Record<string, string> {
  return { MessageSid: sid, SmsMessageSid: sid, SmsSid: sid, AccountSid: TWILIO_SID, From: from, To: to, Body: body, NumMedia: '0', SmsStatus: 'received', ApiVersion: '2010-04-01' };
}

export function telesignInbound(from: string, to: string, body: string, reference = `${hex(Date.now(), 16)}${hex(++serial, 16)}`.toUpperCase()): string {
  const now = new Date().toISOString();
  return JSON.stringify({
    reference_id: reference,
    sub_resource: 'mo_sms',
    submit_timestamp: now,
    status: { code: 200, description: 'Delivered to handset', updated_on: now },
    user_response: { phone_number: from.replace(/^\+/, ''), mo_message: body, sender_id: to.replace(/^\+/, '') },
  });
}

export function acsInbound(from: string, to: string, body: string, id = `Incoming_${hex(Date.now(), 16)}${hex(++serial, 16)}`): string {
  const at = new Date().toISOString();
  return JSON.stringify([
    {
      id,
      topic: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sec/providers/Microsoft.Communication/CommunicationServices/sec',
      subject: `/phonenumber/${to.replace(/^\+/, '')}`,
      data: { MessageId: id, From: from, To: to, Message: body, ReceivedTimestamp: at },
      eventType: 'Microsoft.Communication.SMSReceived',
      dataVersion: '1.0',
      metadataVersion: '1',
      eventTime: at,
    },
  ]);
}

// ---- arbitraries ----------------------------------------------------------------------------

export const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/x-www-form-urlencoded',
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'text/xml',
    'multipart/form-data; boundary=----x',
    'application/cloudevents-batch+json',
    'application/octet-stream',
    '',
  ),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n\0]/g, '')),
);

const formDict = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 8 }).map(formOf);

/** Anything a hostile or broken client might send as a body. */
export const junkBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.json({ maxDepth: 3 }),
  fc.uint8Array({ maxLength: 300 }),
  formDict,
  // Invalid UTF-8 byte runs.
  fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 40 }).map((b) => Uint8Array.from(b)),
);

/** Strings that are not a valid secret but look like one (prefixes, case changes, random). */
export function wrongSecret(secret: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s !== secret && !/[\r\n\0]/.test(s)),
    fc.integer({ min: 1, max: secret.length - 1 }).map((n) => secret.slice(0, n)),
    fc.constant(secret.toUpperCase()).filter((s) => s !== secret),
    fc.constant(`${secret} `),
    fc.constant(`${secret}x`),
    fc.integer({ min: 0, max: secret.length - 1 }).map((i) => secret.slice(0, i) + (secret[i] === 'a' ? 'b' : 'a') + secret.slice(i + 1)),
  ).filter((s) => s.trim() !== secret);
}

export const guid = fc.uuid({ version: 4 });
export const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
