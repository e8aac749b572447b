// A small "production" on one machine for the reliability suite: one Dataverse emulator
// (in this process, injecting 429/503), one private Azurite queue service, and several
// functions dev hosts, each its own Node process (`node --import tsx dev/src/functions-host/cli.ts
// --port 0`) polling the one routing queue and running the offer timer. Hosts can be killed by
// pid (SIGKILL: no cleanup, like a crashed instance).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { metadata } from '@switchboard/solution';
import { startAzuriteQueue, type AzuriteQueue } from '@switchboard/functions/queue/azurite.testing';
import { DynamicsWebApi } from 'dynamics-web-api';
import { createEmulator, type Emulator } from '@switchboard/dev/dataverse';

const ROOT = path.resolve(__dirname, '..', '..');
const HOST_CLI = path.join(ROOT, 'dev', 'src', 'functions-host', 'cli.ts');

export interface HostProcess {
  index: number;
  pid: number;
  url: string;
  alive: boolean;
  output: string[];
  child: ChildProcess;
}

export interface Cluster {
  emulator: Emulator;
  /** Server URL of the emulator (no /api/data path). */
  dataverseUrl: string;
  azurite: AzuriteQueue;
  hosts: HostProcess[];
  /** Answers the emulator gave, by status, since the faulty phase began. */
  statuses: Map<number, number>;
  kill(host: HostProcess): void;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  hosts: number;
  faults: string;
  /** App settings every host gets (secrets, keys). */
  settings: Record<string, string>;
  /** Seeds the organisation before faults are switched on. */
  seed: (api: DynamicsWebApi) => Promise<void>;
  log?: (line: string) => void;
}

async function startHost(index: number, env: Record<string, string>, log: (line: string) => void): Promise<HostProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOST_CLI, '--port', '0'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host ${index} did not start in 90 s:\n${output.join('')}`)), 90_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host ${index} exited with ${code}:\n${output.join('')}`));
    });
  });
  const host: HostProcess = { index, pid: child.pid!, url, alive: true, output, child };
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  // Keep the last lines for the report; drop the rest so a long run does not grow memory.
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 400) output.splice(0, output.length - 400);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', () => {
    host.alive = false;
  });
  log(`host ${index} pid ${host.pid} at ${url}`);
  return host;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'swb-reliability-'));
  const dbFile = path.join(dir, 'dataverse.db');

  // Seed without faults (an admin's import is not the subject), then reopen the same database
  // with faults on for the run.
  const seeding = createEmulator({ metadata, db: dbFile });
  const seeded = await seeding.listen(0);
  const seedApi = new DynamicsWebApi({ serverUrl: seeded.url.replace('/api/data/v9.2/', ''), dataApi: { version: '9.2' }, onTokenRefresh: async () => seeding.appToken, propagateErrors: true });
  try {
    await options.seed(seedApi);
  } finally {
    await seeding.close();
  }

  const emulator = createEmulator({ metadata, db: dbFile, faults: options.faults, retryAfterSeconds: 1 });
  const statuses = new Map<number, number>();
  // Our own listener around the emulator's handler, to count the faults it really injected.
  const server = http.createServer((req, res) => {
    res.once('finish', () => statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1));
    emulator.handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const dataverseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let azurite: AzuriteQueue | undefined;
  const hosts: HostProcess[] = [];
  try {
    azurite = await startAzuriteQueue();
    const env = {
      ...options.settings,
      DATAVERSE_URL: dataverseUrl,
      DATAVERSE_AUTH: 'static-token',
      DATAVERSE_STATIC_TOKEN: emulator.appToken,
      AzureWebJobsStorage: azurite.connectionString,
      SWB_ROUTING_QUEUE: 'swb-routing',
    };
    // One at a time: a 2-core machine compiling N TypeScript hosts at once only slows each.
    for (let i = 0; i < options.hosts; i++) hosts.push(await startHost(i, env, log));
  } catch (err) {
    for (const h of hosts) if (h.alive) process.kill(h.pid, 'SIGKILL');
    await azurite?.stop();
    server.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const az = azurite;
  return {
    emulator,
    dataverseUrl,
    azurite: az,
    hosts,
    statuses,
    kill(host) {
      if (!host.alive) return;
      process.kill(host.pid, 'SIGKILL');
      host.alive = false;
      log(`killed host ${host.index} (pid ${host.pid})`);
    },
    async stop() {
      await Promise.all(
        hosts.map(
          (h) =>
            new Promise<void>((resolve) => {
              if (h.child.exitCode !== null || h.child.signalCode !== null) return resolve();
              h.child.once('exit', () => resolve());
              process.kill(h.pid, 'SIGTERM');
              setTimeout(() => {
                if (h.child.exitCode === null && h.child.signalCode === null) process.kill(h.pid, 'SIGKILL');
              }, 5000).unref();
            }),
        ),
      );
      await az.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
