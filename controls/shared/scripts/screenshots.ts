// Renders each built control in headless Chromium with demo data and saves PNGs under
// docs/controls/. Run after building the controls:  npx tsx controls/shared/scripts/screenshots.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildHarness, controlsDir, launch, openControl, resxText } from './browser';

const docs = path.resolve(controlsDir, '..', 'docs', 'controls');

const shots: { control: string; file: string; languageId: number; width: number; viewport?: { width: number; height: number }; act?: string; dark?: boolean; variant?: string }[] = [
  { control: 'CommunicationPane', file: 'communication-pane.png', languageId: 1033, width: 560 },
  { control: 'CommunicationPane', file: 'communication-pane-dark-fr.png', languageId: 1036, width: 560, dark: true },
  { control: 'CommunicationPane', file: 'communication-pane-consult.png', languageId: 1033, width: 560, act: 'consult' },
  { control: 'CommunicationPane', file: 'communication-pane-consultant.png', languageId: 1033, width: 420, variant: 'consult' },
  { control: 'CommunicationPane', file: 'communication-pane-transferred-fr.png', languageId: 1036, width: 420, variant: 'transferred' },
  { control: 'CommunicationPane', file: 'communication-pane-sms-opted-out.png', languageId: 1033, width: 420, variant: 'opted-out' },
  { control: 'CommunicationPane', file: 'communication-pane-sms-opted-out-fr.png', languageId: 1036, width: 420, variant: 'opted-out' },
  { control: 'SessionTimer', file: 'session-timer.png', languageId: 1033, width: 240 },
  { control: 'ConversationSummary', file: 'conversation-summary.png', languageId: 1033, width: 420, viewport: { width: 900, height: 1200 } },
  { control: 'ConversationSummary', file: 'conversation-summary-fr.png', languageId: 1036, width: 420, viewport: { width: 900, height: 1200 } },
  { control: 'AgentInbox', file: 'agent-inbox.png', languageId: 1033, width: 300, viewport: { width: 900, height: 900 } },
  { control: 'AgentInbox', file: 'agent-inbox-fr.png', languageId: 1036, width: 300, viewport: { width: 900, height: 900 } },
];

async function main(): Promise<void> {
  fs.mkdirSync(docs, { recursive: true });
  await buildHarness();
  const browser = await launch();
  try {
    for (const shot of shots) {
      const page = await openControl(browser, shot.control, shot.viewport, shot.dark ? '#1f1f1f' : undefined);
      await page.evaluate(
        (o) => (window as unknown as { SwitchboardHarness: { run(o: unknown): number } }).SwitchboardHarness.run(o),
        { control: shot.control, resx: resxText(shot.control, shot.languageId), languageId: shot.languageId, width: shot.width, dark: shot.dark, variant: shot.variant },
      );
      await page.waitForTimeout(1200);
      if (shot.act === 'consult') {
        await page.getByRole('button', { name: 'Transfer' }).click();
        await page.waitForTimeout(800);
      }
      const file = path.join(docs, shot.file);
      // The dialog renders in a portal outside #root, so that shot takes the page.
      if (shot.act) await page.screenshot({ path: file, fullPage: true });
      else await page.locator('#root').screenshot({ path: file });
      console.log(`${shot.file}: ${fs.statSync(file).size} bytes`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
