import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { claim, DataverseClient } from './dataverse-client';
import { ConcurrencyConflict, parseRetryAfter, RetriesExhausted } from './errors';
import type { RetryDeps } from './retry';
import { CachedTokenSource } from './token-source';

const C1 = '11111111-2222-3333-4444-555555555555';
const MISSING = '99999999-2222-3333-4444-555555555555';

// A deliberately tiny stand-in for the Web API: one table, ETags as row versions, and a queue
// of scripted failures answered before the real behaviour.
interface Row {
  id: string;
  owner: string | null;
  version: number;
}

interface Scripted {
  // 0 = drop the connection without answering.
  status: number;
  headers?: Record<string, string>;
}

let server: http.Server;
let baseUrl: string;
const rows = new Map<string, Row>();
let script: Scripted[] = [];
let seen: { method: string; url: string; ifMatch?: string; auth?: string }[] = [];
let beforePatch: ((row: Row) => void) | undefined;

function etag(row: Row): string {
  return `W/"${row.version}"`;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', ifMatch: req.headers['if-match'] as string | undefined, auth: req.headers.authorization });
      const next = script.shift();
      if (next && next.status === 0) {
        req.socket.destroy();
        return;
      }
      if (next) {
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
        res.end(JSON.stringify({ error: { code: '0x80072321', message: `scripted ${next.status}` } }));
        return;
      }
      const match = /^\/api\/data\/v9\.2\/swb_conversations(?:\(([^)]+)\))?$/.exec(req.url ?? '');
      if (!match) {
        res.writeHead(404).end();
        return;
      }
      const id = match[1];
      if (req.method === 'POST') {
        res.writeHead(204, { 'OData-EntityId': `${baseUrl}/api/data/v9.2/swb_conversations(new)` }).end();
        return;
      }
      const row = id ? rows.get(id) : undefined;
      if (!row) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: '0x80040217', message: 'Does Not Exist' } }));
        return;
      }
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json; odata.metadata=minimal' });
        res.end(JSON.stringify({ '@odata.etag': etag(row), swb_conversationid: row.id, owner: row.owner }));
        return;
      }
      if (req.method === 'PATCH') {
        beforePatch?.(row);
        beforePatch = undefined;
        if (req.headers['if-match'] !== '*' && req.headers['if-match'] !== etag(row)) {
          res.writeHead(412, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: '0x80060882', message: 'The version of the existing record does not match' } }));
          return;
        }
        const patch = JSON.parse(body) as { owner?: string };
        if (patch.owner !== undefined) row.owner = patch.owner;
        row.version++;
        res.writeHead(204).end();
        return;
      }
      res.writeHead(405).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  rows.clear();
  rows.set(C1, { id: C1, owner: null, version: 1 });
  script = [];
  seen = [];
  beforePatch = undefined;
});

function recordingDeps(): RetryDeps & { delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms), random: () => 1, now: () => Date.parse('2026-01-01T00:00:00Z') };
}

function client(deps: RetryDeps, policy = { maxAttempts: 4, maxDelayMs: 10_000, maxTotalDelayMs: 20_000, baseBackoffMs: 100 }): DataverseClient {
  return new DataverseClient({ url: baseUrl, tokenSource: { getToken: async () => 'tok-1' }, retryDeps: deps, retryPolicy: policy });
}

test('a 429 is retried after the Retry-After the server asked for, then succeeds', async () => {
  script = [{ status: 429, headers: { 'Retry-After': '2' } }];
  const deps = recordingDeps();
  const found = await client(deps).retrieveWithETag<{ owner: string | null }>('swb_conversations', C1);
  expect(found?.etag).toBe('W/"1"');
  expect(deps.delays).toEqual([2000]);
  expect(seen).toHaveLength(2);
  expect(seen[0]?.auth).toBe('Bearer tok-1');
});

test('a real Retry-After wait is actually slept through with the default dependencies', async () => {
  script = [{ status: 429, headers: { 'Retry-After': '1' } }];
  const c = new DataverseClient({ url: baseUrl, tokenSource: { getToken: async () => 't' } });
  const started = Date.now();
  await c.retrieveWithETag('swb_conversations', C1);
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
});

test('503 without Retry-After backs off exponentially and gives up after the attempt limit', async () => {
  script = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }];
  const deps = recordingDeps();
  const err = await client(deps).retrieveWithETag('swb_conversations', C1).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RetriesExhausted);
  expect((err as RetriesExhausted).status).toBe(503);
  expect((err as RetriesExhausted).attempts).toBe(4);
  expect(deps.delays).toEqual([100, 200, 400]);
  expect(seen).toHaveLength(4);
});

test('a Retry-After longer than the policy allows is not slept through but reported', async () => {
  script = [{ status: 429, headers: { 'Retry-After': '300' } }];
  const deps = recordingDeps();
  const err = await client(deps).retrieveWithETag('swb_conversations', C1).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RetriesExhausted);
  expect((err as RetriesExhausted).retryAfterSeconds).toBe(300);
  expect(deps.delays).toEqual([]);
});

test('a create is not replayed on 503 because it may already have been processed', async () => {
  script = [{ status: 503 }];
  const deps = recordingDeps();
  const c = client(deps);
  await expect(c.execute((api) => api.create({ collection: 'swb_conversations', data: { owner: 'x' } }), { idempotent: false })).rejects.toMatchObject({ status: 503 });
  expect(seen).toHaveLength(1);
});

test('a create is still retried on 429, which Dataverse rejects before processing', async () => {
  script = [{ status: 429, headers: { 'Retry-After': '1' } }];
  const deps = recordingDeps();
  await client(deps).execute((api) => api.create({ collection: 'swb_conversations', data: { owner: 'x' } }), { idempotent: false });
  expect(seen.map((s) => s.method)).toEqual(['POST', 'POST']);
});

test('other errors propagate at once without retry', async () => {
  const deps = recordingDeps();
  await expect(client(deps).execute((api) => api.retrieve({ collection: 'swb_nothing', key: MISSING }))).rejects.toMatchObject({ status: 404 });
  expect(seen).toHaveLength(1);
});

test('an update with a stale ETag surfaces as a typed ConcurrencyConflict', async () => {
  const c = client(recordingDeps());
  await c.updateIfMatch('swb_conversations', C1, 'W/"1"', { owner: 'a' });
  const err = await c.updateIfMatch('swb_conversations', C1, 'W/"1"', { owner: 'b' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConcurrencyConflict);
  expect(rows.get(C1)?.owner).toBe('a');
  expect(seen[1]?.ifMatch).toBe('W/"1"');
});

test('a claim that loses a race re-reads the row and decides again on fresh data', async () => {
  const c = client(recordingDeps());
  beforePatch = (row) => {
    row.owner = 'someone-else';
    row.version++;
  };
  const decisions: (string | null)[] = [];
  const result = await claim<{ owner: string | null }, { owner: string }>(c, {
    collection: 'swb_conversations',
    key: C1,
    decide: (row) => {
      decisions.push(row.owner);
      return row.owner === null ? { patch: { owner: 'me' } } : { skip: 'already-owned' };
    },
  });
  expect(decisions).toEqual([null, 'someone-else']);
  expect(result).toMatchObject({ outcome: 'skipped', reason: 'already-owned', attempts: 2 });
  expect(rows.get(C1)?.owner).toBe('someone-else');
});

test('of many concurrent claimers exactly one wins the row', async () => {
  const c = client(recordingDeps());
  const results = await Promise.all(
    ['a', 'b', 'c', 'd', 'e'].map((me) =>
      claim<{ owner: string | null }, { owner: string }>(c, {
        collection: 'swb_conversations',
        key: C1,
        maxAttempts: 10,
        decide: (row) => (row.owner === null ? { patch: { owner: me } } : { skip: 'taken' }),
      }),
    ),
  );
  const winners = results.filter((r) => r.outcome === 'claimed');
  expect(winners).toHaveLength(1);
  expect(rows.get(C1)?.owner).toBe((winners[0] as { patch: { owner: string } }).patch.owner);
});

test('a claim on a missing row is skipped as not-found', async () => {
  const result = await claim(client(recordingDeps()), { collection: 'swb_conversations', key: MISSING, decide: () => ({ patch: {} }) });
  expect(result).toMatchObject({ outcome: 'skipped', reason: 'not-found' });
});

test('Retry-After as an HTTP date is converted to a delay from now', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000);
  expect(parseRetryAfter('garbage', now)).toBeUndefined();
  expect(parseRetryAfter('0.5', now)).toBe(500);
});

test('a cached token is reused until it is near expiry, and cold concurrent callers share one request', async () => {
  let now = 0;
  let calls = 0;
  const credential = {
    getToken: async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      return { token: `t${calls}`, expiresOnTimestamp: now + 60 * 60_000 };
    },
  };
  const source = new CachedTokenSource(credential, 'https://x.crm.dynamics.com/.default', () => now);
  const cold = await Promise.all([source.getToken(), source.getToken(), source.getToken()]);
  expect(cold).toEqual(['t1', 't1', 't1']);
  now += 50 * 60_000;
  expect(await source.getToken()).toBe('t1');
  now += 6 * 60_000; // inside the five-minute refresh margin
  expect(await source.getToken()).toBe('t2');
  expect(calls).toBe(2);
});

test('a dropped connection is retried for a read but not replayed for a create', async () => {
  script = [{ status: 0 }];
  const deps = recordingDeps();
  const found = await client(deps).retrieveWithETag('swb_conversations', C1);
  expect(found?.etag).toBe('W/"1"');
  expect(deps.delays).toEqual([100]);

  script = [{ status: 0 }];
  seen = [];
  await expect(client(recordingDeps()).execute((api) => api.create({ collection: 'swb_conversations', data: {} }), { idempotent: false })).rejects.toMatchObject({
    code: 'ECONNRESET',
  });
  expect(seen).toHaveLength(1);
});
