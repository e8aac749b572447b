// Every cell of docs/security-model.md, over HTTP, as each role: an agent, a supervisor, an
// administrator (each with their role and column-security profile), the app user, and a user of
// the environment with no Switchboard role. The expectations come from the data model
// (access-matrix.ts); this suite checks Dataverse — the emulator, with the plugin steps
// registered as webhooks — does what the model says, cell by cell.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamicsWebApi } from 'dynamics-web-api';
import { ConversationState, metadata, model, type ColumnDef, type TableDef } from '@switchboard/solution';
import { GUARDS, MATRIX_TABLES, ROLES, accessOf, columnsByClass, guardProblems, renderSecurityModel, type Access, type ColumnClass, type RoleKey } from './access-matrix';
import { startGuardedDataverse, type GuardedDataverse } from './guarded-dataverse';

let dv: GuardedDataverse;

beforeAll(async () => {
  dv = await startGuardedDataverse();
}, 60_000);
afterAll(() => dv.stop());

const column = (table: TableDef, name: string): ColumnDef | undefined => table.columns.find((c) => c.logicalName === name);

/** A value the column accepts, different on each call so an update is a real change. */
let counter = 0;
function probeValue(table: TableDef, name: string): unknown {
  counter++;
  const c = column(table, name);
  if (!c || name === table.primaryName.logicalName) return `probe ${counter}`;
  switch (c.type) {
    case 'integer':
    case 'bigint':
      return Math.min(c.max ?? 1000, Math.max(c.min ?? 0, 1 + (counter % 5)));
    case 'decimal':
    case 'double':
    case 'money':
      return 1;
    case 'boolean':
      return counter % 2 === 0;
    case 'datetime':
      return new Date(Date.UTC(2026, 10, 24, 10, 0, counter % 60)).toISOString();
    case 'choice': {
      const options = model.choices.find((x) => x.name === c.choice)!.options;
      return options[counter % options.length]!.value;
    }
    case 'multichoice':
      return String(model.choices.find((x) => x.name === c.choice)!.options[0]!.value);
    case 'memo':
      return c.format === 'json' ? JSON.stringify({ probe: counter }) : `probe ${counter}`;
    default:
      return c.format === 'email' ? `probe${counter}@example.test` : c.format === 'phone' ? `+3361234${String(1000 + counter).slice(-4)}` : c.format === 'url' ? `https://example.test/${counter}` : `probe ${counter}`;
  }
}

const setOf = (table: TableDef) => table.entitySetName;

async function outcome(p: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; status: number; message: string }> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    const err = e as { status?: number; message?: string };
    if (typeof err.status !== 'number') throw e;
    return { ok: false, status: err.status, message: err.message ?? '' };
  }
}

/**
 * A row owned by `owner` (user-owned tables), created by the app with a value in each probed
 * column. A conversation is Closed with the owner as primary agent, so the guarded probe
 * (making it Active again) is a move only routing may make.
 */
async function seedRow(table: TableDef, owner: RoleKey, values: Record<string, unknown>): Promise<string> {
  const data: Record<string, unknown> = { ...values };
  if (table.ownership === 'user') data['ownerid@odata.bind'] = `/systemusers(${dv.userId(owner)})`;
  // A status row is the agent's own by its swb_agentid (what supervisor-guard compares), one per
  // agent (alternate key): the role's user gets theirs, upserted with the probe values.
  if (table.logicalName === 'swb_agentstatus') {
    const key = `swb_agentid=${dv.userId(owner)}`;
    await dv.app.upsert({ collection: setOf(table), key, data: { ...data, 'swb_agentid@odata.bind': `/systemusers(${dv.userId(owner)})` } });
    return (await dv.app.retrieve<{ swb_agentstatusid: string }>({ collection: setOf(table), key, select: ['swb_agentstatusid'] })).swb_agentstatusid;
  }
  if (table.logicalName === 'swb_conversation') {
    data['swb_state'] = ConversationState.Closed;
    data['swb_primaryagentid@odata.bind'] = `/systemusers(${dv.userId(owner)})`;
  }
  return (await dv.app.create({ collection: setOf(table), data })) as string;
}

function describeAccess(a: Access): string {
  return a.allowed ? `allowed${a.scope ? ` (${a.scope})` : ''}${a.masked ? ', masked' : ''}` : `refused${a.guard ? ` by ${a.guard}` : ''}`;
}

test('the security model document is what the data model says today (regenerate with npm run security-model -w bench)', () => {
  expect(readFileSync(join(__dirname, '..', '..', 'docs', 'security-model.md'), 'utf8')).toBe(renderSecurityModel());
});

test('every guard in the matrix is a synchronous step registered on its table and message', () => {
  expect(guardProblems()).toEqual([]);
});

const cases: [string, TableDef, ColumnClass, string][] = MATRIX_TABLES.flatMap((table) =>
  (Object.entries(columnsByClass(table)) as [ColumnClass, string[]][]).map(([cls, columns]) => [`${table.logicalName} · ${cls} (${columns[0]})`, table, cls, columns[0]!] as [string, TableDef, ColumnClass, string]),
);

describe.each(cases)('%s', (_name, table, cls, name) => {
  const e = metadata.entities[table.logicalName]!;

  test.each(ROLES.map((r) => r.key))('as %s: read, create and update go exactly as the model says', async (role) => {
    const expected = accessOf(table, cls, name, role);
    const api: DynamicsWebApi = dv.as(role);
    const mine = await seedRow(table, role, { [name]: probeValue(table, name) });
    const theirs = table.ownership === 'user' ? await seedRow(table, 'app', { [name]: probeValue(table, name) }) : null;
    const stored = async (id: string) => (await dv.app.retrieve<Record<string, unknown>>({ collection: setOf(table), key: id, select: [name] }))[name];
    const where = `${table.logicalName}.${name} as ${role}`;

    // Read: the row (own, and someone else's) and the column's value.
    const read = await outcome(api.retrieve<Record<string, unknown>>({ collection: setOf(table), key: mine, select: [name] }));
    if (!expected.read.allowed) expect([where, 'read', read.ok]).toEqual([where, 'read', false]);
    else {
      expect([where, 'read', describeAccess(expected.read), read.ok]).toEqual([where, 'read', describeAccess(expected.read), true]);
      const value = read.ok ? (read.value as Record<string, unknown>)[name] : undefined;
      if (expected.read.masked) expect([where, 'masked value', value]).toEqual([where, 'masked value', null]);
      else expect([where, 'value', value]).toEqual([where, 'value', await stored(mine)]);
    }
    if (theirs) {
      const other = await outcome(api.retrieve({ collection: setOf(table), key: theirs, select: [e.primaryIdAttribute] }));
      expect([where, "read someone else's row", other.ok]).toEqual([where, "read someone else's row", expected.read.allowed && expected.read.scope !== 'own']);
    }

    // Create: a row carrying this column.
    const created = await outcome(api.create({ collection: setOf(table), data: { [name]: probeValue(table, name) } }));
    expect([where, 'create', describeAccess(expected.create), created.ok]).toEqual([where, 'create', describeAccess(expected.create), expected.create.allowed]);

    // Update: this column on the caller's own row, then on someone else's.
    const guarded = GUARDS.find((g) => g.table === table.logicalName && g.op === 'update' && g.columns?.includes(name));
    const next = guarded && name === 'swb_state' ? ConversationState.Active : probeValue(table, name);
    const before = await stored(mine);
    const updated = await outcome(api.update({ collection: setOf(table), key: mine, data: { [name]: next } }));
    expect([where, 'update', describeAccess(expected.update), updated.ok]).toEqual([where, 'update', describeAccess(expected.update), expected.update.allowed]);
    if (!expected.update.allowed) expect([where, 'unchanged after a refused update', await stored(mine)]).toEqual([where, 'unchanged after a refused update', before]);
    if (theirs) {
      const other = await outcome(api.update({ collection: setOf(table), key: theirs, data: { [name]: next } }));
      expect([where, "update someone else's row", other.ok]).toEqual([where, "update someone else's row", expected.update.allowed && expected.update.scope !== 'own']);
    }
    // A refusal is an error Dataverse shows the user (4xx), never a server fault.
    for (const r of [read, created, updated]) if (!r.ok) expect([where, r.status >= 400 && r.status < 500]).toEqual([where, true]);
  });
});

test('no plugin step answered with a server error while the matrix ran', async () => {
  await new Promise((r) => setTimeout(r, 200));
  expect(dv.webhookCalls.filter((c) => c.status >= 500)).toEqual([]);
});
