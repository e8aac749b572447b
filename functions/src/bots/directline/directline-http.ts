// Direct Line 3.0 REST, the six operations Switchboard calls ("API reference - Direct Line API
// 3.0", learn.microsoft.com/azure/bot-service/rest-api). Every call carries one credential (the
// channel secret or a conversation token) as a Bearer header and is cut off at `timeoutMs`.
// Failures are thrown as DirectLineCallError: the HTTP status and Direct Line's error code, or
// the network/timeout that kept an answer from coming. The credential never appears in them.
import { joinUrl, parseJson } from '../../channels/http';

export type DirectLineCallProblem =
  /** Direct Line answered an error: `{ error: { code, message } }`, `httpStatusCode` = the bot's own status when the bot failed. */
  | { kind: 'http'; status: number; code?: string; botStatus?: number }
  | { kind: 'network' }
  | { kind: 'timeout' }
  /** a 2xx whose body is not what Direct Line sends (the URL is not a Direct Line API root) */
  | { kind: 'unexpected' };

export class DirectLineCallError extends Error {
  constructor(
    readonly problem: DirectLineCallProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DirectLineCallError';
  }
}

export interface IssuedToken {
  conversationId: string;
  token: string;
  /** seconds */
  expiresIn: number;
}

export interface ActivityPage {
  activities: unknown[];
  watermark?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export class DirectLineHttp {
  constructor(
    private readonly fetchFn: typeof fetch,
    private readonly root: string,
    private readonly timeoutMs: number,
  ) {}

  /** A token bound to a new conversation and to the user, who is then the only one who can speak with it. */
  async generateToken(secret: string, userId: string): Promise<IssuedToken> {
    return this.issued(await this.call('POST', 'tokens/generate', secret, { user: { id: userId } }), 'tokens/generate');
  }

  async refreshToken(token: string): Promise<IssuedToken> {
    return this.issued(await this.call('POST', 'tokens/refresh', token), 'tokens/refresh');
  }

  /**
   * Starts the conversation a token names (or a new one, with the secret); the locale reaches the bot in its conversationUpdate.
   * `streamUrl`: the conversation's WebSocket stream, preauthorized (it holds its own short-lived token: never log it).
   */
  async startConversation(
    credential: string,
    userId: string,
    locale: string,
  ): Promise<{ conversationId: string; token?: string; expiresIn?: number; streamUrl?: string }> {
    const body = await this.call('POST', 'conversations', credential, { user: { id: userId }, locale });
    if (!isObject(body) || typeof body.conversationId !== 'string') throw unexpected('conversations');
    return {
      conversationId: body.conversationId,
      ...(typeof body.token === 'string' && typeof body.expires_in === 'number' ? { token: body.token, expiresIn: body.expires_in } : {}),
      ...(typeof body.streamUrl === 'string' ? { streamUrl: body.streamUrl } : {}),
    };
  }

  /**
   * "Reconnect to a conversation": a new streamUrl for a conversation already started, whose
   * stream first replays what follows `watermark`. Cut off at `timeoutMs` when given (the caller
   * would rather poll than wait long for a stream).
   */
  async reconnect(credential: string, conversationId: string, watermark: string | null, timeoutMs?: number): Promise<{ streamUrl: string }> {
    const query = watermark ? `?watermark=${encodeURIComponent(watermark)}` : '';
    const body = await this.call('GET', `conversations/${encodeURIComponent(conversationId)}${query}`, credential, undefined, timeoutMs);
    if (!isObject(body) || typeof body.streamUrl !== 'string') throw unexpected('conversations/{id}');
    return { streamUrl: body.streamUrl };
  }

  async postActivity(credential: string, conversationId: string, activity: Json): Promise<void> {
    await this.call('POST', `conversations/${encodeURIComponent(conversationId)}/activities`, credential, activity);
  }

  async activities(credential: string, conversationId: string, watermark: string | null): Promise<ActivityPage> {
    const query = watermark ? `?watermark=${encodeURIComponent(watermark)}` : '';
    const body = await this.call('GET', `conversations/${encodeURIComponent(conversationId)}/activities${query}`, credential);
    if (!isObject(body) || !Array.isArray(body.activities)) throw unexpected('activities');
    return { activities: body.activities, ...(typeof body.watermark === 'string' ? { watermark: body.watermark } : {}) };
  }

  private issued(body: unknown, what: string): IssuedToken {
    if (!isObject(body) || typeof body.conversationId !== 'string' || typeof body.token !== 'string' || typeof body.expires_in !== 'number') {
      throw unexpected(what);
    }
    return { conversationId: body.conversationId, token: body.token, expiresIn: body.expires_in };
  }

  private async call(method: 'GET' | 'POST', path: string, credential: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<unknown> {
    const operation = `${method} ${path.replace(/^conversations\/[^/?]+/, 'conversations/{id}').replace(/\?.*$/, '')}`;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(joinUrl(this.root, path), {
        method,
        headers: { Authorization: `Bearer ${credential}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      // Read by name, not instanceof: fetch's errors (a DOMException on abort) may come from another realm.
      const { name, message, cause } = (err ?? {}) as { name?: unknown; message?: unknown; cause?: { message?: unknown } };
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new DirectLineCallError({ kind: 'timeout' }, `Direct Line ${operation}: no answer within ${timeoutMs} ms`);
      }
      // fetch says "fetch failed" and keeps the socket error (ECONNREFUSED, ENOTFOUND) in its cause.
      throw new DirectLineCallError({ kind: 'network' }, `Direct Line ${operation}: ${String(cause?.message ?? message ?? err)}`);
    }
    const parsed = text ? parseJson(text) : undefined;
    if (res.ok) return parsed;
    const error = isObject(parsed) && isObject(parsed.error) ? parsed.error : {};
    const code = typeof error.code === 'string' ? error.code : undefined;
    const botStatus = isObject(parsed) && typeof parsed.httpStatusCode === 'number' ? parsed.httpStatusCode : undefined;
    const message = typeof error.message === 'string' ? `: ${error.message.slice(0, 200)}` : '';
    throw new DirectLineCallError(
      { kind: 'http', status: res.status, ...(code ? { code } : {}), ...(botStatus ? { botStatus } : {}) },
      `Direct Line ${operation} answered ${res.status}${code ? ` ${code}` : ''}${botStatus ? ` (bot ${botStatus})` : ''}${message}`,
    );
  }
}

function unexpected(what: string): DirectLineCallError {
  return new DirectLineCallError({ kind: 'unexpected' }, `Direct Line ${what}: the answer is not a Direct Line 3.0 one (is the bot's URL the API root, …/v3/directline?)`);
}
