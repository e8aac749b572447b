// The organisation's sentiment switch, from app settings (each workstream has its own switch on
// its row, swb_sentimentenabled):
// - SWITCHBOARD_SENTIMENT = off | offline (default) | azure;
// - azure: SWITCHBOARD_AI_LANGUAGE_ENDPOINT (the Language resource) and
//   SWITCHBOARD_AI_LANGUAGE_KEY_SETTING, the *name* of the app setting holding its key. The name
//   must start with SWB_, like channel secrets: the same rule keeps every secret the app hands
//   to another service among the settings an administrator meant for that.
// A wrong value stops the app at start (ConfigError) rather than silently scoring nothing.
import type { SentimentProvider } from '@switchboard/core';
import { appSettingsSecretResolver } from '../channels/secrets';
import type { Env } from '../config';
import { ConfigError } from '../hosting/errors';
import { AzureLanguageSentimentAdapter } from './azure-language.adapter';
import { LexiconSentimentAdapter } from './lexicon-sentiment.adapter';

export type SentimentSettings =
  | { mode: 'off' }
  | { mode: 'offline' }
  | { mode: 'azure'; endpoint: string; keySetting: string; key: string };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function sentimentSettings(env: Env): SentimentSettings {
  const raw = env['SWITCHBOARD_SENTIMENT']?.trim().toLowerCase() || 'offline';
  if (raw === 'off' || raw === 'offline') return { mode: raw };
  if (raw !== 'azure') throw new ConfigError([`SWITCHBOARD_SENTIMENT must be off, offline or azure, not "${env['SWITCHBOARD_SENTIMENT']}"`]);
  const problems: string[] = [];
  const endpoint = env['SWITCHBOARD_AI_LANGUAGE_ENDPOINT']?.trim().replace(/\/+$/, '') ?? '';
  if (!endpoint) problems.push('SWITCHBOARD_AI_LANGUAGE_ENDPOINT is required with SWITCHBOARD_SENTIMENT=azure');
  else {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      problems.push(`SWITCHBOARD_AI_LANGUAGE_ENDPOINT is not a URL: "${endpoint}"`);
    }
    // The key travels in a header: https, or plain http to this machine only (the dev stand-in).
    if (url && url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
      problems.push('SWITCHBOARD_AI_LANGUAGE_ENDPOINT must be https (plain http only to a loopback address)');
    }
  }
  const keySetting = env['SWITCHBOARD_AI_LANGUAGE_KEY_SETTING']?.trim() ?? '';
  let key: string | undefined;
  if (!keySetting) problems.push('SWITCHBOARD_AI_LANGUAGE_KEY_SETTING (the name of the app setting holding the key) is required with SWITCHBOARD_SENTIMENT=azure');
  else if (!keySetting.startsWith('SWB_')) problems.push(`SWITCHBOARD_AI_LANGUAGE_KEY_SETTING must name an app setting starting with SWB_, not "${keySetting}"`);
  else {
    key = appSettingsSecretResolver(env).resolve(keySetting);
    // The name only, never the value: this message is logged.
    if (!key) problems.push(`the app setting ${keySetting} (SWITCHBOARD_AI_LANGUAGE_KEY_SETTING) is not set`);
  }
  if (problems.length > 0 || !key) throw new ConfigError(problems);
  return { mode: 'azure', endpoint, keySetting, key };
}

/** The provider the settings choose; null when sentiment is off for the organisation. */
export function sentimentProviderOf(settings: SentimentSettings): SentimentProvider | null {
  switch (settings.mode) {
    case 'off':
      return null;
    case 'offline': {
      // The word lists are built on the first message scored, not at every instance's start.
      let lexicon: LexiconSentimentAdapter | undefined;
      return { name: 'offline-lexicon', score: (texts) => (lexicon ??= new LexiconSentimentAdapter()).score(texts) };
    }
    case 'azure':
      return new AzureLanguageSentimentAdapter({ endpoint: settings.endpoint, key: settings.key });
  }
}
