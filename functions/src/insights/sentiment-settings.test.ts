import { ConfigError } from '../hosting/errors';
import { AzureLanguageSentimentAdapter } from './azure-language.adapter';
import { LexiconSentimentAdapter } from './lexicon-sentiment.adapter';
import { sentimentProviderOf, sentimentSettings } from './sentiment-settings';

const AZURE = { SWITCHBOARD_SENTIMENT: 'azure', SWITCHBOARD_AI_LANGUAGE_ENDPOINT: 'https://contoso-language.cognitiveservices.azure.com/', SWITCHBOARD_AI_LANGUAGE_KEY_SETTING: 'SWB_AI_LANGUAGE_KEY', SWB_AI_LANGUAGE_KEY: 'k3y' };

function problems(env: Record<string, string>): string[] {
  try {
    sentimentSettings(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

it('without a setting, sentiment is scored offline by the packaged lexicon', () => {
  expect(sentimentSettings({})).toEqual({ mode: 'offline' });
});

it('the offline provider scores with the packaged lexicon', async () => {
  const provider = sentimentProviderOf(sentimentSettings({ SWITCHBOARD_SENTIMENT: ' Offline ' }))!;
  expect(provider.name).toBe(new LexiconSentimentAdapter().name);
  const [angry] = await provider.score([{ id: 'm1', text: 'This is unacceptable, I am furious, your service is terrible!', language: 'en' }]);
  expect(angry).toMatchObject({ id: 'm1', level: 'veryNegative' });
});

it('off gives no provider at all', () => {
  expect(sentimentProviderOf(sentimentSettings({ SWITCHBOARD_SENTIMENT: 'off' }))).toBeNull();
});

it('azure takes the endpoint and the key from the SWB_ app setting the key setting names', () => {
  const settings = sentimentSettings(AZURE);
  expect(settings).toEqual({ mode: 'azure', endpoint: 'https://contoso-language.cognitiveservices.azure.com', keySetting: 'SWB_AI_LANGUAGE_KEY', key: 'k3y' });
  expect(sentimentProviderOf(settings)).toBeInstanceOf(AzureLanguageSentimentAdapter);
  // the dev stand-in on this machine
  expect(sentimentSettings({ ...AZURE, SWITCHBOARD_AI_LANGUAGE_ENDPOINT: 'http://127.0.0.1:7075' })).toMatchObject({ endpoint: 'http://127.0.0.1:7075' });
});

it('a wrong sentiment configuration stops the app with every problem named, and never the key', () => {
  expect(problems({ SWITCHBOARD_SENTIMENT: 'on' })).toEqual(['SWITCHBOARD_SENTIMENT must be off, offline or azure, not "on"']);
  expect(problems({ SWITCHBOARD_SENTIMENT: 'azure' })).toHaveLength(2);
  expect(problems({ ...AZURE, SWITCHBOARD_AI_LANGUAGE_ENDPOINT: 'http://language.example.com' })).toEqual(['SWITCHBOARD_AI_LANGUAGE_ENDPOINT must be https (plain http only to a loopback address)']);
  expect(problems({ ...AZURE, SWITCHBOARD_AI_LANGUAGE_KEY_SETTING: 'AZURE_CLIENT_SECRET', AZURE_CLIENT_SECRET: 'app-secret' })).toEqual([
    'SWITCHBOARD_AI_LANGUAGE_KEY_SETTING must name an app setting starting with SWB_, not "AZURE_CLIENT_SECRET"',
  ]);
  const missing = problems({ ...AZURE, SWB_AI_LANGUAGE_KEY: ' ' });
  expect(missing).toEqual(['the app setting SWB_AI_LANGUAGE_KEY (SWITCHBOARD_AI_LANGUAGE_KEY_SETTING) is not set']);
  expect(problems({ ...AZURE, SWITCHBOARD_AI_LANGUAGE_ENDPOINT: 'not a url' })).toEqual(['SWITCHBOARD_AI_LANGUAGE_ENDPOINT is not a URL: "not a url"']);
});
