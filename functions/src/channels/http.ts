// The narrow outbound HTTP seam the REST-based adapters (Twilio, TeleSign) post through.
// Production uses Node's fetch; tests point the adapters' base URL at a stand-in server on
// 127.0.0.1, so the real client, real encoding and real auth headers are exercised.

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type HttpOutcome =
  | { readonly ok: true; readonly status: number; readonly body: string }
  | { readonly ok: false; readonly error: 'unreachable' | 'timeout'; readonly message: string };

export interface HttpClient {
  send(req: HttpRequest): Promise<HttpOutcome>;
}

export function fetchHttpClient(options: { timeoutMs?: number } = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    async send(req) {
      try {
        const res = await fetch(req.url, {
          method: req.method,
          headers: req.headers,
          body: req.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        return { ok: true, status: res.status, body: await res.text() };
      } catch (err) {
        const name = err instanceof Error ? err.name : '';
        const message = err instanceof Error ? describeFetchError(err) : String(err);
        return { ok: false, error: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable', message };
      }
    },
  };
}

// fetch reports "fetch failed" and hides the socket error in `cause`; the cause is what an
// admin needs to see (ENOTFOUND, ECONNREFUSED, certificate errors).
function describeFetchError(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) return `${err.message}: ${cause.message}`;
  return err.message;
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

export function formBody(fields: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) params.append(key, value);
  }
  return params.toString();
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
