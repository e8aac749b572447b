// Starts the local stack's processes, waits for each to answer, prefixes their output,
// and on stop ends every process it started (and only those), by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Resolves true once the service answers. Polled until readyTimeoutMs. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

export interface SupervisorOptions {
  log?: (line: string) => void;
  /** How long a process gets between SIGTERM and SIGKILL. */
  graceMs?: number;
}

interface Running {
  spec: ServiceSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
}

export class Supervisor {
  private readonly running: Running[] = [];
  private readonly log: (line: string) => void;
  private readonly graceMs: number;
  private stopping = false;

  constructor(options: SupervisorOptions = {}) {
    this.log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
    this.graceMs = options.graceMs ?? 5000;
  }

  get pids(): number[] {
    return this.running.map((r) => r.child.pid).filter((p): p is number => typeof p === 'number');
  }

  async start(spec: ServiceSpec): Promise<void> {
    if (this.stopping) throw new Error(`cannot start ${spec.name}: the stack is stopping`);
    this.log(`[stack] starting ${spec.name}`);
    // Own process group, so stopping also ends whatever the service spawned itself
    // (tsx runs the script in a child node process).
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', (err) => {
        this.log(`[${spec.name}] ${err.message}`);
        resolve(null);
      });
    });
    const entry: Running = { spec, child, exited };
    this.running.push(entry);
    prefixLines(child.stdout, (line) => this.log(`[${spec.name}] ${line}`));
    prefixLines(child.stderr, (line) => this.log(`[${spec.name}] ${line}`));

    const deadline = Date.now() + (spec.readyTimeoutMs ?? 60_000);
    let exitCode: number | null | undefined;
    void exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`${spec.name} exited with code ${exitCode} before it was ready`);
      if (await spec.ready().catch(() => false)) {
        this.log(`[stack] ${spec.name} is ready`);
        return;
      }
      await sleep(200);
    }
    throw new Error(`${spec.name} did not become ready within ${spec.readyTimeoutMs ?? 60_000} ms`);
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    // Reverse order: the web server goes before the functions host, the host before
    // the emulator, so nothing logs errors about a dependency vanishing first.
    for (const entry of [...this.running].reverse()) {
      await this.stopOne(entry);
    }
    this.running.length = 0;
  }

  private async stopOne({ spec, child, exited }: Running): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    signalGroup(child.pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      exited.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.graceMs))),
    ]);
    clearTimeout(timer);
    if (!done) {
      this.log(`[stack] ${spec.name} did not stop in ${this.graceMs} ms; killing it`);
      signalGroup(child.pid, 'SIGKILL');
      await exited;
    }
    // The leader may exit before its children: make sure the group is gone too.
    signalGroup(child.pid, 'SIGKILL');
    this.log(`[stack] stopped ${spec.name}`);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function prefixLines(stream: NodeJS.ReadableStream | null, write: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) write(line);
  });
  stream.on('end', () => {
    if (buffered.trim()) write(buffered);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function httpReady(url: string, init?: RequestInit): () => Promise<boolean> {
  return async () => {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status < 500;
  };
}

export function tcpReady(host: string, port: number): () => Promise<boolean> {
  return () =>
    new Promise((resolve) => {
      const socket = createConnection({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
}
