// First render of a long transcript in headless Chromium: the production bundle.js is
// mounted through the harness (init → updateView → ReactDOM.render) with N messages in
// the in-memory Web API, timed until the newest message is painted. Prints numbers; it
// never fails on a slow machine.
//   npx tsx controls/CommunicationPane/scripts/measure-render.ts [messages=5000] [runs=7]
import { buildHarness, launch, openControl, resxText } from '../../shared/scripts/browser';

async function main(): Promise<void> {
  const messages = Number(process.argv[2] ?? 5000);
  const runs = Number(process.argv[3] ?? 7);
  await buildHarness();
  const browser = await launch();
  try {
    const page = await openControl(browser, 'CommunicationPane', { width: 900, height: 900 });
    const resx = resxText('CommunicationPane', 1033);
    const measure = (n: number) =>
      page.evaluate(
        (o) => (window as unknown as { SwitchboardHarness: { measure(o: unknown): Promise<number> } }).SwitchboardHarness.measure(o),
        { control: 'CommunicationPane', resx, messages: n, width: 560 },
      );
    // The very first mount on a page pays for Fluent's style injection and JIT warm-up
    // whatever the transcript length; it is reported on its own.
    const cold = await measure(messages);
    const long: number[] = [];
    const short: number[] = [];
    for (let i = 0; i < runs; i++) {
      short.push(await measure(10));
      long.push(await measure(messages));
    }
    const domRows = await page.evaluate(() => document.querySelectorAll('[role="listitem"]').length);
    // The same cold first mount on a fresh page with 10 messages: what the first mount
    // costs whatever the transcript length.
    const fresh = await openControl(browser, 'CommunicationPane', { width: 900, height: 900 });
    const coldShort = await fresh.evaluate(
      (o) => (window as unknown as { SwitchboardHarness: { measure(o: unknown): Promise<number> } }).SwitchboardHarness.measure(o),
      { control: 'CommunicationPane', resx, messages: 10, width: 560 },
    );
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const fmt = (xs: number[]) => xs.map((t) => t.toFixed(1)).join(', ');
    console.log(`mount → newest message painted (includes reading every row from the in-memory Web API)`);
    console.log(`cold first mount, ${messages} messages: ${cold.toFixed(1)} ms (fresh page, 10 messages: ${coldShort.toFixed(1)} ms)`);
    console.log(`warm, ${messages} messages: median ${median(long).toFixed(1)} ms, best ${Math.min(...long).toFixed(1)} ms  [${fmt(long)}]`);
    console.log(`warm, 10 messages (baseline): median ${median(short).toFixed(1)} ms  [${fmt(short)}]`);
    console.log(`rows in the DOM after render: ${domRows} of ${messages}`);
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
