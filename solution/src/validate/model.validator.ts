// Our own naming and consistency rules, checked before anything is generated. The XML
// schemas cannot see these (a prefix, a value range, a lookup's target), and Dataverse
// would only refuse them at import time, far from the line that caused them.
import type { PacConfig } from '../pack/pac-config';
import { optionValueRange } from '../pack/pac-config';
import type { ColumnDef, DataModel, Label, TableDef } from '../model/types';

export interface ModelProblem {
  rule: 'prefix' | 'name' | 'length' | 'duplicate' | 'option-range' | 'reference' | 'label' | 'type' | 'privilege';
  /** Where: `swb_message.swb_body`, `choice swb_provider`, `role Switchboard Agent`. */
  at: string;
  message: string;
}

export const limits = {
  tableName: 50,
  columnName: 50,
  choiceName: 100,
  relationshipName: 100,
  keyName: 100,
  environmentVariableName: 100,
  label: 100,
  stringLength: 4000,
  memoLength: 1048576,
} as const;

/** Columns Dataverse adds itself; ours must not collide with them. */
const systemColumns = new Set([
  'createdon', 'modifiedon', 'createdby', 'modifiedby', 'ownerid', 'owningbusinessunit', 'owninguser', 'owningteam',
  'organizationid', 'statecode', 'statuscode', 'versionnumber', 'activityid', 'subject', 'description',
  'regardingobjectid', 'actualstart', 'actualend', 'scheduledstart', 'scheduledend', 'activitytypecode',
]);

const logicalNamePattern = /^[a-z][a-z0-9_]*$/;
const keyColumnTypes = new Set<ColumnDef['type']>(['string', 'integer', 'bigint', 'decimal', 'lookup', 'datetime', 'choice', 'uniqueidentifier']);

export function defaultEntitySetName(logicalName: string): string {
  if (/(s|x|z|ch|sh)$/.test(logicalName)) return `${logicalName}es`;
  if (/[^aeiou]y$/.test(logicalName)) return `${logicalName.slice(0, -1)}ies`;
  return `${logicalName}s`;
}

export function validateModel(model: DataModel, config: PacConfig): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const add = (rule: ModelProblem['rule'], at: string, message: string) => problems.push({ rule, at, message });
  const prefix = `${config.publisher.prefix}_`;
  const range = optionValueRange(config);

  // `what` names the kind of thing; `where` (optional) places it: "column 'body' on table 'swb_message'".
  const checkName = (name: string, at: string, what: string, max: number, needsPrefix: boolean, pattern = logicalNamePattern, where = '') => {
    const subject = `${what} '${name}'${where}`;
    if (!pattern.test(name)) add('name', at, `${subject} must be ${pattern === logicalNamePattern ? 'lower-case ' : ''}letters, digits and underscores, starting with a letter`);
    if (needsPrefix && !name.toLowerCase().startsWith(prefix)) add('prefix', at, `${subject} must start with the publisher prefix '${prefix}'`);
    if (name.length > max) add('length', at, `${subject} is ${name.length} characters; the limit is ${max}`);
  };
  const checkLabel = (l: Label | undefined, at: string, what: string) => {
    for (const lcid of [1033, 1036] as const) {
      const text = l?.[lcid];
      if (!text || !text.trim()) add('label', at, `${what} has no ${lcid === 1033 ? 'English (1033)' : 'French (1036)'} text`);
      else if (text.length > limits.label && what.endsWith('display name')) add('length', at, `${what} (${lcid}) is longer than ${limits.label} characters`);
    }
  };
  const dupes = <T>(items: T[], keyOf: (t: T) => string, at: (k: string) => string, what: string, where = '') => {
    const seen = new Set<string>();
    for (const item of items) {
      const k = keyOf(item).toLowerCase();
      if (seen.has(k)) add('duplicate', at(k), `${what} '${keyOf(item)}'${where} is declared more than once`);
      seen.add(k);
    }
  };

  // Choices
  dupes(model.choices, (c) => c.name, (k) => `choice ${k}`, 'choice');
  const choiceByName = new Map(model.choices.map((c) => [c.name, c]));
  for (const choice of model.choices) {
    const at = `choice ${choice.name}`;
    checkName(choice.name, at, 'choice', limits.choiceName, true);
    checkLabel(choice.displayName, at, 'choice display name');
    checkLabel(choice.description, at, 'choice description');
    if (choice.options.length === 0) add('type', at, `choice '${choice.name}' has no options`);
    const values = new Map<number, string>();
    for (const o of choice.options) {
      if (!Number.isInteger(o.value) || o.value < range.min || o.value > range.max) {
        add('option-range', `${at}.${o.name}`, `option ${o.name} of choice '${choice.name}' has value ${o.value}, outside the publisher's range ${range.min}..${range.max} (option-value prefix ${config.publisher.optionValuePrefix})`);
      }
      const other = values.get(o.value);
      if (other !== undefined) add('duplicate', `${at}.${o.name}`, `options ${other} and ${o.name} of choice '${choice.name}' share the value ${o.value}`);
      values.set(o.value, o.name);
      if (!/^[A-Z][A-Za-z0-9]*$/.test(o.name)) add('name', `${at}.${o.name}`, `option name '${o.name}' of choice '${choice.name}' must be PascalCase letters and digits (it becomes an enum member)`);
      checkLabel(o.label, `${at}.${o.name}`, `option ${o.name} label`);
    }
    dupes(choice.options, (o) => o.name, (k) => `${at}.${k}`, 'option name', ` in choice '${choice.name}'`);
  }

  // Tables
  dupes(model.tables, (t) => t.logicalName, (k) => `table ${k}`, 'table');
  dupes(model.tables, (t) => t.entitySetName, (k) => `entity set ${k}`, 'entity set name');
  const tableByName = new Map(model.tables.map((t) => [t.logicalName, t]));
  for (const table of model.tables) checkTable(table);

  function checkTable(table: TableDef) {
    const at = table.logicalName;
    checkName(table.logicalName, at, 'table', limits.tableName, !table.standard);
    checkName(table.entitySetName, at, 'entity set name', limits.tableName + 14, !table.standard);
    // The schema has no element for the entity set name: Dataverse derives it from the
    // logical name, so a declared name that differs would be a lie to every consumer.
    if (!table.standard && table.entitySetName !== defaultEntitySetName(table.logicalName)) {
      add('name', at, `entity set name '${table.entitySetName}' of table '${at}' must be '${defaultEntitySetName(table.logicalName)}', the name Dataverse derives`);
    }
    checkLabel(table.displayName, at, 'table display name');
    checkLabel(table.pluralName, at, 'table plural name');
    checkLabel(table.description, at, 'table description');
    if (table.isActivity && table.primaryName.logicalName !== 'subject') add('name', at, `activity table '${at}' must use 'subject' as its primary name`);
    if (!table.isActivity && !table.standard) checkName(table.primaryName.logicalName, `${at}.${table.primaryName.logicalName}`, 'primary name column', limits.columnName, true);
    checkLabel(table.primaryName.displayName, at, 'primary name display name');

    dupes([{ logicalName: table.primaryName.logicalName }, ...table.columns], (c) => c.logicalName, (k) => `${at}.${k}`, 'column', ` on table '${at}'`);
    const columns = new Map(table.columns.map((c) => [c.logicalName, c]));
    for (const column of table.columns) {
      const cat = `${at}.${column.logicalName}`;
      checkName(column.logicalName, cat, 'column', limits.columnName, !column.standard, logicalNamePattern, ` on table '${at}'`);
      if (!column.standard && systemColumns.has(column.logicalName)) add('duplicate', cat, `column '${column.logicalName}' on table '${at}' collides with a column Dataverse adds itself`);
      if (column.standard && !table.standard) add('type', cat, `column '${column.logicalName}' is marked standard but table '${at}' is our own`);
      checkLabel(column.displayName, cat, 'column display name');
      checkLabel(column.description, cat, 'column description');
      if (column.type === 'lookup' || column.type === 'customer' || column.type === 'owner') {
        if (!column.targets || column.targets.length === 0) add('reference', cat, `lookup '${column.logicalName}' on table '${at}' has no target table`);
        if (column.type === 'lookup' && (column.targets?.length ?? 0) > 1) add('type', cat, `lookup '${column.logicalName}' on table '${at}' has several targets; use type 'customer' for account|contact`);
        for (const target of column.targets ?? []) {
          if (!tableByName.has(target)) add('reference', cat, `lookup '${column.logicalName}' on table '${at}' points to unknown table '${target}'`);
        }
      }
      if (column.type === 'multichoice' || column.type === 'state' || column.type === 'status' || column.type === 'owner' || column.type === 'uniqueidentifier') {
        if (!column.standard) add('type', cat, `column '${column.logicalName}' on table '${at}' has type '${column.type}', which a solution cannot declare (multi-select: use comma-separated text; state/status/owner/ids come with the table)`);
      }
      if (column.type === 'choice' || column.type === 'multichoice') {
        const choice = column.choice ? choiceByName.get(column.choice) : undefined;
        if (!choice) add('reference', cat, `choice column '${column.logicalName}' on table '${at}' uses unknown choice '${column.choice ?? ''}'`);
        else if (typeof column.defaultValue === 'number' && !choice.options.some((o) => o.value === column.defaultValue)) {
          add('reference', cat, `default value ${column.defaultValue} of '${column.logicalName}' on table '${at}' is not an option of choice '${choice.name}'`);
        }
      }
      if (column.type === 'string' && (column.maxLength ?? 100) > limits.stringLength) add('length', cat, `text column '${column.logicalName}' on table '${at}' allows ${column.maxLength} characters; the limit is ${limits.stringLength} (use memo)`);
      if (column.type === 'memo' && (column.maxLength ?? 2000) > limits.memoLength) add('length', cat, `memo column '${column.logicalName}' on table '${at}' allows more than ${limits.memoLength} characters`);
      if (column.min !== undefined && column.max !== undefined && column.min > column.max) add('type', cat, `column '${column.logicalName}' on table '${at}' has min ${column.min} above max ${column.max}`);
    }

    dupes(table.alternateKeys ?? [], (k) => k.logicalName, (k) => `${at} key ${k}`, 'alternate key', ` on table '${at}'`);
    for (const key of table.alternateKeys ?? []) {
      const kat = `${at} key ${key.logicalName}`;
      checkName(key.logicalName, kat, 'alternate key', limits.keyName, true);
      checkLabel(key.displayName, kat, 'alternate key display name');
      if (key.columns.length === 0) add('reference', kat, `alternate key '${key.logicalName}' has no columns`);
      // SQL Server's index key limit, which Dataverse inherits: text counts two bytes a character.
      const bytes = key.columns.reduce((sum, c) => {
        const column = columns.get(c);
        if (!column) return sum + (c === table.primaryName.logicalName ? table.primaryName.maxLength * 2 : 0);
        return sum + (column.type === 'string' ? (column.maxLength ?? 100) * 2 : column.type === 'lookup' || column.type === 'uniqueidentifier' ? 16 : 8);
      }, 0);
      if (bytes > 900) add('length', kat, `alternate key '${key.logicalName}' on table '${at}' is ${bytes} bytes wide; Dataverse allows 900`);
      if (key.columns.length > 16) add('length', kat, `alternate key '${key.logicalName}' on table '${at}' has ${key.columns.length} columns; Dataverse allows 16`);
      for (const c of key.columns) {
        const column = columns.get(c);
        if (!column && c !== table.primaryName.logicalName) add('reference', kat, `alternate key '${key.logicalName}' uses unknown column '${c}' of table '${at}'`);
        else if (column && !keyColumnTypes.has(column.type)) add('type', kat, `alternate key '${key.logicalName}' cannot use ${column.type} column '${c}'`);
      }
    }
  }

  // Relationships
  dupes(model.relationships, (r) => r.schemaName, (k) => `relationship ${k}`, 'relationship');
  for (const rel of model.relationships) {
    const at = `relationship ${rel.schemaName}`;
    checkName(rel.schemaName, at, 'relationship', limits.relationshipName, !rel.standard);
    if (rel.kind === 'oneToMany') {
      for (const t of [rel.referencedTable, rel.referencingTable]) {
        if (!tableByName.has(t)) add('reference', at, `relationship '${rel.schemaName}' uses unknown table '${t}'`);
      }
      const referencing = tableByName.get(rel.referencingTable);
      const lookup = referencing?.columns.find((c) => c.logicalName === rel.lookupColumn);
      if (referencing && !lookup) add('reference', at, `relationship '${rel.schemaName}' uses unknown lookup '${rel.lookupColumn}' on '${rel.referencingTable}'`);
      else if (lookup && !(lookup.targets ?? []).includes(rel.referencedTable)) add('reference', at, `lookup '${rel.lookupColumn}' on '${rel.referencingTable}' does not target '${rel.referencedTable}'`);
      if (!['Cascade', 'NoCascade', 'RemoveLink', 'Restrict'].includes(rel.cascadeDelete)) add('type', at, `relationship '${rel.schemaName}' has cascade delete '${rel.cascadeDelete}'; Dataverse allows Cascade, NoCascade, RemoveLink or Restrict`);
      if (lookup?.required === 'required' && rel.cascadeDelete === 'RemoveLink') add('type', at, `relationship '${rel.schemaName}' would empty the required lookup '${rel.lookupColumn}'; use Cascade or Restrict`);
    } else {
      for (const t of [rel.table1, rel.table2]) {
        if (!tableByName.has(t)) add('reference', at, `relationship '${rel.schemaName}' uses unknown table '${t}'`);
      }
      checkName(rel.intersectEntityName, at, 'intersect table', limits.tableName, !rel.standard);
    }
  }

  // Roles
  dupes(model.roles, (r) => r.id, (k) => `role ${k}`, 'role id');
  dupes(model.roles, (r) => r.name[1033], (k) => `role ${k}`, 'role name');
  for (const role of model.roles) {
    const at = `role ${role.name[1033]}`;
    checkLabel(role.name, at, 'role name');
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(role.id)) add('name', at, `role id '${role.id}' must be a lower-case GUID`);
    for (const [tableName, privileges] of Object.entries(role.privileges)) {
      const table = tableByName.get(tableName);
      if (!table) {
        add('reference', at, `role '${role.name[1033]}' grants privileges on unknown table '${tableName}'`);
        continue;
      }
      if (table.ownership === 'organization') {
        for (const [kind, depth] of Object.entries(privileges)) {
          if (kind === 'assign' || kind === 'share') add('privilege', at, `role '${role.name[1033]}' grants ${kind} on organization-owned table '${tableName}', which has no owner`);
          else if (depth !== 'global' && depth !== 'none') add('privilege', at, `role '${role.name[1033]}' grants ${kind} at depth '${depth}' on organization-owned table '${tableName}'; only 'global' exists there`);
        }
      }
    }
  }

  // Environment variables
  dupes(model.environmentVariables, (v) => v.schemaName, (k) => `environment variable ${k}`, 'environment variable');
  for (const v of model.environmentVariables) {
    const at = `environment variable ${v.schemaName}`;
    checkName(v.schemaName, at, 'environment variable', limits.environmentVariableName, true, /^[A-Za-z][A-Za-z0-9_]*$/);
    checkLabel(v.displayName, at, 'environment variable display name');
    if (v.defaultValue !== undefined) {
      const d = v.defaultValue;
      const ok =
        v.type === 'number' ? d.trim() !== '' && Number.isFinite(Number(d)) :
        v.type === 'boolean' ? d === 'yes' || d === 'no' :
        v.type === 'json' ? (() => { try { JSON.parse(d); return true; } catch { return false; } })() :
        v.type !== 'secret';
      if (!ok) add('type', at, `default value '${d}' of environment variable '${v.schemaName}' is not a valid ${v.type}${v.type === 'boolean' ? " ('yes' or 'no')" : ''}${v.type === 'secret' ? ' (secrets have no default)' : ''}`);
    }
    checkLabel(v.description, at, 'environment variable description');
  }
  // A permission on a column that is not secured is refused on import; a secured column no profile
  // grants is readable by System Administrators only, which is never what a model means.
  const granted = new Set<string>();
  for (const profile of model.fieldSecurityProfiles) {
    const at = `field security profile ${profile.name[1033]}`;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(profile.id)) add('name', at, `profile id '${profile.id}' must be a lower-case GUID`);
    checkLabel(profile.name, at, 'field security profile name');
    for (const f of profile.permissions) {
      const column = tableByName.get(f.table)?.columns.find((c) => c.logicalName === f.column);
      if (!column) add('reference', at, `grants access to unknown column '${f.table}.${f.column}'`);
      else if (!column.secured) add('reference', at, `grants access to '${f.table}.${f.column}', which is not secured`);
      granted.add(`${f.table}.${f.column}`);
    }
  }
  for (const table of model.tables) {
    for (const c of table.columns.filter((x) => x.secured && !granted.has(`${table.logicalName}.${x.logicalName}`))) {
      add('reference', `${table.logicalName}.${c.logicalName}`, 'is secured but no field security profile grants access to it');
    }
  }
  return problems;
}

export function formatProblems(problems: ModelProblem[]): string {
  return [`The data model breaks ${problems.length} rule(s):`, ...problems.map((p) => `  - [${p.rule}] ${p.at}: ${p.message}`)].join('\n');
}

export class ModelValidationError extends Error {
  constructor(readonly problems: ModelProblem[]) {
    super(formatProblems(problems));
    this.name = 'ModelValidationError';
  }
}

export function assertValidModel(model: DataModel, config: PacConfig): void {
  const problems = validateModel(model, config);
  if (problems.length > 0) throw new ModelValidationError(problems);
}
