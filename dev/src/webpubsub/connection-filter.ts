// The OData `filter` of Web PubSub's send operations ("OData filter syntax in Azure Web PubSub
// service"): identifiers userId, connectionId (strings) and groups (collection); and, or, not;
// eq ne gt ge lt le; `in` with a list or `groups`; tolower toupper trim substring concat indexof
// length contains startswith endswith; string, integer, boolean and null literals. Expressions are
// type-checked when parsed, as the service does (its documented error for `not length(userId) gt 5`
// is a type error: `not` binds tighter than comparisons). Anything else is refused with a message.

export interface FilterSubject {
  userId: string | null;
  connectionId: string;
  groups: readonly string[];
}

export class FilterError extends Error {}

type Type = 'string' | 'int' | 'bool' | 'null' | 'collection';
type Value = string | number | boolean | null | readonly string[];

interface Node {
  type: Type;
  text: string;
  eval(s: FilterSubject): Value;
}

/** The service's guideline: "if you have over 100 clauses, you are at risk of exceeding the limit". */
export const MAX_CLAUSES = 100;

type Token =
  | { kind: 'string'; value: string; at: number }
  | { kind: 'int'; value: number; at: number }
  | { kind: 'word'; value: string; at: number }
  | { kind: 'punct'; value: '(' | ')' | ','; at: number };

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: 'punct', value: c, at: i });
      i++;
      continue;
    }
    if (c === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new FilterError(`unterminated string literal starting at position ${start}`);
        if (input[i] === "'") {
          // '' is an escaped quote inside a literal
          if (input[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += input[i];
        i++;
      }
      out.push({ kind: 'string', value, at: start });
      continue;
    }
    const num = /^[+-]?\d+/.exec(input.slice(i));
    if (num) {
      const n = Number(num[0]);
      if (!Number.isSafeInteger(n)) throw new FilterError(`integer literal ${num[0]} is out of range`);
      out.push({ kind: 'int', value: n, at: i });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(input.slice(i));
    if (word) {
      out.push({ kind: 'word', value: word[0], at: i });
      i += word[0].length;
      continue;
    }
    throw new FilterError(`unexpected character '${c}' at position ${i}`);
  }
  return out;
}

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const IDENTIFIERS: Record<string, { name: 'userId' | 'connectionId' | 'groups'; type: Type }> = {
  userid: { name: 'userId', type: 'string' },
  connectionid: { name: 'connectionId', type: 'string' },
  groups: { name: 'groups', type: 'collection' },
};

function isStringLike(t: Type): boolean {
  return t === 'string' || t === 'null';
}

class Parser {
  private pos = 0;
  clauses = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    if (this.tokens.length === 0) throw new FilterError('the filter is empty');
    const node = this.or();
    const extra = this.tokens[this.pos];
    if (extra) throw new FilterError(`unexpected '${this.show(extra)}' at position ${extra.at}`);
    if (node.type !== 'bool') throw new FilterError(`'${node.text}' is of type ${node.type}, a filter must be a boolean expression`);
    return node;
  }

  private show(t: Token): string {
    return t.kind === 'string' ? `'${t.value}'` : String(t.value);
  }

  private peekWord(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'word' ? t.value : undefined;
  }

  private expectPunct(p: '(' | ')' | ','): void {
    const t = this.tokens[this.pos];
    if (t?.kind !== 'punct' || t.value !== p) {
      throw new FilterError(t ? `expected '${p}' but found '${this.show(t)}' at position ${t.at}` : `expected '${p}' at the end of the filter`);
    }
    this.pos++;
  }

  private isPunct(p: '(' | ')' | ','): boolean {
    const t = this.tokens[this.pos];
    return t?.kind === 'punct' && t.value === p;
  }

  private requireBool(n: Node, op: string): void {
    if (n.type !== 'bool') throw new FilterError(`invalid syntax for '${op} ${n.text}': type '${n.type}', expected 'bool'`);
  }

  private or(): Node {
    let left = this.and();
    while (this.peekWord() === 'or') {
      this.pos++;
      const right = this.and();
      this.requireBool(left, 'or');
      this.requireBool(right, 'or');
      const l = left;
      left = { type: 'bool', text: `${l.text} or ${right.text}`, eval: (s) => l.eval(s) === true || right.eval(s) === true };
    }
    return left;
  }

  private and(): Node {
    let left = this.comparison();
    while (this.peekWord() === 'and') {
      this.pos++;
      const right = this.comparison();
      this.requireBool(left, 'and');
      this.requireBool(right, 'and');
      const l = left;
      left = { type: 'bool', text: `${l.text} and ${right.text}`, eval: (s) => l.eval(s) === true && right.eval(s) === true };
    }
    return left;
  }

  private countClause(): void {
    this.clauses++;
    if (this.clauses > MAX_CLAUSES) throw new FilterError(`the filter has more than ${MAX_CLAUSES} clauses`);
  }

  private comparison(): Node {
    const left = this.unary();
    const op = this.peekWord();
    if (op && COMPARISONS.has(op)) {
      this.pos++;
      const right = this.unary();
      this.countClause();
      return compare(op, left, right);
    }
    if (op === 'in') {
      this.pos++;
      this.countClause();
      return this.inExpression(left);
    }
    return left;
  }

  private inExpression(left: Node): Node {
    if (left.type === 'collection' || left.type === 'bool') throw new FilterError(`'${left.text}' cannot be the left operand of 'in'`);
    let items: Node[];
    if (this.isPunct('(')) {
      this.pos++;
      items = [this.or()];
      while (this.isPunct(',')) {
        this.pos++;
        items.push(this.or());
      }
      this.expectPunct(')');
    } else {
      items = [this.unary()];
    }
    const text = `${left.text} in (${items.map((i) => i.text).join(', ')})`;
    if (items.length === 1 && items[0]!.type === 'collection') {
      const coll = items[0]!;
      return { type: 'bool', text, eval: (s) => {
        const v = left.eval(s);
        return typeof v === 'string' && (coll.eval(s) as readonly string[]).includes(v);
      } };
    }
    for (const item of items) {
      if (item.type === 'collection') throw new FilterError(`'in' takes a list of values or a single collection, not '${item.text}' inside a list`);
      if (item.type !== 'null' && left.type !== 'null' && item.type !== left.type) throw new FilterError(`cannot compare ${left.type} '${left.text}' with ${item.type} '${item.text}'`);
    }
    return { type: 'bool', text, eval: (s) => {
      const v = left.eval(s);
      return items.some((i) => i.eval(s) === v);
    } };
  }

  private unary(): Node {
    if (this.peekWord() === 'not') {
      this.pos++;
      const operand = this.unary();
      this.requireBool(operand, 'not');
      return { type: 'bool', text: `not ${operand.text}`, eval: (s) => operand.eval(s) !== true };
    }
    return this.primary();
  }

  private primary(): Node {
    const t = this.tokens[this.pos];
    if (!t) throw new FilterError('the filter ends where a value was expected');
    if (t.kind === 'punct') {
      if (t.value !== '(') throw new FilterError(`unexpected '${t.value}' at position ${t.at}`);
      this.pos++;
      const inner = this.or();
      this.expectPunct(')');
      return { ...inner, text: `(${inner.text})` };
    }
    this.pos++;
    if (t.kind === 'string') return { type: 'string', text: `'${t.value.replace(/'/g, "''")}'`, eval: () => t.value };
    if (t.kind === 'int') return { type: 'int', text: String(t.value), eval: () => t.value };
    const word = t.value;
    if (word === 'true' || word === 'false') return { type: 'bool', text: word, eval: () => word === 'true' };
    if (word === 'null') return { type: 'null', text: 'null', eval: () => null };
    if (this.isPunct('(')) return this.call(word, t.at);
    const id = IDENTIFIERS[word.toLowerCase()];
    if (!id) throw new FilterError(`'${word}' at position ${t.at} is not an identifier the service supports (userId, connectionId, groups)`);
    return { type: id.type, text: id.name, eval: (s) => (id.name === 'groups' ? s.groups : s[id.name]) };
  }

  private call(name: string, at: number): Node {
    this.expectPunct('(');
    const args: Node[] = [];
    if (!this.isPunct(')')) {
      args.push(this.or());
      while (this.isPunct(',')) {
        this.pos++;
        args.push(this.or());
      }
    }
    this.expectPunct(')');
    const text = `${name}(${args.map((a) => a.text).join(', ')})`;
    const arity = (min: number, max = min) => {
      if (args.length < min || args.length > max) throw new FilterError(`${name}() takes ${min === max ? min : `${min} to ${max}`} arguments, ${args.length} given`);
    };
    const strings = (...idx: number[]) => {
      for (const i of idx) if (!isStringLike(args[i]!.type)) throw new FilterError(`argument ${i + 1} of ${name}() must be a string, '${args[i]!.text}' is ${args[i]!.type}`);
    };
    const str = (i: number, s: FilterSubject) => args[i]!.eval(s) as string | null;
    switch (name) {
      case 'tolower':
      case 'toupper':
      case 'trim': {
        arity(1);
        strings(0);
        const f = name === 'tolower' ? (x: string) => x.toLowerCase() : name === 'toupper' ? (x: string) => x.toUpperCase() : (x: string) => x.trim();
        return { type: 'string', text, eval: (s) => {
          const v = str(0, s);
          return v === null ? null : f(v);
        } };
      }
      case 'concat': {
        arity(2);
        strings(0, 1);
        return { type: 'string', text, eval: (s) => {
          const a = str(0, s);
          const b = str(1, s);
          return a === null || b === null ? null : a + b;
        } };
      }
      case 'substring': {
        arity(2, 3);
        strings(0);
        for (const i of [1, 2]) if (args[i] && args[i]!.type !== 'int') throw new FilterError(`argument ${i + 1} of substring() must be an integer`);
        return { type: 'string', text, eval: (s) => {
          const v = str(0, s);
          if (v === null) return null;
          const start = Math.max(0, args[1]!.eval(s) as number);
          const len = args[2] ? Math.max(0, args[2].eval(s) as number) : undefined;
          return len === undefined ? v.slice(start) : v.slice(start, start + len);
        } };
      }
      case 'indexof': {
        arity(2);
        strings(0, 1);
        return { type: 'int', text, eval: (s) => {
          const a = str(0, s);
          const b = str(1, s);
          return a === null || b === null ? null : a.indexOf(b);
        } };
      }
      case 'length': {
        arity(1);
        const arg = args[0]!;
        if (!isStringLike(arg.type) && arg.type !== 'collection') throw new FilterError(`length() takes a string or a collection, '${arg.text}' is ${arg.type}`);
        return { type: 'int', text, eval: (s) => {
          const v = arg.eval(s);
          return v === null ? null : (v as string | readonly string[]).length;
        } };
      }
      case 'contains':
      case 'startswith':
      case 'endswith': {
        arity(2);
        strings(0, 1);
        this.countClause();
        const f = name === 'contains' ? (a: string, b: string) => a.includes(b) : name === 'startswith' ? (a: string, b: string) => a.startsWith(b) : (a: string, b: string) => a.endsWith(b);
        return { type: 'bool', text, eval: (s) => {
          const a = str(0, s);
          const b = str(1, s);
          return a !== null && b !== null && f(a, b);
        } };
      }
      default:
        throw new FilterError(`'${name}' at position ${at} is not a function the service supports`);
    }
  }
}

function compare(op: string, left: Node, right: Node): Node {
  const text = `${left.text} ${op} ${right.text}`;
  for (const side of [left, right]) if (side.type === 'collection') throw new FilterError(`'${side.text}' is a collection: use 'in' or length()`);
  if (left.type !== 'null' && right.type !== 'null' && left.type !== right.type) {
    throw new FilterError(`cannot compare ${left.type} '${left.text}' with ${right.type} '${right.text}'`);
  }
  if ((op !== 'eq' && op !== 'ne') && (left.type === 'bool' || right.type === 'bool')) throw new FilterError(`'${op}' does not apply to booleans in '${text}'`);
  return { type: 'bool', text, eval: (s) => {
    const a = left.eval(s);
    const b = right.eval(s);
    if (op === 'eq') return a === b;
    if (op === 'ne') return a !== b;
    if (a === null || b === null) return false;
    const c = a < b ? -1 : a > b ? 1 : 0;
    return op === 'gt' ? c > 0 : op === 'ge' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
  } };
}

export interface ConnectionFilter {
  source: string;
  matches(subject: FilterSubject): boolean;
}

/** Parses and type-checks a filter; throws FilterError with the reason when the service would refuse it. */
export function parseConnectionFilter(source: string): ConnectionFilter {
  const node = new Parser(tokenize(source)).parse();
  return { source, matches: (s) => node.eval(s) === true };
}
