import path from 'node:path';
import { runCli } from '../directline/testing/run-cli';
import { signWebhook } from './webhook-signature';

jest.setTimeout(60_000);

it('the CLI serves the webhook bot, prints its URL, id and secret, verifies signatures, and stops cleanly on SIGTERM', async () => {
  const cli = runCli(path.join(__dirname, 'cli.ts'), ['--port', '0', '--bot-id', 'cli-bot', '--switchboard-url', 'http://127.0.0.1:9'], { SWITCHBOARD_WEBHOOK_BOT_SECRET: 'cli-secret' });
  try {
    const [, url] = await cli.waitFor(/Webhook bot: (http:\/\/127\.0\.0\.1:\d+\/events)\n/);
    expect(cli.output()).toContain('bot id cli-bot, secret cli-secret');
    expect(cli.output()).toContain('calls back http://127.0.0.1:9/api/bots/cli-bot/conversations/{id}/{messages|handoff|end}');
    const body = JSON.stringify({ type: 'conversation.opened', conversationId: 'c' });
    expect((await fetch(url!, { method: 'POST', body })).status).toBe(401);
    expect((await fetch(url!, { method: 'POST', body, headers: signWebhook('cli-secret', body, Date.now() / 1000) })).status).toBe(202);
  } finally {
    expect(await cli.stop()).toBe(0);
  }
});
