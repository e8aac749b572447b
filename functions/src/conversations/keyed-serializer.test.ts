import { KeyedSerializer } from './keyed-serializer';

const tick = () => new Promise((r) => setTimeout(r, 1));

test('work for one key runs one at a time, in the order it was queued, even when some of it fails', async () => {
  const s = new KeyedSerializer();
  const log: string[] = [];
  let running = 0;
  const job = (name: string, fail = false) => s.run('conv-1', async () => {
    running++;
    expect(running).toBe(1);
    log.push(`start ${name}`);
    await tick();
    log.push(`end ${name}`);
    running--;
    if (fail) throw new Error(name);
    return name;
  });
  const results = await Promise.allSettled([job('a'), job('b', true), job('c')]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  await tick();
  expect(s.size).toBe(0);
});

test('work for different keys runs side by side', async () => {
  const s = new KeyedSerializer();
  let concurrent = 0;
  let most = 0;
  const job = (key: string) => s.run(key, async () => {
    most = Math.max(most, ++concurrent);
    await tick();
    concurrent--;
  });
  await Promise.all([job('a'), job('b'), job('c')]);
  expect(most).toBe(3);
});
