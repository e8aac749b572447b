import { QueueServiceClient } from '@azure/storage-queue';
import { startAzuriteQueue, type AzuriteQueue } from './azurite.testing';
import { StorageWorkQueue } from './storage-work-queue.adapter';
import { decodeWorkItem } from './work-queue';

let azurite: AzuriteQueue;
let service: QueueServiceClient;
let n = 0;

beforeAll(async () => {
  azurite = await startAzuriteQueue();
  service = QueueServiceClient.fromConnectionString(azurite.connectionString);
}, 30_000);

afterAll(async () => {
  await azurite?.stop();
});

async function freshQueue(maxDequeueCount = 3): Promise<StorageWorkQueue<{ conversationId: string }>> {
  const q = new StorageWorkQueue<{ conversationId: string }>(service, `work-${process.pid}-${++n}`, { maxDequeueCount, visibilityTimeoutSeconds: 30 });
  await q.ensure();
  return q;
}

test('a sent work item is received as JSON, is hidden while leased, and is gone once completed', async () => {
  const q = await freshQueue();
  await q.send({ conversationId: 'c-1' });
  const [item] = await q.receive();
  expect(item?.body).toEqual({ conversationId: 'c-1' });
  expect(item?.dequeueCount).toBe(1);
  // Stored the way the Functions host expects by default: base64 of the JSON text.
  expect(Buffer.from(item!.rawText, 'base64').toString()).toBe('{"conversationId":"c-1"}');
  expect(await q.receive()).toEqual([]);
  await q.complete(item!);
  expect(await q.approximateCount()).toBe(0);
});

test('an item whose worker died reappears after its visibility timeout', async () => {
  const q = await freshQueue();
  await q.send({ conversationId: 'c-2' });
  const first = await q.receive({ visibilityTimeoutSeconds: 1 });
  expect(first).toHaveLength(1);
  await new Promise((r) => setTimeout(r, 1200));
  const again = await q.receive();
  expect(again[0]?.body).toEqual({ conversationId: 'c-2' });
  expect(again[0]?.dequeueCount).toBe(2);
});

test('a failing item is retried until its dequeue budget is used, then lands in the poison queue', async () => {
  const q = await freshQueue(3);
  await q.send({ conversationId: 'c-3' });
  const outcomes: string[] = [];
  for (let i = 0; i < 3; i++) {
    const [item] = await q.receive();
    outcomes.push(await q.fail(item!));
  }
  expect(outcomes).toEqual(['retried', 'retried', 'poisoned']);
  expect(await q.receive()).toEqual([]);
  const poison = await service.getQueueClient(q.poisonName).receiveMessages();
  expect(poison.receivedMessageItems).toHaveLength(1);
  expect(decodeWorkItem(poison.receivedMessageItems[0]!.messageText)).toEqual({ ok: true, value: { conversationId: 'c-3' } });
});

test('an item left unfinished past its dequeue budget is poisoned on receipt instead of looping', async () => {
  const q = await freshQueue(1);
  await q.send({ conversationId: 'c-4' });
  await q.receive({ visibilityTimeoutSeconds: 1 }); // worker "crashes": neither complete nor fail
  await new Promise((r) => setTimeout(r, 1200));
  expect(await q.receive()).toEqual([]);
  const poison = await service.getQueueClient(q.poisonName).peekMessages();
  expect(poison.peekedMessageItems).toHaveLength(1);
});

test('a message that is not base64 is poisoned rather than handed to a worker', async () => {
  const q = await freshQueue();
  await service.getQueueClient(q.name).sendMessage('not base64 !');
  expect(await q.receive()).toEqual([]);
  const poison = await service.getQueueClient(q.poisonName).peekMessages();
  expect(poison.peekedMessageItems[0]?.messageText).toBe('not base64 !');
});

test('a delayed item stays invisible until its delay has passed', async () => {
  const q = await freshQueue();
  await q.send({ conversationId: 'c-5' }, { delaySeconds: 1 });
  expect(await q.receive()).toEqual([]);
  await new Promise((r) => setTimeout(r, 1200));
  expect((await q.receive())[0]?.body).toEqual({ conversationId: 'c-5' });
});

test('sending to a queue that does not exist yet creates it instead of failing', async () => {
  const q = new StorageWorkQueue<{ conversationId: string }>(service, `fresh-${process.pid}-${++n}`);
  await q.send({ conversationId: 'c-6' });
  expect((await q.receive())[0]?.body).toEqual({ conversationId: 'c-6' });
});
