// What people read about a bot's part in a conversation (the agent's hand-off note, the
// customer's inactivity notice), in the conversation's language: English and French.
import en from './resources/bots.en.json';
import fr from './resources/bots.fr.json';

export type BotStringKey = keyof typeof en;
const bundles: Readonly<Record<string, Readonly<Record<BotStringKey, string>>>> = { en, fr };

export function botString(key: BotStringKey, locale: string | null | undefined): string {
  const tag = (locale ?? 'en').toLowerCase().split(/[-_]/)[0] ?? 'en';
  return (bundles[tag] ?? en)[key];
}
