// The SQLite store: one table per entity (columns from the metadata), one per N:N intersect, plus
// the emulator's own bookkeeping tables (_emu_*). Two connections on one WAL database: writes
// (and the reads they need) go through `writer` inside an explicit transaction that may stay open
// across awaits while synchronous plugin webhooks run; plain GETs use `reader`, so they never see
// a write that might still be rolled back. `:memory:` is a temporary file for the same reason.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttributeMetadata, EntityMetadata } from '@switchboard/solution';
import { type Model, isLookup } from './model';
import { quoteIdent } from './odata-filter';

export type Row = Record<string, unknown>;
export type Db = Database.Database;

function columnSql(a: AttributeMetadata, primaryId: string): string[] {
  const name = quoteIdent(a.logicalName);
  if (a.logicalName === primaryId) return [`${name} TEXT PRIMARY KEY`];
  switch (a.type) {
    case 'string': case 'memo': case 'multichoice':
      return [`${name} TEXT COLLATE NOCASE`];
    case 'integer': case 'bigint': case 'choice': case 'state': case 'status': case 'boolean':
      return [`${name} INTEGER`];
    case 'decimal': case 'double': case 'money':
      return [`${name} REAL`];
    case 'lookup': case 'customer': case 'owner':
      return [`${name} TEXT`, `${quoteIdent(`${a.logicalName}__type`)} TEXT`];
    default:
      return [`${name} TEXT`];
  }
}

export class Store {
  readonly writer: Db;
  readonly reader: Db;
  private readonly tempDir?: string;
  private readonly statements = new WeakMap<Db, Map<string, Database.Statement>>();
  private version = 0;

  constructor(readonly model: Model, file: string) {
    let path = file;
    if (file === ':memory:') {
      this.tempDir = mkdtempSync(join(tmpdir(), 'swb-dataverse-'));
      path = join(this.tempDir, 'emulator.db');
    }
    this.writer = new Database(path);
    this.writer.pragma('journal_mode = WAL');
    this.writer.pragma('synchronous = NORMAL');
    this.writer.pragma('busy_timeout = 5000');
    this.createSchema();
    this.reader = new Database(path, { readonly: true });
    this.reader.pragma('busy_timeout = 5000');
    const v = this.writer.prepare(`SELECT value FROM _emu_meta WHERE key = 'version'`).get() as { value: string } | undefined;
    this.version = v ? Number(v.value) : 0;
  }

  close(): void {
    this.reader.close();
    this.writer.close();
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }

  prepare(db: Db, sql: string): Database.Statement {
    let cache = this.statements.get(db);
    if (!cache) this.statements.set(db, (cache = new Map()));
    let st = cache.get(sql);
    if (!st) cache.set(sql, (st = db.prepare(sql)));
    return st;
  }

  private createSchema(): void {
    const db = this.writer;
    db.exec(`CREATE TABLE IF NOT EXISTS _emu_meta (key TEXT PRIMARY KEY, value TEXT)`);
    db.exec(`CREATE TABLE IF NOT EXISTS _emu_tokens (token TEXT PRIMARY KEY, systemuserid TEXT NOT NULL)`);
    db.exec(`CREATE TABLE IF NOT EXISTS _emu_async (
      id INTEGER PRIMARY KEY AUTOINCREMENT, stepid TEXT NOT NULL, url TEXT NOT NULL, headers TEXT NOT NULL,
      body TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending', last_error TEXT, created_at INTEGER NOT NULL)`);
    db.exec(`CREATE INDEX IF NOT EXISTS _emu_async_due ON _emu_async (status, next_attempt_at)`);
    for (const e of Object.values(this.model.metadata.entities)) {
      const t = quoteIdent(e.logicalName);
      const cols = Object.values(e.attributes).flatMap((a) => columnSql(a, e.primaryIdAttribute));
      db.exec(`CREATE TABLE IF NOT EXISTS ${t} (${cols.join(', ')})`);
      // a model that gained columns since the file was created: add them (SQLite ALTER is additive)
      const existing = new Set((db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name));
      for (const a of Object.values(e.attributes)) {
        for (const def of columnSql(a, e.primaryIdAttribute)) {
          const name = /^"([^"]+)"/.exec(def)![1];
          if (!existing.has(name)) db.exec(`ALTER TABLE ${t} ADD COLUMN ${def.replace(' PRIMARY KEY', '')}`);
        }
      }
      for (const key of e.alternateKeys) {
        const cols2 = key.columns.map(quoteIdent).join(', ');
        db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdent(`ak_${e.logicalName}_${key.logicalName}`)} ON ${t} (${cols2})`);
      }
      for (const a of Object.values(e.attributes)) {
        if (a.logicalName === e.primaryIdAttribute) continue;
        if (a.searched || isLookup(a)) {
          db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`ix_${e.logicalName}_${a.logicalName}`)} ON ${t} (${quoteIdent(a.logicalName)})`);
        }
      }
    }
    for (const x of this.model.intersects) {
      const [c1, c2] = [quoteIdent(x.column1), quoteIdent(x.column2)];
      db.exec(`CREATE TABLE IF NOT EXISTS ${quoteIdent(x.name)} (${c1} TEXT NOT NULL, ${c2} TEXT NOT NULL, PRIMARY KEY (${c1}, ${c2}))`);
      db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`ix_${x.name}_2`)} ON ${quoteIdent(x.name)} (${c2})`);
    }
  }

  /** Dataverse's versionnumber is a database-wide rowversion: strictly increasing across all tables. */
  nextVersion(): number {
    this.version += 1;
    this.prepare(this.writer, `INSERT INTO _emu_meta (key, value) VALUES ('version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
      .run(String(this.version));
    return this.version;
  }

  /** Rolled-back transactions may have consumed versions; re-read so the counter matches the file. */
  reloadVersion(): void {
    const v = this.writer.prepare(`SELECT value FROM _emu_meta WHERE key = 'version'`).get() as { value: string } | undefined;
    this.version = Math.max(this.version, v ? Number(v.value) : 0);
  }

  get(db: Db, e: EntityMetadata, id: string): Row | undefined {
    return this.prepare(db, `SELECT * FROM ${quoteIdent(e.logicalName)} WHERE ${quoteIdent(e.primaryIdAttribute)} = ?`).get(id) as Row | undefined;
  }

  findBy(db: Db, e: EntityMetadata, values: Record<string, unknown>): Row | undefined {
    const cols = Object.keys(values);
    const where = cols.map((c) => `${quoteIdent(c)} = ?`).join(' AND ');
    return this.prepare(db, `SELECT * FROM ${quoteIdent(e.logicalName)} WHERE ${where} LIMIT 1`).get(...cols.map((c) => values[c])) as Row | undefined;
  }

  insert(e: EntityMetadata, row: Row): void {
    const cols = Object.keys(row);
    const sql = `INSERT INTO ${quoteIdent(e.logicalName)} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    this.prepare(this.writer, sql).run(...cols.map((c) => row[c]));
  }

  update(e: EntityMetadata, id: string, changes: Row): void {
    const cols = Object.keys(changes);
    if (!cols.length) return;
    const sql = `UPDATE ${quoteIdent(e.logicalName)} SET ${cols.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE ${quoteIdent(e.primaryIdAttribute)} = ?`;
    this.prepare(this.writer, sql).run(...cols.map((c) => changes[c]), id);
  }

  delete(e: EntityMetadata, id: string): void {
    this.prepare(this.writer, `DELETE FROM ${quoteIdent(e.logicalName)} WHERE ${quoteIdent(e.primaryIdAttribute)} = ?`).run(id);
  }

  select(db: Db, e: EntityMetadata, where: string, params: unknown[], order: string, limit?: number, offset?: number): Row[] {
    let sql = `SELECT * FROM ${quoteIdent(e.logicalName)} t${where ? ` WHERE ${where}` : ''}${order ? ` ORDER BY ${order}` : ''}`;
    const p = [...params];
    if (limit !== undefined) { sql += ' LIMIT ?'; p.push(limit); }
    if (offset) { sql += (limit === undefined ? ' LIMIT -1' : '') + ' OFFSET ?'; p.push(offset); }
    return this.prepare(db, sql).all(...p) as Row[];
  }

  count(db: Db, e: EntityMetadata, where: string, params: unknown[]): number {
    const sql = `SELECT COUNT(*) AS n FROM ${quoteIdent(e.logicalName)} t${where ? ` WHERE ${where}` : ''}`;
    return (this.prepare(db, sql).get(...params) as { n: number }).n;
  }

  associate(intersect: string, col1: string, id1: string, col2: string, id2: string): boolean {
    const sql = `INSERT OR IGNORE INTO ${quoteIdent(intersect)} (${quoteIdent(col1)}, ${quoteIdent(col2)}) VALUES (?, ?)`;
    return this.prepare(this.writer, sql).run(id1, id2).changes > 0;
  }

  disassociate(intersect: string, col1: string, id1: string, col2: string, id2: string): boolean {
    const sql = `DELETE FROM ${quoteIdent(intersect)} WHERE ${quoteIdent(col1)} = ? AND ${quoteIdent(col2)} = ?`;
    return this.prepare(this.writer, sql).run(id1, id2).changes > 0;
  }

  relatedIds(db: Db, intersect: string, selfCol: string, id: string, otherCol: string): string[] {
    const sql = `SELECT ${quoteIdent(otherCol)} AS id FROM ${quoteIdent(intersect)} WHERE ${quoteIdent(selfCol)} = ?`;
    return (this.prepare(db, sql).all(id) as { id: string }[]).map((r) => r.id);
  }

  removeIntersectRows(intersect: string, col: string, id: string): void {
    this.prepare(this.writer, `DELETE FROM ${quoteIdent(intersect)} WHERE ${quoteIdent(col)} = ?`).run(id);
  }

  setToken(token: string, systemuserid: string): void {
    this.prepare(this.writer, `INSERT INTO _emu_tokens (token, systemuserid) VALUES (?, ?) ON CONFLICT(token) DO UPDATE SET systemuserid = excluded.systemuserid`)
      .run(token, systemuserid);
  }

  tokenUser(token: string): string | undefined {
    return (this.prepare(this.reader, `SELECT systemuserid FROM _emu_tokens WHERE token = ?`).get(token) as { systemuserid: string } | undefined)?.systemuserid;
  }

  /** Bulk load for benchmarks and seeding: one transaction, one prepared statement, no plugins. */
  bulkInsert(e: EntityMetadata, rows: Row[]): void {
    if (!rows.length) return;
    const cols = Object.keys(rows[0]);
    const st = this.writer.prepare(`INSERT INTO ${quoteIdent(e.logicalName)} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    this.writer.transaction(() => {
      for (const r of rows) st.run(...cols.map((c) => r[c]));
    })();
  }
}
