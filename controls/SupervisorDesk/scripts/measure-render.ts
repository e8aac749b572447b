// First render of the supervisor desk with a big floor in headless Chromium: the production
// bundle.js mounted through the harness (init → updateView → ReactDOM.render) over an in-memory
// Web API holding N agents and M ongoing conversations, timed until the queue table and the
// first conversation rows are painted (reading every row and computing every figure included).
// Prints numbers; it never fails on a slow machine.
//   npx tsx controls/SupervisorDesk/scripts/measure-render.ts [agents=1000] [conversations=10000] [runs=7]
import { openDesk } from './desk-browser';

interface Measured { ms: number; domRows: number; requests: number }

async function main(): Promise<void> {
  const agents = Number(process.argv[2] ?? 1000);
  const conversations = Number(process.argv[3] ?? 10000);
  const runs = Number(process.argv[4] ?? 7);
  const viewport = { width: 1500, height: 950 };
  const measure = async (page: Awaited<ReturnType<typeof openDesk>>['page'], resx: string, n: number, a: number) =>
    page.evaluate((o) => (window as unknown as { DeskHarness: { measure(o: unknown): Promise<Measured> } }).DeskHarness.measure(o), { resx, agents: a, conversations: n, closedToday: 2000, width: 1440, height: 880 });
  const cold = await openDesk(viewport);
  try {
    const resx = cold.resx(1033);
    const first = await measure(cold.page, resx, conversations, agents);
    const big: Measured[] = [];
    const small: Measured[] = [];
    for (let i = 0; i < runs; i++) {
      small.push(await measure(cold.page, resx, 10, 10));
      big.push(await measure(cold.page, resx, conversations, agents));
    }
    const median = (xs: Measured[]) => [...xs].sort((a, b) => a.ms - b.ms)[Math.floor(xs.length / 2)]!.ms;
    const fresh = await openDesk(viewport);
    const coldSmall = await measure(fresh.page, resx, 10, 10);
    await fresh.browser.close();
    console.log(`mount → queues and first rows painted (reading every row from the in-memory Web API and computing every figure included)`);
    console.log(`cold first mount, ${agents} agents / ${conversations} conversations: ${first.ms.toFixed(1)} ms (fresh page, 10 / 10: ${coldSmall.ms.toFixed(1)} ms)`);
    console.log(`warm, ${agents} / ${conversations}: median ${median(big).toFixed(1)} ms, best ${Math.min(...big.map((m) => m.ms)).toFixed(1)} ms  [${big.map((m) => m.ms.toFixed(0)).join(', ')}]`);
    console.log(`warm, 10 / 10 (baseline): median ${median(small).toFixed(1)} ms`);
    console.log(`conversation rows in the DOM: ${first.domRows} of ${conversations}; Web API calls of the first refresh: ${first.requests}`);
  } finally {
    await cold.browser.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
