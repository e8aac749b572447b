// Headless Chromium around the harness: platform libraries and the harness are bundled
// with esbuild; the control's own production bundle.js (from pcf-scripts) is loaded as is.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';

export const controlsDir = path.resolve(__dirname, '../..');
const outDir = path.join(controlsDir, 'shared', 'out', 'harness');

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function buildHarness(): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  const common = { bundle: true, minify: true, format: 'iife' as const, platform: 'browser' as const, target: 'es2020', define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'warning' as const };
  await build({ ...common, entryPoints: [path.join(__dirname, 'harness', 'platform.ts')], outfile: path.join(outDir, 'platform.js') });
  await build({ ...common, entryPoints: [path.join(__dirname, 'harness', 'harness.ts')], outfile: path.join(outDir, 'harness.js') });
}

export function bundlePath(control: string): string {
  const p = path.join(controlsDir, control, 'out', 'controls', control, 'bundle.js');
  if (!fs.existsSync(p)) throw new Error(`${p} missing: run npm run build -w @switchboard/control-… first`);
  return p;
}

export function resxText(control: string, languageId: number): string {
  return fs.readFileSync(path.join(controlsDir, control, control, 'strings', `${control}.${languageId}.resx`), 'utf8');
}

export function pageFor(control: string, background = '#f5f5f5'): string {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${control}</title>
<style>html,body{margin:0;background:${background};font-family:'Segoe UI',system-ui,sans-serif}#root{display:flex;flex-direction:column;gap:12px;padding:16px;align-items:flex-start}.control-host{background:${background === '#f5f5f5' ? '#fff' : '#292929'};box-shadow:0 1px 3px rgba(0,0,0,.15);border-radius:6px}</style>
</head><body><div id="root"></div>
<script src="platform.js"></script><script src="harness.js"></script><script src="file://${bundlePath(control)}"></script></body></html>`;
  const file = path.join(outDir, `${control}.html`);
  fs.writeFileSync(file, html);
  return `file://${file}`;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

export async function openControl(browser: Browser, control: string, viewport = { width: 900, height: 800 }, background?: string): Promise<Page> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(pageFor(control, background));
  if (errors.length) throw new Error(`${control}: ${errors.join('\n')}`);
  return page;
}
