/** @jest-environment node */
// The production bundle.js in real headless Chromium, mounted the way the platform mounts it
// (shared harness): markup in a message body must stay text, never become elements.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildHarness, controlsDir, launch, openControl, resxText } from '../../shared/scripts/browser';

jest.setTimeout(180_000);

let browser: Browser;

beforeAll(async () => {
  // A fresh clone has no build output yet: build the control as the platform would get it.
  if (!fs.existsSync(path.join(controlsDir, 'CommunicationPane', 'out', 'controls', 'CommunicationPane', 'bundle.js'))) {
    execFileSync('npm', ['run', 'build', '-w', '@switchboard/control-communication-pane'], { cwd: path.resolve(controlsDir, '..'), stdio: 'ignore' });
  }
  await buildHarness();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

test('markup in a message body is shown as text in Chromium: no element is parsed from it', async () => {
  const page = await openControl(browser, 'CommunicationPane', { width: 900, height: 900 });
  // The harness's pane scenario holds a customer message with <b> in it.
  await page.evaluate(
    (o) => (window as unknown as { SwitchboardHarness: { run(o: unknown): number } }).SwitchboardHarness.run(o),
    { control: 'CommunicationPane', resx: resxText('CommunicationPane', 1033), width: 560 },
  );
  const message = page.getByText('Great, and <b>thank you</b>!', { exact: true });
  await message.waitFor();
  const found = await page.evaluate(() => ({
    bold: document.querySelectorAll('[role="listitem"] b').length,
    items: document.querySelectorAll('[role="listitem"]').length,
  }));
  expect(found.items).toBeGreaterThan(0);
  expect(found.bold).toBe(0);
});
