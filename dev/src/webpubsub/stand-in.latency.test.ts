// Push latency through the stand-in with the real SDKs on both ends, printed for the product's
// budget (p50 ≤ 150 ms end to end). Loopback on a shared 2-core machine: the assertion is the
// budget, the printed figures are the local floor.
import { formatSummary, probeServerToClient, summarize } from './latency-probe';
import { Harness } from './stand-in.testing';

const log = (line: string) => process.stdout.write(`[webpubsub latency] ${line}\n`);

let h: Harness;
beforeAll(async () => {
  h = await new Harness().start();
});
afterAll(async () => {
  await h.stop();
});

test('1,000 server sends each reach the client, with p50 within the 150 ms push budget', async () => {
  const samples = await probeServerToClient({ connectionString: h.listening.connectionString, hub: 'chat', allowInsecureConnection: true }, 1000);
  const summary = summarize('REST sendToUser → WebPubSubClient server-message', samples);
  log(formatSummary(summary));
  expect(samples).toHaveLength(1000);
  expect(summary.p50).toBeLessThanOrEqual(150);
  expect(h.standIn.stats().messages).toMatchObject({ toUser: 1000, delivered: 1000 });
});
