// Bundles the pages' browser code once, cached by the sources' modification time: the agent
// page's host (React 16.14 + Fluent UI 9 as platform globals, the PCF context) and the two-agent
// page's own small script.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ENTRIES = { host: path.join(__dirname, 'client', 'host.ts'), workspace: path.join(__dirname, 'client', 'workspace.ts') } as const;

export type ClientBundles = Record<keyof typeof ENTRIES, string>;

/** The newest of the browser code's sources (the client folder and what it imports beside it). */
function sourcesTime(): number {
  const files = [...fs.readdirSync(path.join(__dirname, 'client')).map((f) => path.join(__dirname, 'client', f)), path.join(__dirname, 'workspace-url.ts'), path.join(__dirname, 'strings.ts')];
  return Math.max(...files.map((f) => fs.statSync(f).mtimeMs));
}

async function bundle(name: keyof typeof ENTRIES, cacheDir: string, sourceTime: number): Promise<string> {
  const out = path.join(cacheDir, `${name}.js`);
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs > sourceTime) return fs.readFileSync(out, 'utf8');
  const result = await build({
    entryPoints: [ENTRIES[name]],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]!.text;
  fs.mkdirSync(cacheDir, { recursive: true });
  // Write then rename: a test stack and `npm start` may build at the same time.
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, out);
  return text;
}

export async function buildClientBundles(cacheDir: string): Promise<ClientBundles> {
  const time = sourcesTime();
  const [host, workspace] = await Promise.all([bundle('host', cacheDir, time), bundle('workspace', cacheDir, time)]);
  return { host, workspace };
}
