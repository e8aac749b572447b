// HS256 JSON Web Tokens as Web PubSub uses them with an access key: the server SDK signs every
// REST request with `aud` = the request URL, and client access tokens carry `aud` = the client
// endpoint. The key is the access key's UTF-8 bytes (jsonwebtoken's handling of a string secret),
// not its base64 decoding.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtPayload = Record<string, unknown> & {
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  sub?: string;
};

/** .NET's token validation allows five minutes of clock skew by default; so does the service. */
export const CLOCK_SKEW_SECONDS = 300;

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

export function signJwt(payload: JwtPayload, key: string): string {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify(payload));
  const signature = createHmac('sha256', Buffer.from(key, 'utf8')).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

export type JwtCheck = { ok: true; payload: JwtPayload } | { ok: false; reason: string };

export interface VerifyOptions {
  key: string;
  /** Seconds since the epoch. */
  nowSeconds: number;
  /** True when one of the token's audiences is acceptable. */
  audience: (aud: string) => boolean;
}

export function verifyJwt(token: string, options: VerifyOptions): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a JWT (expected three dot-separated parts)' };
  const [head, body, signature] = parts as [string, string, string];
  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'the token header or payload is not base64url JSON' };
  }
  // Only HS256: accepting the header's own choice would let `alg: none` through.
  if (!header || typeof header !== 'object' || (header as { alg?: unknown }).alg !== 'HS256') {
    return { ok: false, reason: 'only HS256 tokens signed with the access key are accepted' };
  }
  const expected = createHmac('sha256', Buffer.from(options.key, 'utf8')).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid signature' };
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return { ok: false, reason: 'the token payload is not an object' };
  const claims = payload as JwtPayload;
  if (typeof claims.exp !== 'number') return { ok: false, reason: 'the token has no expiry (exp)' };
  if (claims.exp + CLOCK_SKEW_SECONDS <= options.nowSeconds) return { ok: false, reason: 'the token has expired' };
  if (typeof claims.nbf === 'number' && claims.nbf - CLOCK_SKEW_SECONDS > options.nowSeconds) return { ok: false, reason: 'the token is not valid yet (nbf)' };
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : [];
  if (!audiences.some((a) => options.audience(a))) return { ok: false, reason: `the token audience ${JSON.stringify(claims.aud ?? null)} does not match` };
  return { ok: true, payload: claims };
}

/** Claim values as a list: `role` and `webpubsub.group` are arrays from the SDK, single strings from other issuers. */
export function claimList(payload: JwtPayload, name: string): string[] {
  const v = payload[name];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/**
 * Compares two URLs the way a token audience must match a request: after WHATWG normalisation
 * (the HTTP client re-encodes characters such as `'` in the query that the SDK signed raw),
 * percent-decoding and case folding.
 */
export function sameUrl(a: string, b: string): boolean {
  return canonicalUrl(a) === canonicalUrl(b);
}

export function canonicalUrl(u: string): string {
  let href = u;
  try {
    href = new URL(u).href;
  } catch {
    // not a URL: compare as given
  }
  try {
    href = decodeURIComponent(href);
  } catch {
    // malformed escapes: compare as given
  }
  return href.toLowerCase();
}
