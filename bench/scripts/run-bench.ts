// npm run bench — every benchmark of the repository in one run, printed as ONE table with each
// figure beside a baseline measured in the same run on the same machine (a bare loopback HTTP
// round trip, a bare SQLite indexed read), so the ratio means something on a noisy, shared
// machine. Also writes bench/results.json. Measures; never fails on a slow machine.
//
//   npm run bench                                  everything, 1,000,000 contacts
//   SWB_BENCH_CONTACTS=100000 npm run bench        quicker emulator lookup
//   npm run bench -- --no-build                    use the controls' existing bundle.js
//   npm run bench -- --only baselines,core         a subset (baselines core emulator functions controls widget)
//
// Each sub-bench runs as its own process through its documented npm script, with
// SWB_BENCH_JSON=<file> so it also writes its figures as JSON; its human output is shown as it runs.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'bench', 'results.json');
const argv = process.argv.slice(2);
const NO_BUILD = argv.includes('--no-build');
const onlyArg = argv.includes('--only') ? (argv[argv.indexOf('--only') + 1] ?? '') : '';
const ONLY = onlyArg ? new Set(onlyArg.split(',')) : null;
const wanted = (name: string) => !ONLY || ONLY.has(name);
const CONTACTS = Number(process.env['SWB_BENCH_CONTACTS'] ?? 1_000_000);
const CORE_AGENTS = Number(process.env['SWB_BENCH_AGENTS'] ?? 10_000);

interface Stat {
  n: number;
  p50: number;
  p99: number;
  perSecond: number;
}

function stat(samples: number[], wallMs: number): Stat {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { n: s.length, p50: at(0.5), p99: at(0.99), perSecond: s.length / (wallMs / 1000) };
}

// ---- baselines -----------------------------------------------------------------------------

async function loopbackBaseline(n = 3000): Promise<Stat> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  for (let i = 0; i < 200; i++) await once();
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await once();
    samples.push(performance.now() - t);
  }
  const wall = performance.now() - start;
  agent.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  return stat(samples, wall);
}

function sqliteBaseline(rows = 200_000, reads = 50_000): Stat {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'swb-bench-sqlite-'));
  try {
    const db = new Database(path.join(dir, 'baseline.db'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE contact (id TEXT PRIMARY KEY, phone TEXT, name TEXT); CREATE INDEX contact_phone ON contact(phone);');
    const insert = db.prepare('INSERT INTO contact VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run(`id-${i}`, `+4477${String(i).padStart(8, '0')}`, `Contact ${i}`);
    })();
    const read = db.prepare('SELECT * FROM contact WHERE phone = ?');
    for (let i = 0; i < 2000; i++) read.get(`+4477${String(i).padStart(8, '0')}`);
    const samples: number[] = [];
    const start = performance.now();
    for (let i = 0; i < reads; i++) {
      const phone = `+4477${String(Math.floor(Math.random() * rows)).padStart(8, '0')}`;
      const t = performance.now();
      read.get(phone);
      samples.push(performance.now() - t);
    }
    const wall = performance.now() - start;
    db.close();
    return stat(samples, wall);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- sub-benches -------------------------------------------------------------------------------

function run(command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 30 * 60_000): Promise<number> {
  return new Promise((resolve) => {
    console.log(`\n$ ${[command, ...args].join(' ')}`);
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
    const timer = setTimeout(() => {
      console.log(`(timed out after ${timeoutMs / 1000} s; stopping pid ${child.pid})`);
      child.kill('SIGTERM');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

async function jsonBench<T>(name: string, workspace: string, script: string, args: string[], env: Record<string, string> = {}): Promise<T | { failed: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `swb-bench-${name}-`));
  const file = path.join(dir, 'result.json');
  try {
    const code = await run('npm', ['run', '--silent', script, '-w', workspace, '--', ...args], { ...env, SWB_BENCH_JSON: file });
    if (!existsSync(file)) return { failed: `exit ${code}, no JSON written` };
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface CoreResult {
  runs: { agents: number; decisionsPerSecond: number; p50Micros: number; p99Micros: number; batchedMicrosPerDecision: number | null }[];
}
interface EmulatorResult {
  contacts: number;
  figures: Record<string, { perSecond: number; p50Ms: number; p99Ms: number; n: number }>;
}
interface FunctionsResult {
  bareRoundTrip: { p50Ms: number; p99Ms: number };
  inboundHttp: { n: number; p50Ms: number; p99Ms: number };
  inboundToOffered: { n: number; p50Ms: number; p99Ms: number };
  sustained: { messages: number; concurrency: number; acceptedPerSecond: number; nonOk: number; assignmentsPerSecond: number; offered: number };
}

const CONTROLS = [
  { name: 'CommunicationPane', pkg: '@switchboard/control-communication-pane' },
  { name: 'SessionTimer', pkg: '@switchboard/control-session-timer' },
  { name: 'ConversationSummary', pkg: '@switchboard/control-conversation-summary' },
  { name: 'AgentInbox', pkg: '@switchboard/control-agent-inbox' },
];

interface Size {
  bytes: number;
  gzip: number;
  note?: string;
}

function sizeOf(file: string): Size | null {
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  return { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

// ---- the table ---------------------------------------------------------------------------------

interface Row {
  figure: string;
  value: number | null;
  unit: string;
  baseline: number | null;
  baselineLabel: string;
  /** value ÷ baseline (how many baselines the figure costs, or for rates how many it achieves) */
  ratio: number | null;
  note?: string;
}

const rows: Row[] = [];
function row(figure: string, value: number | null | undefined, unit: string, baseline: number | null, baselineLabel: string, note?: string): void {
  const v = value === undefined || value === null || !Number.isFinite(value) ? null : value;
  rows.push({ figure, value: v, unit, baseline, baselineLabel, ratio: v !== null && baseline ? v / baseline : null, ...(note ? { note } : {}) });
}

function fmt(n: number | null, unit = ''): string {
  if (n === null) return '—';
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : Math.abs(n) >= 1 ? 2 : 3;
  return `${n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })}${unit ? ` ${unit}` : ''}`;
}

function printTable(): void {
  const cells = rows.map((r) => [r.figure, fmt(r.value, r.unit), r.baseline === null ? '—' : `${fmt(r.baseline)} (${r.baselineLabel})`, r.ratio === null ? '—' : `${fmt(r.ratio)}×`]);
  const head = ['figure', 'value', 'baseline (same run)', 'ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join(' | ')} |`;
  console.log(`\n${line(head)}\n|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const c of cells) console.log(line(c));
  for (const r of rows.filter((x) => x.note)) console.log(`  ${r.figure}: ${r.note}`);
}

async function main(): Promise<void> {
  const started = new Date();
  const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'cpu', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg() };
  console.log(`Switchboard benchmarks — ${machine.cpus} × ${machine.model}, node ${machine.node}, load ${machine.loadAverage.map((l) => l.toFixed(1)).join(' ')}`);
  const raw: Record<string, unknown> = {};

  console.log('\nbaselines: bare loopback HTTP round trip (keep-alive, c=1), bare SQLite indexed read (200,000 rows)');
  const http0 = await loopbackBaseline();
  const sql0 = sqliteBaseline();
  raw['baselines'] = { loopbackHttp: http0, sqliteIndexedRead: sql0 };
  console.log(`loopback HTTP p50 ${fmt(http0.p50)} ms, p99 ${fmt(http0.p99)} ms, ${fmt(http0.perSecond)}/s; SQLite read p50 ${fmt(sql0.p50 * 1000)} µs, ${fmt(sql0.perSecond)}/s`);
  const httpP50 = http0.p50;
  const sqlP50us = sql0.p50 * 1000;

  row('bare loopback HTTP round trip, p50', http0.p50, 'ms', null, '');
  row('bare SQLite indexed read, p50', sqlP50us, 'µs', null, '');

  if (wanted('core')) {
    const core = await jsonBench<CoreResult>('core', 'core', 'bench', [String(CORE_AGENTS)]);
    raw['core'] = core;
    const r = 'runs' in core ? core.runs.find((x) => x.agents === CORE_AGENTS) : undefined;
    const note = 'failed' in core ? `core bench failed: ${core.failed}` : undefined;
    const agents = CORE_AGENTS.toLocaleString('en-US');
    row(`routing decisions per second, ${agents} agents (one decide() per offer)`, r?.decisionsPerSecond, '/s', sql0.perSecond, 'SQLite reads/s', note);
    row(`routing decision time p50, ${agents} agents`, r?.p50Micros, 'µs', sqlP50us, 'SQLite read µs');
    row(`routing decision time p99, ${agents} agents`, r?.p99Micros, 'µs', sql0.p99 * 1000, 'SQLite read p99 µs');
    if (r?.batchedMicrosPerDecision) row(`routing decision time in 500-item batches, ${agents} agents`, r.batchedMicrosPerDecision, 'µs', sqlP50us, 'SQLite read µs');
  }

  if (wanted('functions')) {
    const fn = await jsonBench<FunctionsResult>('functions', 'dev', 'bench:stack', []);
    raw['functions'] = fn;
    const ok = 'inboundToOffered' in fn ? fn : undefined;
    const note = 'failed' in fn ? `functions bench failed: ${fn.failed}` : undefined;
    row('inbound SMS → offered to an agent, p50 (local stack)', ok?.inboundToOffered.p50Ms, 'ms', httpP50, 'loopback ms', note);
    row('inbound SMS → offered to an agent, p99 (local stack)', ok?.inboundToOffered.p99Ms, 'ms', http0.p99, 'loopback p99 ms');
    row('inbound SMS HTTP route (stored + enqueued), p50', ok?.inboundHttp.p50Ms, 'ms', httpP50, 'loopback ms');
    row(
      `sustained inbound messages per second (${ok?.sustained.concurrency ?? '?'} senders, ${ok?.sustained.messages ?? '?'} messages)`,
      ok?.sustained.acceptedPerSecond,
      '/s',
      http0.perSecond,
      'loopback round trips/s',
      ok && ok.sustained.nonOk > 0 ? `${ok.sustained.nonOk} non-200 answers` : undefined,
    );
    row('routing kept up (assignments per second, 2 workers)', ok?.sustained.assignmentsPerSecond, '/s', http0.perSecond, 'loopback round trips/s');
  }

  if (wanted('emulator')) {
    const emu = await jsonBench<EmulatorResult>('emulator', 'dev', 'bench', ['--contacts', String(CONTACTS), '--ops', '1000', '--lookups', '2000']);
    raw['emulator'] = emu;
    const f = 'figures' in emu ? emu.figures : {};
    const note = 'failed' in emu ? `emulator bench failed: ${emu.failed}` : undefined;
    const n = CONTACTS.toLocaleString('en-US');
    const lookup = f['HTTP lookup by phone among all contacts (c=1)'];
    row(`identification lookup by phone among ${n} contacts, HTTP p50`, lookup?.p50Ms, 'ms', httpP50, 'loopback ms', note);
    row(`identification lookup by phone among ${n} contacts, HTTP p99`, lookup?.p99Ms, 'ms', http0.p99, 'loopback p99 ms');
    row(`identification lookups per second among ${n} contacts (c=16)`, f['HTTP lookup by phone (c=16)']?.perSecond, '/s', http0.perSecond, 'loopback round trips/s');
    const sqlAtN = f['bare SQLite indexed read (mobilephone)'];
    row(`emulator's indexed read among ${n} contacts (no HTTP), p50`, sqlAtN ? sqlAtN.p50Ms * 1000 : null, 'µs', sqlP50us, 'SQLite read µs');
  }

  if (wanted('controls')) {
    const sizes: Record<string, Size | null> = {};
    for (const c of CONTROLS) {
      const file = path.join(ROOT, 'controls', c.name, 'out', 'controls', c.name, 'bundle.js');
      let note: string | undefined;
      if (!NO_BUILD) {
        const code = await run('npm', ['run', '--silent', 'build', '-w', c.pkg], {}, 10 * 60_000);
        if (code !== 0) note = `build failed (exit ${code}); size of the bundle already on disk`;
      } else note = 'not rebuilt (--no-build)';
      const s = sizeOf(file);
      sizes[c.name] = s ? { ...s, ...(note ? { note } : {}) } : null;
      row(`${c.name} bundle.js (production), gzip -9 ${s ? `/ raw ${fmt(s.bytes / 1024, 'KiB')}` : ''}`, s ? s.gzip / 1024 : null, 'KiB', null, '', s ? note : `no bundle.js${note ? `; ${note}` : ''}`);
    }
    raw['controls'] = sizes;
  }

  if (wanted('widget')) {
    const code = await run('npm', ['run', '--silent', 'build', '-w', 'widget']);
    const s = sizeOf(path.join(ROOT, 'widget', 'dist', 'widget.js'));
    raw['widget'] = s;
    row(`widget.js, gzip -9 ${s ? `/ raw ${fmt(s.bytes / 1024, 'KiB')}` : ''}`, s ? s.gzip / 1024 : null, 'KiB', 30, 'target KiB', code !== 0 ? `build failed (exit ${code})` : undefined);
  }

  printTable();
  const result = { measuredAt: started.toISOString(), seconds: (Date.now() - started.getTime()) / 1000, machine, options: { contacts: CONTACTS, coreAgents: CORE_AGENTS, build: !NO_BUILD, only: ONLY ? [...ONLY] : null }, rows, raw };
  writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), OUT)} (${result.seconds.toFixed(0)} s)`);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
