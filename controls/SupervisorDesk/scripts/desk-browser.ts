// Headless Chromium around the desk harness: React 16 and Fluent 9 as the platform globals, the
// harness, then the control's production bundle.js as pcf-scripts built it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { bundlePath, controlsDir, launch, resxText } from '../../shared/scripts/browser';

const outDir = path.join(controlsDir, 'SupervisorDesk', 'out', 'harness');

export async function openDesk(viewport: { width: number; height: number }, background = '#f5f5f5'): Promise<{ browser: Browser; page: Page; resx: (languageId: number) => string }> {
  fs.mkdirSync(outDir, { recursive: true });
  const common = { bundle: true, minify: true, format: 'iife' as const, platform: 'browser' as const, target: 'es2020', define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'warning' as const };
  await build({ ...common, entryPoints: [path.join(controlsDir, 'shared', 'scripts', 'harness', 'platform.ts')], outfile: path.join(outDir, 'platform.js') });
  await build({ ...common, minify: process.env['SWB_HARNESS_MINIFY'] !== '0', entryPoints: [path.join(__dirname, 'desk-harness.ts')], outfile: path.join(outDir, 'desk-harness.js') });
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>SupervisorDesk</title>
<style>html,body{margin:0;background:${background};font-family:'Segoe UI',system-ui,sans-serif}#root{padding:16px}.control-host{background:${background === '#f5f5f5' ? '#fff' : '#292929'};box-shadow:0 1px 3px rgba(0,0,0,.15);border-radius:6px}</style>
</head><body><div id="root"></div><script src="platform.js"></script><script src="desk-harness.js"></script><script src="file://${bundlePath('SupervisorDesk')}"></script></body></html>`;
  fs.writeFileSync(path.join(outDir, 'desk.html'), html);
  const browser = await launch();
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`file://${path.join(outDir, 'desk.html')}`);
  if (errors.length) throw new Error(errors.join('\n'));
  return { browser, page, resx: (languageId) => resxText('SupervisorDesk', languageId) };
}
