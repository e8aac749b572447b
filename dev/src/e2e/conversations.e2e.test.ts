// Whole conversations through the local stack as people use it: `npm start`'s entry point
// on free ports, the real widget in chromium on the demo shop, the real PCF bundles in the
// agent workspace, SMS through the phone simulator. Then Ctrl-C, and nothing may be left.
import type { Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { until } from './dataverse-client';
import { groupAlive, isRunning, startStackProcess, type StackProcess } from './stack-process';

jest.setTimeout(120_000);

let stack: StackProcess;
let browser: LaunchedBrowser;

beforeAll(async () => {
  stack = await startStackProcess({ readyTimeoutMs: 150_000 });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

async function openWorkspace(key: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${stack.web}/workspace/agent?agent=${key}`);
  await page.getByTestId('agent-inbox').waitFor({ timeout: 30_000 });
  return page;
}

describe('the local stack', () => {
  it('the workspace hosts the built PCF controls as the chosen agent, reading the emulator with that agent\'s token', async () => {
    const page = await openWorkspace('alice');
    await page.getByRole('combobox', { name: 'My presence' }).waitFor();
    await expect(page.getByRole('combobox', { name: 'My presence' }).textContent()).resolves.toContain('Available');
    const chloe = await openWorkspace('chloe');
    await expect(chloe.getByRole('combobox', { name: 'My presence' }).textContent()).resolves.toContain('Away');
    await page.close();
    await chloe.close();
  });

  it.each(['twilio', 'telesign', 'acs'] as const)('an SMS from the simulator through %s is accepted by the functions app (signed as the provider signs) and the automatic reply comes back through the provider stand-in', async (provider) => {
    const from = provider === 'twilio' ? '(317) 555-0147' : provider === 'telesign' ? '06 98 76 54 32' : '07400 123456';
    const res = await fetch(`${stack.web}/phone/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider, from, body: `Hello via ${provider}` }) });
    const sent = (await res.json()) as { status: number; customer: string; detail?: string };
    expect({ status: sent.status, detail: sent.detail }).toEqual({ status: 200, detail: undefined });
    const thread = await until(`the automatic reply on ${provider}`, async () => {
      const t = (await (await fetch(`${stack.web}/phone/api/thread?provider=${provider}&from=${encodeURIComponent(from)}`)).json()) as { entries: { direction: string; body: string }[] };
      return t.entries.some((e) => e.direction === 'out') ? t.entries : undefined;
    });
    expect(thread.find((e) => e.direction === 'out')?.body).toBe('Thanks for your message, an agent will reply soon.');
  });

  it('Ctrl-C stops every process the stack started and frees its ports', async () => {
    const pids = stack.pids;
    expect(pids.length).toBeGreaterThanOrEqual(4);
    const code = await stack.stop();
    expect(code).toBe(0);
    // Each service ran in its own process group (tsx runs scripts in a child node): none may be left.
    await until('every stack process and its children to exit', () => pids.every((p) => !isRunning(p) && !groupAlive(p)), 10_000);
    await expect(fetch(`${stack.web}/health`)).rejects.toThrow();
    await expect(fetch(`${stack.functions}/api/health`)).rejects.toThrow();
  });
});
