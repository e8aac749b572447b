import type { HttpRequest } from '@azure/functions';
import { HttpError } from '../hosting/errors';
import { type ApiRequest, headersToRecord, parseJsonText, readJson, readText } from '../hosting/http';

// Ids in route segments are GUIDs or short slugs; anything else cannot name a row of ours.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export function routeParam(request: HttpRequest, name: string): string {
  const value = request.params[name];
  if (!value || !ID_PATTERN.test(value)) throw new HttpError(400, 'InvalidRouteParameter', `The "${name}" in the URL is not valid.`);
  return value;
}

export async function apiRequest(
  request: HttpRequest,
  options: { body: 'json' | 'optional-json' | 'none'; maxBytes: number },
): Promise<ApiRequest> {
  let body: unknown;
  if (options.body === 'json') body = await readJson(request, options.maxBytes);
  else if (options.body === 'optional-json') {
    const text = await readText(request, options.maxBytes);
    body = text.trim() === '' ? undefined : parseJsonText(text);
  }
  return {
    method: request.method,
    url: request.url,
    params: { ...request.params },
    query: request.query,
    headers: headersToRecord(request.headers),
    body,
  };
}

// Rebuilds the URL the caller used from the configured public address: behind Front Door,
// App Gateway or the dev host, request.url's origin is not what the provider signed.
export function publicUrlOf(request: HttpRequest, publicBaseUrl: string): string {
  const url = new URL(request.url);
  return `${publicBaseUrl}${url.pathname}${url.search}`;
}
