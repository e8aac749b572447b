// Server send → client receive latency through the stand-in with the real SDKs on both ends, so
// the product can set its end-to-end push budget (p50 ≤ 150 ms) against a local floor.
// Messages go one at a time: each is timed from just before the server SDK's send to the
// client's `server-message` (or `group-message`) event, without queueing behind the previous one.
import { performance } from 'node:perf_hooks';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { WebPubSubClient } from '@azure/web-pubsub-client';

export interface LatencySummary {
  label: string;
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(label: string, samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { label, count: samples.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}

export function formatSummary(s: LatencySummary): string {
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  return `${s.label}: n=${s.count} p50 ${ms(s.p50)} p90 ${ms(s.p90)} p99 ${ms(s.p99)} max ${ms(s.max)}`;
}

export interface ProbeTarget {
  /** The stand-in's (or a real service's) connection string. */
  connectionString: string;
  hub: string;
  /** Needed for a local http:// endpoint. */
  allowInsecureConnection?: boolean;
}

/** A connected reliable client that hands each received message to `onMessage`. */
async function connectClient(service: WebPubSubServiceClient, userId: string, roles: string[], onMessage: (data: unknown) => void): Promise<WebPubSubClient> {
  const client = new WebPubSubClient(
    { getClientAccessUrl: async () => (await service.getClientAccessToken({ userId, roles })).url },
    { keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0 },
  );
  client.on('server-message', (e) => onMessage(e.message.data));
  client.on('group-message', (e) => onMessage(e.message.data));
  const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  await client.start();
  await connected;
  return client;
}

function receiver(): { onMessage: (data: unknown) => void; next: (i: number) => Promise<void> } {
  let waiting: { i: number; resolve: () => void } | undefined;
  return {
    onMessage: (data) => {
      if (waiting && (data as { i?: number }).i === waiting.i) {
        const w = waiting;
        waiting = undefined;
        w.resolve();
      }
    },
    next: (i) => new Promise<void>((resolve) => (waiting = { i, resolve })),
  };
}

/** REST sendToUser → the user's client. Returns one sample per message, in milliseconds. */
export async function probeServerToClient(target: ProbeTarget, count: number): Promise<number[]> {
  const service = new WebPubSubServiceClient(target.connectionString, target.hub, { allowInsecureConnection: target.allowInsecureConnection });
  const r = receiver();
  const client = await connectClient(service, 'latency-probe', [], r.onMessage);
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const arrived = r.next(i);
      const t0 = performance.now();
      await service.sendToUser('latency-probe', { i });
      await arrived;
      samples.push(performance.now() - t0);
    }
  } finally {
    client.stop();
  }
  return samples;
}

/** A client publishing to a group (sendToGroup with ack) → another member. */
export async function probeClientToClient(target: ProbeTarget, count: number): Promise<number[]> {
  const service = new WebPubSubServiceClient(target.connectionString, target.hub, { allowInsecureConnection: target.allowInsecureConnection });
  const r = receiver();
  const group = 'latency-probe';
  const roles = [`webpubsub.joinLeaveGroup.${group}`, `webpubsub.sendToGroup.${group}`];
  const listener = await connectClient(service, 'latency-listener', roles, r.onMessage);
  const publisher = await connectClient(service, 'latency-publisher', roles, () => {});
  const samples: number[] = [];
  try {
    await listener.joinGroup(group);
    for (let i = 0; i < count; i++) {
      const arrived = r.next(i);
      const t0 = performance.now();
      await publisher.sendToGroup(group, { i }, 'json', { fireAndForget: true });
      await arrived;
      samples.push(performance.now() - t0);
    }
  } finally {
    listener.stop();
    publisher.stop();
  }
  return samples;
}
