import { type ConditionNode, type ConditionRoot, type ParseOptions, ConditionSyntaxError, parseCondition } from './condition-language';
import { type Result, err, ok } from '../result';
import type { ConditionMessageArgs, ConditionMessageId } from './condition-messages';

export type ConditionValue = string | number | boolean | null | readonly ConditionValue[] | { readonly [k: string]: unknown };

/** What a condition can read. Missing roots read as empty records. */
export type ConditionScope = Partial<Record<ConditionRoot, Record<string, unknown> | undefined>>;

export interface CompiledCondition {
  readonly source: string;
  readonly ast: ConditionNode;
}

export interface ConditionError {
  code: 'condition.syntax';
  /** English; show `conditionMessage(error, locale)` to people. */
  message: string;
  messageId: ConditionMessageId;
  args: ConditionMessageArgs;
  position: number;
  line: number;
  column: number;
}

// Memoised by exact source text only: a changed rule is a different string, so a config
// change is always seen by the very next decision.
const compiled = new Map<string, CompiledCondition>();
const MAX_MEMO = 5000;

export function compileCondition(source: string, options: ParseOptions = {}): Result<CompiledCondition, ConditionError> {
  const memoKey = `${(options.roots ?? []).join(',')}|${source}`;
  const hit = compiled.get(memoKey);
  if (hit) return ok(hit);
  try {
    const c = { source, ast: parseCondition(source, options) };
    if (compiled.size >= MAX_MEMO) compiled.clear();
    compiled.set(memoKey, c);
    return ok(c);
  } catch (e) {
    if (e instanceof ConditionSyntaxError) {
      return err({ code: e.code, message: e.message, messageId: e.messageId, args: e.args, position: e.position, line: e.line, column: e.column });
    }
    throw e;
  }
}

function lookup(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return null;
    const rec = cur as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(rec, key)) {
      cur = rec[key];
      continue;
    }
    // Admins type names the way forms show them; Dataverse logical names are lower case.
    const lower = key.toLowerCase();
    const found = Object.keys(rec).find((k) => k.toLowerCase() === lower);
    cur = found === undefined ? null : rec[found];
  }
  if (cur === undefined) return null;
  if (cur instanceof Date) return cur.toISOString();
  return cur;
}

function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return null;
}

function asBoolean(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return null;
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v !== '' && v.toLowerCase() !== 'false';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function equals(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    const x = asBoolean(a);
    const y = asBoolean(b);
    return x !== null && x === y;
  }
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== null && y !== null) return x === y;
  if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
  return false;
}

function order(a: unknown, b: unknown): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== null && y !== null) return x - y;
  if (typeof a === 'string' && typeof b === 'string') {
    // ISO dates compare correctly as text, which is how context variables usually carry them.
    const la = a.toLowerCase();
    const lb = b.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : 0;
  }
  return null;
}

function evalNode(node: ConditionNode, scope: ConditionScope): unknown {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'path':
      return lookup(scope[node.root] ?? {}, node.path);
    case 'list':
      return node.items.map((i) => evalNode(i, scope));
    case 'not':
      return !truthy(evalNode(node.operand, scope));
    case 'and':
      return truthy(evalNode(node.left, scope)) && truthy(evalNode(node.right, scope));
    case 'or':
      return truthy(evalNode(node.left, scope)) || truthy(evalNode(node.right, scope));
    case 'compare': {
      const l = evalNode(node.left, scope);
      const r = evalNode(node.right, scope);
      switch (node.op) {
        case '=':
          return equals(l, r);
        case '!=':
          return !equals(l, r);
        case 'in':
        case 'not in': {
          const found = Array.isArray(r) ? r.some((x) => equals(l, x)) : false;
          return node.op === 'in' ? found : !found;
        }
        default: {
          const c = order(l, r);
          if (c === null) return false;
          return node.op === '<' ? c < 0 : node.op === '<=' ? c <= 0 : node.op === '>' ? c > 0 : c >= 0;
        }
      }
    }
    case 'call': {
      const a = node.args.map((x) => evalNode(x, scope));
      switch (node.name) {
        case 'contains': {
          if (Array.isArray(a[0])) return a[0].some((x: unknown) => equals(x, a[1]));
          return text(a[0]).toLowerCase().includes(text(a[1]).toLowerCase());
        }
        case 'startswith':
          return text(a[0]).toLowerCase().startsWith(text(a[1]).toLowerCase());
        case 'endswith':
          return text(a[0]).toLowerCase().endsWith(text(a[1]).toLowerCase());
        case 'lower':
          return text(a[0]).toLowerCase();
        case 'upper':
          return text(a[0]).toUpperCase();
        case 'trim':
          return text(a[0]).trim();
        case 'length':
          return Array.isArray(a[0]) ? a[0].length : text(a[0]).length;
        case 'isempty':
          return a[0] === null || a[0] === undefined || text(a[0]).trim() === '' && !Array.isArray(a[0]) || (Array.isArray(a[0]) && a[0].length === 0);
        case 'exists':
          return a[0] !== null && a[0] !== undefined;
      }
    }
  }
}

export function evaluateCondition(condition: CompiledCondition, scope: ConditionScope): boolean {
  return truthy(evalNode(condition.ast, scope));
}

/** Compile-and-evaluate for callers that hold only the text; a broken condition never matches. */
export function conditionMatches(source: string, scope: ConditionScope, options?: ParseOptions): Result<boolean, ConditionError> {
  const c = compileCondition(source, options);
  if (!c.ok) return c;
  return ok(evaluateCondition(c.value, scope));
}
