import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { azuriteConnectionString } from './storage-work-queue.adapter';

// Starts a private in-memory Azurite queue service on an ephemeral port, for tests and the
// dev host. Never part of the deployed bundle.
export interface AzuriteQueue {
  port: number;
  connectionString: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startAzuriteQueue(timeoutMs = 20_000): Promise<AzuriteQueue> {
  const pkgPath = require.resolve('azurite/package.json');
  const bin = (JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { bin: Record<string, string> }).bin['azurite-queue'];
  if (!bin) throw new Error('azurite-queue binary not found');
  const location = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-azurite-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(path.dirname(pkgPath), bin),
      '--queueHost', '127.0.0.1',
      '--queuePort', '0', // Azurite accepts 0 and prints the port it bound
      '--silent',
      '--inMemoryPersistence',
      '--extentMemoryLimit', '64',
      '--disableTelemetry',
      '--skipApiVersionCheck',
    ],
    // In-memory mode refuses --location; run in a scratch cwd so nothing lands in the repo.
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: location },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Azurite did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with ${code}:\n${output}`));
    });
  });
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    port,
    pid: child.pid ?? -1,
    connectionString: azuriteConnectionString('127.0.0.1', port),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => {
          fs.rmSync(location, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
