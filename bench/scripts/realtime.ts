// Live updates, measured as people feel them: `npm start`'s stack run twice in one go — with
// Web PubSub (push) and without it (SWITCHBOARD_PUSH=off: what every client did before, polling)
// — the real widget and agent controls in headless Chromium, the same steps on both:
//
// - an agent's idle desk (single-agent workspace, inbox open) and an idle chat widget, side by
//   side for --idle seconds: Dataverse requests per agent per hour (the emulator counts them per
//   caller), HTTP requests per widget per minute (Chromium counts them);
// - a new SMS → its offer visible in the inbox, --offers times (each accepted);
// - a customer's chat message → visible in the agent's pane, the agent's reply → visible in
//   the widget, and an SMS in an accepted conversation → visible in the pane, --messages each.
//
//   npm run bench:realtime -w bench [-- --idle 60 --offers 5 --messages 20 --modes push,poll]
//
// Prints numbers (SWB_BENCH_JSON=<file> also writes them); never fails on a slow machine.
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { BasePresence } from '@switchboard/solution';
import { launchBrowser, type LaunchedBrowser } from '@switchboard/dev/e2e/browser';
import { openAgentWorkspace, setPresenceAs, startShopChat, textFromPhone } from '@switchboard/dev/e2e/people';
import { startStackProcess, type StackProcess } from '@switchboard/dev/e2e/stack-process';
import { TestWebApi, requestsBy } from '@switchboard/dev/e2e/dataverse-client';
import { AGENTS } from '@switchboard/dev/seed/demo-data';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : dflt);
const IDLE_SECONDS = Number(arg('idle', '60'));
const OFFERS = Number(arg('offers', '5'));
const MESSAGES = Number(arg('messages', '20'));
const MODES = arg('modes', 'poll,push').split(',') as ('push' | 'poll')[];
const APP_TOKEN = 'switchboard-dev-app-token';
const ALICE = AGENTS.find((a) => a.key === 'alice')!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Latency {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

function latency(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: s[s.length - 1] ?? NaN };
}

const show = (l: Latency) => `p50 ${l.p50.toFixed(0)} ms, p95 ${l.p95.toFixed(0)} ms, max ${l.max.toFixed(0)} ms (n=${l.n})`;

/** How long until `text` shows in an element matching `selector`, from `since` (survives a navigation). */
async function visibleAfter(page: Page, selector: string, text: string, since: number, timeoutMs = 60_000): Promise<number> {
  await page.locator(selector, { hasText: text }).first().waitFor({ timeout: timeoutMs });
  return Date.now() - since;
}

async function sms(stack: StackProcess, from: string, body: string): Promise<void> {
  const answer = await textFromPhone(stack.web, from, body);
  if (answer.status !== 200) throw new Error(`the phone simulator's text was answered ${answer.status}`);
}

interface ModeResult {
  mode: 'push' | 'poll';
  idle: { seconds: number; agentRequests: number; agentRequestsPerHour: number; widgetRequests: number; widgetRequestsPerMinute: number };
  smsToOffer: Latency;
  widgetToPane: Latency;
  paneToWidget: Latency;
  smsToPane: Latency;
}

async function runMode(mode: 'push' | 'poll'): Promise<ModeResult> {
  console.log(`\n== ${mode === 'push' ? 'with Web PubSub (push)' : 'without Web PubSub (SWITCHBOARD_PUSH=off: polling, as before)'} ==`);
  const stack = await startStackProcess({ readyTimeoutMs: 150_000, env: mode === 'poll' ? { SWITCHBOARD_PUSH: 'off' } : {} });
  const browsers: LaunchedBrowser[] = [];
  try {
    // Alice alone on web and SMS: Bruno (web) is away; Chloé (SMS) is away by the seed.
    await setPresenceAs(stack.dataverseApi, 'bruno', BasePresence.Away);
    // Room for every conversation of the run: each offer is accepted (a decline would put it
    // back in line ahead of the next text, offered to her again).
    const app = new TestWebApi(stack.dataverseApi, APP_TOKEN);
    await app.patch(`swb_agentstatuses(${ALICE.statusId})`, { swb_capacitymax: 50 });
    for (const p of await app.list<{ swb_capacityprofileid: string }>('swb_capacityprofiles?$select=swb_capacityprofileid')) {
      await app.patch(`swb_capacityprofiles(${p.swb_capacityprofileid})`, { swb_maxunits: 50 });
    }
    const agentBrowser = await launchBrowser();
    const customerBrowser = await launchBrowser();
    browsers.push(agentBrowser, customerBrowser);
    const alice = await openAgentWorkspace(agentBrowser.context, stack.web, 'alice');
    if (mode === 'push') await alice.waitForFunction(() => document.querySelector('[data-testid="agent-inbox"]')?.getAttribute('data-push') === 'connected', undefined, { timeout: 30_000 });

    // The customer starts a chat (it waits: Alice declines it below, so it stays in the queue untouched).
    const { shop, dialog } = await startShopChat(customerBrowser.context, stack.web, { firstname: 'Bench', email: 'bench@example.org' }, 'Hello, a question');
    const chatOffer = alice.getByRole('group', { name: 'Bench' });
    await chatOffer.waitFor({ timeout: 60_000 });

    // Idle: the desk with one offer pending, the widget waiting for an agent; nothing happens.
    let widgetRequests = 0;
    const functionsOrigin = new URL(stack.functions).origin;
    shop.on('request', (r) => {
      if (r.url().startsWith(functionsOrigin)) widgetRequests++;
    });
    await sleep(3_000);
    widgetRequests = 0;
    const before = await requestsBy(stack.dataverseApi, APP_TOKEN, ALICE.domainname);
    await sleep(IDLE_SECONDS * 1000);
    const agentRequests = (await requestsBy(stack.dataverseApi, APP_TOKEN, ALICE.domainname)) - before;
    const idle = {
      seconds: IDLE_SECONDS,
      agentRequests,
      agentRequestsPerHour: Math.round((agentRequests * 3600) / IDLE_SECONDS),
      widgetRequests,
      widgetRequestsPerMinute: Math.round((widgetRequests * 60) / IDLE_SECONDS),
    };
    console.log(`idle ${IDLE_SECONDS} s: agent desk ${agentRequests} Dataverse requests → ${idle.agentRequestsPerHour} per hour; widget ${widgetRequests} HTTP requests → ${idle.widgetRequestsPerMinute} per minute`);

    // Chat: Alice accepts; messages both ways.
    await chatOffer.getByRole('button', { name: 'Accept the conversation with Bench' }).click();
    const paneSelector = '[data-testid="communication-pane"] p';
    await visibleAfter(alice, paneSelector, 'Hello, a question', Date.now());
    const widgetToPane: number[] = [];
    const paneToWidget: number[] = [];
    const box = dialog.getByLabel('Your message');
    const composer = alice.getByTestId('communication-pane').getByRole('textbox').first();
    for (let i = 1; i <= MESSAGES; i++) {
      const fromCustomer = `customer line ${i} ${mode}`;
      await box.fill(fromCustomer);
      const sent = Date.now();
      await box.press('Enter');
      widgetToPane.push(await visibleAfter(alice, paneSelector, fromCustomer, sent));
      const fromAgent = `agent line ${i} ${mode}`;
      await composer.fill(fromAgent);
      const replied = Date.now();
      await composer.press('Enter');
      paneToWidget.push(await visibleAfter(shop, '.msg', fromAgent, replied));
    }
    console.log(`widget → pane ${show(latency(widgetToPane))}`);
    console.log(`pane → widget ${show(latency(paneToWidget))}`);

    // SMS: new texts → offers, each accepted.
    const smsToOffer: number[] = [];
    for (let i = 0; i < OFFERS; i++) {
      const from = `+3361100${String(1000 + i)}`;
      const at = Date.now();
      await sms(stack, from, `new text ${i}`);
      const card = alice.getByRole('group', { name: from });
      await card.waitFor({ timeout: 60_000 });
      smsToOffer.push(Date.now() - at);
      await card.getByRole('button', { name: `Accept the conversation with ${from}` }).click();
      await card.waitFor({ state: 'detached', timeout: 60_000 });
      // Accepting opens the conversation (the workspace page reloads): the next text comes to a desk at rest.
      await visibleAfter(alice, paneSelector, `new text ${i}`, Date.now());
      if (mode === 'push') await alice.waitForFunction(() => document.querySelector('[data-testid="agent-inbox"]')?.getAttribute('data-push') === 'connected', undefined, { timeout: 30_000 });
      await sleep(1_000);
    }
    console.log(`new SMS → offer visible ${show(latency(smsToOffer))}`);

    // SMS in a conversation Alice holds → her pane.
    const number = '+33611999888';
    await sms(stack, number, 'first text');
    const card = alice.getByRole('group', { name: number });
    await card.waitFor({ timeout: 60_000 });
    await card.getByRole('button', { name: `Accept the conversation with ${number}` }).click();
    await visibleAfter(alice, paneSelector, 'first text', Date.now());
    const smsToPane: number[] = [];
    for (let i = 1; i <= MESSAGES; i++) {
      const body = `sms line ${i} ${mode}`;
      const at = Date.now();
      await sms(stack, number, body);
      smsToPane.push(await visibleAfter(alice, paneSelector, body, at));
    }
    console.log(`SMS → pane ${show(latency(smsToPane))}`);
    return { mode, idle, smsToOffer: latency(smsToOffer), widgetToPane: latency(widgetToPane), paneToWidget: latency(paneToWidget), smsToPane: latency(smsToPane) };
  } finally {
    for (const b of browsers) await b.close();
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const results: ModeResult[] = [];
  for (const mode of MODES) results.push(await runMode(mode));
  console.log('\n| measure | ' + results.map((r) => (r.mode === 'push' ? 'push (Web PubSub)' : 'poll (before)')).join(' | ') + ' |');
  console.log('|---|' + results.map(() => '---:').join('|') + '|');
  const row = (label: string, f: (r: ModeResult) => string) => console.log(`| ${label} | ${results.map(f).join(' | ')} |`);
  row('widget → pane p50 / p95', (r) => `${r.widgetToPane.p50.toFixed(0)} / ${r.widgetToPane.p95.toFixed(0)} ms`);
  row('pane → widget p50 / p95', (r) => `${r.paneToWidget.p50.toFixed(0)} / ${r.paneToWidget.p95.toFixed(0)} ms`);
  row('SMS → pane p50 / p95', (r) => `${r.smsToPane.p50.toFixed(0)} / ${r.smsToPane.p95.toFixed(0)} ms`);
  row('new SMS → offer visible p50 / max', (r) => `${r.smsToOffer.p50.toFixed(0)} / ${r.smsToOffer.max.toFixed(0)} ms`);
  row('idle agent desk, Dataverse requests per hour', (r) => String(r.idle.agentRequestsPerHour));
  row('idle widget, requests per minute', (r) => String(r.idle.widgetRequestsPerMinute));
  const file = process.env['SWB_BENCH_JSON'];
  if (file) writeFileSync(file, JSON.stringify({ measuredAt: new Date().toISOString(), idleSeconds: IDLE_SECONDS, results }, null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
