// $filter: tokenizer and recursive-descent parser to an AST, then compilation to a SQL WHERE
// fragment with bound parameters. Values never enter the SQL text; column names come only from
// the metadata (never from the request), so the output is injection-free by construction.
// Anything outside the supported grammar is a 400: a filter we silently ignored would turn into a
// match-all, which is the worst possible failure for routing and identification queries.
import type { AttributeMetadata, EntityMetadata } from '@switchboard/solution';
import { badRequest, unknownProperty, unsupported } from './errors';
import { isLookup } from './model';

export type Literal =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number; raw: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' }
  | { type: 'guid'; value: string }
  | { type: 'datetime'; value: string };

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type StringFunction = 'contains' | 'startswith' | 'endswith';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: CompareOp; property: string; value: Literal }
  | { kind: 'function'; name: StringFunction; property: string; value: Literal };

type Token =
  | { t: 'lparen' | 'rparen' | 'comma'; pos: number }
  | { t: 'ident'; v: string; pos: number }
  | { t: 'literal'; v: Literal; pos: number };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?(?![\w:.-])/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?(?![\w.])/;
const IDENT = /^[A-Za-z_][\w.]*(\/[A-Za-z_][\w.]*)*/;

/** Dataverse stores date and time with second precision in UTC. */
export function normaliseDateTime(raw: string): string {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw badRequest(`'${raw}' is not a valid date and time.`);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(') { tokens.push({ t: 'lparen', pos: i }); i++; continue; }
    if (c === ')') { tokens.push({ t: 'rparen', pos: i }); i++; continue; }
    if (c === ',') { tokens.push({ t: 'comma', pos: i }); i++; continue; }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw badRequest(`Syntax error: unterminated string literal at position ${i} in '${text}'.`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") { value += "'"; j += 2; continue; }
          break;
        }
        value += text[j++];
      }
      tokens.push({ t: 'literal', v: { type: 'string', value }, pos: i });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i);
    let m = GUID.exec(rest);
    if (m) { tokens.push({ t: 'literal', v: { type: 'guid', value: m[0].toLowerCase() }, pos: i }); i += m[0].length; continue; }
    m = DATETIME.exec(rest);
    if (m) {
      tokens.push({ t: 'literal', v: { type: 'datetime', value: normaliseDateTime(m[0]) }, pos: i });
      i += m[0].length;
      continue;
    }
    m = NUMBER.exec(rest);
    if (m) {
      const raw = m[0].replace(/[mMdDfFlL]$/, '');
      tokens.push({ t: 'literal', v: { type: 'number', value: Number(raw), raw }, pos: i });
      i += m[0].length;
      continue;
    }
    m = IDENT.exec(rest);
    if (m) {
      const v = m[0];
      if (v === 'null') tokens.push({ t: 'literal', v: { type: 'null' }, pos: i });
      else if (v === 'true' || v === 'false') tokens.push({ t: 'literal', v: { type: 'boolean', value: v === 'true' }, pos: i });
      else tokens.push({ t: 'ident', v, pos: i });
      i += v.length;
      continue;
    }
    throw badRequest(`Syntax error at position ${i} in '${text}'.`);
  }
  return tokens;
}

const COMPARE_OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const STRING_FUNCTIONS = new Set(['contains', 'startswith', 'endswith']);

export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let p = 0;
  const peek = (): Token | undefined => tokens[p];
  const fail = (what: string): never => {
    const tok = tokens[p];
    throw badRequest(`Syntax error: ${what} at position ${tok ? tok.pos : text.length} in '${text}'.`);
  };
  const expect = (t: Token['t']): Token => {
    const tok = tokens[p];
    if (!tok || tok.t !== t) fail(`expected ${t}`);
    p++;
    return tok!;
  };
  const isKeyword = (word: string): boolean => {
    const tok = peek();
    return !!tok && tok.t === 'ident' && tok.v === word;
  };

  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (isKeyword('or')) { p++; left = { kind: 'or', left, right: parseAnd() }; }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parseUnary();
    while (isKeyword('and')) { p++; left = { kind: 'and', left, right: parseUnary() }; }
    return left;
  };
  const parseUnary = (): FilterNode => {
    if (isKeyword('not')) { p++; return { kind: 'not', operand: parseUnary() }; }
    return parsePrimary();
  };
  const parsePrimary = (): FilterNode => {
    const tok = peek();
    if (!tok) return fail('unexpected end of expression');
    if (tok.t === 'lparen') {
      p++;
      const inner = parseOr();
      expect('rparen');
      return inner;
    }
    if (tok.t === 'ident' && tokens[p + 1]?.t === 'lparen') {
      const name = tok.v;
      if (!STRING_FUNCTIONS.has(name)) {
        throw unsupported(`the function '${name}' in $filter (supported: contains, startswith, endswith)`);
      }
      p += 2;
      const prop = expect('ident') as { v: string };
      expect('comma');
      const lit = expect('literal') as { v: Literal };
      expect('rparen');
      if (lit.v.type !== 'string') throw badRequest(`The second argument of ${name} must be a string literal.`);
      return { kind: 'function', name: name as StringFunction, property: prop.v, value: lit.v };
    }
    // comparison: property op literal, or literal op property
    const first = tokens[p++];
    const opTok = tokens[p++];
    const second = tokens[p++];
    if (!opTok || opTok.t !== 'ident') { p--; return fail('expected a comparison operator'); }
    if (opTok.v === 'in' || opTok.v === 'has') throw unsupported(`the '${opTok.v}' operator in $filter`);
    if (!COMPARE_OPS.has(opTok.v)) { p -= 2; return fail(`unknown operator '${opTok.v}'`); }
    const op = opTok.v as CompareOp;
    if (!second) return fail('expected a value');
    if (first.t === 'ident' && second.t === 'literal') return { kind: 'compare', op, property: first.v, value: second.v };
    if (first.t === 'literal' && second.t === 'ident') {
      const flipped: Record<CompareOp, CompareOp> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };
      return { kind: 'compare', op: flipped[op], property: second.v, value: first.v };
    }
    if (first.t === 'ident' && second.t === 'ident') throw unsupported('comparing two columns in $filter');
    return fail('a comparison needs a property and a literal');
  };

  if (!tokens.length) throw badRequest('The $filter expression is empty.');
  const node = parseOr();
  if (p < tokens.length) fail('unexpected token');
  return node;
}

export interface CompiledSql {
  sql: string;
  params: unknown[];
}

/** Resolves a property name used in $filter/$orderby/$select to a stored column. */
export function resolveColumn(entity: EntityMetadata, property: string): AttributeMetadata {
  if (property.includes('/')) throw unsupported(`navigation paths ('${property}') in query options`);
  const lookup = /^_(.+)_value$/.exec(property);
  if (lookup) {
    const a = entity.attributes[lookup[1]];
    if (a && isLookup(a)) return a;
    throw unknownProperty(property, entity.logicalName);
  }
  const a = entity.attributes[property];
  if (!a || isLookup(a)) throw unknownProperty(property, entity.logicalName);
  return a;
}

const EDM: Record<Literal['type'], string> = {
  string: 'Edm.String', number: 'Edm.Int32', boolean: 'Edm.Boolean', null: 'null', guid: 'Edm.Guid', datetime: 'Edm.DateTimeOffset',
};

function edmOf(a: AttributeMetadata): string {
  switch (a.type) {
    case 'string': case 'memo': case 'multichoice': return 'Edm.String';
    case 'integer': case 'choice': case 'state': case 'status': return 'Edm.Int32';
    case 'bigint': return 'Edm.Int64';
    case 'decimal': case 'money': return 'Edm.Decimal';
    case 'double': return 'Edm.Double';
    case 'boolean': return 'Edm.Boolean';
    case 'datetime': return 'Edm.DateTimeOffset';
    default: return 'Edm.Guid';
  }
}

/** The SQLite value a literal compares as for this column, or a 400 when the types disagree. */
export function bindValue(a: AttributeMetadata, lit: Literal, op: string): unknown {
  const mismatch = () =>
    badRequest(`A binary operator with incompatible types was detected. Found operand types '${edmOf(a)}' and '${EDM[lit.type]}' for operator kind '${op}'.`);
  switch (a.type) {
    case 'string': case 'memo':
      if (lit.type !== 'string') throw mismatch();
      return lit.value;
    case 'integer': case 'bigint': case 'decimal': case 'double': case 'money': case 'choice': case 'state': case 'status':
      if (lit.type !== 'number') throw mismatch();
      return lit.value;
    case 'boolean':
      if (lit.type !== 'boolean') throw mismatch();
      return lit.value ? 1 : 0;
    case 'datetime':
      if (lit.type !== 'datetime') throw mismatch();
      return lit.value;
    case 'uniqueidentifier': case 'lookup': case 'customer': case 'owner':
      if (lit.type !== 'guid') throw mismatch();
      return lit.value;
    default:
      throw unsupported(`filtering on ${a.type} columns ('${a.logicalName}')`);
  }
}

const SQL_OPS: Record<CompareOp, string> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };
const OP_NAMES: Record<CompareOp, string> = { eq: 'Equal', ne: 'NotEqual', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual' };

export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][\w]*$/.test(name)) throw badRequest(`Invalid identifier '${name}'.`);
  return `"${name}"`;
}

export function compileFilter(node: FilterNode, entity: EntityMetadata, alias = 't'): CompiledSql {
  const params: unknown[] = [];
  const col = (a: AttributeMetadata) => `${alias}.${quoteIdent(a.logicalName)}`;
  const walk = (n: FilterNode): string => {
    switch (n.kind) {
      case 'and': case 'or':
        return `(${walk(n.left)} ${n.kind.toUpperCase()} ${walk(n.right)})`;
      case 'not':
        // NOT over a comparison with a NULL column is NULL in SQL; Dataverse treats the row as not matching either way
        return `(NOT ${walk(n.operand)})`;
      case 'function': {
        const a = resolveColumn(entity, n.property);
        if (a.type !== 'string' && a.type !== 'memo') throw badRequest(`${n.name} needs a string column; '${n.property}' is ${a.type}.`);
        const raw = (n.value as { value: string }).value.replace(/[\\%_]/g, (c) => `\\${c}`);
        params.push(n.name === 'contains' ? `%${raw}%` : n.name === 'startswith' ? `${raw}%` : `%${raw}`);
        return `(${col(a)} LIKE ? ESCAPE '\\')`;
      }
      case 'compare': {
        const a = resolveColumn(entity, n.property);
        if (n.value.type === 'null') {
          if (n.op === 'eq') return `(${col(a)} IS NULL)`;
          if (n.op === 'ne') return `(${col(a)} IS NOT NULL)`;
          throw badRequest(`null can only be compared with eq or ne ('${n.property} ${n.op} null').`);
        }
        params.push(bindValue(a, n.value, OP_NAMES[n.op]));
        return `(${col(a)} ${SQL_OPS[n.op]} ?)`;
      }
    }
  };
  const sql = walk(node);
  return { sql, params };
}
