import { buildWidget } from '../scripts/build';
import { startFakeChatServer } from './fake-chat-server';

// `npm run demo -w widget`: the fake shop with the built widget, and a prompt
// to answer as the "agent" (type a line, it is posted to the newest chat).
async function main(): Promise<void> {
  const server = await startFakeChatServer({ widgetScript: await buildWidget() });
  console.log(`shop page 1   ${server.shopOrigin}/index.html`);
  console.log(`shop page 2   ${server.shopOrigin}/checkout.html`);
  console.log(`partner site  ${server.partnerOrigin}/index.html`);
  console.log(`chat API      ${server.apiBase}  (script: ${server.apiBase}/widget.js)`);
  console.log('Type a line and press Enter to answer as agent "Sam"; Ctrl-C stops.');
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    const latest = [...server.backend.conversations.values()].pop();
    if (!latest) return console.log('(no chat yet)');
    for (const line of chunk.split('\n').filter((l) => l.trim())) server.backend.push(latest.id, 'agent', line.trim(), 'Sam');
  });
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
