// The adapter against the Azure AI Language stand-in (real SDK, real HTTP) is tested in
// dev/src/ai-language/; here, what needs no service.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AzureLanguageSentimentAdapter, azureLanguageCode } from './azure-language.adapter';

test('BCP 47 tags become the language codes the service knows', () => {
  expect(['fr-CA', 'en-US', 'FR', 'de_DE', '', 'zh-TW', 'zh-Hant-HK', 'zh-CN', 'pt-BR', 'pt'].map(azureLanguageCode)).toEqual([
    'fr', 'en', 'fr', 'de', 'en', 'zh-hant', 'zh-hant', 'zh-hans', 'pt-BR', 'pt-PT',
  ]);
});

test('no messages, no request', async () => {
  const adapter = new AzureLanguageSentimentAdapter({ endpoint: 'http://127.0.0.1:9', key: 'k' });
  expect(await adapter.score([])).toEqual([]);
});

test('a service that does not answer is given up after the timeout, with a clear message', async () => {
  const sockets = new Set<import('node:net').Socket>();
  const silent = http.createServer(() => undefined);
  silent.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  try {
    const adapter = new AzureLanguageSentimentAdapter({ endpoint, key: 'k', timeoutMs: 300 });
    const started = Date.now();
    await expect(adapter.score([{ id: 'm1', text: 'Hello', language: 'en' }])).rejects.toThrow(/did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});
