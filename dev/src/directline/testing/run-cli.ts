// Runs a stand-in's CLI in its own process, reads what it prints, and stops it with SIGTERM as the
// stack's supervisor does. Node runs the script with tsx as a loader (`node --import tsx`), one
// process: the `tsx` binary would put a relaying parent in between, and a SIGTERM that reaches the
// parent before the child has reported its own handler ends the parent with 143, which would test
// tsx rather than the CLI.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const REPO_ROOT = path.join(__dirname, '..', '..', '..', '..');

export interface RunningCli {
  child: ChildProcess;
  /** stdout so far */
  output(): string;
  /** resolves with the first match of `pattern` in stdout */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then the exit code */
  stop(): Promise<number | null>;
}

export function runCli(script: string, args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => stdout,
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(stdout);
        if (m) return m;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${pattern} in the CLI's output:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
