// npm run bench -w dev [-- --contacts 1000000 --ops 2000]
// Prints throughput of create/retrieve/query over HTTP and the latency of a lookup by phone number
// among N contacts, beside a bare indexed SQLite read and a bare loopback HTTP round trip, so the
// emulator's own overhead is visible. It measures; it never fails on a slow machine.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { metadata } from '@switchboard/solution';
import { createEmulator } from './emulator';
import { APP_USER_ID, ROOT_BUSINESS_UNIT_ID } from './system-metadata';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const CONTACTS = arg('contacts', 1_000_000);
const OPS = arg('ops', 2000);
const LOOKUPS = arg('lookups', 2000);

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: body ? { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// SWB_BENCH_JSON=<file>: the same figures as JSON, for the root `npm run bench` table.
const jsonFigures: Record<string, { perSecond: number; p50Ms: number; p99Ms: number; n: number }> = {};

function summary(label: string, samplesMs: number[], wallMs: number, count: number): void {
  const s = [...samplesMs].sort((a, b) => a - b);
  const rate = count / (wallMs / 1000);
  jsonFigures[label] = { perSecond: rate, p50Ms: pct(s, 50), p99Ms: pct(s, 99), n: count };
  console.log(`${label.padEnd(46)} ${rate.toFixed(0).padStart(8)}/s   p50 ${pct(s, 50).toFixed(3).padStart(7)} ms   p99 ${pct(s, 99).toFixed(3).padStart(7)} ms`);
}

async function timed(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<{ samples: number[]; wall: number }> {
  const samples: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      await fn(i);
      samples.push(performance.now() - t);
    }
  }));
  return { samples, wall: performance.now() - start };
}

const phoneOf = (i: number) => `+4477${String(i).padStart(8, '0')}`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'swb-bench-'));
  const emu = createEmulator({ metadata, db: join(dir, 'bench.db') });
  try {
    const { port } = await emu.listen(0);
    const auth = { Authorization: `Bearer ${emu.appToken}`, Accept: 'application/json' };
    const contact = emu.operations.model.entity('contact');
    const hasOwning = 'owninguser' in contact.attributes;

    console.log(`Switchboard Dataverse emulator benchmark — node ${process.version}, ${CONTACTS.toLocaleString('en')} contacts`);
    let t = performance.now();
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const CHUNK = 50_000;
    for (let from = 0; from < CONTACTS; from += CHUNK) {
      const rows = [];
      for (let i = from; i < Math.min(CONTACTS, from + CHUNK); i++) {
        const row: Record<string, unknown> = {
          contactid: randomUUID(), firstname: `First${i}`, lastname: `Last${i}`, fullname: `First${i} Last${i}`, mobilephone: phoneOf(i),
          createdon: now, modifiedon: now, statecode: 0, statuscode: 1, versionnumber: i + 1,
          ownerid: APP_USER_ID, ownerid__type: 'systemuser', owningbusinessunit: ROOT_BUSINESS_UNIT_ID, owningbusinessunit__type: 'businessunit',
        };
        if (hasOwning) Object.assign(row, { owninguser: APP_USER_ID, owninguser__type: 'systemuser' });
        rows.push(row);
      }
      emu.store.bulkInsert(contact, rows);
    }
    emu.store.writer.prepare(`INSERT INTO _emu_meta (key, value) VALUES ('version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(CONTACTS + 10));
    emu.store.reloadVersion();
    emu.store.writer.exec('ANALYZE');
    console.log(`bulk load (store, one transaction per 50k)     ${(CONTACTS / ((performance.now() - t) / 1000)).toFixed(0).padStart(8)}/s   ${((performance.now() - t) / 1000).toFixed(1)} s total\n`);

    // bare loopback HTTP round trip, same client and agent
    const bare = http.createServer((_req, res) => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end('{}'); });
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
    const barePort = (bare.address() as AddressInfo).port;
    let r = await timed(LOOKUPS, 1, async () => { await request(barePort, 'GET', '/', {}); });
    summary('bare loopback HTTP round trip (c=1)', r.samples, r.wall, LOOKUPS);
    bare.close();

    // bare SQLite indexed read, same connection the emulator reads with
    const st = emu.store.reader.prepare(`SELECT * FROM "contact" WHERE "mobilephone" = ?`);
    const rnd = () => Math.floor(Math.random() * CONTACTS);
    t = performance.now();
    const sqlSamples: number[] = [];
    for (let i = 0; i < LOOKUPS * 5; i++) {
      const s = performance.now();
      st.get(phoneOf(rnd()));
      sqlSamples.push(performance.now() - s);
    }
    summary('bare SQLite indexed read (mobilephone)', sqlSamples, performance.now() - t, LOOKUPS * 5);

    // lookup by phone over HTTP
    const lookup = async () => {
      const phone = encodeURIComponent(`'${phoneOf(rnd())}'`);
      const res = await request(port, 'GET', `/api/data/v9.2/contacts?$select=contactid,fullname&$filter=mobilephone%20eq%20${phone}`, auth);
      if (res.status !== 200 || !res.body.includes('contactid')) throw new Error(`lookup failed: ${res.status} ${res.body.slice(0, 200)}`);
    };
    r = await timed(LOOKUPS, 1, lookup);
    summary('HTTP lookup by phone among all contacts (c=1)', r.samples, r.wall, LOOKUPS);
    r = await timed(LOOKUPS, 16, lookup);
    summary('HTTP lookup by phone (c=16)', r.samples, r.wall, LOOKUPS);

    // creates
    const created: string[] = [];
    const create = async (i: number) => {
      const res = await request(port, 'POST', '/api/data/v9.2/contacts', auth, JSON.stringify({ firstname: 'Bench', lastname: `C${i}`, mobilephone: `+1555${String(i).padStart(7, '0')}` }));
      if (res.status !== 204) throw new Error(`create failed: ${res.status} ${res.body.slice(0, 200)}`);
      created.push(`${i}`);
    };
    r = await timed(OPS, 1, create);
    summary('HTTP create contact (c=1)', r.samples, r.wall, OPS);
    r = await timed(OPS, 16, (i) => create(OPS + i));
    summary('HTTP create contact (c=16, writes serialised)', r.samples, r.wall, OPS);

    // retrieves by id
    const ids = (emu.store.reader.prepare(`SELECT contactid FROM "contact" LIMIT 10000`).all() as { contactid: string }[]).map((x) => x.contactid);
    const retrieve = async () => {
      const res = await request(port, 'GET', `/api/data/v9.2/contacts(${ids[Math.floor(Math.random() * ids.length)]})?$select=fullname,mobilephone`, auth);
      if (res.status !== 200) throw new Error(`retrieve failed: ${res.status}`);
    };
    r = await timed(OPS, 1, retrieve);
    summary('HTTP retrieve contact by id (c=1)', r.samples, r.wall, OPS);
    r = await timed(OPS, 16, retrieve);
    summary('HTTP retrieve contact by id (c=16)', r.samples, r.wall, OPS);

    // a 50-row page query
    const page = async () => {
      const res = await request(port, 'GET', `/api/data/v9.2/contacts?$select=fullname&$filter=startswith(mobilephone,'%2B4477${String(rnd()).padStart(8, '0').slice(0, 5)}')&$top=50`, auth);
      if (res.status !== 200) throw new Error(`query failed: ${res.status}`);
    };
    r = await timed(Math.floor(OPS / 2), 1, page);
    summary('HTTP query startswith(phone) $top=50 (c=1)', r.samples, r.wall, Math.floor(OPS / 2));
    if (process.env['SWB_BENCH_JSON']) writeFileSync(process.env['SWB_BENCH_JSON'], JSON.stringify({ bench: 'dataverse-emulator', node: process.version, contacts: CONTACTS, figures: jsonFigures }, null, 2));
  } finally {
    await emu.close();
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
