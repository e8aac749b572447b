// Service protection limits and request statistics, over HTTP.
// https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
import { DynamicsWebApi } from 'dynamics-web-api';
import { type Emulator, STATS_PATH, createEmulator } from './emulator';
import type { FetchLike } from './plugin-dispatcher';
import { diffStats, type EmulatorStats } from './request-stats';
import { AGENT_ROLE, fixtureMetadata } from './testing/fixture-metadata';
import { registerWebhookStep } from './testing/register-step';

const started: Emulator[] = [];
afterAll(async () => {
  for (const e of started) await e.close();
});

async function start(options: Partial<Parameters<typeof createEmulator>[0]> = {}): Promise<{ emu: Emulator; client: (token: string) => DynamicsWebApi }> {
  const emu = createEmulator({ metadata: fixtureMetadata, db: ':memory:', ...options });
  started.push(emu);
  const { port } = await emu.listen(0);
  const client = (token: string) =>
    new DynamicsWebApi({ serverUrl: `http://127.0.0.1:${port}`, dataApi: { version: '9.2' }, onTokenRefresh: async () => token, propagateErrors: true });
  return { emu, client };
}

const get = (emu: Emulator, path: string, token: string) => fetch(`${emu.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });

describe('service protection', () => {
  it('a user past the request budget of the window gets 429 with Retry-After and Dataverse\'s error, other users do not', async () => {
    let clock = Date.parse('2026-03-04T13:00:00Z');
    const { emu } = await start({ budget: 'requests:3,window:60', now: () => clock });
    emu.seedUser({ fullname: 'Busy Agent', domainname: 'busy@switchboard.dev', roles: [AGENT_ROLE] });
    emu.seedUser({ fullname: 'Calm Agent', domainname: 'calm@switchboard.dev', roles: [AGENT_ROLE] });
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const ok = await get(emu, 'WhoAmI', 'dev:busy@switchboard.dev');
      expect(ok.status).toBe(200);
      remaining.push(ok.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests'));
      clock += 10_000;
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await get(emu, 'WhoAmI', 'dev:busy@switchboard.dev');
    expect(refused.status).toBe(429);
    // the first of the three leaves the 60 s window 30 s from now
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await refused.json()).toEqual({ error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 3 over time window of 60 seconds.' } });
    expect((await get(emu, 'WhoAmI', 'dev:calm@switchboard.dev')).status).toBe(200);
    clock += 30_000;
    expect((await get(emu, 'WhoAmI', 'dev:busy@switchboard.dev')).status).toBe(200);
  });

  it('a $batch counts once against the budget, as it does on Dataverse', async () => {
    const { emu, client } = await start({ budget: { requests: 2, windowSeconds: 300 } });
    const api = client(emu.appToken);
    api.startBatch();
    for (let i = 0; i < 5; i++) api.create({ collection: 'contacts', data: { firstname: `batched ${i}` } });
    expect(await api.executeBatch()).toHaveLength(5);
    expect(await api.count({ collection: 'contacts' })).toBe(5);
    const err = await api.count({ collection: 'contacts' }).catch((e: { status: number; code: string }) => e);
    expect([(err as { status: number }).status, (err as { code: string }).code]).toEqual([429, '0x80072322']);
  });

  it('more requests in flight than the concurrency limit are refused at once with 0x80072326', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const slowHook: FetchLike = async () => {
      await held;
      return { status: 200, text: async () => '' };
    };
    const { emu, client } = await start({ budget: 'requests:100,window:300,concurrent:1', fetch: slowHook });
    const app = client(emu.appToken);
    await registerWebhookStep(app, { name: 'slow validation', url: 'http://127.0.0.1:9/slow', message: 'Create', table: 'contact', stage: 20, mode: 'sync' });
    emu.seedUser({ fullname: 'Other Agent', domainname: 'other@switchboard.dev', roles: [AGENT_ROLE] });
    const first = app.create({ collection: 'contacts', data: { firstname: 'slow' } });
    await new Promise((r) => setTimeout(r, 50));
    const second = await get(emu, 'WhoAmI', emu.appToken);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(await second.json()).toEqual({ error: { code: '0x80072326', message: 'Number of concurrent requests exceeded the limit of 1.' } });
    expect((await get(emu, 'WhoAmI', 'dev:other@switchboard.dev')).status).toBe(200);
    release();
    expect(await first).toMatch(/^[0-9a-f-]{36}$/);
    expect((await get(emu, 'WhoAmI', emu.appToken)).status).toBe(200);
  });

  it('is off unless a budget is configured', async () => {
    const { emu } = await start();
    for (let i = 0; i < 20; i++) expect((await get(emu, 'WhoAmI', emu.appToken)).status).toBe(200);
    expect((await get(emu, 'WhoAmI', emu.appToken)).headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')).toBeNull();
  });
});

describe('request statistics', () => {
  it('count requests and operations by caller, method, entity set and status, webhook calls by step, and diff between snapshots', async () => {
    const hook: FetchLike = async () => ({ status: 200, text: async () => '' });
    const { emu, client } = await start({ fetch: hook, asyncRetry: { baseDelayMs: 10 } });
    const app = client(emu.appToken);
    await registerWebhookStep(app, { name: 'count messages', url: 'http://127.0.0.1:9/hook', message: 'Create', table: 'swb_message', stage: 40, mode: 'sync' });
    const agent = emu.seedUser({ fullname: 'Counted Agent', domainname: 'counted@switchboard.dev', roles: [AGENT_ROLE] });
    const before: EmulatorStats = emu.stats();

    // one unit of work: the agent opens a conversation with its first message (deep insert), reads it, and the app batches two reads
    const as = client('dev:counted@switchboard.dev');
    const conv: string = await as.create({ collection: 'swb_conversations', data: { subject: 'counted', swb_conversation_messages: [{ swb_body: 'hi' }] } });
    await as.retrieve({ collection: 'swb_conversations', key: conv, select: ['subject'] });
    await as.retrieve({ collection: 'swb_channels', key: '00000000-0000-0000-0000-000000000001' }).catch(() => undefined);
    app.startBatch();
    app.retrieveMultiple({ collection: 'contacts', top: 1 });
    app.callFunction({ name: 'WhoAmI' });
    await app.executeBatch();
    expect((await fetch(`${emu.url}WhoAmI`)).status).toBe(401);

    const unit = diffStats(before, emu.stats());
    expect(unit.totals).toEqual({ requests: 5, operations: 5, throttled: 0, webhookDeliveries: 1, webhookFailures: 0 });
    expect(unit.callers['counted@switchboard.dev']).toEqual({
      userId: agent, kind: 'user', requests: 3, operations: 3, throttled: 0,
      byMethod: { POST: 1, GET: 2 }, byEntitySet: { swb_conversations: 2, swb_channels: 1 }, byStatus: { '204': 1, '200': 1, '404': 1 },
    });
    expect(unit.callers['switchboard-app@switchboard.dev']).toMatchObject({
      kind: 'app', requests: 1, operations: 2, byMethod: { GET: 2 }, byEntitySet: { contacts: 1, WhoAmI: 1 },
    });
    expect(unit.callers['(anonymous)']).toMatchObject({ kind: 'anonymous', requests: 1, operations: 0, byStatus: {} });
    expect(unit.webhooks).toEqual({ 'count messages': { deliveries: 1, failures: 0, sync: 1, async: 0, byMessage: { Create: 1 } } });
  });

  it('are served as JSON on a dev-only route outside /api/data, for the application token only, and can be reset', async () => {
    const { emu } = await start();
    await get(emu, 'WhoAmI', emu.appToken);
    const route = new URL(STATS_PATH, emu.url).href;
    expect((await fetch(route)).status).toBe(401);
    expect((await fetch(route, { headers: { Authorization: 'Bearer dev:switchboard-app@switchboard.dev' } })).status).toBe(401);
    const res = await fetch(route, { headers: { Authorization: `Bearer ${emu.appToken}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as EmulatorStats;
    expect(body.totals.requests).toBe(1);
    expect(body.callers['switchboard-app@switchboard.dev'].byEntitySet).toEqual({ WhoAmI: 1 });
    expect((await fetch(`${route}/reset`, { method: 'POST', headers: { Authorization: `Bearer ${emu.appToken}` } })).status).toBe(204);
    expect(emu.stats().totals).toEqual({ requests: 0, operations: 0, throttled: 0, webhookDeliveries: 0, webhookFailures: 0 });
    expect(emu.stats().callers).toEqual({});
  });
});
