// Bundles the workspace host (React 16.14 + Fluent UI 9 as platform globals, the PCF context)
// once, cached by the sources' modification time.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ENTRY = path.join(__dirname, 'client', 'host.ts');

export async function buildHostBundle(cacheDir: string): Promise<string> {
  const out = path.join(cacheDir, 'host.js');
  const sourceTime = fs.statSync(ENTRY).mtimeMs;
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs > sourceTime) return fs.readFileSync(out, 'utf8');
  const result = await build({
    entryPoints: [ENTRY],
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
