// Prints push latency through the Web PubSub stand-in with the real SDKs on both ends.
// Never fails on slow hardware.
//   npm run bench:webpubsub -w dev [-- --count 1000]
import { formatSummary, probeClientToClient, probeServerToClient, summarize } from './latency-probe';
import { createWebPubSubStandIn } from './stand-in';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--count');
  const count = i > 0 ? Number(process.argv[i + 1]) : 1000;
  if (!Number.isInteger(count) || count < 1) throw new Error('--count takes a positive integer');
  const standIn = createWebPubSubStandIn();
  const { connectionString } = await standIn.listen(0);
  const target = { connectionString, hub: 'bench', allowInsecureConnection: true };
  try {
    // Warm-up: JIT, sockets, first token.
    await probeServerToClient(target, 50);
    console.log(formatSummary(summarize('REST sendToUser → client (reliable JSON)', await probeServerToClient(target, count))));
    console.log(formatSummary(summarize('client sendToGroup → other member', await probeClientToClient(target, count))));
  } finally {
    await standIn.close();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
