import type { HttpRequest, HttpResponseInit, InvocationContext, HttpHandler } from '@azure/functions';
import { ConfigError, HttpError, NotImplementedError } from './errors';
import { ConcurrencyConflict, isDataverseError } from '../dataverse/errors';

export interface ErrorBody {
  error: { code: string; message: string };
}

// What a service hands back for a route: the edge maps it onto the wire unchanged.
export interface HttpResult {
  status: number;
  headers?: Record<string, string>;
  // A string is sent as-is (TwiML, JavaScript); anything else as JSON.
  body?: unknown;
}

// A parsed request for JSON APIs: the body is already size-limited and JSON-decoded.
export interface ApiRequest {
  method: string;
  url: string;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  headers: Readonly<Record<string, string>>;
  body: unknown;
}

export const KiB = 1024;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): HttpResponseInit {
  const body: ErrorBody = { error: { code, message } };
  return json(status, body, headers);
}

export function toResponse(result: HttpResult): HttpResponseInit {
  if (result.body === undefined || result.body === null) {
    return { status: result.status, headers: result.headers ?? {} };
  }
  if (typeof result.body === 'string') {
    return { status: result.status, body: result.body, headers: { 'content-type': 'text/plain; charset=utf-8', ...result.headers } };
  }
  return json(result.status, result.body, result.headers);
}

export function mapError(err: unknown, context: InvocationContext): HttpResponseInit {
  if (err instanceof HttpError) return errorResponse(err.status, err.code, err.message, err.headers);
  if (err instanceof NotImplementedError) return errorResponse(501, err.code, err.message);
  if (err instanceof ConcurrencyConflict) {
    // We kept losing a race on one row for longer than we wait: nothing the caller sent was
    // wrong, so not a 4xx (a widget drops a message on a 409); the same request will succeed
    // in a moment, and every route that can get here is idempotent.
    context.warn(`still contended after retries: ${err.message}`);
    return errorResponse(503, 'Busy', 'The item is being changed by others; retry the request.', { 'retry-after': '1' });
  }
  if (isDataverseError(err) && (err.status === 429 || err.status === 503)) {
    context.warn(`Dataverse unavailable after retries: ${err.status} ${err.message}`);
    const retryAfter = err.retryAfterSeconds ?? 30;
    return errorResponse(503, 'ServiceUnavailable', 'The service is busy; retry later.', { 'retry-after': String(retryAfter) });
  }
  if (err instanceof ConfigError) {
    context.error(err.message);
    return errorResponse(500, 'ConfigurationError', 'The service is not configured correctly.');
  }
  context.error('Unhandled error', err);
  return errorResponse(500, 'InternalError', 'An unexpected error occurred.');
}

// Wraps a handler so every thrown error becomes the JSON error contract.
export function guarded(handler: HttpHandler): HttpHandler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (err) {
      return mapError(err, context);
    }
  };
}

export async function readBodyBytes(request: HttpRequest, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  const stream = request.body;
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Content-Length can be absent (chunked) or lie, so count while reading and stop early.
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export async function readText(request: HttpRequest, maxBytes: number): Promise<string> {
  const bytes = await readBodyBytes(request, maxBytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'InvalidBody', 'The request body is not valid UTF-8.');
  }
}

export async function readJson(request: HttpRequest, maxBytes: number): Promise<unknown> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(contentType)) {
    throw new HttpError(415, 'UnsupportedMediaType', 'The request body must be application/json.');
  }
  const text = await readText(request, maxBytes);
  if (text.trim() === '') throw new HttpError(400, 'InvalidBody', 'The request body is empty.');
  return parseJsonText(text);
}

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'InvalidJson', 'The request body is not valid JSON.');
  }
}

export function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key.toLowerCase()] = value;
  });
  return out;
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, 'PayloadTooLarge', `The request body exceeds ${maxBytes} bytes.`);
}
