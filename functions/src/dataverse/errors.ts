// dynamics-web-api rejects with plain objects/Errors carrying `status` and raw Node `headers`
// (lower-case keys). These helpers give the rest of the app one typed shape to reason about.
export interface DataverseErrorLike extends Error {
  status: number;
  code?: string;
  headers?: Record<string, string | string[] | undefined>;
  retryAfterSeconds?: number;
}

export class ConcurrencyConflict extends Error {
  readonly code = 'ConcurrencyConflict';
  constructor(
    readonly collection: string,
    readonly key: string,
    readonly etag: string,
  ) {
    super(`Row ${collection}(${key}) changed since ETag ${etag} was read.`);
    this.name = 'ConcurrencyConflict';
  }
}

export class RetriesExhausted extends Error implements DataverseErrorLike {
  readonly status: number;
  readonly retryAfterSeconds?: number;
  constructor(
    readonly attempts: number,
    readonly last: DataverseErrorLike,
    retryAfterSeconds: number | undefined,
  ) {
    super(`Dataverse still answered ${last.status} after ${attempts} attempts: ${last.message}`);
    this.name = 'RetriesExhausted';
    this.status = last.status;
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isDataverseError(err: unknown): err is DataverseErrorLike {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

export function headerValue(err: DataverseErrorLike, name: string): string | undefined {
  const headers = err.headers;
  if (!headers) return undefined;
  const found = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  if (found === undefined) return undefined;
  const value = headers[found];
  return Array.isArray(value) ? value[0] : value;
}

// Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
