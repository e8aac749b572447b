// Small constructors so each table file reads as a list of columns rather than
// a wall of object literals. They add nothing the types do not already allow.
import type { AlternateKeyDef, ColumnDef, ColumnType, Label, TableDef } from './types';

export type Text = readonly [en: string, fr: string];

export const label = ([en, fr]: Text): Label => ({ 1033: en, 1036: fr });

type Extra = Omit<ColumnDef, 'logicalName' | 'type' | 'displayName' | 'description'>;

export function column(logicalName: string, type: ColumnType, name: Text, description: Text, extra: Extra = {}): ColumnDef {
  return { logicalName, type, displayName: label(name), description: label(description), ...extra };
}

export const text = (n: string, name: Text, d: Text, maxLength = 100, extra: Extra = {}) =>
  column(n, 'string', name, d, { maxLength, format: 'text', ...extra });
export const phone = (n: string, name: Text, d: Text, extra: Extra = {}) =>
  column(n, 'string', name, d, { maxLength: 32, format: 'phone', ...extra });
export const url = (n: string, name: Text, d: Text, extra: Extra = {}) =>
  column(n, 'string', name, d, { maxLength: 400, format: 'url', ...extra });
export const memo = (n: string, name: Text, d: Text, maxLength = 10000, extra: Extra = {}) =>
  column(n, 'memo', name, d, { maxLength, format: 'textarea', ...extra });
export const json = (n: string, name: Text, d: Text, maxLength = 100000, extra: Extra = {}) =>
  column(n, 'memo', name, d, { maxLength, format: 'json', ...extra });
export const int = (n: string, name: Text, d: Text, min: number, max: number, extra: Extra = {}) =>
  column(n, 'integer', name, d, { min, max, ...extra });
export const bool = (n: string, name: Text, d: Text, defaultValue = false, extra: Extra = {}) =>
  column(n, 'boolean', name, d, { defaultValue, ...extra });
export const when = (n: string, name: Text, d: Text, extra: Extra = {}) => column(n, 'datetime', name, d, extra);
export const choice = (n: string, choiceName: string, name: Text, d: Text, extra: Extra = {}) =>
  column(n, 'choice', name, d, { choice: choiceName, ...extra });
export const choices = (n: string, choiceName: string, name: Text, d: Text, extra: Extra = {}) =>
  column(n, 'multichoice', name, d, { choice: choiceName, ...extra });
export const lookup = (n: string, target: string, name: Text, d: Text, extra: Extra = {}) =>
  column(n, 'lookup', name, d, { targets: [target], ...extra });
export const customer = (n: string, name: Text, d: Text, extra: Extra = {}) =>
  column(n, 'customer', name, d, { targets: ['account', 'contact'], ...extra });

export function key(logicalName: string, name: Text, columns: string[]): AlternateKeyDef {
  return { logicalName, displayName: label(name), columns };
}

interface TableSpec {
  logicalName: string;
  entitySetName: string;
  name: Text;
  plural: Text;
  description: Text;
  ownership: TableDef['ownership'];
  isActivity?: boolean;
  standard?: boolean;
  primaryName?: { logicalName: string; name: Text; maxLength: number };
  columns: ColumnDef[];
  alternateKeys?: AlternateKeyDef[];
}

export function table(spec: TableSpec): TableDef {
  const primary = spec.primaryName ??
    (spec.isActivity
      ? { logicalName: 'subject', name: ['Subject', 'Objet'] as const, maxLength: 400 }
      : { logicalName: 'swb_name', name: ['Name', 'Nom'] as const, maxLength: 200 });
  const def: TableDef = {
    logicalName: spec.logicalName,
    entitySetName: spec.entitySetName,
    displayName: label(spec.name),
    pluralName: label(spec.plural),
    description: label(spec.description),
    ownership: spec.ownership,
    primaryName: { logicalName: primary.logicalName, displayName: label(primary.name), maxLength: primary.maxLength },
    columns: spec.columns,
  };
  if (spec.isActivity) def.isActivity = true;
  if (spec.standard) def.standard = true;
  if (spec.alternateKeys) def.alternateKeys = spec.alternateKeys;
  return def;
}
