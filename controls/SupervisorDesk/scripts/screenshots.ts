// The desk with a busy floor (1,000 agents, 10,000 ongoing conversations) in headless Chromium,
// saved under docs/controls/. Run after building the control:
//   npx tsx controls/SupervisorDesk/scripts/screenshots.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { controlsDir } from '../../shared/scripts/browser';
import { openDesk } from './desk-browser';

const docs = path.resolve(controlsDir, '..', 'docs', 'controls');

async function main(): Promise<void> {
  fs.mkdirSync(docs, { recursive: true });
  const shots = [
    { file: 'supervisor-desk.png', languageId: 1033, tab: null as string | null, dark: false },
    { file: 'supervisor-desk-agents-fr.png', languageId: 1036, tab: 'Agents', dark: false },
    { file: 'supervisor-desk-dark.png', languageId: 1033, tab: null, dark: true },
  ];
  for (const shot of shots) {
    const { browser, page, resx } = await openDesk({ width: 1480, height: 920 }, shot.dark ? '#1f1f1f' : undefined);
    try {
      await page.evaluate((o) => (window as unknown as { DeskHarness: { run(o: unknown): void } }).DeskHarness.run(o), {
        resx: resx(shot.languageId), languageId: shot.languageId, agents: 1000, conversations: 10000, closedToday: 3000, width: 1440, height: 880, dark: shot.dark,
      });
      await page.locator('[data-conversation]').first().waitFor();
      if (shot.tab) await page.getByRole('tab', { name: new RegExp(`^${shot.tab}`) }).click();
      await page.waitForTimeout(800);
      const file = path.join(docs, shot.file);
      await page.locator('#root').screenshot({ path: file });
      console.log(`${shot.file}: ${fs.statSync(file).size} bytes`);
    } finally {
      await browser.close();
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
