// A small condition language for routing rules. Admins type these in a form, so the parser
// must never run code (no eval, no Function), must bound its own work, and must point at the
// exact place where a condition is wrong.
import { type ConditionMessageArgs, type ConditionMessageId, conditionMessage, conditionReason } from './condition-messages';

export type ConditionRoot = 'conversation' | 'customer' | 'context' | 'agent';

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';

export type ConditionNode =
  | { type: 'literal'; value: string | number | boolean | null; pos: number }
  | { type: 'path'; root: ConditionRoot; path: string[]; pos: number }
  | { type: 'list'; items: ConditionNode[]; pos: number }
  | { type: 'call'; name: ConditionFunctionName; args: ConditionNode[]; pos: number }
  | { type: 'not'; operand: ConditionNode; pos: number }
  | { type: 'and' | 'or'; left: ConditionNode; right: ConditionNode; pos: number }
  | { type: 'compare'; op: CompareOp; left: ConditionNode; right: ConditionNode; pos: number };

export const CONDITION_FUNCTIONS = {
  contains: 2,
  startswith: 2,
  endswith: 2,
  lower: 1,
  upper: 1,
  trim: 1,
  length: 1,
  isempty: 1,
  exists: 1,
} as const;
export type ConditionFunctionName = keyof typeof CONDITION_FUNCTIONS;

export class ConditionSyntaxError extends Error {
  readonly code = 'condition.syntax';
  readonly reason: string;
  constructor(
    readonly messageId: ConditionMessageId,
    readonly args: ConditionMessageArgs,
    /** 0-based offset into the source. */
    readonly position: number,
    readonly line: number,
    readonly column: number,
    readonly source: string,
  ) {
    super(conditionMessage({ messageId, args, line, column }, 'en'));
    this.reason = conditionReason(messageId, args, 'en');
    this.name = 'ConditionSyntaxError';
  }
}

type TokenKind = 'string' | 'number' | 'ident' | 'op' | 'punct' | 'eof';
interface Token {
  kind: TokenKind;
  text: string;
  value?: string | number;
  pos: number;
}

const MAX_SOURCE_LENGTH = 4000;
const MAX_DEPTH = 64;

function lineCol(source: string, pos: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < source.length; i++) {
    if (source[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

function fail(source: string, pos: number, id: ConditionMessageId, args: ConditionMessageArgs = {}): never {
  const { line, column } = lineCol(source, pos);
  throw new ConditionSyntaxError(id, args, pos, line, column, source);
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      // A doubled quote inside a string is a literal quote (O''Brien), as admins know from SQL.
      let out = '';
      i++;
      for (;;) {
        if (i >= source.length) fail(source, start, 'unterminatedText');
        const d = source[i]!;
        if (d === c) {
          if (source[i + 1] === c) {
            out += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (d === '\\' && i + 1 < source.length) {
          out += source[i + 1];
          i += 2;
          continue;
        }
        out += d;
        i++;
      }
      tokens.push({ kind: 'string', text: source.slice(start, i), value: out, pos: start });
      continue;
    }
    if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      while (i < source.length && /[0-9]/.test(source[i]!)) i++;
      if (source[i] === '.' && /[0-9]/.test(source[i + 1] ?? '')) {
        i++;
        while (i < source.length && /[0-9]/.test(source[i]!)) i++;
      }
      if (/[A-Za-z_]/.test(source[i] ?? '')) fail(source, i, 'unexpectedAfterNumber', { char: source[i]! });
      tokens.push({ kind: 'number', text: source.slice(start, i), value: Number(source.slice(start, i)), pos: start });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i]!)) i++;
      tokens.push({ kind: 'ident', text: source.slice(start, i), pos: start });
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '<=' || two === '>=' || two === '!=' || two === '<>' || two === '==') {
      tokens.push({ kind: 'op', text: two === '<>' ? '!=' : two === '==' ? '=' : two, pos: start });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      tokens.push({ kind: 'op', text: c, pos: start });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '.' || c === '[' || c === ']' || c === '-') {
      tokens.push({ kind: 'punct', text: c, pos: start });
      i++;
      continue;
    }
    fail(source, i, 'unexpectedCharacter', { char: c });
  }
  tokens.push({ kind: 'eof', text: '', pos: source.length });
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);

export interface ParseOptions {
  /** Which roots a path may start with; routing rules use conversation, customer and context. */
  roots?: readonly ConditionRoot[];
}

const DEFAULT_ROOTS: readonly ConditionRoot[] = ['conversation', 'customer', 'context'];

function found(t: Token): string | null {
  return t.kind === 'eof' ? null : t.text;
}

/** Parses a condition; throws ConditionSyntaxError with the position of the first mistake. */
export function parseCondition(source: string, options: ParseOptions = {}): ConditionNode {
  if (source.length > MAX_SOURCE_LENGTH) fail(source, MAX_SOURCE_LENGTH, 'tooLong', { max: MAX_SOURCE_LENGTH });
  const roots = options.roots ?? DEFAULT_ROOTS;
  const tokens = tokenize(source);
  let p = 0;
  let depth = 0;
  const peek = () => tokens[p]!;
  const isKw = (t: Token, kw: string) => t.kind === 'ident' && t.text.toLowerCase() === kw;
  const expectPunct = (text: string, expected: string[]) => {
    const t = peek();
    if (t.kind !== 'punct' || t.text !== text) fail(source, t.pos, 'expectedClosing', { expected: expected.join('|'), found: found(t) });
    p++;
  };
  const enter = (pos: number) => {
    if (++depth > MAX_DEPTH) fail(source, pos, 'tooDeep');
  };

  function parseOr(): ConditionNode {
    let left = parseAnd();
    while (isKw(peek(), 'or')) {
      const pos = peek().pos;
      p++;
      left = { type: 'or', left, right: parseAnd(), pos };
    }
    return left;
  }
  function parseAnd(): ConditionNode {
    let left = parseNot();
    while (isKw(peek(), 'and')) {
      const pos = peek().pos;
      p++;
      left = { type: 'and', left, right: parseNot(), pos };
    }
    return left;
  }
  function parseNot(): ConditionNode {
    if (isKw(peek(), 'not')) {
      const pos = peek().pos;
      p++;
      enter(pos);
      const operand = parseNot();
      depth--;
      return { type: 'not', operand, pos };
    }
    return parseCompare();
  }
  function parseCompare(): ConditionNode {
    const left = parseValue();
    const t = peek();
    if (t.kind === 'op') {
      p++;
      return { type: 'compare', op: t.text as CompareOp, left, right: parseValue(), pos: t.pos };
    }
    if (isKw(t, 'in')) {
      p++;
      return { type: 'compare', op: 'in', left, right: parseValue(), pos: t.pos };
    }
    if (isKw(t, 'not') && isKw(tokens[p + 1]!, 'in')) {
      p += 2;
      return { type: 'compare', op: 'not in', left, right: parseValue(), pos: t.pos };
    }
    return left;
  }
  function parseList(open: string, close: string): ConditionNode {
    const pos = peek().pos;
    p++;
    enter(pos);
    const items: ConditionNode[] = [];
    if (!(peek().kind === 'punct' && peek().text === close)) {
      for (;;) {
        items.push(parseValue());
        if (peek().kind === 'punct' && peek().text === ',') {
          p++;
          continue;
        }
        break;
      }
    }
    expectPunct(close, [',', close]);
    depth--;
    void open;
    return { type: 'list', items, pos };
  }
  function parseValue(): ConditionNode {
    const t = peek();
    if (t.kind === 'string') {
      p++;
      return { type: 'literal', value: t.value as string, pos: t.pos };
    }
    if (t.kind === 'number') {
      p++;
      return { type: 'literal', value: t.value as number, pos: t.pos };
    }
    if (t.kind === 'punct' && t.text === '-') {
      const n = tokens[p + 1]!;
      if (n.kind !== 'number') fail(source, n.pos, 'expectedNumberAfterMinus', { found: found(n) });
      p += 2;
      return { type: 'literal', value: -(n.value as number), pos: t.pos };
    }
    if (t.kind === 'punct' && t.text === '[') return parseList('[', ']');
    if (t.kind === 'punct' && t.text === '(') {
      // '(' starts either a grouped condition or a list for `in`: ('sms', 'chat').
      const pos = t.pos;
      p++;
      enter(pos);
      const first = parseOr();
      if (peek().kind === 'punct' && peek().text === ',') {
        const items = [first];
        while (peek().kind === 'punct' && peek().text === ',') {
          p++;
          items.push(parseValue());
        }
        expectPunct(')', [',', ')']);
        depth--;
        return { type: 'list', items, pos };
      }
      expectPunct(')', [')']);
      depth--;
      return first;
    }
    if (t.kind === 'ident') {
      const lower = t.text.toLowerCase();
      if (lower === 'true' || lower === 'false') {
        p++;
        return { type: 'literal', value: lower === 'true', pos: t.pos };
      }
      if (lower === 'null') {
        p++;
        return { type: 'literal', value: null, pos: t.pos };
      }
      if (KEYWORDS.has(lower)) fail(source, t.pos, 'expectedValue', { found: found(t) });
      const next = tokens[p + 1]!;
      if (next.kind === 'punct' && next.text === '(') {
        if (!(lower in CONDITION_FUNCTIONS)) {
          fail(source, t.pos, 'unknownFunction', { name: t.text, known: Object.keys(CONDITION_FUNCTIONS).join(', ') });
        }
        const name = lower as ConditionFunctionName;
        p += 2;
        enter(t.pos);
        const args: ConditionNode[] = [];
        if (!(peek().kind === 'punct' && peek().text === ')')) {
          for (;;) {
            args.push(parseOr());
            if (peek().kind === 'punct' && peek().text === ',') {
              p++;
              continue;
            }
            break;
          }
        }
        expectPunct(')', [',', ')']);
        depth--;
        const arity = CONDITION_FUNCTIONS[name];
        if (args.length !== arity) {
          fail(source, t.pos, 'wrongArity', { name: t.text, expected: arity, got: args.length });
        }
        return { type: 'call', name, args, pos: t.pos };
      }
      if (!roots.includes(lower as ConditionRoot)) {
        fail(source, t.pos, 'unknownName', { name: t.text, roots: roots.map((r) => `'${r}.'`).join(', ') });
      }
      p++;
      const path: string[] = [];
      while (peek().kind === 'punct' && peek().text === '.') {
        p++;
        const f = peek();
        if (f.kind !== 'ident') fail(source, f.pos, 'expectedFieldName', { found: found(f) });
        path.push(f.text);
        p++;
      }
      if (path.length === 0) fail(source, t.pos + t.text.length, 'expectedDot', { name: t.text });
      return { type: 'path', root: lower as ConditionRoot, path, pos: t.pos };
    }
    fail(source, t.pos, 'expectedValue', { found: found(t) });
  }

  if (peek().kind === 'eof') fail(source, 0, 'empty');
  const node = parseOr();
  if (peek().kind !== 'eof') {
    const t = peek();
    fail(source, t.pos, 'expectedOperatorOrEnd', { found: found(t) });
  }
  return node;
}
