// `npm start` builds only what is missing or older than its sources: the six PCF bundles,
// the widget script and plugins/dist/steps.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './config';

export interface BuildTarget {
  name: string;
  workspace: string;
  output: string;
  sources: string[];
}

const control = (name: string, pkg: string): BuildTarget => ({
  name: `control ${name}`,
  workspace: pkg,
  output: `controls/${name}/out/controls/${name}/bundle.js`,
  // Controls compile controls/shared and core into their bundle.
  sources: [`controls/${name}/${name}`, 'controls/shared/src', 'core/src'],
});

export const TARGETS: BuildTarget[] = [
  control('AgentInbox', '@switchboard/control-agent-inbox'),
  control('CommunicationPane', '@switchboard/control-communication-pane'),
  control('SessionTimer', '@switchboard/control-session-timer'),
  control('ConversationSummary', '@switchboard/control-conversation-summary'),
  control('SupervisorDesk', '@switchboard/control-supervisor-desk'),
  control('Insights', '@switchboard/control-insights'),
  { name: 'widget', workspace: '@switchboard/widget', output: 'widget/dist/widget.js', sources: ['widget/src'] },
  { name: 'plugin steps', workspace: '@switchboard/plugins', output: 'plugins/dist/steps.json', sources: ['plugins/src'] },
];

function newestMtime(dir: string): number {
  let newest = 0;
  const walk = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) if (e !== 'generated' && e !== 'node_modules' && !e.endsWith('.test.ts') && !e.endsWith('.test.tsx')) walk(path.join(p, e));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  if (fs.existsSync(dir)) walk(dir);
  return newest;
}

export function isStale(t: BuildTarget, root = REPO_ROOT): boolean {
  const out = path.join(root, t.output);
  if (!fs.existsSync(out)) return true;
  const built = fs.statSync(out).mtimeMs;
  return t.sources.some((s) => newestMtime(path.join(root, s)) > built);
}

/** mode 'stale' rebuilds anything older than its sources; 'missing' only what was never built. */
export function buildStale(log: (line: string) => void, mode: 'stale' | 'missing' = 'stale'): { built: string[]; ms: number } {
  const started = Date.now();
  const built: string[] = [];
  for (const t of TARGETS) {
    const needed = mode === 'missing' ? !fs.existsSync(path.join(REPO_ROOT, t.output)) : isStale(t);
    if (!needed) continue;
    log(`[build] ${t.name} (npm run build -w ${t.workspace})`);
    const r = spawnSync('npm', ['run', 'build', '-w', t.workspace], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) {
      const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      // A stale but present output still lets the stack run; a missing one does not.
      if (fs.existsSync(path.join(REPO_ROOT, t.output))) {
        log(`[build] ${t.name} failed; using the previous build:\n${out}`);
        continue;
      }
      throw new Error(`build of ${t.name} failed:\n${out}`);
    }
    built.push(t.name);
  }
  return { built, ms: Date.now() - started };
}
