import path from 'node:path';
import { runCli } from '../directline/testing/run-cli';

jest.setTimeout(60_000);

it('the CLI serves the stand-in on the port asked (0 = any), prints the endpoint and key, and stops cleanly on SIGTERM', async () => {
  const cli = runCli(path.join(__dirname, 'cli.ts'), ['--port', '0', '--key', 'cli-test-key']);
  try {
    const [, url] = await cli.waitFor(/Azure AI Language stand-in: (http:\/\/127\.0\.0\.1:\d+)\n/);
    expect(cli.output()).toMatch(/key cli-test-key/);
    const res = await fetch(`${url}/language/:analyze-text?api-version=2023-04-01`, {
      method: 'POST',
      headers: { 'Ocp-Apim-Subscription-Key': 'cli-test-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'SentimentAnalysis', analysisInput: { documents: [{ id: '1', text: 'Je suis très déçu.', language: 'fr' }] } }),
    });
    expect(await res.json()).toMatchObject({ kind: 'SentimentAnalysisResults', results: { documents: [{ id: '1', sentiment: 'negative' }], errors: [] } });
  } finally {
    expect(await cli.stop()).toBe(0);
  }
});
