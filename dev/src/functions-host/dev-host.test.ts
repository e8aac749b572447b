import { HttpRequest, InvocationContext, type Timer } from '@azure/functions';
import { QueueServiceClient } from '@azure/storage-queue';
import { compose, encodeWorkItem, loadConfig, register, type FunctionDef } from '@switchboard/functions';
import { startAzuriteQueue, type AzuriteQueue } from '@switchboard/functions/queue/azurite.testing';
import { FunctionsDevHost } from './dev-host';
import { RegistrationRecorder } from './recorder';

const hosts: FunctionsDevHost[] = [];
const lines: string[] = [];

async function serve(table: FunctionDef[], extra: Partial<ConstructorParameters<typeof FunctionsDevHost>[0]> = {}): Promise<FunctionsDevHost> {
  const recorder = new RegistrationRecorder();
  register(recorder, table);
  const host = new FunctionsDevHost({ registrations: recorder.registrations, port: 0, functionKey: 'dev-key', log: (l) => lines.push(l), ...extra });
  await host.start();
  hosts.push(host);
  return host;
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

test('as Azure\'s front end does, the host appends the address it accepted the connection from to X-Forwarded-For', async () => {
  const table: FunctionDef[] = [
    { kind: 'http', name: 'whoami', route: 'whoami', methods: ['GET'], authLevel: 'anonymous', handler: async (request) => ({ jsonBody: { xff: request.headers.get('x-forwarded-for') } }) },
  ];
  const host = await serve(table);
  expect(await (await fetch(`${host.url}/api/whoami`)).json()).toEqual({ xff: '127.0.0.1' });
  expect(await (await fetch(`${host.url}/api/whoami`, { headers: { 'x-forwarded-for': '6.6.6.6' } })).json()).toEqual({ xff: '6.6.6.6, 127.0.0.1' });
});

test('an HTTP function is invoked with the real HttpRequest and InvocationContext: body, headers, query, route params, JSON response', async () => {
  const table: FunctionDef[] = [
    {
      kind: 'http',
      name: 'echo',
      route: 'items/{id}/echo/{n:int}',
      methods: ['POST'],
      authLevel: 'anonymous',
      handler: async (request, context) => ({
        status: 201,
        jsonBody: {
          realRequest: request instanceof HttpRequest,
          realContext: context instanceof InvocationContext,
          functionName: context.functionName,
          hasInvocationId: /^[0-9a-f-]{36}$/.test(context.invocationId),
          method: request.method,
          params: request.params,
          tags: request.query.getAll('tag'),
          header: request.headers.get('x-custom'),
          body: await request.json(),
        },
        headers: { 'x-reply': 'yes' },
        cookies: [{ name: 's', value: '1', httpOnly: true }],
      }),
    },
  ];
  const host = await serve(table);
  const res = await fetch(`${host.url}/api/Items/a%20b/echo/7?tag=x&tag=y`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Custom': 'hello' },
    body: JSON.stringify({ text: 'hi' }),
  });
  expect(res.status).toBe(201);
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.headers.get('x-reply')).toBe('yes');
  expect(res.headers.get('set-cookie')).toBe('s=1; HttpOnly');
  expect(await res.json()).toEqual({
    realRequest: true,
    realContext: true,
    functionName: 'echo',
    hasInvocationId: true,
    method: 'POST',
    params: { id: 'a b', n: '7' },
    tags: ['x', 'y'],
    header: 'hello',
    body: { text: 'hi' },
  });
  expect((await fetch(`${host.url}/api/items/a/echo/notint`, { method: 'POST' })).status).toBe(404);
  expect((await fetch(`${host.url}/api/items/a/echo/1`)).status).toBe(404); // GET not registered
  expect(lines.some((l) => l.includes('→ echo 201'))).toBe(true);
});

test('a handler that throws gives an empty 500 like Azure, and function-level routes need the key', async () => {
  const host = await serve([
    { kind: 'http', name: 'boom', route: 'boom', methods: ['GET'], authLevel: 'anonymous', handler: async () => { throw new Error('kaput'); } },
    { kind: 'http', name: 'locked', route: 'locked', methods: ['GET'], authLevel: 'function', handler: async () => ({ body: 'open' }) },
  ]);
  const boom = await fetch(`${host.url}/api/boom`);
  expect(boom.status).toBe(500);
  expect(await boom.text()).toBe('');
  expect((await fetch(`${host.url}/api/locked`)).status).toBe(401);
  expect((await fetch(`${host.url}/api/locked?code=wrong`)).status).toBe(401);
  expect(await (await fetch(`${host.url}/api/locked?code=dev-key`)).text()).toBe('open');
  expect(await (await fetch(`${host.url}/api/locked`, { headers: { 'x-functions-key': 'dev-key' } })).text()).toBe('open');
});

test("the functions app's own table is served: unbuilt services answer 501 JSON, keys are enforced", async () => {
  const config = loadConfig({
    DATAVERSE_URL: 'http://127.0.0.1:1',
    DATAVERSE_AUTH: 'static-token',
    DATAVERSE_STATIC_TOKEN: 't',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    WEBHOOK_KEY: 'w'.repeat(20),
    PUBLIC_BASE_URL: 'http://127.0.0.1:7071',
  });
  // No factories: every service is the 501 fallback, whatever factories.ts ships today.
  const host = await serve(compose(config, {}).table, { enableQueues: false, enableTimers: false });
  const chat = await fetch(`${host.url}/api/chat/w1/config`);
  expect(chat.status).toBe(501);
  expect(await chat.json()).toMatchObject({ error: { code: 'NotImplemented' } });
  expect((await fetch(`${host.url}/api/sms/ch1/validate`, { method: 'POST' })).status).toBe(401);
  expect((await fetch(`${host.url}/api/sms/ch1/validate?code=dev-key`, { method: 'POST' })).status).toBe(501);
  expect((await fetch(`${host.url}/api/dataverse/step-a`, { method: 'POST' })).status).toBe(401);
  expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
  expect(host.routes().map((r) => r.url)).toContain(`${host.url}/api/sms/twilio/{channelId}/status`);
});

describe('with Azurite', () => {
  let azurite: AzuriteQueue;
  beforeAll(async () => {
    azurite = await startAzuriteQueue();
  }, 30_000);
  afterAll(async () => {
    await azurite?.stop();
  });

  test('a queue-triggered function receives a message; a failing one lands in <queue>-poison after maxDequeueCount', async () => {
    const received: unknown[] = [];
    const metas: unknown[] = [];
    let failures = 0;
    const table: FunctionDef[] = [
      {
        kind: 'queue',
        name: 'work-ok',
        queueName: 'work-ok',
        connection: 'AzureWebJobsStorage',
        handler: async (item, context) => {
          received.push(item);
          metas.push(context.triggerMetadata);
        },
      },
      {
        kind: 'queue',
        name: 'work-fail',
        queueName: 'work-fail',
        connection: 'AzureWebJobsStorage',
        handler: async () => {
          failures++;
          throw new Error('always fails');
        },
      },
    ];
    const service = QueueServiceClient.fromConnectionString(azurite.connectionString);
    for (const q of ['work-ok', 'work-fail']) await service.getQueueClient(q).createIfNotExists();
    await service.getQueueClient('work-ok').sendMessage(encodeWorkItem({ conversationId: 'c-1' }));
    await service.getQueueClient('work-fail').sendMessage(encodeWorkItem({ conversationId: 'c-2' }));
    await serve(table, {
      settings: { AzureWebJobsStorage: azurite.connectionString },
      queue: { maxDequeueCount: 5, visibilityTimeoutMs: 0, maxPollingIntervalMs: 200 },
      minPollIntervalMs: 20,
    });
    const poison = service.getQueueClient('work-fail-poison');
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const peeked = await poison.peekMessages().catch(() => ({ peekedMessageItems: [] }));
      if (received.length > 0 && peeked.peekedMessageItems.length > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(received).toEqual([{ conversationId: 'c-1' }]);
    expect(metas[0]).toMatchObject({ dequeueCount: 1, queueTrigger: '{"conversationId":"c-1"}' });
    expect(failures).toBe(5);
    const poisoned = await poison.receiveMessages();
    expect(Buffer.from(poisoned.receivedMessageItems[0]!.messageText, 'base64').toString()).toBe('{"conversationId":"c-2"}');
    expect((await service.getQueueClient('work-ok').getProperties()).approximateMessagesCount).toBe(0);
    expect(lines.some((l) => l.includes('poisoned to work-fail-poison'))).toBe(true);
  }, 30_000);

  test('a slow invocation does not hold back the next message (new batch fetched at the threshold)', async () => {
    const service = QueueServiceClient.fromConnectionString(azurite.connectionString);
    const q = service.getQueueClient('work-slow');
    await q.createIfNotExists();
    let releaseFirst: () => void = () => undefined;
    const firstBlocked = new Promise<void>((r) => (releaseFirst = r));
    const order: string[] = [];
    await q.sendMessage(encodeWorkItem({ n: 1 }));
    await serve(
      [
        {
          kind: 'queue',
          name: 'slow',
          queueName: 'work-slow',
          connection: 'AzureWebJobsStorage',
          handler: async (item) => {
            const n = (item as { n: number }).n;
            order.push(`start ${n}`);
            if (n === 1) {
              await q.sendMessage(encodeWorkItem({ n: 2 }));
              await firstBlocked; // only the second message can release it
            } else releaseFirst();
            order.push(`end ${n}`);
          },
        },
      ],
      { settings: { AzureWebJobsStorage: azurite.connectionString }, queue: { batchSize: 1, newBatchThreshold: 1, maxPollingIntervalMs: 100 }, minPollIntervalMs: 20 },
    );
    const deadline = Date.now() + 10_000;
    while (order.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['start 1', 'start 2', 'end 2', 'end 1']);
  }, 20_000);
});

test('a timer function fires on its NCRONTAB schedule with a Timer input', async () => {
  const fired: { at: number; timer: Timer }[] = [];
  const started = Date.now();
  await serve([
    { kind: 'timer', name: 'tick', schedule: '* * * * * *', handler: async (timer) => void fired.push({ at: Date.now(), timer }) },
  ]);
  while (fired.length < 2 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 50));
  expect(fired.length).toBeGreaterThanOrEqual(2);
  expect(fired[1]!.at - fired[0]!.at).toBeGreaterThanOrEqual(900);
  expect(fired[0]!.timer).toMatchObject({ isPastDue: false, schedule: { adjustForDST: false } });
  expect(Date.parse(fired[0]!.timer.scheduleStatus.next)).toBeGreaterThan(fired[0]!.at - 5);
});

test('a timer with runOnStartup fires immediately', async () => {
  let fired = 0;
  await serve([{ kind: 'timer', name: 'boot', schedule: '0 0 0 1 1 *', runOnStartup: true, handler: async () => void fired++ }]);
  await new Promise((r) => setTimeout(r, 100));
  expect(fired).toBe(1);
});

test('an admin runs a timer function now with POST /admin/functions/{name} and the master key, as on Azure: 202, then the run', async () => {
  let fired = 0;
  const host = await serve([{ kind: 'timer', name: 'nightly', schedule: '0 0 0 1 1 *', handler: async () => void fired++ }]);
  const post = (name: string, key?: string) =>
    fetch(`${host.url}/admin/functions/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { 'x-functions-key': key } : {}) }, body: '{"input":""}' });
  expect((await post('nightly')).status).toBe(401);
  expect((await post('nightly', 'wrong-key')).status).toBe(401);
  expect((await post('unknown', 'dev-key')).status).toBe(404);
  expect(fired).toBe(0);
  expect((await post('nightly', 'dev-key')).status).toBe(202);
  for (let i = 0; i < 50 && fired === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(fired).toBe(1);
});
