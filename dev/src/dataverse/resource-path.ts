// Resource path segments: `contacts(<guid>)`, `swb_messages(swb_channelid=<guid>,swb_providermessageid='x')`,
// and entity URLs inside @odata.bind / @odata.id (absolute, `/contacts(...)`, or a batch `$1` reference).
import type { EntityMetadata } from '@switchboard/solution';
import { badRequest } from './errors';
import type { Model } from './model';
import type { Literal } from './odata-filter';
import { splitTopLevel } from './odata-query';

export interface Segment {
  name: string;
  key?: string;
}

export type ParsedKey = { id: string } | { pairs: [string, Literal][] };

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

export function isGuid(s: string): boolean {
  return GUID.test(s);
}

export function parseSegment(raw: string): Segment {
  const m = /^([$A-Za-z_][\w.$]*)(?:\((.*)\))?$/s.exec(raw);
  if (!m) throw badRequest(`Resource not found for the segment '${raw}'.`);
  return m[2] === undefined ? { name: m[1] } : { name: m[1], key: m[2] };
}

function parseLiteral(raw: string): Literal {
  const v = raw.trim();
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) return { type: 'string', value: v.slice(1, -1).replace(/''/g, "'") };
  const g = GUID.exec(v);
  if (g) return { type: 'guid', value: g[1].toLowerCase() };
  if (/^-?\d+(\.\d+)?$/.test(v)) return { type: 'number', value: Number(v), raw: v };
  if (v === 'true' || v === 'false') return { type: 'boolean', value: v === 'true' };
  if (v === 'null') return { type: 'null' };
  throw badRequest(`Bad Request - Error in query syntax: invalid key value '${raw}'.`);
}

export function parseKey(raw: string): ParsedKey {
  const g = GUID.exec(raw.trim());
  if (g) return { id: g[1].toLowerCase() };
  const parts = splitTopLevel(raw, ',');
  const pairs = parts.map((p): [string, Literal] => {
    const eq = p.indexOf('=');
    if (eq < 0) throw badRequest(`Bad Request - Error in query syntax: invalid key '${raw}'.`);
    return [p.slice(0, eq).trim(), parseLiteral(p.slice(eq + 1))];
  });
  if (!pairs.length) throw badRequest(`Bad Request - Error in query syntax: empty key.`);
  return { pairs };
}

export interface EntityUrl {
  entity: EntityMetadata;
  key: ParsedKey;
}

/** An entity URL as used by @odata.bind and @odata.id; `$n` resolves through the batch's Content-IDs. */
export function parseEntityUrl(model: Model, url: string, contentIds?: Map<string, string>): EntityUrl {
  let path = url.trim();
  if (path.startsWith('$') && contentIds) {
    const resolved = contentIds.get(path.slice(1));
    if (!resolved) throw badRequest(`Content-ID Reference: '${path}' does not exist in the batch context.`);
    path = resolved;
  }
  const marker = path.indexOf('/api/data/v9.');
  if (marker >= 0) path = path.slice(path.indexOf('/', marker + 10) + 1);
  path = path.replace(/^\//, '');
  const seg = parseSegment(decodeURIComponent(path));
  const entity = model.entityBySet(seg.name);
  if (!entity || seg.key === undefined) throw badRequest(`'${url}' is not a valid entity URL.`);
  return { entity, key: parseKey(seg.key) };
}
