// FetchXML through the Web API (GET <entityset>?fetchXml=...), as "Use FetchXml with Web API" and
// the FetchXML reference describe it: attributes and all-attributes, filter/condition (nested
// and/or, the documented operators the emulator can answer exactly), order, link-entity
// (inner/outer joins, N:N through the intersect table), page/count/top with the paging-cookie
// annotations, returntotalrecordcount, distinct, and aggregate queries (count, countcolumn with
// distinct, sum, avg, min, max, groupby) with the 50,000-row limit and aggregatelimit.
// Results have FetchXML's shape: null values are left out, linked columns are <alias>_x002e_<name>.
// Every element and attribute outside that set is a 400, so a query is never half understood.
import type { AttributeMetadata, EntityMetadata } from '@switchboard/solution';
import { AGGREGATE_RECORD_LIMIT, aggregateLimitExceeded } from './aggregate';
import { DataverseError, ErrorCodes, badRequest, unsupported } from './errors';
import { type CompiledSql, type SqlScope, compileQueryFunction, typedValue } from './filter-sql';
import { type IntersectTable, type Model, isLookup } from './model';
import { type Literal, edmOf, quoteIdent } from './odata-filter';
import type { Annotations } from './operations';
import type { Db, Row } from './store';
import { type XmlElement, parseXml } from './xml';

export const MAX_LINK_ENTITIES = 15;
const MAX_PAGE = 5000;
const MAX_CONDITIONS = 500;

interface FetchAttribute {
  name: string;
  alias?: string;
  aggregate?: string;
  groupby: boolean;
  distinct: boolean;
}

interface FetchNode {
  /** the table, or undefined for an N:N intersect table */
  entity?: EntityMetadata;
  intersect?: IntersectTable;
  name: string;
  sqlAlias: string;
  /** link-entity alias used in result keys; the root has none */
  outputAlias?: string;
  attributes: FetchAttribute[];
  allAttributes: boolean;
  orders: XmlElement[];
  filters: XmlElement[];
  links: FetchLink[];
}

interface FetchLink extends FetchNode {
  from: string;
  to: string;
  outer: boolean;
}

export interface FetchRuntime {
  model: Model;
  db: Db;
  scope: SqlScope;
  /** the JSON of a root row as the Web API shows it (lookups as _x_value, column security applied) */
  rowJson(row: Row, select: string[] | undefined): Record<string, unknown>;
  formatted(e: EntityMetadata, a: AttributeMetadata, v: unknown): string | undefined;
  annotations: Annotations;
}

const ALLOWED: Record<string, string[]> = {
  fetch: ['version', 'output-format', 'mapping', 'distinct', 'no-lock', 'aggregate', 'count', 'page', 'paging-cookie', 'top', 'returntotalrecordcount', 'aggregatelimit'],
  entity: ['name'],
  attribute: ['name', 'alias', 'aggregate', 'groupby', 'distinct'],
  'all-attributes': [],
  order: ['attribute', 'descending', 'alias'],
  filter: ['type', 'hint'],
  condition: ['attribute', 'operator', 'value', 'entityname', 'valueof', 'uiname', 'uitype', 'uihidden'],
  value: [],
  'link-entity': ['name', 'from', 'to', 'alias', 'link-type', 'intersect', 'visible'],
};

function check(el: XmlElement, children: string[]): void {
  const allowed = ALLOWED[el.name];
  if (!allowed) throw unsupported(`the FetchXML element <${el.name}>`);
  for (const a of Object.keys(el.attributes)) {
    if (!allowed.includes(a)) throw unsupported(`the '${a}' attribute of the FetchXML <${el.name}> element`);
  }
  for (const c of el.children) {
    if (!children.includes(c.name)) {
      if (ALLOWED[c.name]) throw badRequest(`<${c.name}> is not allowed inside <${el.name}> in FetchXML.`);
      throw unsupported(`the FetchXML element <${c.name}>`);
    }
  }
}

const bool = (v: string | undefined, what: string): boolean => {
  if (v === undefined) return false;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw badRequest(`${what} must be true or false.`);
};

const positive = (v: string | undefined, what: string, max?: number): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw badRequest(`${what} must be a whole number greater than 0.`);
  const n = Number(v);
  if (max !== undefined && n > max) throw badRequest(`${what} cannot be more than ${max}.`);
  return n;
};

// FetchXML operator → the query function that answers it (filter-sql.ts implements them once).
const OPERATOR_FUNCTIONS: Record<string, string> = {
  in: 'In', 'not-in': 'NotIn', between: 'Between', 'not-between': 'NotBetween',
  'contain-values': 'ContainValues', 'not-contain-values': 'DoesNotContainValues',
  'eq-userid': 'EqualUserId', 'ne-userid': 'NotEqualUserId', 'eq-businessid': 'EqualBusinessId', 'ne-businessid': 'NotEqualBusinessId',
  on: 'On', 'on-or-after': 'OnOrAfter', 'on-or-before': 'OnOrBefore',
  today: 'Today', yesterday: 'Yesterday', tomorrow: 'Tomorrow', 'last-seven-days': 'Last7Days', 'next-seven-days': 'Next7Days',
  'last-week': 'LastWeek', 'this-week': 'ThisWeek', 'next-week': 'NextWeek', 'last-month': 'LastMonth', 'this-month': 'ThisMonth',
  'next-month': 'NextMonth', 'last-year': 'LastYear', 'this-year': 'ThisYear', 'next-year': 'NextYear',
  'last-x-hours': 'LastXHours', 'last-x-days': 'LastXDays', 'last-x-weeks': 'LastXWeeks', 'last-x-months': 'LastXMonths', 'last-x-years': 'LastXYears',
  'next-x-hours': 'NextXHours', 'next-x-days': 'NextXDays', 'next-x-weeks': 'NextXWeeks', 'next-x-months': 'NextXMonths', 'next-x-years': 'NextXYears',
  'olderthan-x-minutes': 'OlderThanXMinutes', 'olderthan-x-hours': 'OlderThanXHours', 'olderthan-x-days': 'OlderThanXDays',
  'olderthan-x-weeks': 'OlderThanXWeeks', 'olderthan-x-months': 'OlderThanXMonths', 'olderthan-x-years': 'OlderThanXYears',
};
const LIST_FUNCTIONS = new Set(['In', 'NotIn', 'Between', 'NotBetween', 'ContainValues', 'DoesNotContainValues']);
const NO_VALUE_FUNCTIONS = new Set([
  'EqualUserId', 'NotEqualUserId', 'EqualBusinessId', 'NotEqualBusinessId', 'Today', 'Yesterday', 'Tomorrow', 'Last7Days', 'Next7Days',
  'LastWeek', 'ThisWeek', 'NextWeek', 'LastMonth', 'ThisMonth', 'NextMonth', 'LastYear', 'ThisYear', 'NextYear',
]);
const COMPARE: Record<string, string> = { eq: '=', ne: '<>', neq: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };
const LIKE: Record<string, { negate: boolean; pattern: (v: string) => string }> = {
  like: { negate: false, pattern: (v) => v },
  'not-like': { negate: true, pattern: (v) => v },
  'begins-with': { negate: false, pattern: (v) => `${v}%` },
  'not-begin-with': { negate: true, pattern: (v) => `${v}%` },
  'ends-with': { negate: false, pattern: (v) => `%${v}` },
  'not-end-with': { negate: true, pattern: (v) => `%${v}` },
};
const AGGREGATES: Record<string, string> = { count: 'COUNT', countcolumn: 'COUNT', sum: 'SUM', avg: 'AVG', min: 'MIN', max: 'MAX' };

interface ParsedFetch {
  aggregate: boolean;
  distinct: boolean;
  top?: number;
  count?: number;
  page: number;
  aggregateLimit: number;
  returnTotal: boolean;
  root: FetchNode;
}

function parseFetch(model: Model, xml: string, entity: EntityMetadata): ParsedFetch {
  const doc = parseXml(xml, 'The fetchXml');
  if (doc.name !== 'fetch') throw badRequest('The fetchXml must have <fetch> as its root element.');
  check(doc, ['entity']);
  if (doc.children.length !== 1) throw badRequest('A fetch has exactly one <entity> element.');
  const a = doc.attributes;
  const aggregate = bool(a.aggregate, "The fetch 'aggregate' attribute");
  const top = positive(a.top, "The fetch 'top' attribute", MAX_PAGE);
  const count = positive(a.count, "The fetch 'count' attribute", MAX_PAGE);
  const page = positive(a.page, "The fetch 'page' attribute") ?? 1;
  if (top !== undefined && (a.page !== undefined || count !== undefined)) throw badRequest("The top attribute can't be specified with paging attribute page or count.");
  const aggregateLimit = positive(a.aggregatelimit, "The fetch 'aggregatelimit' attribute", AGGREGATE_RECORD_LIMIT) ?? AGGREGATE_RECORD_LIMIT;
  const el = doc.children[0];
  check(el, ['attribute', 'all-attributes', 'order', 'filter', 'link-entity']);
  if (el.attributes.name !== entity.logicalName) {
    throw badRequest(`The fetchXml queries '${el.attributes.name ?? ''}' but was sent to the entity set of '${entity.logicalName}'.`);
  }
  let links = 0;
  const node = (e: XmlElement, table: EntityMetadata | undefined, intersect: IntersectTable | undefined, sqlAlias: string, outputAlias?: string): FetchNode => {
    const out: FetchNode = {
      entity: table, intersect, name: e.attributes.name!, sqlAlias, outputAlias, attributes: [], allAttributes: false, orders: [], filters: [], links: [],
    };
    for (const c of e.children) {
      if (c.name === 'attribute') {
        check(c, []);
        if (!c.attributes.name) throw badRequest('A FetchXML <attribute> needs a name.');
        out.attributes.push({
          name: c.attributes.name, alias: c.attributes.alias, aggregate: c.attributes.aggregate,
          groupby: bool(c.attributes.groupby, "The attribute 'groupby'"), distinct: bool(c.attributes.distinct, "The attribute 'distinct'"),
        });
      } else if (c.name === 'all-attributes') {
        check(c, []);
        out.allAttributes = true;
      } else if (c.name === 'order') {
        check(c, []);
        out.orders.push(c);
      } else if (c.name === 'filter') {
        out.filters.push(c);
      } else if (c.name === 'link-entity') {
        check(c, ['attribute', 'all-attributes', 'order', 'filter', 'link-entity']);
        if (++links > MAX_LINK_ENTITIES) throw new DataverseError(400, ErrorCodes.tooManyLinkEntities, 'Number of link entities in query exceeded maximum limit.');
        const { name, from, to } = c.attributes;
        if (!name || !from || !to) throw badRequest('A FetchXML <link-entity> needs name, from and to.');
        const linkType = c.attributes['link-type'] ?? 'inner';
        if (linkType !== 'inner' && linkType !== 'outer') throw unsupported(`link-type '${linkType}' in FetchXML (inner and outer are supported)`);
        const inter = model.intersects.find((x) => x.name === name);
        const target = inter ? undefined : model.hasEntity(name) ? model.entity(name) : undefined;
        if (!inter && !target) throw badRequest(`The entity with a name = '${name}' was not found in the MetadataCache.`);
        const alias = c.attributes.alias ?? `${name}${links}`;
        if (!/^[A-Za-z_]\w*$/.test(alias)) throw badRequest(`'${alias}' is not a valid link-entity alias.`);
        const link = node(c, target, inter, `l${links}`, alias) as FetchLink;
        link.from = from;
        link.to = to;
        link.outer = linkType === 'outer';
        out.links.push(link);
      }
    }
    return out;
  };
  const root = node(el, entity, undefined, 't');
  return { aggregate, distinct: bool(a.distinct, "The fetch 'distinct' attribute"), top, count, page, aggregateLimit, returnTotal: bool(a.returntotalrecordcount, 'returntotalrecordcount'), root };
}

function allNodes(root: FetchNode): FetchNode[] {
  return [root, ...root.links.flatMap(allNodes)];
}

function columnOf(node: FetchNode, name: string): { a?: AttributeMetadata; column: string } {
  if (node.intersect) {
    if (name !== node.intersect.column1 && name !== node.intersect.column2) throw badRequest(`'${name}' is not a column of the intersect table '${node.name}'.`);
    return { column: `${node.sqlAlias}.${quoteIdent(name)}` };
  }
  const a = node.entity!.attributes[name];
  if (!a) throw badRequest(`'${node.name}' entity doesn't contain attribute with Name = '${name}'.`, ErrorCodes.odataInvalidProperty);
  return { a, column: `${node.sqlAlias}.${quoteIdent(name)}` };
}

export function runFetchXml(rt: FetchRuntime, entity: EntityMetadata, xml: string, rootWhere: CompiledSql, withCount = false): { body: Record<string, unknown> } {
  const q = parseFetch(rt.model, xml, entity);
  const nodes = allNodes(q.root);
  const byAlias = new Map<string, FetchNode>();
  for (const n of nodes) {
    const key = n.outputAlias ?? n.name;
    if (byAlias.has(key)) throw badRequest(`The alias '${key}' is used twice in the fetchXml.`);
    byAlias.set(key, n);
  }
  const scope = rt.scope;
  let conditions = 0;

  /** SQL reading a column as the caller may see it (column security substitutes NULL). */
  const read = (node: FetchNode, name: string): { a?: AttributeMetadata; sql: string } => {
    const { a, column } = columnOf(node, name);
    return { a, sql: a ? scope.column(node.sqlAlias, node.entity!, a) : column };
  };

  const condition = (node: FetchNode, c: XmlElement): CompiledSql => {
    check(c, ['value']);
    if (++conditions > MAX_CONDITIONS) throw badRequest(`The fetchXml has more than ${MAX_CONDITIONS} conditions; split the query.`);
    const { attribute, operator } = c.attributes;
    if (!attribute || !operator) throw badRequest('A FetchXML <condition> needs attribute and operator.');
    const target = c.attributes.entityname !== undefined ? byAlias.get(c.attributes.entityname) : node;
    if (!target) throw badRequest(`The condition's entityname '${c.attributes.entityname}' names no entity or link-entity alias of the fetchXml.`);
    const { a, sql: col } = read(target, attribute);
    if (!a) throw unsupported('conditions on intersect table columns in FetchXML');
    const values = c.children.map((v) => { check(v, []); return v.text; });
    const single = (): string => {
      const v = c.attributes.value ?? (values.length === 1 ? values[0] : undefined);
      if (v === undefined) throw badRequest(`The '${operator}' condition on '${attribute}' needs a value.`);
      return v;
    };
    const lit = (v: string): Literal => ({ type: 'string', value: v });
    if (c.attributes.valueof !== undefined) {
      if (!COMPARE[operator]) throw badRequest(`valueof works with eq, ne, gt, ge, lt and le only, not '${operator}'.`);
      const [aliasPart, namePart] = c.attributes.valueof.includes('.') ? c.attributes.valueof.split('.', 2) : [undefined, c.attributes.valueof];
      const other = aliasPart === undefined ? target : byAlias.get(aliasPart);
      if (!other) throw badRequest(`valueof '${c.attributes.valueof}' names no link-entity alias.`);
      const o = read(other, namePart);
      if (!o.a || edmOf(o.a) !== edmOf(a)) throw badRequest(`The columns compared by valueof must be the same type ('${attribute}' and '${c.attributes.valueof}').`);
      return { sql: `(${col} ${COMPARE[operator]} ${o.sql})`, params: [] };
    }
    if (operator === 'null') return { sql: `(${col} IS NULL)`, params: [] };
    if (operator === 'not-null') return { sql: `(${col} IS NOT NULL)`, params: [] };
    if (COMPARE[operator]) {
      if (a.type === 'multichoice') throw badRequest(`Use contain-values for the choices column '${attribute}'.`);
      return { sql: `(${col} ${COMPARE[operator]} ?)`, params: [typedValue(a, lit(single()), `the '${operator}' condition`)] };
    }
    const like = LIKE[operator];
    if (like) {
      if (a.type !== 'string' && a.type !== 'memo') throw badRequest(`'${operator}' needs a text column; '${attribute}' is ${edmOf(a)}.`);
      const v = single();
      if (v.includes('[')) throw unsupported(`'[' character-set wildcards in the '${operator}' condition`);
      return { sql: like.negate ? `(${col} NOT LIKE ?)` : `(${col} LIKE ?)`, params: [like.pattern(v)] };
    }
    const fn = OPERATOR_FUNCTIONS[operator];
    if (!fn) throw unsupported(`the FetchXML condition operator '${operator}'`);
    const args: Record<string, Literal | Literal[]> = {};
    if (LIST_FUNCTIONS.has(fn)) args.PropertyValues = (values.length ? values : [single()]).map(lit);
    else if (!NO_VALUE_FUNCTIONS.has(fn)) args.PropertyValue = lit(single());
    return compileQueryFunction(fn, a, col, args, scope);
  };

  const filter = (node: FetchNode, f: XmlElement): CompiledSql => {
    check(f, ['condition', 'filter']);
    const type = f.attributes.type ?? 'and';
    if (type !== 'and' && type !== 'or') throw badRequest(`A filter type is 'and' or 'or', not '${type}'.`);
    const parts = f.children.map((c) => (c.name === 'condition' ? condition(node, c) : filter(node, c)));
    if (!parts.length) return { sql: '', params: [] };
    return { sql: `(${parts.map((p) => p.sql).join(` ${type.toUpperCase()} `)})`, params: parts.flatMap((p) => p.params) };
  };
  const filters = (node: FetchNode): CompiledSql => {
    const parts = node.filters.map((f) => filter(node, f)).filter((p) => p.sql);
    return { sql: parts.map((p) => p.sql).join(' AND '), params: parts.flatMap((p) => p.params) };
  };

  // FROM and joins: a link's own filter goes in its ON clause ("applied with the join")
  const joins: string[] = [];
  const joinParams: unknown[] = [];
  const join = (parent: FetchNode, link: FetchLink): void => {
    const to = parent.intersect ? { column: `${parent.sqlAlias}.${quoteIdent(link.to)}`, a: undefined } : columnOf(parent, link.to);
    const from = columnOf(link, link.from);
    const on: string[] = [`${from.column} = ${to.column}`];
    const p: unknown[] = [];
    if (to.a && isLookup(to.a) && (to.a.targets ?? []).length > 1 && link.entity) {
      on.push(`${parent.sqlAlias}.${quoteIdent(`${link.to}__type`)} = ?`);
      p.push(link.entity.logicalName);
    }
    if (from.a && isLookup(from.a) && (from.a.targets ?? []).length > 1 && parent.entity) {
      on.push(`${link.sqlAlias}.${quoteIdent(`${link.from}__type`)} = ?`);
      p.push(parent.entity.logicalName);
    }
    if (link.entity) {
      const s = scope.readScope(link.entity, link.sqlAlias);
      if (s.sql) { on.push(s.sql); p.push(...s.params); }
    } else if (link.attributes.length || link.allAttributes) {
      throw badRequest(`The intersect table '${link.name}' has no columns to return.`);
    }
    const f = filters(link);
    if (f.sql) { on.push(f.sql); p.push(...f.params); }
    joins.push(`${link.outer ? 'LEFT JOIN' : 'INNER JOIN'} ${quoteIdent(link.name)} ${link.sqlAlias} ON ${on.join(' AND ')}`);
    joinParams.push(...p);
    for (const child of link.links) join(link, child);
  };
  for (const link of q.root.links) join(q.root, link);

  const rootFilter = filters(q.root);
  const where = [rootWhere, rootFilter].filter((w) => w.sql);
  const whereSql = where.map((w) => w.sql).join(' AND ');
  const whereParams = where.flatMap((w) => w.params);
  const from = `FROM ${quoteIdent(entity.logicalName)} t ${joins.join(' ')}${whereSql ? ` WHERE ${whereSql}` : ''}`;
  const fromParams = [...joinParams, ...whereParams];
  if (q.aggregate) return { body: { value: aggregateRows(rt, q, nodes, from, fromParams, read) } };
  if (nodes.some((n) => n.attributes.some((a) => a.aggregate !== undefined || a.groupby))) {
    throw badRequest("An attribute with aggregate or groupby needs aggregate='true' on the fetch element.");
  }

  // select list: the root row whole (shaped by rowJson), linked columns as l<n>__<name>
  const select: string[] = [];
  const linked: { node: FetchNode; a: AttributeMetadata; key: string; sqlName: string }[] = [];
  for (const n of nodes.slice(1)) {
    if (!n.entity) continue;
    const names = n.allAttributes ? Object.keys(n.entity.attributes) : n.attributes.map((x) => x.name);
    n.attributes.forEach((x) => { if (x.alias !== undefined && !/^[A-Za-z_]\w*$/.test(x.alias)) throw badRequest(`'${x.alias}' is not a valid alias.`); });
    for (const name of names) {
      const r = read(n, name);
      const sqlName = `${n.sqlAlias}__${name}`;
      const alias = n.attributes.find((x) => x.name === name)?.alias;
      select.push(`${r.sql} AS ${quoteIdent(sqlName)}`);
      linked.push({ node: n, a: r.a!, key: alias ?? `${n.outputAlias}_x002e_${name}`, sqlName });
    }
  }
  const rootNames = q.root.allAttributes ? undefined : q.root.attributes.map((x) => x.name);
  for (const name of rootNames ?? []) columnOf(q.root, name);
  const orderParts: string[] = [];
  for (const n of nodes) {
    for (const o of n.orders) {
      if (o.attributes.alias !== undefined) throw badRequest("An order by alias needs aggregate='true' on the fetch element.");
      if (!o.attributes.attribute) throw badRequest('A FetchXML <order> needs an attribute.');
      orderParts.push(`${read(n, o.attributes.attribute).sql} ${bool(o.attributes.descending, "The order 'descending' attribute") ? 'DESC' : 'ASC'}`);
    }
  }
  const pageSize = q.top ?? q.count ?? MAX_PAGE;
  const offset = q.top !== undefined ? 0 : (q.page - 1) * pageSize;
  let rows: Row[];
  if (q.distinct) {
    const rootCols = (rootNames ?? Object.keys(entity.attributes)).map((name) => {
      const r = read(q.root, name);
      return `${r.sql} AS ${quoteIdent(`t__${name}`)}`;
    });
    const cols = [...rootCols, ...select];
    if (!cols.length) throw badRequest("A distinct fetch needs at least one <attribute>.");
    rows = rt.db.prepare(`SELECT DISTINCT ${cols.join(', ')} ${from}${orderParts.length ? ` ORDER BY ${orderParts.join(', ')}` : ''} LIMIT ? OFFSET ?`)
      .all(...fromParams, pageSize + 1, offset) as Row[];
  } else {
    orderParts.push(`t.${quoteIdent(entity.primaryIdAttribute)} ASC`);
    rows = rt.db.prepare(`SELECT t.*${select.length ? `, ${select.join(', ')}` : ''} ${from} ORDER BY ${orderParts.join(', ')} LIMIT ? OFFSET ?`)
      .all(...fromParams, pageSize + 1, offset) as Row[];
  }
  const more = q.top === undefined && rows.length > pageSize;
  rows = rows.slice(0, pageSize);
  const wantsFormatted = rt.annotations('OData.Community.Display.V1.FormattedValue');
  const value = rows.map((row) => {
    let out: Record<string, unknown>;
    if (q.distinct) {
      out = {};
      for (const name of rootNames ?? Object.keys(entity.attributes)) {
        const a = entity.attributes[name];
        put(out, isLookup(a) ? `_${name}_value` : name, row[`t__${name}`], entity, a, rt, wantsFormatted);
      }
    } else {
      out = rt.rowJson(row, rootNames ? [...rootNames.map((n) => (isLookup(entity.attributes[n]) ? `_${n}_value` : n)), entity.primaryIdAttribute] : undefined);
      for (const x of q.root.attributes) {
        if (x.alias === undefined) continue;
        const key = isLookup(entity.attributes[x.name]) ? `_${x.name}_value` : x.name;
        if (key in out) { out[x.alias] = out[key]; if (x.name !== entity.primaryIdAttribute) delete out[key]; }
      }
      // FetchXML leaves null values out of the result
      for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
    }
    for (const l of linked) put(out, l.key, row[l.sqlName], l.node.entity!, l.a, rt, wantsFormatted);
    return out;
  });
  const body: Record<string, unknown> = {};
  if (q.returnTotal || withCount) {
    const total = (rt.db.prepare(`SELECT COUNT(*) AS n ${from}`).get(...fromParams) as { n: number }).n;
    // the Web API page shows $count=true next to a fetchXml answering @odata.count as well
    if (withCount) body['@odata.count'] = total;
  }
  if (q.returnTotal) {
    const total = (rt.db.prepare(`SELECT COUNT(*) AS n ${from}`).get(...fromParams) as { n: number }).n;
    body['@Microsoft.Dynamics.CRM.totalrecordcount'] = total > MAX_PAGE ? -1 : total;
    body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'] = total > MAX_PAGE;
  }
  if (more) {
    if (rt.annotations('Microsoft.Dynamics.CRM.fetchxmlpagingcookie')) body['@Microsoft.Dynamics.CRM.fetchxmlpagingcookie'] = pagingCookie(entity, rows, q.page);
    if (rt.annotations('Microsoft.Dynamics.CRM.morerecords')) body['@Microsoft.Dynamics.CRM.morerecords'] = true;
  }
  body.value = value;
  return { body };
}

function put(out: Record<string, unknown>, key: string, v: unknown, e: EntityMetadata, a: AttributeMetadata, rt: FetchRuntime, wantsFormatted: boolean): void {
  if (v === null || v === undefined) return;
  if (wantsFormatted) {
    const f = rt.formatted(e, a, v);
    if (f !== undefined) out[`${key}@OData.Community.Display.V1.FormattedValue`] = f;
  }
  out[key] = a.type === 'boolean' ? v === 1 : v;
}

// The cookie Dataverse returns: <cookie pagenumber="N+1" pagingcookie="<url-encoded twice>" />,
// the inner cookie naming the first and last primary key of the page. The emulator pages by
// page number; the cookie is returned so clients that follow it (dynamics-web-api's fetchAll)
// work, and ignored when sent back.
function pagingCookie(entity: EntityMetadata, rows: Row[], page: number): string {
  const pk = entity.primaryIdAttribute;
  const id = (r: Row | undefined) => `{${String(r?.[pk] ?? '').toUpperCase()}}`;
  const inner = `<cookie page="${page}"><${pk} last="${id(rows[rows.length - 1])}" first="${id(rows[0])}" /></cookie>`;
  return `<cookie pagenumber="${page + 1}" pagingcookie="${encodeURIComponent(encodeURIComponent(inner))}" istracking="False" />`;
}

function aggregateRows(
  rt: FetchRuntime, q: ParsedFetch, nodes: FetchNode[], from: string, fromParams: unknown[],
  read: (node: FetchNode, name: string) => { a?: AttributeMetadata; sql: string },
): Record<string, unknown>[] {
  const select: string[] = [];
  const groups: string[] = [];
  const columns: { alias: string; node: FetchNode; a?: AttributeMetadata; grouped: boolean }[] = [];
  for (const n of nodes) {
    if (n.allAttributes) throw badRequest('all-attributes cannot be used in an aggregate fetch.');
    for (const x of n.attributes) {
      if (!x.alias || !/^[A-Za-z_]\w*$/.test(x.alias)) throw badRequest(`Every attribute of an aggregate fetch needs a valid alias ('${x.name}').`);
      if (columns.some((c) => c.alias === x.alias)) throw badRequest(`The alias '${x.alias}' is used twice.`);
      const r = read(n, x.name);
      const sqlName = quoteIdent(`c${columns.length}`);
      if (x.groupby) {
        if (x.aggregate !== undefined) throw badRequest(`'${x.alias}' cannot both group and aggregate.`);
        if (r.a?.type === 'datetime') throw unsupported(`groupby on the date column '${x.name}' (dategrouping is not emulated)`);
        select.push(`${r.sql} AS ${sqlName}`);
        groups.push(sqlName);
      } else {
        const fn = x.aggregate !== undefined ? AGGREGATES[x.aggregate] : undefined;
        if (!fn) throw badRequest(`An attribute of an aggregate fetch needs groupby='true' or aggregate= count, countcolumn, sum, avg, min or max ('${x.alias}').`);
        const type = r.a?.type ?? 'uniqueidentifier';
        if ((x.aggregate === 'sum' || x.aggregate === 'avg') && !['integer', 'bigint', 'decimal', 'double', 'money'].includes(type)) {
          throw badRequest(`${x.aggregate} needs a number column; '${x.name}' is ${type}.`);
        }
        if (x.distinct && x.aggregate !== 'countcolumn') throw badRequest("distinct='true' applies to countcolumn only.");
        const arg = x.aggregate === 'count' ? '*' : `${x.distinct ? 'DISTINCT ' : ''}${r.sql}`;
        select.push(`${fn}(${arg}) AS ${sqlName}`);
      }
      columns.push({ alias: x.alias, node: n, a: r.a, grouped: x.groupby });
    }
  }
  if (!columns.length) throw badRequest('An aggregate fetch needs at least one attribute.');
  const total = (rt.db.prepare(`SELECT COUNT(*) AS n ${from}`).get(...fromParams) as { n: number }).n;
  if (total > q.aggregateLimit) throw aggregateLimitExceeded();
  const order: string[] = [];
  for (const n of nodes) {
    for (const o of n.orders) {
      const i = columns.findIndex((c) => c.alias === o.attributes.alias);
      if (i < 0) throw badRequest("An order in an aggregate fetch names an attribute alias: <order alias='...' />.");
      order.push(`${quoteIdent(`c${i}`)} ${bool(o.attributes.descending, "The order 'descending' attribute") ? 'DESC' : 'ASC'}`);
    }
  }
  let sql = `SELECT ${select.join(', ')} ${from}${groups.length ? ` GROUP BY ${groups.join(', ')}` : ''}${order.length ? ` ORDER BY ${order.join(', ')}` : ''}`;
  const params = [...fromParams];
  const limit = q.top ?? q.count;
  if (limit !== undefined) { sql += ' LIMIT ? OFFSET ?'; params.push(limit, q.top !== undefined ? 0 : (q.page - 1) * limit); }
  const wantsFormatted = rt.annotations('OData.Community.Display.V1.FormattedValue');
  return (rt.db.prepare(sql).all(...params) as Row[]).map((row) => {
    const out: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      const v = row[`c${i}`];
      if (c.grouped && c.a && c.node.entity) put(out, c.alias, v, c.node.entity, c.a, rt, wantsFormatted);
      else if (v !== null && v !== undefined) out[c.alias] = v;
    });
    return out;
  });
}
