import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Supervisor, tcpReady } from './supervisor';

// A killed process whose parent is gone may linger as a zombie until something reaps it
// (this sandbox's pid 1 may never do so): a zombie runs nothing, so it counts as ended.
function isAlive(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

// A service that listens on a port and also spawns a grandchild that would outlive a
// careless stop; both must be gone afterwards.
const serviceScript = `
const net = require('node:net');
const { spawn } = require('node:child_process');
const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
console.log('grandchild ' + g.pid);
net.createServer().listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening'));
`;

test('the supervisor waits for a service to answer, prefixes its output, and stop ends it with everything it spawned', async () => {
  const lines: string[] = [];
  const supervisor = new Supervisor({ log: (l) => lines.push(l), graceMs: 2000 });
  const port = await freePort();
  await supervisor.start({
    name: 'svc',
    command: process.execPath,
    args: ['-e', serviceScript, String(port)],
    ready: tcpReady('127.0.0.1', port),
    readyTimeoutMs: 10_000,
  });
  expect(lines).toContain('[stack] svc is ready');
  const leader = supervisor.pids[0];
  await new Promise((r) => setTimeout(r, 200));
  const grandchild = Number(lines.find((l) => l.startsWith('[svc] grandchild'))?.split(' ')[2]);
  expect(grandchild).toBeGreaterThan(0);
  expect(isAlive(grandchild)).toBe(true);

  await supervisor.stopAll();
  await new Promise((r) => setTimeout(r, 200));
  expect(isAlive(leader)).toBe(false);
  expect(isAlive(grandchild)).toBe(false);
  expect(lines).toContain('[stack] stopped svc');
});

test('a service that exits before it is ready is reported with its exit code', async () => {
  const supervisor = new Supervisor({ log: () => undefined });
  await expect(
    supervisor.start({
      name: 'broken',
      command: process.execPath,
      args: ['-e', 'process.exit(3)'],
      ready: async () => false,
      readyTimeoutMs: 10_000,
    }),
  ).rejects.toThrow('broken exited with code 3 before it was ready');
  await supervisor.stopAll();
});
