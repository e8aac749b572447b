// What the browser tests' people do the same way in every file: a customer opening the demo
// shop's chat and writing or texting from the phone simulator, an agent opening their workspace
// or picking a presence.
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { BasePresence } from '@switchboard/solution';
import { AGENTS } from '../seed/demo-data';
import { TestWebApi } from './dataverse-client';

export interface PreChat {
  firstname: string;
  email: string;
  /** the label of the survey's topic choice ("Billing", "An order") */
  topic?: string;
}

/** A customer opens the shop page (`/shop` or `/shop/cart`), answers the pre-chat survey, starts the chat and sends a first message. */
export async function startShopChat(context: BrowserContext, web: string, answers: PreChat, message: string, pagePath = '/shop'): Promise<{ shop: Page; dialog: Locator }> {
  const shop = await context.newPage();
  await shop.goto(`${web}${pagePath}`);
  await shop.getByRole('button', { name: 'Chat with us' }).click();
  const dialog = shop.getByRole('dialog', { name: 'Chat with us' });
  await dialog.getByLabel('First name').fill(answers.firstname);
  await dialog.getByLabel('Email').fill(answers.email);
  if (answers.topic) await dialog.getByLabel('What is it about?').selectOption({ label: answers.topic });
  await dialog.getByRole('button', { name: 'Start chat' }).click();
  await dialog.getByLabel('Your message').fill(message);
  await dialog.getByLabel('Your message').press('Enter');
  return { shop, dialog };
}

/** A customer opens the help centre (`/help`, whose pre-chat asks only a first name), starts the chat and sends a first message. */
export async function startHelpChat(context: BrowserContext, web: string, firstname: string, message: string): Promise<{ help: Page; dialog: Locator }> {
  const help = await context.newPage();
  await help.goto(`${web}/help`);
  await help.getByRole('button', { name: 'Chat with us' }).click();
  const dialog = help.getByRole('dialog', { name: 'Chat with us' });
  await dialog.getByLabel('First name').fill(firstname);
  await dialog.getByRole('button', { name: 'Start chat' }).click();
  await dialog.getByLabel('Your message').fill(message);
  await dialog.getByLabel('Your message').press('Enter');
  return { help, dialog };
}

/** What the phone simulator answers: `status` is the functions app's HTTP status for the provider's webhook. */
export interface PhoneSent {
  status: number;
  customer: string;
  detail?: string;
}

/** A customer texts a support number from the phone simulator (as its page does), through `provider`'s stand-in. */
export async function textFromPhone(web: string, from: string, body: string, provider: 'twilio' | 'telesign' | 'acs' = 'telesign'): Promise<PhoneSent> {
  const res = await fetch(`${web}/phone/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider, from, body }) });
  return (await res.json()) as PhoneSent;
}

/** An agent opens their one-agent workspace (optionally on a conversation) and waits for their inbox. */
export async function openAgentWorkspace(context: BrowserContext, web: string, key: string, conversationId?: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${web}/workspace/agent?agent=${key}${conversationId ? `&conversation=${conversationId}` : ''}`);
  await page.getByTestId('agent-inbox').waitFor({ timeout: 30_000 });
  return page;
}

/** The agent's own choice of presence, written as that agent (what the inbox's presence menu writes). */
export async function setPresenceAs(dataverseApi: string, key: string, presence: BasePresence): Promise<void> {
  const agent = AGENTS.find((a) => a.key === key);
  if (!agent) throw new Error(`no demo agent ${key}`);
  await new TestWebApi(dataverseApi, agent.token).patch(`swb_agentstatuses(${agent.statusId})`, { swb_basepresence: presence, swb_manualoverride: true });
}
