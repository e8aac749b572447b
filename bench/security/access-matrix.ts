// Who may read, create and update what, derived from the data model — table privileges by
// depth (security roles), column security (field security profiles) — and from the synchronous
// steps that judge writes a privilege cannot (who is a participant, what an offer may change).
// One source for two things: docs/security-model.md (written by `npm run security-model -w bench`)
// and the role × table × column-class suite that exercises every cell over HTTP.
import { stepRegistry } from '@switchboard/plugins';
import { model, type ColumnDef, type PrivilegeDepth, type PrivilegeKind, type TableDef } from '@switchboard/solution';

export type RoleKey = 'agent' | 'supervisor' | 'administrator' | 'app' | 'none';
export type ColumnClass = 'regular' | 'guarded' | 'secured' | 'hidden';
export type Op = 'read' | 'create' | 'update';

export const ROLES: { key: RoleKey; label: string; role?: string; profile?: string }[] = [
  { key: 'agent', label: 'Agent', role: 'Switchboard Agent', profile: 'Switchboard Agent' },
  { key: 'supervisor', label: 'Supervisor', role: 'Switchboard Supervisor', profile: 'Switchboard Supervisor' },
  { key: 'administrator', label: 'Administrator', role: 'Switchboard Administrator', profile: 'Switchboard Administrator' },
  { key: 'app', label: 'App user' },
  { key: 'none', label: 'No Switchboard role' },
];

/**
 * Writes a privilege cannot judge, refused by a synchronous step for everyone but the app:
 * the probe is a write the step must refuse whatever the caller's privileges.
 */
export interface Guard {
  table: string;
  op: 'create' | 'update';
  step: string;
  /** Columns the step watches on update (its filtering attributes); all of them on create. */
  columns?: string[];
  /**
   * The step lets people write these columns on the rows that are theirs (an agent's own status
   * row) and refuses everyone else but those its rule names: the cell reads `own (step)`, and the
   * probe on someone else's row is refused whatever the role's depth.
   */
  ownRows?: true;
  rule: string;
}

export const GUARDS: Guard[] = [
  { table: 'swb_message', op: 'create', step: 'message-guard', rule: 'only a participant writes; a consultant writes internal notes; only the primary agent replies, while active; author, direction and delivery are the server\'s' },
  { table: 'swb_session', op: 'create', step: 'conversation-guard', rule: 'only the primary agent invites, and only a consult session; a supervisor of the conversation\'s queue joins (a consult session for themselves) an active conversation' },
  { table: 'swb_offer', op: 'update', step: 'offer-guard', rule: 'only the answer, of one\'s own live offer; expiry from the stored row' },
  {
    table: 'swb_conversation', op: 'update', step: 'conversation-guard', columns: ['swb_state', 'swb_primaryagentid', 'swb_queueid', 'swb_forcedassignment'],
    rule: 'only the primary agent transfers, ends and closes; states move forward; a waiting conversation is routing\'s. A supervisor of its queue (Supervisor role and member of the queue) assigns a waiting one to an agent of the queue, transfers an active one to such an agent or to a queue, and force-closes; to an agent only within their capacity unless the same write sets swb_forcedassignment, which no one else may set',
  },
  { table: 'swb_supervisoraction', op: 'create', step: 'supervisor-guard', rule: 'a supervisor records only their own Monitor, of a conversation of a queue they supervise; every other audit row is written by the app (supervisor-audit) from the write that did the action' },
  {
    table: 'swb_agentstatus', op: 'update', step: 'supervisor-guard', ownRows: true,
    columns: ['swb_basepresence', 'swb_presencelabel', 'swb_manualoverride', 'swb_overridesetton', 'swb_connectionstate', 'swb_heartbeaton', 'swb_disconnectedon'],
    rule: 'presence and connection: the agent\'s own row; another agent\'s only for a supervisor of one of that agent\'s queues (set presence, sign out)',
  },
];

const DEPTH_RANK: Record<PrivilegeDepth, number> = { none: 0, basic: 1, local: 2, deep: 3, global: 4 };
// Every Dataverse user holds the Basic User role, which reads these reference tables.
const READABLE_BY_EVERYONE = new Set(['systemuser']);

export const MATRIX_TABLES: TableDef[] = model.tables.filter((t) => t.logicalName !== 'systemuser');

export function depthOf(role: RoleKey, table: string, kind: PrivilegeKind): PrivilegeDepth {
  if (role === 'app') return 'global';
  if (role === 'none') return kind === 'read' && READABLE_BY_EVERYONE.has(table) ? 'global' : 'none';
  const name = ROLES.find((r) => r.key === role)!.role!;
  const def = model.roles.find((r) => r.name[1033] === name)!;
  return def.privileges[table]?.[kind] ?? 'none';
}

function fieldAccess(role: RoleKey, table: string, column: string, access: 'read' | 'create' | 'update'): boolean {
  if (role === 'app') return true;
  const name = ROLES.find((r) => r.key === role)!.profile;
  const profile = model.fieldSecurityProfiles.find((p) => p.name[1033] === name);
  return profile?.permissions.some((p) => p.table === table && p.column === column && p[access]) ?? false;
}

/** Columns a table has of each class: the probes use the first, the document lists them all. */
export function columnsByClass(table: TableDef): Partial<Record<ColumnClass, string[]>> {
  const guard = GUARDS.find((g) => g.table === table.logicalName && g.columns);
  const out: Partial<Record<ColumnClass, string[]>> = {};
  const add = (cls: ColumnClass, name: string) => (out[cls] ??= []).push(name);
  const writable = (c: ColumnDef) => !['lookup', 'customer', 'owner'].includes(c.type);
  // fullname is derived by Dataverse from first and last names: not a column anyone writes.
  if (table.primaryName.logicalName !== 'fullname') add('regular', table.primaryName.logicalName);
  for (const c of table.columns) {
    if (c.secured === 'hidden') add('hidden', c.logicalName);
    else if (c.secured) add('secured', c.logicalName);
    else if (guard?.columns?.includes(c.logicalName)) add('guarded', c.logicalName);
    else if (writable(c) && c.logicalName !== table.primaryName.logicalName) add('regular', c.logicalName);
  }
  if (guard?.columns) for (const c of guard.columns) if (!out.guarded?.includes(c) && table.columns.some((x) => x.logicalName === c)) add('guarded', c);
  return out;
}

export type Scope = 'own' | 'business unit' | 'organization';

export interface Access {
  allowed: boolean;
  /** Whose rows: user-owned tables only (organization-owned rows have no owner to compare). */
  scope?: Scope;
  /** Read only: the row is readable but this column reads as null (column security). */
  masked?: boolean;
  /** Refused by this synchronous step for anyone but the app, whatever the privilege (or, when allowed, limited by it to own rows). */
  guard?: string;
}

export interface Cell {
  table: string;
  columnClass: ColumnClass;
  columns: string[];
  role: RoleKey;
  read: Access;
  create: Access;
  update: Access;
}

function scopeOf(depth: PrivilegeDepth, table: TableDef): Scope | undefined {
  if (table.ownership !== 'user') return undefined;
  return depth === 'basic' ? 'own' : depth === 'local' ? 'business unit' : 'organization';
}

export function accessOf(table: TableDef, cls: ColumnClass, column: string, role: RoleKey): Omit<Cell, 'table' | 'columnClass' | 'columns' | 'role'> {
  const t = table.logicalName;
  const secured = cls === 'secured' || cls === 'hidden';
  const privilege = (kind: PrivilegeKind): Access => {
    const depth = depthOf(role, t, kind);
    if (DEPTH_RANK[depth] === 0) return { allowed: false };
    const scope = scopeOf(depth, table);
    return scope ? { allowed: true, scope } : { allowed: true };
  };
  const read = privilege('read');
  if (read.allowed && secured && !fieldAccess(role, t, column, 'read')) read.masked = true;
  const write = (op: 'create' | 'update'): Access => {
    const access = privilege(op === 'create' ? 'create' : 'write');
    if (!access.allowed) return access;
    if (secured && !fieldAccess(role, t, column, op)) return { allowed: false };
    const guard = GUARDS.find((g) => g.table === t && g.op === op && (!g.columns || cls === 'guarded'));
    if (guard && role !== 'app') return guard.ownRows ? { allowed: true, scope: 'own', guard: guard.step } : { ...access, allowed: false, guard: guard.step };
    return access;
  };
  return { read, create: write('create'), update: write('update') };
}

export function accessMatrix(): Cell[] {
  const cells: Cell[] = [];
  for (const table of MATRIX_TABLES) {
    for (const [cls, columns] of Object.entries(columnsByClass(table)) as [ColumnClass, string[]][]) {
      for (const { key } of ROLES) cells.push({ table: table.logicalName, columnClass: cls, columns, role: key, ...accessOf(table, cls, columns[0]!, key) });
    }
  }
  return cells;
}

/** Every guard names a registered synchronous step on its table and message (checked by a test). */
export function guardProblems(): string[] {
  return GUARDS.flatMap((g) => {
    const step = stepRegistry.find((s) => s.name === g.step);
    const message = g.op === 'create' ? 'Create' : 'Update';
    const ok = step?.triggers.some((t) => t.table === g.table && t.message === message && t.mode === 'sync');
    return ok ? [] : [`${g.step} is not a sync ${message} step on ${g.table}`];
  });
}

// ---- the document

function cellText(a: Access, op: Op): string {
  if (!a.allowed) return a.guard ? `✗ (${a.guard})` : '✗';
  if (a.guard) return `${a.scope ?? '✓'} (${a.guard})`;
  const who = a.scope === 'own' ? 'own' : a.scope === 'business unit' ? 'BU' : a.scope === 'organization' ? 'all' : '✓';
  if (op === 'read' && a.masked) return `${who}, null`;
  return who;
}

const CLASS_NAMES: Record<ColumnClass, string> = {
  regular: 'regular',
  guarded: 'checked by a step',
  secured: 'secured',
  hidden: 'secured, hidden',
};

export function renderSecurityModel(): string {
  const lines: string[] = [
    '# Who may read and write what',
    '',
    '<!-- Generated by `npm run security-model -w bench` from the data model (security roles, column',
    'security profiles) and the synchronous guard steps. Do not edit; a test fails when it is stale. -->',
    '',
    'Dataverse enforces all of this, not the UI: table privileges by depth (security roles), column',
    'security (field security profiles: a secured column reads as null and refuses writes for anyone',
    'the profile does not grant), and synchronous plugin steps for rules that depend on the row\'s',
    'relations. `bench/security/role-matrix.security.test.ts` exercises every cell below over HTTP',
    'against the Dataverse emulator with the steps registered, as each role.',
    '',
    'Cells read `R / C / U` (read, create, update): `all` every row, `BU` rows of the caller\'s business',
    'unit, `own` rows the caller owns, `✓` allowed (organization-owned tables), `null` readable row but',
    'the column reads as null, `✗` refused, `✗ (step)` refused by that step whatever the privilege (the',
    'legitimate write it allows is described below), `own (step)` allowed on one\'s own rows and narrowed',
    'by that step on anyone else\'s. The app user is the functions app\'s application',
    'user (Dataverse treats it like a System Administrator); "No Switchboard role" is any other user of',
    'the environment.',
    '',
    `| table | columns | ${ROLES.map((r) => r.label).join(' | ')} |`,
    `|---|---|${ROLES.map(() => '---').join('|')}|`,
  ];
  const cells = accessMatrix();
  for (const table of MATRIX_TABLES) {
    const classes = columnsByClass(table);
    for (const cls of Object.keys(classes) as ColumnClass[]) {
      const columns = classes[cls]!;
      const shown = columns.length > 4 ? `${columns.slice(0, 4).join(', ')}, … (${columns.length})` : columns.join(', ');
      const row = ROLES.map((r) => {
        const c = cells.find((x) => x.table === table.logicalName && x.columnClass === cls && x.role === r.key)!;
        return `${cellText(c.read, 'read')} / ${cellText(c.create, 'create')} / ${cellText(c.update, 'update')}`;
      });
      lines.push(`| \`${table.logicalName}\` | ${CLASS_NAMES[cls]}: ${shown} | ${row.join(' | ')} |`);
    }
  }
  lines.push('', '## What the steps allow', '');
  for (const g of GUARDS) lines.push(`- **${g.step}** on \`${g.table}\` ${g.op}${g.columns ? ` (${g.columns.join(', ')})` : ''}: ${g.rule}.`);
  lines.push(
    '',
    '## Outside Dataverse',
    '',
    '- The chat API: a customer token opens exactly one conversation and never an internal note; a',
    '  retried start must carry the same answers and context (fingerprint) to get its conversation back.',
    '- Provider webhooks: signatures verified (Twilio, TeleSign, Event Grid); STOP/START applied once per',
    '  provider message id and in the customer\'s order.',
    '- Rate limits count the client address the trusted proxies recorded (`SWITCHBOARD_TRUSTED_PROXY_HOPS`).',
    '',
  );
  return lines.join('\n');
}
