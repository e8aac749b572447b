import path from 'node:path';
import { runCli } from './testing/run-cli';

jest.setTimeout(60_000);

it('the CLI serves Direct Line on the port asked (0 = any), prints the domain and both secrets, and stops cleanly on SIGTERM', async () => {
  const cli = runCli(path.join(__dirname, 'cli.ts'), ['--port', '0', '--secret', 'cli-test-secret', '--mode', 'silent']);
  try {
    const [, url] = await cli.waitFor(/Direct Line stand-in: (http:\/\/127\.0\.0\.1:\d+\/v3\/directline)\n/);
    expect(cli.output()).toMatch(/faq-bot .*secret cli-test-secret/);
    expect(cli.output()).toMatch(/faq-bot-omnichannel .*secret faq-bot-omnichannel-dev-secret/);
    const started = await fetch(`${url}/conversations`, { method: 'POST', headers: { Authorization: 'Bearer cli-test-secret' } });
    expect(started.status).toBe(201);
    const mode = await fetch(`${new URL(url!).origin}/_directline/bots/faq-bot/mode`, { headers: { Authorization: 'Bearer cli-test-secret' } });
    expect(await mode.json()).toEqual({ mode: 'silent' });
  } finally {
    expect(await cli.stop()).toBe(0);
  }
});
