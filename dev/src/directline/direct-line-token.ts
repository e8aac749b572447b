// Direct Line tokens. Real ones are JWTs whose claims name the bot, the site, the conversation
// and (when the token was generated for one) the user; botframework-directlinejs decodes them
// with jwt-decode to find `user` (DirectLine.setUserId refuses to override a user embedded in the
// token). So ours are JWTs too, HS256-signed with a key of this stand-in instance: opaque to
// clients, unforgeable, bound to one conversation, expiring. Stream tokens (the `t=` of a
// streamUrl) are separate, short-lived ones: the service gives 60 s to open the WebSocket
// ("Start a conversation in Direct Line API 3.0", tip).
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export const ISSUER = 'https://directline.botframework.com/';

export interface TokenClaims {
  /** bot handle */
  bot: string;
  /** conversation id */
  conv: string;
  /** user id embedded by tokens/generate { user } */
  user?: string;
  userName?: string;
  /** seconds since epoch */
  nbf: number;
  exp: number;
  /** stream tokens only: the watermark the stream replays from ('' = only what comes after it was issued) */
  stream?: boolean;
  wm?: string;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export class TokenMinter {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => number,
  ) {}

  mint(claims: Omit<TokenClaims, 'nbf' | 'exp'>, lifetimeSeconds: number): { token: string; expiresIn: number } {
    const nbf = Math.floor(this.now() / 1000);
    const payload = b64(JSON.stringify({ ...claims, iss: ISSUER, aud: ISSUER, nbf, exp: nbf + lifetimeSeconds, jti: randomUUID() }));
    const token = `${HEADER}.${payload}.${this.sign(`${HEADER}.${payload}`)}`;
    return { token, expiresIn: lifetimeSeconds };
  }

  check(token: string): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER || !parts[1] || !parts[2]) return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
    let claims: Partial<TokenClaims>;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Partial<TokenClaims>;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof claims.bot !== 'string' || typeof claims.conv !== 'string' || typeof claims.exp !== 'number' || typeof claims.nbf !== 'number') {
      return { ok: false, reason: 'malformed' };
    }
    if (claims.exp * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, claims: claims as TokenClaims };
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}
