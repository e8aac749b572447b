// The functions app's Azure AI Language adapter against the stand-in: the real SDK over HTTP.
import { type SentimentInput, type SentimentScore } from '@switchboard/core';
import { AzureLanguageSentimentAdapter } from '@switchboard/functions/insights/azure-language.adapter';
import { LexiconSentimentAdapter } from '@switchboard/functions/insights/lexicon-sentiment.adapter';
import { createAiLanguageStandIn, type AiLanguageStandIn } from './stand-in';

const KEY = 'adapter-test-key';
let standIn: AiLanguageStandIn;
let adapter: AzureLanguageSentimentAdapter;

beforeEach(async () => {
  standIn = createAiLanguageStandIn({ key: KEY });
  await standIn.listen();
  adapter = new AzureLanguageSentimentAdapter({ endpoint: standIn.url, key: KEY });
});
afterEach(() => standIn.close());

const level = (s: SentimentScore | undefined) => (s && 'level' in s ? s.level : s);

test('English and French messages get the level the offline provider gives them (the stand-in scores with its lexicon)', async () => {
  const messages: SentimentInput[] = [
    { id: 'm1', language: 'en-US', text: 'This is the worst customer service I have ever had. Absolutely terrible.' },
    { id: 'm2', language: 'en', text: 'Great, it works now. Thanks a lot!' },
    { id: 'm3', language: 'fr-CA', text: 'Le produit est arrivé cassé et personne ne m’a répondu. Je suis furieux.' },
    { id: 'm4', language: 'fr', text: "J'adore votre application, elle est géniale !" },
    { id: 'm5', language: 'fr', text: "Quels sont vos horaires d'ouverture le samedi ?" },
  ];
  const azure = await adapter.score(messages);
  const offline = await new LexiconSentimentAdapter().score(messages);
  expect(azure.map(level)).toEqual(['veryNegative', 'veryPositive', 'negative', 'veryPositive', 'neutral']);
  expect(azure.map(level)).toEqual(offline.map(level));
  expect(azure.map((s) => s.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  // positive − negative, to the service's two decimals
  for (const [i, s] of azure.entries()) expect((s as { score: number }).score).toBeCloseTo((offline[i] as { score: number }).score, 1);
});

test('eleven messages are sent as two requests (ten, then one) and answered in order', async () => {
  const messages = Array.from({ length: 11 }, (_, i) => ({ id: `msg-${i}`, language: 'en', text: i % 2 ? 'Thanks, great help!' : 'This is terrible.' }));
  const scores = await adapter.score(messages);
  expect(standIn.stats()).toMatchObject({ requests: 2, analyzed: 2, documents: 11, badRequests: 0 });
  expect(scores.map((s) => s.id)).toEqual(messages.map((m) => m.id));
  expect(scores.map((s) => Math.sign((s as { score: number }).score))).toEqual(messages.map((_, i) => (i % 2 ? 1 : -1)));
});

test('a message the service refuses is an error of its own; the others keep their scores', async () => {
  const scores = await adapter.score([
    { id: 'empty', language: 'en', text: '   ' },
    { id: 'ok', language: 'en', text: 'Lovely, thanks!' },
    { id: 'german', language: 'de', text: 'Danke schön' },
  ]);
  expect(scores).toEqual([
    { id: 'empty', error: 'InvalidDocument: Document text is empty.' },
    { id: 'ok', score: expect.any(Number), level: expect.stringMatching(/ositive/) },
    { id: 'german', error: expect.stringMatching(/^UnsupportedLanguageCode: /) },
  ]);
});

test('a wrong key rejects the whole call with a message that says why', async () => {
  const wrong = new AzureLanguageSentimentAdapter({ endpoint: standIn.url, key: 'not-the-key' });
  await expect(wrong.score([{ id: 'm1', language: 'en', text: 'Hello' }])).rejects.toThrow(
    /^Azure AI Language \(127\.0\.0\.1:\d+\) sentiment analysis failed: 401: Access denied due to invalid subscription key/,
  );
  expect(standIn.stats()).toMatchObject({ unauthorized: 1, analyzed: 0 });
});

test('no messages, no call to the service', async () => {
  expect(await adapter.score([])).toEqual([]);
  expect(standIn.stats().requests).toBe(0);
});
