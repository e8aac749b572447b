import { isDataverseError } from '../errors';

// OData string literal: single quotes doubled. Everything we put in a filter goes through here.
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function bind(entitySet: string, id: string): string {
  return `/${entitySet}(${id})`;
}

export function isStatus(err: unknown, ...statuses: number[]): boolean {
  return isDataverseError(err) && statuses.includes(err.status);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function ms(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}
