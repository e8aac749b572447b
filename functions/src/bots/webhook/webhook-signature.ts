// Switchboard's webhook-bot signature rule, the same in both directions (Switchboard → bot events,
// bot → Switchboard callbacks):
//
//   x-switchboard-timestamp: <unix seconds>
//   x-switchboard-signature: sha256=<lowercase hex of HMAC-SHA256(secret, "<timestamp>.<raw body>")>
//
// The timestamp is inside the signed string so a captured request cannot be replayed later with a
// fresh timestamp; the receiver refuses timestamps more than 5 minutes away from its clock (either
// way: a clock ahead is no excuse). The raw body is signed byte for byte, before any JSON parsing.
// Several secrets may be accepted at once so a secret can be rotated without downtime.
//
// Pure (node:crypto only, the clock passed in). It lives here, in the shipped app, because
// Switchboard signs its events and checks the bots' callbacks with it; the sample bot in
// dev/src/webhook-bot re-exports this file, so the two sides cannot drift apart.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-switchboard-signature';
export const TIMESTAMP_HEADER = 'x-switchboard-timestamp';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing-headers' | 'malformed-timestamp' | 'stale-timestamp' | 'malformed-signature' | 'bad-signature' };

export function webhookSignature(secret: string, timestamp: string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`, 'utf8');
  hmac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

/** The two headers to send with `rawBody`. */
export function signWebhook(secret: string, rawBody: string | Buffer, nowSeconds: number): Record<string, string> {
  const timestamp = String(Math.floor(nowSeconds));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: webhookSignature(secret, timestamp, rawBody) };
}

export interface SignedRequest {
  /** one secret, or the ones accepted during a rotation */
  secrets: string | readonly string[];
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string | Buffer;
  nowSeconds: number;
  toleranceSeconds?: number;
}

export function verifyWebhookSignature(request: SignedRequest): SignatureCheck {
  const { timestamp, signature } = request;
  if (timestamp === undefined || signature === undefined || timestamp === '' || signature === '') return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed-timestamp' };
  if (Math.abs(request.nowSeconds - Number(timestamp)) > (request.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale-timestamp' };
  const given = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
  if (!given) return { ok: false, reason: 'malformed-signature' };
  const givenBytes = Buffer.from(given[1]!.toLowerCase(), 'hex');
  const secrets = typeof request.secrets === 'string' ? [request.secrets] : request.secrets;
  for (const secret of secrets) {
    const expected = Buffer.from(webhookSignature(secret, timestamp, request.rawBody).slice('sha256='.length), 'hex');
    if (timingSafeEqual(expected, givenBytes)) return { ok: true };
  }
  return { ok: false, reason: 'bad-signature' };
}
