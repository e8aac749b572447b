// Prints what the functions hosting layer costs on this machine. Never fails on slow hardware.
//   npm run bench:functions -w dev
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import { encodeWorkItem, json, register, type FunctionDef } from '@switchboard/functions';
import { startAzuriteQueue } from '@switchboard/functions/queue/azurite.testing';
import { FunctionsDevHost } from './dev-host';
import { RegistrationRecorder } from './recorder';

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summary(label: string, samples: number[]): void {
  const s = [...samples].sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} n=${String(s.length).padStart(5)}  p50=${pct(s, 50).toFixed(2)} ms  p99=${pct(s, 99).toFixed(2)} ms`);
}

async function timeRequests(n: number, doRequest: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 50; i++) await doRequest(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await doRequest();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

async function main(): Promise<void> {
  const N = Number(process.env['BENCH_N'] ?? 2000);

  const bare = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;

  const received: number[] = [];
  const burstJobs: Promise<void>[] = [];
  const sentAt = new Map<string, number>();
  const table: FunctionDef[] = [
    { kind: 'http', name: 'health', route: 'health', methods: ['GET'], authLevel: 'anonymous', handler: async () => json(200, { status: 'ok' }) },
    {
      kind: 'http',
      name: 'echo',
      route: 'items/{id}/echo',
      methods: ['POST'],
      authLevel: 'anonymous',
      handler: async (req) => json(200, { id: req.params['id'], body: await req.json() }),
    },
    {
      kind: 'queue',
      name: 'sink',
      queueName: 'bench-sink',
      connection: 'AzureWebJobsStorage',
      handler: async (item) => {
        const id = (item as { id: string }).id;
        received.push(performance.now() - (sentAt.get(id) ?? 0));
      },
    },
  ];
  const azurite = await startAzuriteQueue();
  const recorder = new RegistrationRecorder();
  register(recorder, table);
  const host = new FunctionsDevHost({
    registrations: recorder.registrations,
    port: 0,
    settings: { AzureWebJobsStorage: azurite.connectionString },
    queue: { maxDequeueCount: 5, visibilityTimeoutMs: 0, batchSize: 16, maxPollingIntervalMs: 2000 },
    log: () => undefined,
  });
  await host.start();

  try {
    console.log(`node ${process.version}, ${os.cpus().length} cpus\n`);
    summary('bare node http GET', await timeRequests(N, async () => void (await (await fetch(bareUrl)).text())));
    summary('dev host GET /api/health', await timeRequests(N, async () => void (await (await fetch(`${host.url}/api/health`)).text())));
    const body = JSON.stringify({ text: 'x'.repeat(200) });
    summary('dev host POST /api/items/{id}/echo (JSON)', await timeRequests(N, async () => {
      await (await fetch(`${host.url}/api/items/abc/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text();
    }));

    const queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient('bench-sink');
    await queue.createIfNotExists();
    // Sequential: one message at a time, each waiting for its invocation (includes poll wake-up).
    const seqN = 100;
    for (let i = 0; i < seqN; i++) {
      const id = `s${i}`;
      sentAt.set(id, performance.now());
      await queue.sendMessage(encodeWorkItem({ id }));
      while (received.length <= i) await new Promise((r) => setTimeout(r, 1));
    }
    summary('queue send → trigger invoked (sequential)', received.splice(0));
    // Burst: the queue is filled first (16 senders), then a second host drains it, so the
    // number is the poll/invoke/delete loop's throughput rather than Azurite's enqueue rate.
    const burst = 1000;
    const burstQueue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient('bench-burst');
    await burstQueue.createIfNotExists();
    const te = performance.now();
    for (let w = 0; w < 16; w++) {
      burstJobs.push((async () => {
        for (let i = w; i < burst; i += 16) await burstQueue.sendMessage(encodeWorkItem({ id: `b${i}` }));
      })());
    }
    await Promise.all(burstJobs);
    const enqueueMs = performance.now() - te;
    let drained = 0;
    const drainRecorder = new RegistrationRecorder();
    register(drainRecorder, [
      { kind: 'queue', name: 'drain', queueName: 'bench-burst', connection: 'AzureWebJobsStorage', handler: async () => void drained++ },
    ]);
    const drainHost = new FunctionsDevHost({
      registrations: drainRecorder.registrations,
      port: 0,
      settings: { AzureWebJobsStorage: azurite.connectionString },
      queue: { maxDequeueCount: 5, visibilityTimeoutMs: 0, batchSize: 16, maxPollingIntervalMs: 2000 },
      log: () => undefined,
    });
    const td = performance.now();
    await drainHost.start();
    while (drained < burst) await new Promise((r) => setTimeout(r, 5));
    const drainMs = performance.now() - td;
    await drainHost.stop();
    console.log(`${'queue: enqueue 1000 (16 senders)'.padEnd(44)} ${enqueueMs.toFixed(0)} ms → ${(burst / (enqueueMs / 1000)).toFixed(0)} msg/s`);
    console.log(`${'queue: drain 1000 through the trigger'.padEnd(44)} ${drainMs.toFixed(0)} ms → ${(burst / (drainMs / 1000)).toFixed(0)} msg/s`);

    const bundle = path.resolve(__dirname, '..', '..', '..', 'functions', 'dist', 'main.js');
    try {
      const out = execFileSync(
        process.execPath,
        ['-e', `const t=process.hrtime.bigint();try{require(${JSON.stringify(bundle)})}catch(e){};console.log(Number(process.hrtime.bigint()-t)/1e6)`],
        { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'ignore'] },
      );
      console.log(`${'functions bundle require() (cold, no settings)'.padEnd(44)} ${Number(out.trim()).toFixed(0)} ms`);
    } catch {
      console.log('functions bundle not built (npm run build -w functions)');
    }
  } finally {
    await host.stop();
    await azurite.stop();
    await new Promise<void>((r) => bare.close(() => r()));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
