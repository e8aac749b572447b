import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildWidget } from './build';
import { launchChromium } from '../test-support/chromium';
import { startFakeChatServer } from '../test-support/fake-chat-server';

// Screenshots of the open widget on the fake shop, for the README and docs.
const outDir = path.resolve(__dirname, '..', '..', 'docs', 'widget');

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const server = await startFakeChatServer({ widgetScript: await buildWidget() });
  const saved: string[] = [];
  try {
    for (const locale of ['en-US', 'fr-FR']) {
      const browser = await launchChromium({ locale });
      try {
        const page = browser.context.pages()[0] ?? (await browser.context.newPage());
        const fr = locale.startsWith('fr');
        await page.goto(`${server.shopOrigin}/index.html`);
        await page.locator('switchboard-chat .launcher').click();
        const dialog = page.getByRole('dialog');
        await dialog.locator('form.pre').waitFor();
        await dialog.locator('form.pre button[type=submit]').click();
        await dialog.locator('.summary:not(:empty)').waitFor();
        await page.screenshot({ path: path.join(outDir, `prechat-${fr ? 'fr' : 'en'}.png`) });
        saved.push(`prechat-${fr ? 'fr' : 'en'}.png`);
        if (fr) continue;

        await dialog.locator('input[name=name]').fill('Ada Lovelace');
        await dialog.locator('input[name=email]').fill('ada@example.com');
        await dialog.locator('select[name=topic]').selectOption('order');
        await dialog.locator('form.pre button[type=submit]').click();
        await dialog.locator('textarea').waitFor();
        await dialog.locator('textarea').fill('Hello! Where is my order 42?');
        await dialog.locator('textarea').press('Enter');
        const id = [...server.backend.conversations.keys()].pop()!;
        server.backend.push(id, 'agent', 'Hi Ada, I am Sam. Your tent ships today — tracking number follows by email.', 'Sam');
        server.backend.push(id, 'agent', '<img src=x onerror=alert(1)> is shown as text, never as markup.', 'Sam');
        await dialog.locator('.msg.agent .text', { hasText: 'onerror' }).waitFor();
        await dialog.locator('textarea').fill('Great, thanks!\nHave a nice day.');
        await page.screenshot({ path: path.join(outDir, 'chat-en.png') });
        saved.push('chat-en.png');

        await page.keyboard.press('Escape');
        server.backend.push(id, 'agent', 'Your tracking number is 1Z999.', 'Sam');
        await page.locator('switchboard-chat .badge:not([hidden])').waitFor();
        await page.screenshot({ path: path.join(outDir, 'unread-en.png'), clip: { x: 900, y: 560, width: 200, height: 200 } });
        saved.push('unread-en.png');
      } finally {
        await browser.close();
      }
    }

    // Narrow phone screen: the panel takes the width.
    const phone = await launchChromium({ viewport: { width: 390, height: 740 } });
    try {
      const page = phone.context.pages()[0] ?? (await phone.context.newPage());
      await page.goto(`${server.shopOrigin}/checkout.html`);
      await page.locator('switchboard-chat .launcher').click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('input[name=name]').fill('Ada Lovelace');
      await dialog.locator('input[name=email]').fill('ada@example.com');
      await dialog.locator('select[name=topic]').selectOption('returns');
      await dialog.locator('form.pre button[type=submit]').click();
      await dialog.locator('textarea').waitFor();
      await dialog.locator('.msg.system').waitFor();
      await page.screenshot({ path: path.join(outDir, 'waiting-phone-en.png') });
      saved.push('waiting-phone-en.png');
    } finally {
      await phone.close();
    }

    // The post-chat survey, once the agent has ended the chat: English and French.
    const open = server.backend.configs['demo-shop'];
    server.backend.configs['demo-shop'] = { ...open, survey: {} };
    for (const locale of ['en-US', 'fr-FR']) {
      const fr = locale.startsWith('fr');
      const browser = await launchChromium({ locale });
      try {
        const page = browser.context.pages()[0] ?? (await browser.context.newPage());
        await page.goto(`${server.shopOrigin}/index.html`);
        await page.locator('switchboard-chat .launcher').click();
        const dialog = page.getByRole('dialog');
        await dialog.locator('input[name=name]').fill(fr ? 'Émile Roux' : 'Ada Lovelace');
        await dialog.locator('input[name=email]').fill(fr ? 'emile@example.com' : 'ada@example.com');
        await dialog.locator('select[name=topic]').selectOption('order');
        await dialog.locator('form.pre button[type=submit]').click();
        await dialog.locator('textarea').fill(fr ? 'Ma commande 42 est-elle partie ?' : 'Has my order 42 shipped?');
        await dialog.locator('textarea').press('Enter');
        const id = [...server.backend.conversations.keys()].pop()!;
        server.backend.push(id, 'agent', fr ? 'Oui, elle part aujourd’hui. Bonne journée !' : 'Yes, it ships today. Have a nice day!', 'Sam');
        server.backend.endByAgent(id);
        await dialog.locator('form.rate').waitFor();
        await dialog.locator('form.rate input[value="4"]').check();
        await dialog.locator('form.rate textarea').fill(fr ? 'Rapide et aimable.' : 'Quick and kind.');
        await page.screenshot({ path: path.join(outDir, `survey-${fr ? 'fr' : 'en'}.png`) });
        saved.push(`survey-${fr ? 'fr' : 'en'}.png`);
      } finally {
        await browser.close();
      }
    }
    server.backend.configs['demo-shop'] = open;

    // Outside operating hours.
    const config = server.backend.configs['demo-shop'];
    server.backend.configs['demo-shop'] = {
      ...config,
      hours: { open: false, nextOpenOn: '2026-11-25T08:00:00Z' },
    };
    const closed = await launchChromium();
    try {
      const page = closed.context.pages()[0] ?? (await closed.context.newPage());
      await page.goto(`${server.shopOrigin}/index.html`);
      await page.locator('switchboard-chat .launcher').click();
      await page.getByRole('dialog').locator('.closed').waitFor();
      await page.screenshot({ path: path.join(outDir, 'closed-en.png') });
      saved.push('closed-en.png');
    } finally {
      await closed.close();
    }
  } finally {
    await server.close();
  }
  for (const file of saved) console.log(path.join(outDir, file));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
