// The chat customer's only credential: an HMAC-SHA256-signed, expiring token naming one
// conversation. The key comes from the CHAT_TOKEN_KEY app setting (deliberately not SWB_*,
// which channel rows may name). The conversation row stores only the token's SHA-256, so a
// database reader cannot impersonate a customer, and clearing the hash revokes the token.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../hosting/errors';

export type TokenCheck =
  | { ok: true; conversationId: string; expiresAt: number }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

const b64 = (buf: Buffer) => buf.toString('base64url');

export class TokenSigner {
  constructor(private readonly key: string) {}

  private hmac(payload: string): Buffer {
    // Checked at use, not at startup: the SMS routes must keep working on an app whose chat is not configured.
    if (this.key.length < 32) throw new ConfigError(['CHAT_TOKEN_KEY must be set to at least 32 characters for the chat API']);
    return createHmac('sha256', this.key).update(payload).digest();
  }

  issue(conversationId: string, expiresAt: number, nonce: string): string {
    const payload = b64(Buffer.from(JSON.stringify({ c: conversationId, e: Math.floor(expiresAt / 1000), n: nonce }), 'utf8'));
    return `${payload}.${b64(this.hmac(payload))}`;
  }

  check(token: string, now: number): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
    const expected = this.hmac(parts[0]);
    const given = Buffer.from(parts[1], 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
    let claims: { c?: unknown; e?: unknown };
    try {
      claims = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { c?: unknown; e?: unknown };
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof claims.c !== 'string' || typeof claims.e !== 'number') return { ok: false, reason: 'malformed' };
    const expiresAt = claims.e * 1000;
    if (expiresAt <= now) return { ok: false, reason: 'expired' };
    return { ok: true, conversationId: claims.c, expiresAt };
  }
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
