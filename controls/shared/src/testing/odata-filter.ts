// Just enough OData $filter for the in-memory Web API: comparisons (eq ne gt ge lt le),
// and/or/not, parentheses, string/number/GUID/null/boolean and datetime literals (unquoted,
// as Dataverse wants them; compared as instants). Queries the controls send are evaluated for
// real, so a wrong filter makes a test fail.
type Value = string | number | boolean | null | { instant: number };
type Node =
  | { kind: 'cmp'; field: string; op: string; value: Value }
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; inner: Node };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
const TOKEN = /\s*(\(|\)|'(?:[^']|'')*'|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})|-?\d+(?:\.\d+)?(?![\w-])|[A-Za-z_][\w.]*)/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw new Error(`unsupported $filter near: ${src.slice(pos)}`);
    out.push(m[1]);
    pos = TOKEN.lastIndex;
  }
  return out;
}

function literal(tok: string): Value {
  if (tok.startsWith("'")) return tok.slice(1, -1).replace(/''/g, "'");
  if (tok === 'null') return null;
  if (tok === 'true') return true;
  if (tok === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(tok)) return Number(tok);
  if (DATETIME.test(tok)) return { instant: Date.parse(tok) };
  if (/^[0-9a-fA-F-]{36}$/.test(tok)) return tok.toLowerCase();
  throw new Error(`unsupported literal: ${tok}`);
}

export function parseFilter(src: string): Node {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  function primary(): Node {
    if (peek() === '(') {
      next();
      const n = or();
      if (next() !== ')') throw new Error('expected )');
      return n;
    }
    if (peek() === 'not') {
      next();
      return { kind: 'not', inner: primary() };
    }
    const field = next();
    const op = next();
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) throw new Error(`unsupported operator: ${op}`);
    return { kind: 'cmp', field, op, value: literal(next()) };
  }
  function and(): Node {
    let left = primary();
    while (peek() === 'and') {
      next();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  }
  function or(): Node {
    let left = and();
    while (peek() === 'or') {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  }
  const n = or();
  if (i !== toks.length) throw new Error(`unexpected token: ${toks[i]}`);
  return n;
}

function norm(v: unknown): Value {
  if (v === undefined) return null;
  // Length first: the render benchmarks filter thousands of rows, and most strings are not GUIDs.
  if (typeof v === 'string' && v.length === 36 && /^[0-9a-fA-F-]{36}$/.test(v)) return v.toLowerCase();
  return v as Value;
}

export function evaluate(node: Node, row: Record<string, unknown>): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, row) && evaluate(node.right, row);
    case 'or':
      return evaluate(node.left, row) || evaluate(node.right, row);
    case 'not':
      return !evaluate(node.inner, row);
    case 'cmp': {
      let a = norm(row[node.field]);
      let b = node.value;
      // A datetime literal compares with the column's ISO text as the instants they name.
      if (b !== null && typeof b === 'object') {
        b = b.instant;
        a = typeof a === 'string' ? Date.parse(a) : null;
      }
      if (node.op === 'eq') return a === b;
      if (node.op === 'ne') return a !== b;
      if (a === null || b === null) return false;
      if (node.op === 'gt') return a > b;
      if (node.op === 'ge') return a >= b;
      if (node.op === 'lt') return a < b;
      return a <= b;
    }
  }
}
