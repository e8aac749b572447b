// Compiles a parsed $filter to a SQL WHERE fragment with bound parameters. Column and table
// names come only from the metadata (never from the request) and every value is a parameter,
// so the output is injection-free by construction.
//
// Navigation paths through lookups become scalar subqueries (a missing related row reads as
// null, as OData defines), lambda any/all become EXISTS over the related rows, and every table
// reached that way is narrowed to the rows the caller may read. Columns the caller may not read
// (column security) are replaced by NULL, which is what Dataverse documents for secured columns
// in a filter, an order or an aggregate ("the field value is substituted with null").
import type { AttributeMetadata, EntityMetadata } from '@switchboard/solution';
import { badRequest, unsupported } from './errors';
import { type Model, type NavProperty, isLookup } from './model';
import {
  type CompareOp, type FilterNode, type FunctionArg, type Literal, type Operand, bindValue, edmOf, normaliseDateTime, quoteIdent, resolveColumn,
} from './odata-filter';

/** What compilation needs from the caller's session: security and the clock. */
export interface SqlScope {
  model: Model;
  /** SQL reading a column as the caller may see it: `alias."col"`, or NULL when column security hides it. */
  column(alias: string, entity: EntityMetadata, a: AttributeMetadata): string;
  /** Restriction to the rows of a table the caller may read (throws when they hold no read privilege). */
  readScope(entity: EntityMetadata, alias: string): { sql: string; params: unknown[] };
  userId: string;
  businessUnitId: string;
  /** ms since the epoch, for the relative date functions */
  now: number;
}

export interface CompiledSql {
  sql: string;
  params: unknown[];
}

const SQL_OPS: Record<CompareOp, string> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };
const OP_NAMES: Record<CompareOp, string> = { eq: 'Equal', ne: 'NotEqual', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual' };

export interface Binding {
  entity: EntityMetadata;
  alias: string;
}

export interface ResolvedValue {
  sql: string;
  params: unknown[];
  attribute: AttributeMetadata;
  /** the table the attribute belongs to (the last one reached through the path) */
  entity: EntityMetadata;
  /** true when the path went through a lookup (a related table's column) */
  joined: boolean;
}

const DAY = 86_400_000;

function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

/** Query functions Dataverse documents that the emulator refuses rather than answer wrongly. */
const KNOWN_UNSUPPORTED = new Set([
  'InFiscalPeriod', 'InFiscalPeriodAndYear', 'InFiscalYear', 'InOrAfterFiscalPeriodAndYear', 'InOrBeforeFiscalPeriodAndYear',
  'LastFiscalPeriod', 'LastFiscalYear', 'LastXFiscalPeriods', 'LastXFiscalYears', 'NextFiscalPeriod', 'NextFiscalYear',
  'NextXFiscalPeriods', 'NextXFiscalYears', 'ThisFiscalPeriod', 'ThisFiscalYear',
  'Above', 'AboveOrEqual', 'Under', 'UnderOrEqual', 'NotUnder', 'EqualUserOrUserHierarchy', 'EqualUserOrUserHierarchyAndTeams',
  'EqualUserOrUserTeams', 'EqualUserTeams', 'EqualUserLanguage', 'Contains', 'DoesNotContain',
]);

/** Resolves property paths (through single-valued navigation properties) to SQL; aliases are unique per resolver. */
export function pathResolver(scope: SqlScope, aliasBase: string): {
  value(start: Binding, segments: string[]): ResolvedValue;
  nextAlias(): string;
} {
  let aliasCounter = 0;
  const nextAlias = (): string => `${aliasBase}_j${++aliasCounter}`;
  const targetOf = (nav: NavProperty): EntityMetadata => scope.model.entity(nav.target);
  const typeCheck = (from: Binding, nav: Extract<NavProperty, { kind: 'single' }>): CompiledSql => {
    const a = from.entity.attributes[nav.attribute];
    // polymorphic lookups (customer, owner) store which table the id belongs to
    if (a && (a.targets ?? []).length > 1) return { sql: ` AND ${from.alias}.${quoteIdent(`${nav.attribute}__type`)} = ?`, params: [nav.target] };
    return { sql: '', params: [] };
  };

  /** A property path to the SQL reading its value, walking single-valued navigation properties. */
  const resolveValue = (start: Binding, segments: string[]): ResolvedValue => {
    if (segments.length === 1) {
      const attribute = resolveColumn(start.entity, segments[0]);
      return { sql: scope.column(start.alias, start.entity, attribute), params: [], attribute, entity: start.entity, joined: false };
    }
    const nav = scope.model.nav(start.entity.logicalName, segments[0]);
    if (!nav) throw badRequest(`Could not find a property named '${segments[0]}' on type 'Microsoft.Dynamics.CRM.${start.entity.logicalName}'.`, '0x0');
    if (nav.kind !== 'single') {
      throw badRequest(`'${segments[0]}' is a collection-valued navigation property: filter on it with any() or all(), e.g. ${segments[0]}/any(x: x/${segments.slice(1).join('/')} ...).`);
    }
    const target = targetOf(nav);
    const inner: Binding = { entity: target, alias: nextAlias() };
    const value = resolveValue(inner, segments.slice(1));
    const type = typeCheck(start, nav);
    const read = scope.readScope(target, inner.alias);
    const sql = `(SELECT ${value.sql} FROM ${quoteIdent(target.logicalName)} ${inner.alias} WHERE ${inner.alias}.${quoteIdent(target.primaryIdAttribute)} = ${start.alias}.${quoteIdent(nav.attribute)}${type.sql}${read.sql ? ` AND ${read.sql}` : ''})`;
    return { sql, params: [...value.params, ...type.params, ...read.params], attribute: value.attribute, entity: value.entity, joined: true };
  };

  return { value: resolveValue, nextAlias };
}

export function compileFilter(node: FilterNode, entity: EntityMetadata, scope: SqlScope, alias = 't'): CompiledSql {
  const paths = pathResolver(scope, alias);
  const { nextAlias } = paths;
  const resolveValue = paths.value;
  const root: Binding = { entity, alias };
  const targetOf = (nav: NavProperty): EntityMetadata => scope.model.entity(nav.target);

  const walk = (n: FilterNode, vars: Map<string, Binding>, inLambda: boolean): CompiledSql => {
    const startOf = (segments: string[]): { binding: Binding; rest: string[] } => {
      const head = segments[0];
      if (head === '$it') return { binding: root, rest: segments.slice(1) };
      const v = vars.get(head);
      if (v) {
        if (segments.length === 1) throw badRequest(`The lambda variable '${head}' must be followed by a property, e.g. ${head}/name.`);
        return { binding: v, rest: segments.slice(1) };
      }
      return { binding: root, rest: segments };
    };
    const value = (segments: string[]): ResolvedValue => {
      const { binding, rest } = startOf(segments);
      if (!rest.length) throw badRequest(`'${segments.join('/')}' names no property.`);
      return resolveValue(binding, rest);
    };

    switch (n.kind) {
      case 'and': case 'or': {
        const l = walk(n.left, vars, inLambda);
        const r = walk(n.right, vars, inLambda);
        return { sql: `(${l.sql} ${n.kind.toUpperCase()} ${r.sql})`, params: [...l.params, ...r.params] };
      }
      case 'not': {
        // NOT over a comparison with a NULL column is NULL in SQL; Dataverse treats the row as not matching either way
        const o = walk(n.operand, vars, inLambda);
        return { sql: `(NOT ${o.sql})`, params: o.params };
      }
      case 'function': {
        const v = value(n.path);
        if (v.attribute.type !== 'string' && v.attribute.type !== 'memo') throw badRequest(`${n.name} needs a string column; '${n.path.join('/')}' is ${v.attribute.type}.`);
        const text = (n.value as { value: string }).value;
        // Dataverse passes % and _ through to SQL LIKE as wildcards ("Use wildcard characters");
        // character sets in brackets have no SQLite equivalent we could match exactly.
        if (text.includes('[')) throw unsupported(`'[' character-set wildcards in ${n.name}`);
        const pattern = n.name === 'contains' ? `%${text}%` : n.name === 'startswith' ? `${text}%` : `%${text}`;
        return { sql: `(${v.sql} LIKE ?)`, params: [...v.params, pattern] };
      }
      case 'compare': {
        const left = n.left as Extract<Operand, { kind: 'path' }>;
        const l = value(left.segments);
        if (n.right.kind === 'path') {
          const r = value(n.right.segments);
          if (l.joined || r.joined) throw unsupported('comparing columns of different tables in $filter (Dataverse allows that in FetchXML only)');
          if (edmOf(l.attribute) !== edmOf(r.attribute) || l.attribute.type === 'multichoice') {
            throw badRequest(`A binary operator with incompatible types was detected. Found operand types '${edmOf(l.attribute)}' and '${edmOf(r.attribute)}' for operator kind '${OP_NAMES[n.op]}'.`);
          }
          return { sql: `(${l.sql} ${SQL_OPS[n.op]} ${r.sql})`, params: [...l.params, ...r.params] };
        }
        const lit = n.right.value;
        if (lit.type === 'null') {
          if (n.op === 'eq') return { sql: `(${l.sql} IS NULL)`, params: l.params };
          if (n.op === 'ne') return { sql: `(${l.sql} IS NOT NULL)`, params: l.params };
          throw badRequest(`null can only be compared with eq or ne ('${left.segments.join('/')} ${n.op} null').`);
        }
        return { sql: `(${l.sql} ${SQL_OPS[n.op]} ?)`, params: [...l.params, bindValue(l.attribute, lit, OP_NAMES[n.op])] };
      }
      case 'lambda':
        return lambda(n, vars, startOf);
      case 'query':
        if (inLambda) throw unsupported('Microsoft.Dynamics.CRM query functions inside any()/all()');
        return queryFunction(n.name, n.args);
    }
  };

  const lambda = (
    n: Extract<FilterNode, { kind: 'lambda' }>,
    vars: Map<string, Binding>,
    startOf: (segments: string[]) => { binding: Binding; rest: string[] },
  ): CompiledSql => {
    const { binding, rest } = startOf(n.path);
    if (rest.length !== 1) {
      // documented: "You can't include conditions on collection-valued navigation properties that are nested in a lookup navigation property"
      throw badRequest(`any() and all() apply to a collection-valued navigation property of the row being filtered, not one reached through a lookup ('${n.path.join('/')}').`);
    }
    const nav = scope.model.nav(binding.entity.logicalName, rest[0]);
    if (!nav) throw badRequest(`Could not find a property named '${rest[0]}' on type 'Microsoft.Dynamics.CRM.${binding.entity.logicalName}'.`, '0x0');
    if (nav.kind === 'single') throw badRequest(`'${nav.name}' is a single-valued navigation property; any() and all() need a collection.`);
    const target = targetOf(nav);
    const item: Binding = { entity: target, alias: nextAlias() };
    const id = `${binding.alias}.${quoteIdent(binding.entity.primaryIdAttribute)}`;
    const params: unknown[] = [];
    let link: string;
    if (nav.kind === 'oneToMany') {
      link = `${item.alias}.${quoteIdent(nav.lookup)} = ${id}`;
      const lookup = target.attributes[nav.lookup];
      if (lookup && (lookup.targets ?? []).length > 1) {
        link += ` AND ${item.alias}.${quoteIdent(`${nav.lookup}__type`)} = ?`;
        params.push(binding.entity.logicalName);
      }
    } else {
      link = `${item.alias}.${quoteIdent(target.primaryIdAttribute)} IN (SELECT ${quoteIdent(nav.otherColumn)} FROM ${quoteIdent(nav.intersect)} WHERE ${quoteIdent(nav.selfColumn)} = ${id})`;
    }
    const read = scope.readScope(target, item.alias);
    if (read.sql) { link += ` AND ${read.sql}`; params.push(...read.params); }
    const from = `FROM ${quoteIdent(target.logicalName)} ${item.alias} WHERE ${link}`;
    if (!n.predicate) return { sql: `EXISTS (SELECT 1 ${from})`, params };
    if (n.variable && (vars.has(n.variable) || n.variable === '$it')) throw badRequest(`The lambda variable '${n.variable}' is already in use.`);
    const inner = new Map(vars);
    inner.set(n.variable!, item);
    const pred = walk(n.predicate, inner, true);
    // all(): no readable related row for which the predicate is not true (a null result counts as not true)
    return n.op === 'any'
      ? { sql: `EXISTS (SELECT 1 ${from} AND ${pred.sql})`, params: [...params, ...pred.params] }
      : { sql: `NOT EXISTS (SELECT 1 ${from} AND NOT COALESCE(${pred.sql}, 0))`, params: [...params, ...pred.params] };
  };

  const queryFunction = (name: string, args: Record<string, FunctionArg>): CompiledSql => {
    checkQueryFunction(name, args);
    const propertyName = args.PropertyName;
    if (Array.isArray(propertyName) || propertyName.type !== 'string') throw badRequest(`PropertyName of Microsoft.Dynamics.CRM.${name} must be a string naming a column.`);
    const a = columnByName(entity, propertyName.value);
    return compileQueryFunction(name, a, scope.column(alias, entity, a), args, scope);
  };

  return walk(node, new Map(), false);
}

function checkQueryFunction(name: string, args: Record<string, FunctionArg>): QueryFunction {
  const fn = QUERY_FUNCTIONS[name];
  if (!fn) {
    if (KNOWN_UNSUPPORTED.has(name)) throw unsupported(`the query function Microsoft.Dynamics.CRM.${name}`);
    throw badRequest(`'Microsoft.Dynamics.CRM.${name}' is not a Dataverse query function.`);
  }
  const allowed = ['PropertyName', ...fn.params];
  for (const k of Object.keys(args)) {
    if (!allowed.includes(k)) throw badRequest(`Microsoft.Dynamics.CRM.${name} has no parameter '${k}' (expected ${allowed.join(', ')}).`);
  }
  for (const k of allowed) if (!(k in args)) throw badRequest(`Microsoft.Dynamics.CRM.${name} needs the parameter '${k}'.`);
  return fn;
}

/** One query function applied to a column SQL expression (also what FetchXML's condition operators map to). */
export function compileQueryFunction(name: string, a: AttributeMetadata, column: string, args: Record<string, FunctionArg>, scope: SqlScope): CompiledSql {
  const fn = checkQueryFunction(name, { PropertyName: { type: 'string', value: a.logicalName }, ...args });
  return fn.compile({ name, a, column, args, scope });
}

/** PropertyName of a query function: the column's logical name (lookups too), or its `_x_value` form. */
function columnByName(entity: EntityMetadata, name: string): AttributeMetadata {
  const a = entity.attributes[name];
  if (a) return a;
  return resolveColumn(entity, name);
}

interface FunctionCall {
  name: string;
  a: AttributeMetadata;
  column: string;
  args: Record<string, FunctionArg>;
  scope: SqlScope;
}

interface QueryFunction {
  params: string[];
  compile(call: FunctionCall): CompiledSql;
}

function typed(call: FunctionCall, lit: Literal): unknown {
  return typedValue(call.a, lit, `Microsoft.Dynamics.CRM.${call.name}`);
}

/** A value given as text (query function arguments, FetchXML values) as the column stores it: "5" for a number. */
export function typedValue(a: AttributeMetadata, lit: Literal, what: string): unknown {
  if (lit.type === 'null') throw badRequest(`${what} cannot compare with null.`);
  if (lit.type !== 'string') return bindValue(a, lit, what);
  const s = lit.value;
  const invalid = () => badRequest(`The value '${s}' of ${what} is not valid for ${a.logicalName} (${edmOf(a)}).`);
  switch (a.type) {
    case 'string': case 'memo': return s;
    case 'integer': case 'bigint': case 'choice': case 'state': case 'status': {
      if (!/^-?\d+$/.test(s.trim())) throw invalid();
      return Number(s);
    }
    case 'decimal': case 'double': case 'money': {
      const n = Number(s);
      if (s.trim() === '' || Number.isNaN(n)) throw invalid();
      return n;
    }
    case 'boolean':
      // FetchXML writes booleans as 1/0, query functions as true/false
      if (!['true', 'false', '1', '0'].includes(s)) throw invalid();
      return s === 'true' || s === '1' ? 1 : 0;
    case 'datetime':
      if (!/^\d{4}-\d{2}-\d{2}/.test(s)) throw invalid();
      return normaliseDateTime(s);
    case 'uniqueidentifier': case 'lookup': case 'customer': case 'owner': {
      const m = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/.exec(s.trim());
      if (!m) throw invalid();
      return m[1].toLowerCase();
    }
    default:
      throw unsupported(`${what} on ${a.type} columns ('${a.logicalName}')`);
  }
}

function values(call: FunctionCall, key = 'PropertyValues'): Literal[] {
  const v = call.args[key];
  if (!Array.isArray(v)) throw badRequest(`${key} of Microsoft.Dynamics.CRM.${call.name} must be an array, e.g. ${key}=["a","b"].`);
  if (!v.length) throw badRequest(`${key} of Microsoft.Dynamics.CRM.${call.name} is empty.`);
  return v;
}

function single(call: FunctionCall): Literal {
  const v = call.args.PropertyValue;
  if (Array.isArray(v)) throw badRequest(`PropertyValue of Microsoft.Dynamics.CRM.${call.name} takes one value, not an array.`);
  return v;
}

function positiveInteger(call: FunctionCall): number {
  const lit = single(call);
  const n = lit.type === 'number' ? lit.value : lit.type === 'string' && /^\d+$/.test(lit.value) ? Number(lit.value) : NaN;
  if (!Number.isInteger(n) || n <= 0) throw badRequest(`PropertyValue of Microsoft.Dynamics.CRM.${call.name} must be a whole number greater than 0.`);
  return n;
}

function requireDate(call: FunctionCall): void {
  if (call.a.type !== 'datetime') throw badRequest(`Microsoft.Dynamics.CRM.${call.name} needs a date and time column; '${call.a.logicalName}' is ${edmOf(call.a)}.`);
}

/** [from, to) as a SQL range on the column; `inclusiveEnd` makes it [from, to]. */
function range(call: FunctionCall, from: number | undefined, to: number | undefined, inclusiveEnd = false): CompiledSql {
  requireDate(call);
  const parts: string[] = [];
  const params: unknown[] = [];
  if (from !== undefined) { parts.push(`${call.column} >= ?`); params.push(iso(from)); }
  if (to !== undefined) { parts.push(`${call.column} ${inclusiveEnd ? '<=' : '<'} ?`); params.push(iso(to)); }
  return { sql: `(${parts.join(' AND ')})`, params };
}

// Relative dates use UTC (the emulator has no user time zone) and Sunday as the first day of the
// week. "Last X <unit>" runs from midnight X units back to now, "Next X <unit>" from now to the end
// of the day X units ahead — the ranges Dataverse applies (measured and published for FetchXML's
// last-x-*/next-x-* operators by the SQL 4 CDS author: https://markcarrington.dev/2020/08/25/fetchxml-date-filtering/).
// Hours work from the current time. "Older than X" is before now minus X.
type Unit = 'Minutes' | 'Hours' | 'Days' | 'Weeks' | 'Months' | 'Years';

function shift(ms: number, unit: Unit, n: number): number {
  switch (unit) {
    case 'Minutes': return ms + n * 60_000;
    case 'Hours': return ms + n * 3_600_000;
    case 'Days': return ms + n * DAY;
    case 'Weeks': return ms + 7 * n * DAY;
    case 'Months': return addMonths(ms, n);
    case 'Years': return addMonths(ms, 12 * n);
  }
}

function lastX(unit: Unit): QueryFunction {
  return {
    params: ['PropertyValue'],
    compile(call) {
      const n = positiveInteger(call);
      const now = call.scope.now;
      const from = unit === 'Hours' ? shift(now, unit, -n) : shift(startOfDay(now), unit, -n);
      return range(call, from, now, true);
    },
  };
}

function nextX(unit: Unit): QueryFunction {
  return {
    params: ['PropertyValue'],
    compile(call) {
      const n = positiveInteger(call);
      const now = call.scope.now;
      const to = unit === 'Hours' ? shift(now, unit, n) : shift(startOfDay(now), unit, n) + DAY;
      return range(call, now, to, unit === 'Hours');
    },
  };
}

function olderThan(unit: Unit): QueryFunction {
  return {
    params: ['PropertyValue'],
    compile(call) {
      return range(call, undefined, shift(call.scope.now, unit, -positiveInteger(call)));
    },
  };
}

function dayWindow(offsetDays: number, lengthDays = 1): QueryFunction {
  return {
    params: [],
    compile(call) {
      const start = startOfDay(call.scope.now) + offsetDays * DAY;
      return range(call, start, start + lengthDays * DAY);
    },
  };
}

function weekWindow(offsetWeeks: number): QueryFunction {
  return {
    params: [],
    compile(call) {
      const sod = startOfDay(call.scope.now);
      const start = sod - new Date(sod).getUTCDay() * DAY + offsetWeeks * 7 * DAY;
      return range(call, start, start + 7 * DAY);
    },
  };
}

function monthWindow(offsetMonths: number, months = 1): QueryFunction {
  return {
    params: [],
    compile(call) {
      const d = new Date(call.scope.now);
      const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offsetMonths, 1);
      return range(call, start, addMonths(start, months));
    },
  };
}

function yearWindow(offsetYears: number): QueryFunction {
  return {
    params: [],
    compile(call) {
      const start = Date.UTC(new Date(call.scope.now).getUTCFullYear() + offsetYears, 0, 1);
      return range(call, start, addMonths(start, 12));
    },
  };
}

function onDate(kind: 'on' | 'after' | 'before'): QueryFunction {
  return {
    params: ['PropertyValue'],
    compile(call) {
      const lit = single(call);
      const raw = lit.type === 'datetime' || lit.type === 'string' ? lit.value : '';
      const ms = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(normaliseDateTime(raw.slice(0, 10))) : NaN;
      if (Number.isNaN(ms)) throw badRequest(`PropertyValue of Microsoft.Dynamics.CRM.${call.name} must be a date (yyyy-mm-dd).`);
      // the whole day counts: on-or-before 2024-03-01 includes 2024-03-01 23:59:59
      if (kind === 'on') return range(call, ms, ms + DAY);
      return kind === 'after' ? range(call, ms, undefined) : range(call, undefined, ms + DAY);
    },
  };
}

function idEquals(which: 'user' | 'business', negate: boolean): QueryFunction {
  return {
    params: [],
    compile(call) {
      const a = call.a;
      const target = which === 'user' ? 'systemuser' : 'businessunit';
      if (!(a.type === 'uniqueidentifier' || (isLookup(a) && (a.targets ?? []).includes(target)))) {
        throw badRequest(`Microsoft.Dynamics.CRM.${call.name} needs a ${target} lookup or a unique identifier; '${a.logicalName}' is ${edmOf(a)}.`);
      }
      const id = which === 'user' ? call.scope.userId : call.scope.businessUnitId;
      return { sql: `(${call.column} ${negate ? '<>' : '='} ?)`, params: [id] };
    },
  };
}

function inList(negate: boolean): QueryFunction {
  return {
    params: ['PropertyValues'],
    compile(call) {
      if (call.a.type === 'multichoice') throw badRequest(`Use Microsoft.Dynamics.CRM.ContainValues for the choices column '${call.a.logicalName}'.`);
      const list = values(call).map((v) => typed(call, v));
      return { sql: `(${call.column} ${negate ? 'NOT IN' : 'IN'} (${list.map(() => '?').join(', ')}))`, params: list };
    },
  };
}

function between(negate: boolean): QueryFunction {
  return {
    params: ['PropertyValues'],
    compile(call) {
      const list = values(call);
      if (list.length !== 2) throw badRequest(`PropertyValues of Microsoft.Dynamics.CRM.${call.name} takes exactly two values.`);
      const [lo, hi] = list.map((v) => typed(call, v));
      return negate
        ? { sql: `(${call.column} < ? OR ${call.column} > ?)`, params: [lo, hi] }
        : { sql: `(${call.column} >= ? AND ${call.column} <= ?)`, params: [lo, hi] };
    },
  };
}

function containValues(negate: boolean): QueryFunction {
  return {
    params: ['PropertyValues'],
    compile(call) {
      if (call.a.type !== 'multichoice') throw badRequest(`Microsoft.Dynamics.CRM.${call.name} needs a choices (multi-select) column; '${call.a.logicalName}' is ${edmOf(call.a)}.`);
      const list = values(call).map((v) => {
        const n = v.type === 'number' ? v.value : v.type === 'string' && /^-?\d+$/.test(v.value) ? Number(v.value) : NaN;
        if (!Number.isInteger(n)) throw badRequest(`PropertyValues of Microsoft.Dynamics.CRM.${call.name} must be option values.`);
        return n;
      });
      // the column stores the selected values as "1,3,5"; wrapping in commas makes each match exact
      const any = list.map(() => `(',' || ${call.column} || ',') LIKE ?`).join(' OR ');
      const params = list.map((n) => `%,${n},%`);
      return negate ? { sql: `(${call.column} IS NULL OR NOT (${any}))`, params } : { sql: `(${any})`, params };
    },
  };
}

const QUERY_FUNCTIONS: Record<string, QueryFunction> = {
  In: inList(false), NotIn: inList(true), Between: between(false), NotBetween: between(true),
  ContainValues: containValues(false), DoesNotContainValues: containValues(true),
  EqualUserId: idEquals('user', false), NotEqualUserId: idEquals('user', true),
  EqualBusinessId: idEquals('business', false), NotEqualBusinessId: idEquals('business', true),
  On: onDate('on'), OnOrAfter: onDate('after'), OnOrBefore: onDate('before'),
  Today: dayWindow(0), Yesterday: dayWindow(-1), Tomorrow: dayWindow(1),
  Last7Days: { params: [], compile: (call) => range(call, startOfDay(call.scope.now) - 7 * DAY, call.scope.now, true) },
  Next7Days: { params: [], compile: (call) => range(call, call.scope.now, startOfDay(call.scope.now) + 8 * DAY) },
  LastWeek: weekWindow(-1), ThisWeek: weekWindow(0), NextWeek: weekWindow(1),
  LastMonth: monthWindow(-1), ThisMonth: monthWindow(0), NextMonth: monthWindow(1),
  LastYear: yearWindow(-1), ThisYear: yearWindow(0), NextYear: yearWindow(1),
  LastXHours: lastX('Hours'), LastXDays: lastX('Days'), LastXWeeks: lastX('Weeks'), LastXMonths: lastX('Months'), LastXYears: lastX('Years'),
  NextXHours: nextX('Hours'), NextXDays: nextX('Days'), NextXWeeks: nextX('Weeks'), NextXMonths: nextX('Months'), NextXYears: nextX('Years'),
  OlderThanXMinutes: olderThan('Minutes'), OlderThanXHours: olderThan('Hours'), OlderThanXDays: olderThan('Days'),
  OlderThanXWeeks: olderThan('Weeks'), OlderThanXMonths: olderThan('Months'), OlderThanXYears: olderThan('Years'),
};

export const SUPPORTED_QUERY_FUNCTIONS = Object.keys(QUERY_FUNCTIONS);
