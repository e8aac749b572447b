// The supervisor desk on a big floor, end to end: the real SupervisorDesk bundle in headless
// Chromium (the workspace host's supervisor page, as Sam with his Dataverse token) against the
// Dataverse emulator holding 1,000 agents over 10 queues, 10,000 ongoing conversations and a day
// of closed ones. Measures what the desk costs Dataverse and how late it is:
//
// - the first load over HTTP (navigation → queues and first rows painted), its requests;
// - the requests and time of each steady refresh (the slow poll, 15 s), counted by the
//   emulator for Sam's caller;
// - how long a chat that arrives takes to show on the desk with the slow poll, and with a
//   refresh right after it (what a push "something changed" event will do).
//
//   npm run bench:supervisor -w bench [-- --agents 1000 --conversations 10000 --arrivals 4 --poll 15]
//
// (The render alone, with the rows in memory: npx tsx controls/SupervisorDesk/scripts/measure-render.ts.)
// Prints numbers (SWB_BENCH_JSON=<file> also writes them); never fails on a slow machine.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConversationState, ChannelType, metadata } from '@switchboard/solution';
import { createEmulator, diffStats, type EmulatorStats } from '@switchboard/dev/dataverse';
import { launchBrowser } from '@switchboard/dev/e2e/browser';
import { AGENTS } from '@switchboard/dev/seed/demo-data';
import { startWebServer } from '@switchboard/dev/web/server';
import { floorFixture } from '@switchboard/control-supervisor-desk/scripts/floor-fixture';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : dflt);
const AGENT_COUNT = arg('agents', 1000);
const CONVERSATIONS = arg('conversations', 10_000);
const ARRIVALS = arg('arrivals', 4);
const POLL = arg('poll', 15);
const SAM = AGENTS.find((a) => a.key === 'sam')!;
const CALLER = SAM.domainname;
const role = (name: string) => metadata.roles.find((r) => r.name === name)!.id;
const profile = (name: string) => metadata.fieldSecurityProfiles.find((p) => p.name === name)!.id;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const SETS: Record<string, string> = { queue: 'queues', systemuser: 'systemusers', swb_conversation: 'swb_conversations', swb_capacityprofile: 'swb_capacityprofiles' };

/** A fixture row (lookups as `_x_value`) as a Web API create body (lookups bound), platform times left to Dataverse. */
function body(row: Record<string, unknown>, lookups: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'createdon' || k === 'modifiedon') continue;
    const m = /^_(.+)_value$/.exec(k);
    if (m) {
      if (v) out[`${m[1]}@odata.bind`] = `/${SETS[lookups[m[1]!]!]}(${String(v)})`;
    } else out[k] = v;
  }
  return out;
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'swb-desk-bench-'));
  const emu = createEmulator({ metadata, db: path.join(dir, 'desk.db') });
  const { url: api } = await emu.listen(0);
  const app = async (method: string, p: string, data?: unknown) => {
    const res = await fetch(api + p, { method, headers: { authorization: `Bearer ${emu.appToken}`, 'content-type': 'application/json', accept: 'application/json' }, ...(data === undefined ? {} : { body: JSON.stringify(data) }) });
    if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  let web: Awaited<ReturnType<typeof startWebServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  const figures: Record<string, number> = {};
  try {
    // ---- the floor
    let t = performance.now();
    const now = Date.now();
    const f = floorFixture(now, { agents: AGENT_COUNT, conversations: CONVERSATIONS, closedToday: 3000 });
    emu.seedUser({ id: SAM.id, fullname: SAM.fullname, domainname: SAM.domainname, roles: [role('Switchboard Supervisor')], fieldSecurityProfiles: [profile('Switchboard Supervisor')] });
    f.agents.forEach((a, i) => emu.seedUser({ id: a.id, fullname: a.name, domainname: `agent${i + 1}@bench.test`, roles: [role('Switchboard Agent')], fieldSecurityProfiles: [profile('Switchboard Agent')] }));
    for (const q of f.queues) await app('POST', 'queues', { queueid: q.id, name: q.name });
    const memberships = [...f.queues.map((q) => [q.id, SAM.id] as const), ...f.agents.flatMap((a) => a.queues.map((q) => [q, a.id] as const))];
    await pool(memberships, 16, ([q, u]) => app('POST', `queues(${q})/queuemembership_association/$ref`, { '@odata.id': `${api}systemusers(${u})` }));
    for (const p of f.profiles) await app('POST', 'swb_capacityprofiles', p);
    await pool(f.statuses, 16, (s) => app('POST', 'swb_agentstatuses', { ...body(s, { swb_agentid: 'systemuser' }), swb_name: 'Agent status', 'ownerid@odata.bind': `/systemusers(${String(s['_swb_agentid_value'])})` }));
    await pool(f.conversations, 16, (c) => app('POST', 'swb_conversations', body(c, { swb_queueid: 'queue', swb_primaryagentid: 'systemuser' })));
    await pool(f.sessions, 16, (s) => app('POST', 'swb_sessions', { ...body(s, { swb_conversationid: 'swb_conversation', swb_agentid: 'systemuser' }), subject: 'Consult' }));
    await pool(f.offers, 16, (o) => app('POST', 'swb_offers', { ...body(o, { swb_conversationid: 'swb_conversation', swb_agentid: 'systemuser' }), swb_name: 'Offer' }));
    const ongoing = f.conversations.filter((c) => c['swb_state'] !== ConversationState.Closed).length;
    console.log(`supervisor desk benchmark — node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
    console.log(`floor: ${f.agents.length} agents over ${f.queues.length} queues, ${ongoing} ongoing conversations, ${f.conversations.length - ongoing} closed today, ${f.sessions.length} consults, ${f.offers.length} live offers (seeded in ${((performance.now() - t) / 1000).toFixed(1)} s)`);

    // ---- the real page, as Sam
    web = await startWebServer({ port: 0, functionsUrl: 'http://127.0.0.1:9', publicBaseUrl: 'http://127.0.0.1:9', dataverseApi: api, secrets: {}, acsAccessKey: Buffer.from('unused-unused-unused-unused-0000').toString('base64'), cacheDir: dir, acsPort: 0 });
    browser = await launchBrowser({ viewport: { width: 1500, height: 950 } });
    const page = await browser.context.newPage();
    const before = emu.stats();
    t = performance.now();
    await page.goto(`${web.url}/workspace/supervisor?poll=${POLL}`);
    await page.locator('[data-conversation]').first().waitFor({ timeout: 120_000 });
    await page.getByTestId('queues-table').waitFor();
    const firstLoad = performance.now() - t;
    const afterFirst = emu.stats();
    const firstRequests = diffStats(before, afterFirst).callers[CALLER]?.requests ?? 0;
    console.log(`first load over HTTP (navigation → queues and first rows painted): ${firstLoad.toFixed(0)} ms, ${firstRequests} Dataverse requests (roster, full sets, aggregates; ${Math.ceil(ongoing / 5000)} page(s) of conversations)`);
    figures['firstLoadMs'] = firstLoad;
    figures['firstLoadRequests'] = firstRequests;

    // ---- steady refreshes: count what each one costs
    const updated = async () => Number(await page.getByTestId('supervisor-desk').getAttribute('data-updated'));
    const lastRequests = async () => Number(await page.getByTestId('supervisor-desk').getAttribute('data-requests'));
    const refreshes: { requests: number; ms: number }[] = [];
    let stamp = await updated();
    let stats: EmulatorStats = emu.stats();
    for (let i = 0; i < 3; i++) {
      await page.waitForFunction((s) => Number(document.querySelector('[data-testid="supervisor-desk"]')?.getAttribute('data-updated')) > s, stamp, { timeout: (POLL + 30) * 1000 });
      stamp = await updated();
      const now2 = emu.stats();
      const diff = diffStats(stats, now2).callers[CALLER];
      stats = now2;
      refreshes.push({ requests: diff?.requests ?? 0, ms: 0 });
      console.log(`steady refresh ${i + 1}: ${diff?.requests ?? 0} requests (the desk counted ${await lastRequests()}), by entity set ${JSON.stringify(diff?.byEntitySet ?? {})}`);
    }
    figures['steadyRefreshRequests'] = refreshes[refreshes.length - 1]!.requests;

    // ---- a chat arrives: how long until it is on the desk
    const search = page.getByRole('searchbox', { name: 'Search' });
    const arrival = async (viaRefresh: boolean): Promise<number> => {
      const name = `Arrival ${randomUUID().slice(0, 8)}`;
      await search.fill(name);
      if (!viaRefresh) await sleep(Math.random() * POLL * 1000);
      const started = performance.now();
      await app('POST', 'swb_conversations', {
        subject: 'Chat', swb_state: ConversationState.Waiting, swb_channeltype: ChannelType.LiveChat, swb_customername: name,
        'swb_queueid@odata.bind': `/queues(${f.queues[0]!.id})`, swb_queuedon: new Date().toISOString(),
      });
      if (viaRefresh) await page.getByRole('button', { name: 'Refresh' }).click();
      await page.locator('[data-conversation]', { hasText: name }).waitFor({ timeout: (POLL + 60) * 1000 });
      return performance.now() - started;
    };
    const polled: number[] = [];
    for (let i = 0; i < ARRIVALS; i++) polled.push(await arrival(false));
    const pushed: number[] = [];
    for (let i = 0; i < ARRIVALS; i++) pushed.push(await arrival(true));
    const fmt = (xs: number[]) => `mean ${(xs.reduce((a, b) => a + b, 0) / xs.length / 1000).toFixed(2)} s, max ${(Math.max(...xs) / 1000).toFixed(2)} s [${xs.map((x) => (x / 1000).toFixed(2)).join(', ')}]`;
    console.log(`arriving chat → on the desk, slow poll every ${POLL} s (arrivals at random moments): ${fmt(polled)}`);
    console.log(`arriving chat → on the desk, refresh at once (what a push event will trigger): ${fmt(pushed)}`);
    figures['arrivalPolledMeanMs'] = polled.reduce((a, b) => a + b, 0) / polled.length;
    figures['arrivalPolledMaxMs'] = Math.max(...polled);
    figures['arrivalRefreshMeanMs'] = pushed.reduce((a, b) => a + b, 0) / pushed.length;
    const perDay = (requests: number) => Math.round((8 * 3600 / POLL) * requests);
    console.log(`an 8-hour shift at one refresh every ${POLL} s: ≈ ${perDay(figures['steadyRefreshRequests']).toLocaleString('en')} requests (Dataverse allows an Enterprise user 40,000 a day)`);
    if (process.env['SWB_BENCH_JSON']) writeFileSync(process.env['SWB_BENCH_JSON'], JSON.stringify(figures, null, 2));
  } finally {
    await browser?.close();
    await web?.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
