// System query options ($select, $filter, $orderby, $top, $count, $expand, $skiptoken) parsed from
// the raw query string. `+` is kept literally (only %XX is decoded) because phone numbers in
// filters ('+33...') are common here and a client that forgets to encode them should still match.
import { badRequest, unsupported } from './errors';
import { type FilterNode, parseFilter } from './odata-filter';

export interface OrderBy {
  property: string;
  desc: boolean;
}

export interface ExpandOption {
  nav: string;
  options: QueryOptions;
}

export interface QueryOptions {
  select?: string[];
  filter?: FilterNode;
  orderby?: OrderBy[];
  top?: number;
  count?: boolean;
  expand?: ExpandOption[];
  skiptoken?: string;
  /** $id: the entity URL of the row to disassociate (DELETE .../$ref?$id=...) */
  id?: string;
}

/** Splits on `sep` outside parentheses and quoted strings. */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest(`The query string is not correctly encoded: '${s}'.`);
  }
}

const UNSUPPORTED = new Set(['$skip', '$search', '$apply', 'fetchXml', 'savedQuery', 'userQuery', '$compute']);

function parseOptions(pairs: [string, string][], nested: boolean): QueryOptions {
  const o: QueryOptions = {};
  for (const [key, value] of pairs) {
    switch (key) {
      case '$select':
        o.select = splitTopLevel(value, ',');
        break;
      case '$filter':
        o.filter = parseFilter(value);
        break;
      case '$orderby':
        o.orderby = splitTopLevel(value, ',').map((part) => {
          const m = /^(\S+)(?:\s+(asc|desc))?$/i.exec(part);
          if (!m) throw badRequest(`Invalid $orderby clause '${part}'.`);
          return { property: m[1], desc: (m[2] ?? 'asc').toLowerCase() === 'desc' };
        });
        break;
      case '$top': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid value '${value}' for $top query option.`);
        o.top = n;
        break;
      }
      case '$count':
        if (value !== 'true' && value !== 'false') throw badRequest(`Invalid value '${value}' for $count query option.`);
        o.count = value === 'true';
        break;
      case '$expand':
        o.expand = splitTopLevel(value, ',').map(parseExpand);
        break;
      case '$skiptoken':
        if (nested) throw badRequest('$skiptoken is not allowed inside $expand.');
        o.skiptoken = value;
        break;
      case '$format':
        break;
      case '$id':
        if (nested) throw badRequest('$id is not allowed inside $expand.');
        o.id = value;
        break;
      default:
        if (UNSUPPORTED.has(key)) throw unsupported(`the query option '${key}'`);
        if (key.startsWith('$') || nested) throw badRequest(`The query parameter '${key}' is not supported.`);
        // parameter aliases (@p1) and other non-system parameters: Dataverse ignores unknown ones
        if (key.startsWith('@')) throw unsupported('parameter aliases in query options');
    }
  }
  return o;
}

function parseExpand(item: string): ExpandOption {
  const m = /^([A-Za-z_][\w]*)(?:\((.*)\))?$/s.exec(item);
  if (!m) throw badRequest(`Invalid $expand clause '${item}'.`);
  const inner = m[2] ? splitTopLevel(m[2], ';').map((kv): [string, string] => {
    const eq = kv.indexOf('=');
    if (eq < 0) throw badRequest(`Invalid option '${kv}' in $expand.`);
    return [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()];
  }) : [];
  return { nav: m[1], options: parseOptions(inner, true) };
}

export function parseQueryString(search: string): QueryOptions {
  const raw = search.startsWith('?') ? search.slice(1) : search;
  if (!raw) return {};
  const pairs = raw.split('&').filter(Boolean).map((kv): [string, string] => {
    const eq = kv.indexOf('=');
    return eq < 0 ? [decode(kv), ''] : [decode(kv.slice(0, eq)), decode(kv.slice(eq + 1))];
  });
  return parseOptions(pairs, false);
}
