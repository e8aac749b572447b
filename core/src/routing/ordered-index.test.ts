import fc from 'fast-check';
import { OrderedIndex, TimerHeap, mergeCursors } from './ordered-index';

describe('ordered index', () => {
  test('iterates in key order after any sequence of upserts and deletes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: -5, max: 5 }), fc.boolean()), { maxLength: 200, size: 'max' }), (ops) => {
        const idx = new OrderedIndex<number>();
        const model = new Map<string, number>();
        for (const [id, k, del] of ops) {
          if (del) {
            idx.delete(String(id));
            model.delete(String(id));
          } else {
            idx.upsert(String(id), [k], k);
            model.set(String(id), k);
          }
        }
        const expected = [...model.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map((e) => e[0]);
        const got: string[] = [];
        const c = idx.cursor();
        for (let e = c.next(); e; e = c.next()) got.push(e.id);
        expect(got).toEqual(expected);
        expect(idx.size).toBe(model.size);
      }),
      { numRuns: 150 },
    );
  });

  test('merged cursors yield the union in key order', () => {
    const a = new OrderedIndex<string>();
    const b = new OrderedIndex<string>();
    [1, 4, 6].forEach((k) => a.upsert(`a${k}`, [k], `a${k}`));
    [2, 3, 7].forEach((k) => b.upsert(`b${k}`, [k], `b${k}`));
    const m = mergeCursors([a.cursor(), b.cursor()]);
    const out: string[] = [];
    for (let e = m.next(); e; e = m.next()) out.push(e.value);
    expect(out).toEqual(['a1', 'b2', 'b3', 'a4', 'a6', 'b7']);
  });

  test('the timer heap pops in time order', () => {
    const h = new TimerHeap();
    [5, 1, 9, 3, 3, 7].forEach((t, i) => h.push(t, `x${i}`, i));
    const out: number[] = [];
    for (let e = h.pop(); e; e = h.pop()) out.push(e.time);
    expect(out).toEqual([1, 3, 3, 5, 7, 9]);
  });
});
