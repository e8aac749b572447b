import type { BrowserContext, Page } from 'playwright-core';
import { buildWidget } from '../scripts/build';
import { launchChromium } from '../test-support/chromium';
import { startFakeChatServer, type FakeChatServer } from '../test-support/fake-chat-server';

// The built dist/widget.js in real headless Chromium, against the fake chat
// server: what a customer does on a shop that pastes the script tag.
jest.setTimeout(40000);

let server: FakeChatServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  const script = await buildWidget();
  server = await startFakeChatServer({ widgetScript: script });
  browser = await launchChromium();
  context = browser.context;
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const customerBodies = () =>
  server.backend.only().messages.filter((m) => m.authorKind === 'customer').map((m) => m.body);

async function until(check: () => boolean, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('the widget is keyboard operable: Tab reaches the launcher, Enter opens with focus inside, Escape closes back to it', async () => {
  await page.goto(`${server.shopOrigin}/index.html`);
  const launcher = page.getByRole('button', { name: 'Chat with us' });
  await launcher.waitFor();
  const focusedName = () =>
    page.evaluate(() => {
      const host = document.activeElement;
      const inner = host?.shadowRoot?.activeElement ?? host;
      return inner?.getAttribute('aria-label') ?? inner?.getAttribute('name') ?? inner?.textContent ?? '';
    });
  for (let i = 0; i < 5 && (await focusedName()) !== 'Chat with us'; i++) await page.keyboard.press('Tab');
  expect(await focusedName()).toBe('Chat with us');
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: 'Chat with us' }).waitFor();
  await page.getByRole('dialog').getByLabel('Your name').waitFor();
  expect(await focusedName()).toBe('name');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog').isHidden()).resolves.toBe(true);
  expect(await focusedName()).toBe('Chat with us');
});

it('a customer starts a chat with pre-chat answers, gets the agent reply, and keeps the conversation across pages and sites', async () => {
  await page.goto(`${server.shopOrigin}/index.html`);
  const launcher = page.getByRole('button', { name: 'Chat with us' });
  await launcher.click();
  const dialog = page.getByRole('dialog', { name: 'Chat with us' });
  await dialog.waitFor();

  // Required fields are enforced before anything reaches the server.
  await dialog.getByRole('button', { name: 'Start chat' }).click();
  await dialog.getByText('Some answers need your attention.').waitFor();
  expect(server.backend.conversations.size).toBe(0);

  await dialog.getByLabel('Your name').fill('Ada Lovelace');
  await dialog.getByLabel('Email').fill('ada@example.com');
  await dialog.getByLabel('Topic').selectOption('order');
  await dialog.getByRole('button', { name: 'Start chat' }).click();
  await until(() => server.backend.conversations.size === 1, 'the conversation to start');
  const conversation = server.backend.only();
  expect(conversation.request.answers).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com', topic: 'order' });
  expect(conversation.request.context).toEqual({ orderId: '42', page: 'tents' });

  const compose = dialog.getByLabel('Your message');
  await compose.fill('Where is my order?');
  await compose.press('Enter');
  await until(() => customerBodies().length === 1, 'the customer message');
  expect(customerBodies()).toEqual(['Where is my order?']);

  server.backend.push(conversation.id, 'agent', 'Hi Ada, it ships today.', 'Sam');
  await dialog.locator('.msg.agent .text', { hasText: 'Hi Ada, it ships today.' }).waitFor();
  await expect(dialog.locator('.msg.agent .who').first().textContent()).resolves.toContain('Sam');

  // Page 2 of the same shop: same conversation, transcript restored, panel still open.
  await page.click('#to-checkout');
  await page.waitForURL('**/checkout.html');
  const dialog2 = page.getByRole('dialog', { name: 'Chat with us' });
  await dialog2.locator('.msg.agent .text', { hasText: 'Hi Ada, it ships today.' }).waitFor();
  await expect(dialog2.locator('.msg.customer .text').allTextContents()).resolves.toEqual(['Where is my order?']);
  server.backend.push(conversation.id, 'agent', 'Anything else?', 'Sam');
  await dialog2.locator('.msg.agent .text', { hasText: 'Anything else?' }).waitFor();

  // Markup in a message stays text in a real browser: nothing is parsed, nothing runs.
  const hostile = '<img src=x onerror="window.__swbXss=1"><script>window.__swbXss=2</script><b>bold?</b>';
  server.backend.push(conversation.id, 'agent', hostile, 'Sam');
  await dialog2.locator('.msg.agent .text', { hasText: hostile }).waitFor();
  const injected = await page.evaluate(() => {
    const root = document.querySelector('switchboard-chat')?.shadowRoot;
    if (!root) return { elements: -1, ran: null };
    return {
      elements: root.querySelectorAll('.msg img, .msg script, .msg b').length,
      ran: (window as unknown as { __swbXss?: number }).__swbXss ?? null,
    };
  });
  expect(injected).toEqual({ elements: 0, ran: null });
  await dialog2.getByLabel('Your message').fill('No, thanks!');
  await dialog2.getByLabel('Your message').press('Enter');
  await until(() => customerBodies().length === 2, 'the message from page 2');
  expect(server.backend.conversations.size).toBe(1);

  // Network loss: the message waits, the banner says so, and after reconnecting it arrives once.
  await context.setOffline(true);
  await dialog2.getByRole('status').filter({ hasText: 'You are offline' }).waitFor();
  await dialog2.getByLabel('Your message').fill('Sent while offline');
  await dialog2.getByLabel('Your message').press('Enter');
  await dialog2.locator('.msg.customer.pending .text', { hasText: 'Sent while offline' }).waitFor();
  server.backend.push(conversation.id, 'agent', 'Still there?', 'Sam');
  await new Promise((r) => setTimeout(r, 300));
  expect(customerBodies()).toHaveLength(2);
  await context.setOffline(false);
  await dialog2.locator('.msg.agent .text', { hasText: 'Still there?' }).waitFor();
  await until(() => customerBodies().length === 3, 'the queued message');
  await dialog2.locator('.msg.customer:not(.pending) .text', { hasText: 'Sent while offline' }).waitFor();
  expect(customerBodies()).toEqual(['Where is my order?', 'No, thanks!', 'Sent while offline']);

  // Another origin: its storage is empty, the link carries the conversation in the fragment.
  await page.click('#to-partner');
  await page.waitForURL(`${server.partnerOrigin}/**`);
  const dialog3 = page.getByRole('dialog', { name: 'Chat with us' });
  await dialog3.locator('.msg.customer .text', { hasText: 'No, thanks!' }).waitFor();
  expect(new URL(page.url()).hash).toBe('');
  expect(server.backend.conversations.size).toBe(1);

  // Host CSS does not leak in: the page's hotpink buttons stay outside.
  const background = await dialog3.getByRole('button', { name: 'Send' }).evaluate((b) => getComputedStyle(b).backgroundColor);
  expect(background).not.toBe('rgb(255, 105, 180)');
  expect(pageErrors).toEqual([]);
});
