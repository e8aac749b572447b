// Push latency through the stand-in with the real SDKs on both ends. The test holds what must
// hold anywhere — every one of 1,000 sends reaches the client — and prints the latency for the
// product's budget (p50 ≤ 150 ms end to end); timing is the benchmark's business
// (`npm run bench:webpubsub -w dev`), never a test's: a busy CI machine once took over 5 s for
// the thousand.
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

test('1,000 server sends each reach the client, once, and the latency is printed', async () => {
  const samples = await probeServerToClient({ connectionString: h.listening.connectionString, hub: 'chat', allowInsecureConnection: true }, 1000);
  const summary = summarize('REST sendToUser → WebPubSubClient server-message', samples);
  log(formatSummary(summary));
  expect(samples).toHaveLength(1000);
  expect(samples.every((ms) => Number.isFinite(ms) && ms >= 0)).toBe(true);
  expect(h.standIn.stats().messages).toMatchObject({ toUser: 1000, delivered: 1000 });
}, 120_000);
