import { createHash, timingSafeEqual } from 'node:crypto';

// Dataverse's WebhookKey authentication sends the key as the `code` query parameter (the Azure
// Functions convention); HttpHeader sends admin-chosen headers, for which we use
// `x-switchboard-webhook-key`. Either is accepted so an admin may register either way.
export const WEBHOOK_KEY_HEADER = 'x-switchboard-webhook-key';

export interface WebhookCredentials {
  /** Query string of the request (URLSearchParams or a plain record). */
  query?: URLSearchParams | Readonly<Record<string, string | undefined>>;
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

function given(request: WebhookCredentials): string | undefined {
  const q = request.query;
  const fromQuery = q instanceof URLSearchParams ? q.get('code') ?? undefined : q?.['code'];
  if (fromQuery) return fromQuery;
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (name.toLowerCase() === WEBHOOK_KEY_HEADER) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** Compares digests so neither the key's content nor its length leaks through timing. */
export function verifyWebhookKey(request: WebhookCredentials, expectedKey: string): boolean {
  const key = given(request);
  if (!key || !expectedKey) return false;
  const a = createHash('sha256').update(key, 'utf8').digest();
  const b = createHash('sha256').update(expectedKey, 'utf8').digest();
  return timingSafeEqual(a, b);
}
