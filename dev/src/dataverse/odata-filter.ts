// $filter: tokenizer and recursive-descent parser to an AST (compiled to SQL by filter-sql.ts).
// The grammar is what Dataverse documents in "Filter rows using OData": comparisons (also
// between two columns), and/or/not, grouping, contains/startswith/endswith, navigation paths
// through lookups (parentcustomerid_account/name), lambda any/all on collections, the
// Microsoft.Dynamics.CRM query functions and parameter aliases (@p1). Anything else is a 400:
// a filter we silently ignored would turn into a match-all, the worst possible failure for
// routing and identification queries. Nesting and size are bounded so a hostile filter is a
// 400 too, never a stack overflow.
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

/** A property path as written: `name`, `_x_value`, `lookupnav/name`, `c/firstname` inside a lambda. */
export type Operand = { kind: 'path'; segments: string[] } | { kind: 'literal'; value: Literal };

/** A query function argument: one literal, or an array (PropertyValues=[...]). */
export type FunctionArg = Literal | Literal[];

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand }
  | { kind: 'function'; name: StringFunction; path: string[]; value: Literal }
  | { kind: 'query'; name: string; args: Record<string, FunctionArg> }
  | { kind: 'lambda'; op: 'any' | 'all'; path: string[]; variable?: string; predicate?: FilterNode };

/** Deepest nesting of parentheses, not, lambdas and functions a $filter may use. */
export const MAX_FILTER_DEPTH = 64;
/** Most comparisons and function calls one $filter may hold. */
export const MAX_FILTER_CONDITIONS = 500;

type Token =
  | { t: 'lparen' | 'rparen' | 'comma' | 'colon' | 'lbracket' | 'rbracket' | 'equals'; pos: number }
  | { t: 'ident'; v: string; pos: number }
  | { t: 'literal'; v: Literal; pos: number; quoted?: 'double' };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?(?![\w:.-])/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?(?![\w.])/;
const IDENT = /^[A-Za-z_$][\w.]*(\/[A-Za-z_$][\w.]*)*/;
const ALIAS = /^@[A-Za-z_]\w*/;

/** Dataverse stores date and time with second precision in UTC. */
export function normaliseDateTime(raw: string): string {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw badRequest(`'${raw}' is not a valid date and time.`);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Parameter aliases of the query string (`@p1` → its raw text), as OData allows in $filter and $orderby. */
export type Aliases = ReadonlyMap<string, string>;

function tokenize(text: string, aliases: Aliases | undefined, inAlias = false): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const single: Record<string, Token['t']> = { '(': 'lparen', ')': 'rparen', ',': 'comma', ':': 'colon', '[': 'lbracket', ']': 'rbracket', '=': 'equals' };
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (single[c]) { tokens.push({ t: single[c], pos: i } as Token); i++; continue; }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw badRequest(`There is an unterminated literal at position ${i} in '${text}'.`);
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
    if (c === '"') {
      // JSON strings: only valid inside arrays (PropertyValues=["O'Brian"]), checked by the parser
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw badRequest(`There is an unterminated literal at position ${i} in '${text}'.`);
      let value: string;
      try {
        value = JSON.parse(text.slice(i, j + 1)) as string;
      } catch {
        throw badRequest(`Invalid JSON string at position ${i} in '${text}'.`);
      }
      tokens.push({ t: 'literal', v: { type: 'string', value }, pos: i, quoted: 'double' });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i);
    let m = ALIAS.exec(rest);
    if (m) {
      if (inAlias) throw badRequest(`A parameter alias value cannot refer to another alias ('${m[0]}').`);
      const value = aliases?.get(m[0]);
      if (value === undefined) throw badRequest(`The parameter alias '${m[0]}' is used in the query but has no value (add &${m[0]}=...).`);
      for (const tok of tokenize(value, aliases, true)) tokens.push({ ...tok, pos: i });
      i += m[0].length;
      continue;
    }
    m = GUID.exec(rest);
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
const QUERY_FUNCTION_PREFIX = 'Microsoft.Dynamics.CRM.';
const FLIPPED: Record<CompareOp, CompareOp> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

export function parseFilter(text: string, aliases?: Aliases): FilterNode {
  const tokens = tokenize(text, aliases);
  let p = 0;
  let depth = 0;
  let conditions = 0;
  const peek = (offset = 0): Token | undefined => tokens[p + offset];
  const fail = (what: string): never => {
    const tok = tokens[p];
    throw badRequest(`Syntax error: ${what} at position ${tok ? tok.pos : text.length} in '${text}'.`);
  };
  const expect = <K extends Token['t']>(t: K): Extract<Token, { t: K }> => {
    const tok = tokens[p];
    if (!tok || tok.t !== t) fail(`expected ${t}`);
    p++;
    return tok as Extract<Token, { t: K }>;
  };
  const isKeyword = (word: string): boolean => {
    const tok = peek();
    return !!tok && tok.t === 'ident' && tok.v === word;
  };
  const enter = (): void => {
    if (++depth > MAX_FILTER_DEPTH) {
      throw badRequest(`The $filter expression is nested more than ${MAX_FILTER_DEPTH} levels deep (parentheses, not, lambda operators and functions); simplify it.`);
    }
  };
  const condition = (): void => {
    if (++conditions > MAX_FILTER_CONDITIONS) throw badRequest(`The $filter expression has more than ${MAX_FILTER_CONDITIONS} conditions; split the query.`);
  };
  const literal = (): Literal => {
    const tok = expect('literal');
    if (tok.quoted === 'double') fail('double-quoted strings are only allowed inside arrays');
    return tok.v;
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
    if (isKeyword('not')) {
      p++;
      enter();
      const operand = parseUnary();
      depth--;
      return { kind: 'not', operand };
    }
    return parsePrimary();
  };
  const parseArray = (): Literal[] => {
    expect('lbracket');
    const items: Literal[] = [];
    if (peek()?.t !== 'rbracket') {
      for (;;) {
        items.push(expect('literal').v);
        if (peek()?.t !== 'comma') break;
        p++;
      }
    }
    expect('rbracket');
    return items;
  };
  const parseQueryFunction = (name: string): FilterNode => {
    p += 2; // name (
    enter();
    const args: Record<string, FunctionArg> = {};
    if (peek()?.t !== 'rparen') {
      for (;;) {
        const key = expect('ident').v;
        expect('equals');
        if (key in args) fail(`parameter '${key}' given twice`);
        args[key] = peek()?.t === 'lbracket' ? parseArray() : literal();
        if (peek()?.t !== 'comma') break;
        p++;
      }
    }
    expect('rparen');
    depth--;
    condition();
    return { kind: 'query', name: name.slice(QUERY_FUNCTION_PREFIX.length), args };
  };
  const parseLambda = (segments: string[]): FilterNode => {
    const op = segments.pop() as 'any' | 'all';
    p += 2; // nav/any (
    enter();
    let node: FilterNode;
    if (peek()?.t === 'rparen') {
      if (op === 'all') fail('all() needs a lambda expression');
      node = { kind: 'lambda', op, path: segments };
    } else {
      const variable = expect('ident').v;
      if (variable.includes('/') || variable.includes('.')) fail(`'${variable}' is not a valid lambda variable name`);
      expect('colon');
      node = { kind: 'lambda', op, path: segments, variable, predicate: parseOr() };
    }
    expect('rparen');
    depth--;
    return node;
  };
  const operand = (tok: Token): Operand => {
    if (tok.t === 'literal') {
      if (tok.quoted === 'double') fail('double-quoted strings are only allowed inside arrays');
      return { kind: 'literal', value: tok.v };
    }
    if (tok.t === 'ident') return { kind: 'path', segments: tok.v.split('/') };
    return fail('expected a property or a value');
  };
  const parsePrimary = (): FilterNode => {
    const tok = peek();
    if (!tok) return fail('unexpected end of expression');
    if (tok.t === 'lparen') {
      p++;
      enter();
      const inner = parseOr();
      expect('rparen');
      depth--;
      return inner;
    }
    if (tok.t === 'ident' && peek(1)?.t === 'lparen') {
      const name = tok.v;
      if (name.startsWith(QUERY_FUNCTION_PREFIX)) return parseQueryFunction(name);
      const segments = name.split('/');
      const last = segments[segments.length - 1];
      if (segments.length > 1 && (last === 'any' || last === 'all')) return parseLambda(segments);
      if (!STRING_FUNCTIONS.has(name)) {
        throw unsupported(`the function '${name}' in $filter (supported: contains, startswith, endswith, any/all and the Microsoft.Dynamics.CRM query functions)`);
      }
      p += 2;
      enter();
      const prop = expect('ident');
      expect('comma');
      const lit = literal();
      expect('rparen');
      depth--;
      condition();
      if (lit.type !== 'string') throw badRequest(`The second argument of ${name} must be a string literal.`);
      return { kind: 'function', name: name as StringFunction, path: prop.v.split('/'), value: lit };
    }
    // comparison: operand op operand
    const first = tokens[p++];
    const opTok = tokens[p++];
    const second = tokens[p++];
    if (!opTok || opTok.t !== 'ident') { p--; return fail('expected a comparison operator'); }
    if (opTok.v === 'in' || opTok.v === 'has') throw unsupported(`the '${opTok.v}' operator in $filter (use Microsoft.Dynamics.CRM.In)`);
    if (!COMPARE_OPS.has(opTok.v)) { p -= 2; return fail(`unknown operator '${opTok.v}'`); }
    if (!second) return fail('expected a value');
    condition();
    const op = opTok.v as CompareOp;
    const left = operand(first);
    const right = operand(second);
    if (left.kind === 'literal' && right.kind === 'literal') return fail('a comparison needs at least one property');
    // keep the property on the left when only one side is a property
    if (left.kind === 'literal') return { kind: 'compare', op: FLIPPED[op], left: right, right: left };
    return { kind: 'compare', op, left, right };
  };

  if (!tokens.length) throw badRequest('The $filter expression is empty.');
  const node = parseOr();
  if (p < tokens.length) fail('unexpected token');
  return node;
}

/** Resolves a property name used in $filter/$orderby/$select to a stored column. */
export function resolveColumn(entity: EntityMetadata, property: string): AttributeMetadata {
  if (property.includes('/')) throw unsupported(`navigation paths ('${property}') in $select and $orderby`);
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

export function edmOf(a: AttributeMetadata): string {
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
      throw unsupported(`filtering on ${a.type} columns ('${a.logicalName}') with comparison operators (use Microsoft.Dynamics.CRM.ContainValues)`);
  }
}

export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][\w]*$/.test(name)) throw badRequest(`Invalid identifier '${name}'.`);
  return `"${name}"`;
}
