import type { DataverseClient } from '../dataverse-client';
import { ConcurrencyConflict } from '../errors';
import { DataverseConversationStore } from './conversation.repository';

const CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/** A conversation counter that other writers keep moving: the first `losses` If-Match writes lose. */
function contendedCounter(losses: number) {
  let value = 0;
  let version = 1;
  let lost = 0;
  const client = {
    async retrieveWithETag() {
      return { row: { swb_lastmessagesequence: value }, etag: `W/"${version}"` };
    },
    async updateIfMatch(_collection: string, key: string, etag: string, data: Record<string, unknown>) {
      if (lost < losses) {
        lost++;
        version++; // someone else's write landed first
        throw new ConcurrencyConflict('swb_conversations', key, etag);
      }
      if (etag !== `W/"${version}"`) throw new ConcurrencyConflict('swb_conversations', key, etag);
      value = data['swb_lastmessagesequence'] as number;
      version++;
    },
  };
  return { client: client as unknown as DataverseClient, value: () => value };
}

test('numbering a message outlasts a long run of lost races instead of failing the customer', async () => {
  const counter = contendedCounter(60);
  let now = 0;
  const store = new DataverseConversationStore(counter.client, () => now, async (ms) => { now += ms; });
  await expect(store.nextSequence(CONV)).resolves.toBe(1);
});

test('numbering gives up only after its deadline, with the conflict (which the host answers 503 Retry-After, never 409)', async () => {
  const counter = contendedCounter(Number.POSITIVE_INFINITY);
  let now = 0;
  const store = new DataverseConversationStore(counter.client, () => now, async (ms) => { now += ms + 50; });
  await expect(store.nextSequence(CONV)).rejects.toBeInstanceOf(ConcurrencyConflict);
  expect(now).toBeGreaterThanOrEqual(10_000);
});

test('concurrent numberings of one conversation in one process each get their own number', async () => {
  const counter = contendedCounter(0);
  const store = new DataverseConversationStore(counter.client);
  const numbers = await Promise.all(Array.from({ length: 30 }, () => store.nextSequence(CONV)));
  expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
});
