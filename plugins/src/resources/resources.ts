// Messages people read (a refused transfer shows in the agent's form), English and French.
// Looked up by the user's LCID; any other language falls back to the configured default.
import en from './plugins.en.json';
import fr from './plugins.fr.json';

export type MessageKey = keyof typeof en;

const BUNDLES: Readonly<Record<number, Readonly<Record<MessageKey, string>>>> = { 1033: en, 1036: fr };

export const SUPPORTED_LANGUAGES: readonly number[] = [1033, 1036];

export function localize(key: MessageKey, lcid: number | undefined, fallbackLcid: number, args: Record<string, string> = {}): string {
  const bundle = (lcid !== undefined ? BUNDLES[lcid] : undefined) ?? BUNDLES[fallbackLcid] ?? en;
  return bundle[key].replace(/\{(\w+)\}/g, (whole, name: string) => args[name] ?? whole);
}
