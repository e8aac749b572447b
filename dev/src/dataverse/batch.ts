// multipart/mixed $batch bodies: parse the request into parts (change sets nested one level),
// and write the response in the layout Dataverse uses (batchresponse_/changesetresponse_).
import { randomUUID } from 'node:crypto';
import { badRequest } from './errors';

export interface HttpPart {
  contentId?: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type BatchItem = { kind: 'request'; request: HttpPart } | { kind: 'changeset'; requests: HttpPart[] };

export interface PartResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  contentId?: string;
}

export function boundaryOf(contentType: string | undefined): string {
  const m = /boundary=("?)([^";]+)\1/i.exec(contentType ?? '');
  if (!m) throw badRequest('A $batch request needs Content-Type: multipart/mixed;boundary=...');
  return m[2];
}

// The OData batch format (and Dataverse) requires the closing `--boundary--`; a body without
// parts or without the terminator is malformed, not an empty batch (which would answer 200 and
// let a client believe nothing went wrong).
function splitParts(body: string, boundary: string, what: string): string[] {
  const delim = `--${boundary}`;
  const pieces = body.split(delim);
  const parts: string[] = [];
  let closed = false;
  for (let i = 1; i < pieces.length; i++) {
    const p = pieces[i];
    if (p.startsWith('--')) { closed = true; break; }
    parts.push(p.replace(/^\r?\n/, '').replace(/\r?\n$/, ''));
  }
  if (!parts.length) throw badRequest(`The ${what} body has no part delimited by '${delim}'.`);
  if (!closed) throw badRequest(`The ${what} body does not end with the terminator '${delim}--'.`);
  return parts;
}

function readHeaders(text: string): { headers: Record<string, string>; rest: string } {
  const headers: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') { i++; break; }
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  return { headers, rest: lines.slice(i).join('\r\n') };
}

function parseHttpPart(text: string): HttpPart {
  const mime = readHeaders(text);
  const rest = mime.rest.replace(/^(\r?\n)+/, '');
  const nl = rest.search(/\r?\n/);
  const requestLine = nl < 0 ? rest : rest.slice(0, nl);
  const m = /^(GET|POST|PATCH|PUT|DELETE)\s+(\S+)(?:\s+HTTP\/\d\.\d)?$/i.exec(requestLine.trim());
  if (!m) throw badRequest(`Invalid request line in $batch part: '${requestLine.trim()}'.`);
  const http = readHeaders(nl < 0 ? '' : rest.slice(nl).replace(/^\r?\n/, ''));
  return { contentId: mime.headers['content-id'], method: m[1].toUpperCase(), url: m[2], headers: http.headers, body: http.rest.trim() };
}

/** Dataverse accepts up to 1000 requests in one batch. */
export const MAX_BATCH_REQUESTS = 1000;

export function parseBatch(body: string, contentType: string | undefined): BatchItem[] {
  const items: BatchItem[] = [];
  let count = 0;
  for (const part of splitParts(body, boundaryOf(contentType), '$batch')) {
    const { headers, rest } = readHeaders(part);
    const ct = headers['content-type'] ?? '';
    if (/^multipart\/mixed/i.test(ct)) {
      const requests = splitParts(rest, boundaryOf(ct), 'change set').map(parseHttpPart);
      const get = requests.find((r) => r.method === 'GET');
      if (get) throw badRequest(`GET requests are not allowed in a change set ('${get.url}'); send them outside it.`);
      count += requests.length;
      items.push({ kind: 'changeset', requests });
    } else if (/^application\/http/i.test(ct) || !ct) {
      count += 1;
      items.push({ kind: 'request', request: parseHttpPart(part) });
    } else {
      throw badRequest(`A $batch part must be application/http or a multipart/mixed change set, not '${ct}'.`);
    }
    if (count > MAX_BATCH_REQUESTS) throw badRequest(`A $batch may contain at most ${MAX_BATCH_REQUESTS} requests.`);
  }
  return items;
}

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 412: 'Precondition Failed', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export function reason(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

function writePart(r: PartResponse): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (r.contentId) lines.push(`Content-ID: ${r.contentId}`);
  lines.push('', `HTTP/1.1 ${r.status} ${reason(r.status)}`);
  for (const [k, v] of Object.entries(r.headers)) lines.push(`${k}: ${v}`);
  lines.push('', r.body);
  return lines.join('\r\n');
}

export type BatchOutput = { kind: 'request'; response: PartResponse } | { kind: 'changeset'; responses: PartResponse[] };

export function writeBatch(outputs: BatchOutput[]): { contentType: string; body: string } {
  const boundary = `batchresponse_${randomUUID()}`;
  const chunks: string[] = [];
  for (const o of outputs) {
    chunks.push(`--${boundary}`);
    if (o.kind === 'request') {
      chunks.push(writePart(o.response));
    } else {
      const cs = `changesetresponse_${randomUUID()}`;
      chunks.push(`Content-Type: multipart/mixed; boundary=${cs}`, '');
      for (const r of o.responses) chunks.push(`--${cs}`, writePart(r));
      chunks.push(`--${cs}--`);
    }
  }
  chunks.push(`--${boundary}--`, '');
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: chunks.join('\r\n') };
}
