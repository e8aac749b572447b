import { ChatCursors } from './chat-cursors';

const cursor = (lastSequence: number) => ({ tokenHash: 'h', state: 1, lastSequence, widgetId: null });

test('a memo is trusted for its window only, then read again', () => {
  let now = 1_000;
  const cursors = new ChatCursors({ trustMs: 30_000, now: () => now });
  cursors.remember('ABC', cursor(4));
  expect(cursors.fresh('abc')?.lastSequence).toBe(4);
  now += 29_999;
  expect(cursors.fresh('abc')).not.toBeNull();
  now += 1;
  expect(cursors.fresh('abc')).toBeNull();
});

test('an event in the conversation forgets its memo; a trust window of 0 never remembers', () => {
  const cursors = new ChatCursors({ trustMs: 30_000, now: () => 0 });
  cursors.remember('c1', cursor(1));
  cursors.forget('C1');
  expect(cursors.fresh('c1')).toBeNull();
  const never = new ChatCursors({ trustMs: 0, now: () => 0 });
  never.remember('c1', cursor(1));
  expect(never.fresh('c1')).toBeNull();
});

test('memory is bounded: the least recently read conversation goes first', () => {
  const cursors = new ChatCursors({ trustMs: 30_000, now: () => 0, max: 2 });
  cursors.remember('a', cursor(1));
  cursors.remember('b', cursor(1));
  cursors.remember('a', cursor(2));
  cursors.remember('c', cursor(1));
  expect([cursors.fresh('a')?.lastSequence, cursors.fresh('b'), cursors.fresh('c')?.lastSequence]).toEqual([2, null, 1]);
});
