// $apply: the subset of OData aggregation Dataverse supports ("Aggregate data using OData"):
// filter(...) first, then groupby((paths)[,aggregate(...)]) or aggregate(...), with sum, average,
// min, max, countdistinct and $count. Dataverse runs these as FetchXML aggregates, so the answer
// has its shape: one object per group, null values left out, at most 50,000 source rows.
import type { AttributeMetadata, EntityMetadata } from '@switchboard/solution';
import { DataverseError, ErrorCodes, badRequest, unsupported } from './errors';
import { type CompiledSql, type SqlScope, compileFilter, pathResolver } from './filter-sql';
import { isLookup } from './model';
import { type Aliases, type FilterNode, parseFilter, quoteIdent } from './odata-filter';
import type { QueryOptions } from './odata-query';
import { splitTopLevel } from './split';
import type { Db } from './store';

/** Dataverse refuses aggregates over more source rows than this (FetchXML's aggregate limit). */
export const AGGREGATE_RECORD_LIMIT = 50_000;

export type AggregateFn = 'sum' | 'average' | 'min' | 'max' | 'countdistinct';

export type ApplyAggregate = { fn: AggregateFn; path: string[]; alias: string } | { fn: 'count'; alias: string };

export interface ApplyPlan {
  filters: FilterNode[];
  groupBy: string[][];
  aggregates: ApplyAggregate[];
}

const NUMERIC = new Set(['integer', 'bigint', 'decimal', 'double', 'money']);
const ALIAS_NAME = /^[A-Za-z_]\w*$/;

export function aggregateLimitExceeded(): DataverseError {
  return new DataverseError(400, ErrorCodes.aggregateQueryRecordLimit, 'AggregateQueryRecordLimit exceeded. Cannot perform this operation.');
}

function parseAggregateItems(text: string): ApplyAggregate[] {
  return splitTopLevel(text, ',').map((item): ApplyAggregate => {
    const count = /^\$count\s+as\s+(\S+)$/.exec(item);
    if (count) return { fn: 'count', alias: count[1] };
    const m = /^(\S+)\s+with\s+(\w+)\s+as\s+(\S+)$/.exec(item);
    if (!m) throw badRequest(`Invalid aggregate expression '${item}': expected '<property> with <sum|average|min|max|countdistinct> as <alias>' or '$count as <alias>'.`);
    if (!['sum', 'average', 'min', 'max', 'countdistinct'].includes(m[2])) throw unsupported(`the aggregation method '${m[2]}' (Dataverse supports sum, average, min, max, countdistinct and $count)`);
    return { fn: m[2] as AggregateFn, path: m[1].split('/'), alias: m[3] };
  });
}

export function parseApply(text: string, aliases?: Aliases): ApplyPlan {
  const plan: ApplyPlan = { filters: [], groupBy: [], aggregates: [] };
  let grouped = false;
  for (const step of splitTopLevel(text, '/')) {
    const m = /^(\w+)\((.*)\)$/s.exec(step);
    if (!m) throw badRequest(`Invalid $apply transformation '${step}'.`);
    const [, name, inner] = m;
    if (name === 'filter') {
      // a filter after grouping would filter groups, which Dataverse cannot express
      if (grouped) throw unsupported('filter() after groupby() or aggregate() in $apply');
      plan.filters.push(parseFilter(inner, aliases));
    } else if (name === 'groupby') {
      if (grouped) throw unsupported('more than one groupby() or aggregate() in $apply');
      grouped = true;
      const parts = splitTopLevel(inner, ',');
      const keys = /^\((.*)\)$/s.exec(parts[0] ?? '');
      if (!keys) throw badRequest(`groupby needs a parenthesised list of properties: groupby((a,b)) ('${step}').`);
      plan.groupBy = splitTopLevel(keys[1], ',').map((k) => k.split('/'));
      if (!plan.groupBy.length) throw badRequest('groupby needs at least one property.');
      for (const rest of parts.slice(1)) {
        const agg = /^aggregate\((.*)\)$/s.exec(rest);
        if (!agg) throw unsupported(`'${rest}' inside groupby (only aggregate(...) is supported)`);
        plan.aggregates.push(...parseAggregateItems(agg[1]));
      }
    } else if (name === 'aggregate') {
      if (grouped) throw unsupported('more than one groupby() or aggregate() in $apply');
      grouped = true;
      plan.aggregates.push(...parseAggregateItems(inner));
    } else {
      throw unsupported(`the $apply transformation '${name}' (Dataverse supports filter, groupby and aggregate)`);
    }
  }
  if (!grouped) throw badRequest('$apply needs groupby() or aggregate() after its filter().');
  const seen = new Set<string>();
  for (const a of plan.aggregates) {
    if (!ALIAS_NAME.test(a.alias)) throw badRequest(`'${a.alias}' is not a valid alias name.`);
    if (seen.has(a.alias)) throw badRequest(`The alias '${a.alias}' is used twice.`);
    seen.add(a.alias);
  }
  return plan;
}

export interface AggregateRuntime {
  db: Db;
  scope: SqlScope;
  /** row-level read scope of the root table and any fixed restriction (a related collection) */
  where: CompiledSql[];
  formatted(e: EntityMetadata, a: AttributeMetadata, v: unknown): string | undefined;
  wantsFormatted: boolean;
}

interface OutputColumn {
  key: string;
  sqlAlias: string;
  attribute?: AttributeMetadata;
  entity?: EntityMetadata;
}

/** Runs a parsed $apply against a table: one object per group, Dataverse-style (nulls omitted). */
export function runApply(rt: AggregateRuntime, entity: EntityMetadata, plan: ApplyPlan, options: QueryOptions): Record<string, unknown>[] {
  if (options.filter || options.select || options.expand || options.count || options.skiptoken) {
    throw unsupported('$filter, $select, $expand, $count or paging together with $apply (put the filter inside $apply as filter(...))');
  }
  const paths = pathResolver(rt.scope, 't');
  const root = { entity, alias: 't' };
  const select: string[] = [];
  const params: unknown[] = [];
  const columns: OutputColumn[] = [];
  const groupSql: string[] = [];
  plan.groupBy.forEach((segments, i) => {
    const v = paths.value(root, segments);
    if (v.attribute.type === 'datetime') throw unsupported(`groupby on date and time columns ('${segments.join('/')}'); Dataverse does not support it either`);
    if (v.attribute.type === 'multichoice') throw unsupported(`groupby on choices columns ('${segments.join('/')}')`);
    const key = segments.length === 1 ? segments[0] : `${v.entity.logicalName}_${isLookup(v.attribute) ? `_${v.attribute.logicalName}_value` : v.attribute.logicalName}`;
    if (columns.some((c) => c.key === key)) throw badRequest(`'${segments.join('/')}' is grouped twice.`);
    select.push(`${v.sql} AS g${i}`);
    params.push(...v.params);
    groupSql.push(`g${i}`);
    columns.push({ key, sqlAlias: `g${i}`, attribute: v.attribute, entity: v.entity });
  });
  plan.aggregates.forEach((agg, i) => {
    if (columns.some((c) => c.key === agg.alias)) throw badRequest(`The alias '${agg.alias}' is also a grouped property.`);
    if (agg.fn === 'count') {
      select.push(`COUNT(*) AS a${i}`);
    } else {
      const v = paths.value(root, agg.path);
      const type = v.attribute.type;
      if ((agg.fn === 'sum' || agg.fn === 'average') && !NUMERIC.has(type)) throw badRequest(`${agg.fn} needs a number column; '${agg.path.join('/')}' is ${type}.`);
      if ((agg.fn === 'min' || agg.fn === 'max') && !NUMERIC.has(type) && type !== 'datetime') throw badRequest(`${agg.fn} needs a number or date column; '${agg.path.join('/')}' is ${type}.`);
      const fn = { sum: 'SUM', average: 'AVG', min: 'MIN', max: 'MAX', countdistinct: 'COUNT' }[agg.fn];
      select.push(`${fn}(${agg.fn === 'countdistinct' ? 'DISTINCT ' : ''}${v.sql}) AS a${i}`);
      params.push(...v.params);
    }
    columns.push({ key: agg.alias, sqlAlias: `a${i}` });
  });

  const where: CompiledSql[] = [...rt.where, ...plan.filters.map((f) => compileFilter(f, entity, rt.scope))];
  const whereSql = where.filter((w) => w.sql).map((w) => w.sql).join(' AND ');
  const whereParams = where.flatMap((w) => (w.sql ? w.params : []));
  const from = `FROM ${quoteIdent(entity.logicalName)} t${whereSql ? ` WHERE ${whereSql}` : ''}`;
  const total = (rt.db.prepare(`SELECT COUNT(*) AS n ${from}`).get(...whereParams) as { n: number }).n;
  if (total > AGGREGATE_RECORD_LIMIT) throw aggregateLimitExceeded();

  const order = (options.orderby ?? []).map((o) => {
    const c = columns.find((x) => x.key === o.property);
    // Dataverse: "$orderby with aggregate values is not supported"
    if (!c || c.sqlAlias.startsWith('a')) throw badRequest('The query node SingleValueOpenPropertyAccess is not supported');
    return `${c.sqlAlias} ${o.desc ? 'DESC' : 'ASC'}`;
  });
  const orderSql = [...order, ...groupSql.filter((g) => !order.some((o) => o.startsWith(`${g} `)))].join(', ');
  let sql = `SELECT ${select.join(', ')} ${from}${groupSql.length ? ` GROUP BY ${groupSql.join(', ')}` : ''}${orderSql ? ` ORDER BY ${orderSql}` : ''}`;
  const allParams = [...params, ...whereParams];
  if (options.top !== undefined) { sql += ' LIMIT ?'; allParams.push(options.top); }
  const rows = rt.db.prepare(sql).all(...allParams) as Record<string, unknown>[];
  return rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const c of columns) {
      const v = r[c.sqlAlias];
      if (v === null || v === undefined) continue;
      const value = c.attribute?.type === 'boolean' ? v === 1 : v;
      if (c.attribute && c.entity && rt.wantsFormatted) {
        const f = rt.formatted(c.entity, c.attribute, v);
        if (f !== undefined) out[`${c.key}@OData.Community.Display.V1.FormattedValue`] = f;
      }
      out[c.key] = value;
    }
    return out;
  });
}
