// A treap keyed by (numeric tuple, id): O(log n) expected insert/delete and in-order
// cursors. The engine keeps one per (queue, presence, ordering) so choosing an agent walks
// from the best candidate instead of scanning every agent.

export type SortKey = readonly number[];

interface Node<T> {
  key: SortKey;
  id: string;
  value: T;
  prio: number;
  left: Node<T> | null;
  right: Node<T> | null;
}

function compare(aKey: SortKey, aId: string, bKey: SortKey, bId: string): number {
  const n = Math.min(aKey.length, bKey.length);
  for (let i = 0; i < n; i++) {
    const d = aKey[i]! - bKey[i]!;
    if (d !== 0) return d;
  }
  if (aKey.length !== bKey.length) return aKey.length - bKey.length;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

export class OrderedIndex<T> {
  private root: Node<T> | null = null;
  private readonly nodes = new Map<string, Node<T>>();
  // Tree shape only; never influences which agent is chosen.
  private seed = 0x2545f491;

  get size(): number {
    return this.nodes.size;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  keyOf(id: string): SortKey | undefined {
    return this.nodes.get(id)?.key;
  }

  private nextPrio(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  upsert(id: string, key: SortKey, value: T): void {
    const existing = this.nodes.get(id);
    if (existing) {
      existing.value = value;
      if (compare(existing.key, id, key, id) === 0) return;
      // Re-key by unlinking and re-inserting the same node: no allocation on the hot path.
      this.root = this.deleteNode(this.root, existing);
      existing.key = key;
      existing.left = existing.right = null;
      this.root = this.insertNode(this.root, existing);
      return;
    }
    const node: Node<T> = { key, id, value, prio: this.nextPrio(), left: null, right: null };
    this.nodes.set(id, node);
    this.root = this.insertNode(this.root, node);
  }

  private insertNode(root: Node<T> | null, node: Node<T>): Node<T> {
    if (!root) return node;
    if (node.prio > root.prio) {
      const [l, r] = this.split(root, node.key, node.id);
      node.left = l;
      node.right = r;
      return node;
    }
    if (compare(node.key, node.id, root.key, root.id) < 0) root.left = this.insertNode(root.left, node);
    else root.right = this.insertNode(root.right, node);
    return root;
  }

  // Splits into (< key) and (>= key).
  private split(root: Node<T> | null, key: SortKey, id: string): [Node<T> | null, Node<T> | null] {
    if (!root) return [null, null];
    if (compare(root.key, root.id, key, id) < 0) {
      const [l, r] = this.split(root.right, key, id);
      root.right = l;
      return [root, r];
    }
    const [l, r] = this.split(root.left, key, id);
    root.left = r;
    return [l, root];
  }

  private merge(a: Node<T> | null, b: Node<T> | null): Node<T> | null {
    if (!a) return b;
    if (!b) return a;
    if (a.prio > b.prio) {
      a.right = this.merge(a.right, b);
      return a;
    }
    b.left = this.merge(a, b.left);
    return b;
  }

  delete(id: string): boolean {
    const node = this.nodes.get(id);
    if (!node) return false;
    this.nodes.delete(id);
    this.root = this.deleteNode(this.root, node);
    return true;
  }

  private deleteNode(root: Node<T> | null, node: Node<T>): Node<T> | null {
    if (!root) return null;
    if (root === node) return this.merge(root.left, root.right);
    if (compare(node.key, node.id, root.key, root.id) < 0) root.left = this.deleteNode(root.left, node);
    else root.right = this.deleteNode(root.right, node);
    return root;
  }

  first(): T | undefined {
    let n = this.root;
    if (!n) return undefined;
    while (n.left) n = n.left;
    return n.value;
  }

  /** In-order cursor. Do not modify the index while a cursor is in use. */
  cursor(): IndexCursor<T> {
    return new IndexCursor(this.root);
  }

  *values(): IterableIterator<T> {
    const c = this.cursor();
    for (let e = c.next(); e; e = c.next()) yield e.value;
  }
}

export interface CursorEntry<T> {
  key: SortKey;
  id: string;
  value: T;
}

export class IndexCursor<T> {
  private readonly stack: Node<T>[] = [];
  constructor(root: Node<T> | null) {
    this.pushLeft(root);
  }
  private pushLeft(n: Node<T> | null): void {
    while (n) {
      this.stack.push(n);
      n = n.left;
    }
  }
  peek(): CursorEntry<T> | null {
    return this.stack.length ? this.stack[this.stack.length - 1]! : null;
  }
  next(): CursorEntry<T> | null {
    const n = this.stack.pop();
    if (!n) return null;
    this.pushLeft(n.right);
    return n;
  }
}

/** Merges several cursors in key order (a handful of presences: linear pick is fastest). */
export function mergeCursors<T>(cursors: IndexCursor<T>[]): { next(): CursorEntry<T> | null } {
  return {
    next() {
      let best = -1;
      let bestEntry: CursorEntry<T> | null = null;
      for (let i = 0; i < cursors.length; i++) {
        const e = cursors[i]!.peek();
        if (e && (!bestEntry || compare(e.key, e.id, bestEntry.key, bestEntry.id) < 0)) {
          best = i;
          bestEntry = e;
        }
      }
      if (best < 0) return null;
      return cursors[best]!.next();
    },
  };
}

/**
 * Binary min-heap of (time, id) with lazy deletion: callers re-check an entry when it pops.
 * Equal times pop in id order, so a working copy rebuilt from rows fires timers in the same
 * order as the one that created them.
 */
export class TimerHeap {
  private readonly at: number[] = [];
  private readonly ids: string[] = [];
  private readonly tags: number[] = [];

  get size(): number {
    return this.at.length;
  }

  push(time: number, id: string, tag: number): void {
    this.at.push(time);
    this.ids.push(id);
    this.tags.push(tag);
    let i = this.at.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  peekTime(): number {
    return this.at.length ? this.at[0]! : Infinity;
  }

  pop(): { time: number; id: string; tag: number } | null {
    if (!this.at.length) return null;
    const out = { time: this.at[0]!, id: this.ids[0]!, tag: this.tags[0]! };
    const last = this.at.length - 1;
    this.swap(0, last);
    this.at.pop();
    this.ids.pop();
    this.tags.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.at.length && this.before(l, m)) m = l;
      if (r < this.at.length && this.before(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return out;
  }

  private before(a: number, b: number): boolean {
    const d = this.at[a]! - this.at[b]!;
    return d < 0 || (d === 0 && this.ids[a]! < this.ids[b]!);
  }

  private swap(a: number, b: number): void {
    [this.at[a], this.at[b]] = [this.at[b]!, this.at[a]!];
    [this.ids[a], this.ids[b]] = [this.ids[b]!, this.ids[a]!];
    [this.tags[a], this.tags[b]] = [this.tags[b]!, this.tags[a]!];
  }
}
