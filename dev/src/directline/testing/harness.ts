// Shared by the Direct Line tests: stand-ins on 127.0.0.1:0 that are closed after each test,
// clients that are ended, raw HTTP for what the reference client hides (status codes, bodies).
import type { BotRegistration } from '../bot';
import { createDirectLineStandIn, type DirectLineStandIn, type DirectLineStandInOptions } from '../directline.stand-in';
import { ClientSession } from './direct-line-client';
import type { DirectLineOptions } from 'botframework-directlinejs';

export class Harness {
  private readonly standIns: DirectLineStandIn[] = [];
  private readonly sessions: ClientSession[] = [];
  /** Added to the stand-ins' clock: moves token expiry without waiting. */
  skewMs = 0;

  async standIn(bots: BotRegistration[], options: Partial<DirectLineStandInOptions> = {}): Promise<DirectLineStandIn> {
    const standIn = createDirectLineStandIn({ bots, now: () => Date.now() + this.skewMs, ...options });
    this.standIns.push(standIn);
    await standIn.listen(0, '127.0.0.1');
    return standIn;
  }

  client(options: DirectLineOptions): ClientSession {
    const session = new ClientSession(options);
    this.sessions.push(session);
    return session;
  }

  async cleanup(): Promise<void> {
    for (const s of this.sessions.splice(0)) s.end();
    for (const s of this.standIns.splice(0)) await s.close();
    this.skewMs = 0;
  }
}

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
}

export async function call(standIn: DirectLineStandIn, method: string, path: string, credential?: string, body?: unknown): Promise<Reply> {
  const base = new URL(standIn.url);
  const res = await fetch(`${base.origin}${path}`, {
    method,
    headers: { ...(credential ? { Authorization: `Bearer ${credential}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Resolves once `check` holds, polling every 20 ms. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the stand-in holds an open stream for a conversation (the client's WebSocket connected). */
export function streamOpen(standIn: DirectLineStandIn): Promise<string> {
  return eventually(() => Object.entries(standIn.stats().conversations).find(([, c]) => c.streamOpen)?.[0], 'an open stream');
}
