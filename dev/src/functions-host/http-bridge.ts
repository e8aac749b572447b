import type http from 'node:http';
import { HttpRequest, HttpResponse, type Cookie, type HttpResponseInit } from '@azure/functions';

// Node request → the library's real HttpRequest, constructed from the same init shape the
// worker uses for non-streaming requests (method, url, headers, params, body bytes).
export async function toFunctionsRequest(req: http.IncomingMessage, url: URL, params: Record<string, string>, maxBytes: number): Promise<HttpRequest> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > maxBytes) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(buf);
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  // Azure's front end for a Functions app appends the address it accepted the connection from
  // to X-Forwarded-For (after whatever the client sent); the app trusts only entries added by
  // its own proxies. The dev host is that front end here, so it does the same.
  const peer = req.socket.remoteAddress?.replace(/^::ffff:/, '');
  if (peer) headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${peer}` : peer;
  const method = req.method ?? 'GET';
  const bytes = Buffer.concat(chunks);
  return new HttpRequest({
    method,
    url: url.toString(),
    headers,
    params,
    ...(bytes.length > 0 ? { body: { bytes } } : {}),
  });
}

function cookieHeader(cookie: Cookie): string {
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  if (cookie.path) parts.push(`Path=${cookie.path}`);
  if (cookie.expires !== undefined) parts.push(`Expires=${new Date(cookie.expires).toUTCString()}`);
  if (cookie.secure) parts.push('Secure');
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${cookie.maxAge}`);
  return parts.join('; ');
}

// Handler result → wire, through the library's own HttpResponse so jsonBody, content types
// and null-body statuses are treated exactly as the worker treats them.
export async function writeFunctionsResponse(res: http.ServerResponse, result: HttpResponseInit | HttpResponse | undefined | null): Promise<number> {
  if (result === undefined || result === null) {
    res.writeHead(204).end();
    return 204;
  }
  const response = result instanceof HttpResponse ? result : new HttpResponse(result);
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  if (response.cookies.length > 0) headers['set-cookie'] = response.cookies.map(cookieHeader);
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  res.writeHead(response.status, headers);
  res.end(body);
  return response.status;
}
