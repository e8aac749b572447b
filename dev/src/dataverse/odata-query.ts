// System query options ($select, $filter, $orderby, $top, $count, $expand, $skiptoken, $apply,
// fetchXml, and parameter aliases) parsed from the raw query string. `+` is kept literally (only
// %XX is decoded) because phone numbers in filters ('+33...') are common here and a client that
// forgets to encode them should still match.
import { DataverseError, ErrorCodes, badRequest, unsupported } from './errors';
import { type ApplyPlan, parseApply } from './aggregate';
import { type Aliases, type FilterNode, parseFilter } from './odata-filter';
import { splitTopLevel } from './split';

export { splitTopLevel };

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
  /** $apply: aggregation transformations (aggregate.ts) */
  apply?: ApplyPlan;
  /** fetchXml: a FetchXML query, run by fetchxml.ts */
  fetchXml?: string;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest(`The query string is not correctly encoded: '${s}'.`);
  }
}

const UNSUPPORTED = new Set(['$skip', '$search', 'savedQuery', 'userQuery', '$compute']);

/** Dataverse: "You can include up to 15 $expand options in a query" (each one is a join). */
export const MAX_EXPAND_OPTIONS = 15;

interface ParseState {
  aliases: Aliases;
  expands: number;
}

function parseOptions(pairs: [string, string][], nested: boolean, state: ParseState): QueryOptions {
  const { aliases } = state;
  const o: QueryOptions = {};
  for (const [key, raw] of pairs) {
    // an alias may stand for a whole $orderby item list or $top value as well as inside $filter
    const value = /^@[A-Za-z_]\w*$/.test(raw) && key !== '$filter' && aliases.has(raw) ? aliases.get(raw)! : raw;
    switch (key) {
      case '$select':
        o.select = splitTopLevel(value, ',');
        break;
      case '$filter':
        o.filter = parseFilter(value, aliases);
        break;
      case '$apply':
        if (nested) throw badRequest('$apply is not allowed inside $expand.');
        o.apply = parseApply(value, aliases);
        break;
      case 'fetchXml':
        if (nested) throw badRequest('fetchXml is not allowed inside $expand.');
        o.fetchXml = value;
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
        o.expand = splitTopLevel(value, ',').map((item) => parseExpand(item, state));
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
        if (key.startsWith('@')) {
          if (nested) throw badRequest(`Parameter aliases are set on the request, not inside $expand ('${key}').`);
          break; // collected before parsing
        }
        if (key.startsWith('$') || nested) throw badRequest(`The query parameter '${key}' is not supported.`);
    }
  }
  return o;
}

function parseExpand(item: string, state: ParseState): ExpandOption {
  // counted before recursing, so a hostile nesting stops at the limit instead of at the stack's end
  if (++state.expands > MAX_EXPAND_OPTIONS) {
    throw new DataverseError(400, ErrorCodes.tooManyLinkEntities, `Number of link entities in query exceeded maximum limit. (A query may have up to ${MAX_EXPAND_OPTIONS} $expand options.)`);
  }
  const m = /^([A-Za-z_][\w]*)(?:\((.*)\))?$/s.exec(item);
  if (!m) throw badRequest(`Invalid $expand clause '${item}'.`);
  const inner = m[2] ? splitTopLevel(m[2], ';').map((kv): [string, string] => {
    const eq = kv.indexOf('=');
    if (eq < 0) throw badRequest(`Invalid option '${kv}' in $expand.`);
    return [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()];
  }) : [];
  return { nav: m[1], options: parseOptions(inner, true, state) };
}

export function parseQueryString(search: string): QueryOptions {
  const raw = search.startsWith('?') ? search.slice(1) : search;
  if (!raw) return {};
  const pairs = raw.split('&').filter(Boolean).map((kv): [string, string] => {
    const eq = kv.indexOf('=');
    return eq < 0 ? [decode(kv), ''] : [decode(kv.slice(0, eq)), decode(kv.slice(eq + 1))];
  });
  const aliases = new Map<string, string>();
  for (const [k, v] of pairs) {
    if (!k.startsWith('@')) continue;
    if (!/^@[A-Za-z_]\w*$/.test(k)) throw badRequest(`'${k}' is not a valid parameter alias name.`);
    if (aliases.has(k)) throw badRequest(`The parameter alias '${k}' is given twice.`);
    aliases.set(k, v);
  }
  return parseOptions(pairs, false, { aliases, expands: 0 });
}
