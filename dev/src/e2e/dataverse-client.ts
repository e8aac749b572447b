// Minimal Web API calls for test set-up and checks, as the application user or as an agent.
import type { EmulatorStats } from '../dataverse/request-stats';

/** The emulator's request counts (GET /_emulator/stats, which needs the application token). */
export async function emulatorStats(dataverseApi: string, appToken: string): Promise<EmulatorStats> {
  const root = dataverseApi.replace(/\/api\/data\/v9\.2\/?$/, '');
  const res = await fetch(`${root}/_emulator/stats`, { headers: { authorization: `Bearer ${appToken}` } });
  if (!res.ok) throw new Error(`stats: ${res.status}`);
  return (await res.json()) as EmulatorStats;
}

/** Dataverse requests the emulator has counted for one caller (a user's domain name) so far. */
export async function requestsBy(dataverseApi: string, appToken: string, domainname: string): Promise<number> {
  return (await emulatorStats(dataverseApi, appToken)).callers[domainname]?.requests ?? 0;
}

export class TestWebApi {
  constructor(private readonly base: string, private readonly token: string) {}

  async get<T = Record<string, unknown>>(path: string): Promise<T> {
    const res = await fetch(this.base + path, { headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' } });
    if (!res.ok) throw new Error(`GET ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async list<T = Record<string, unknown>>(path: string): Promise<T[]> {
    return (await this.get<{ value: T[] }>(path)).value;
  }

  async patch(path: string, body: unknown): Promise<void> {
    const res = await fetch(this.base + path, { method: 'PATCH', headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', 'if-match': '*' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`PATCH ${path} → ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }
}

/** Polls until check returns a value (not undefined/false), or fails with what it was waiting for. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
