// Runs `npm start`'s entry point as a child process on free ports, the way a developer runs
// it, and stops it the way a developer does: SIGINT to its whole process group (Ctrl-C).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildStale } from '../stack/build';
import { REPO_ROOT } from '../stack/config';

export interface StackProcess {
  web: string;
  functions: string;
  dataverseApi: string;
  webPubSub: string;
  /** the Direct Line stand-in's origin (the FAQ bot; its dev hooks are under /_directline) */
  directLine: string;
  /** the sample webhook bot's origin */
  webhookBot: string;
  /** pids of the services the stack started (from its "[stack] pids" line), plus its own */
  pids: number[];
  output: string[];
  readyMs: number;
  /** time spent building missing bundles before starting */
  buildMs: number;
  /** Ctrl-C; resolves with the exit code */
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process is left in the group led by pid (the stack and each service run in their own group). */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startStackProcess(options: { readyTimeoutMs?: number; echo?: boolean; env?: Record<string, string> } = {}): Promise<StackProcess> {
  // Build what was never built (a fresh checkout in CI) before the clock starts; existing
  // outputs are used as they are, so a test run never rebuilds under a developer's feet.
  const build = buildStale((line) => options.echo && process.stdout.write(`${line}\n`), 'missing');
  const [dataverse, functions, web, azurite, acs, webPubSub, directLine, webhookBot] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-stack-'));
  const started = Date.now();
  const child: ChildProcess = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['dev/src/stack/start.ts'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SWITCHBOARD_DATAVERSE_PORT: String(dataverse),
      SWB_FUNCTIONS_PORT: String(functions),
      SWITCHBOARD_WEB_PORT: String(web),
      SWITCHBOARD_AZURITE_PORT: String(azurite),
      SWITCHBOARD_ACS_STANDIN_PORT: String(acs),
      SWITCHBOARD_WEBPUBSUB_PORT: String(webPubSub),
      SWITCHBOARD_DIRECTLINE_PORT: String(directLine),
      SWITCHBOARD_WEBHOOK_BOT_PORT: String(webhookBot),
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_EPHEMERAL: '1',
      SWITCHBOARD_BUILD: 'none',
      ...options.env,
    },
  });
  const output: string[] = [];
  let pids: number[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let buffered = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        if (options.echo) process.stdout.write(`${line}\n`);
        const p = /^\[stack\] pids (.*)$/.exec(line);
        if (p) pids = p[1]!.trim().split(/\s+/).map(Number);
        if (/^\[stack\] ready in/.test(line)) resolve();
        if (/^\[stack\] failed/.test(line)) reject(new Error(line));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`the stack exited (${code}) before it was ready:\n${output.slice(-30).join('\n')}`)));
  });
  let timer: NodeJS.Timeout | undefined;
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGINT');
      } catch {
        // already gone
      }
    }
    const code = await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
    return code;
  };
  try {
    await Promise.race([
      ready,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the stack was not ready within ${options.readyTimeoutMs ?? 120_000} ms:\n${output.slice(-30).join('\n')}`)), options.readyTimeoutMs ?? 120_000))),
    ]);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    web: `http://127.0.0.1:${web}`,
    functions: `http://127.0.0.1:${functions}`,
    dataverseApi: `http://127.0.0.1:${dataverse}/api/data/v9.2/`,
    webPubSub: `http://127.0.0.1:${webPubSub}`,
    directLine: `http://127.0.0.1:${directLine}`,
    webhookBot: `http://127.0.0.1:${webhookBot}`,
    pids: [child.pid!, ...pids],
    output,
    readyMs: Date.now() - started,
    buildMs: build.ms,
    stop,
  };
}
