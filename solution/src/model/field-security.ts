// Column security. A few columns decide what routing does with an agent or an offer —
// capacity, the admin's default presence, when an offer expires — and an agent holds write
// privilege on the very rows that carry them (their own status row, their own offers). Table
// privileges cannot split a row, so these columns are secured: everyone who works the floor
// may read them, only administrators (and the application user, which Dataverse treats like a
// System Administrator) may set them.
import { label } from './builders';
import type { FieldPermissionDef, FieldSecurityProfileDef, TableDef } from './types';

function securedColumns(tables: TableDef[]): { table: string; column: string; hidden: boolean }[] {
  return tables.flatMap((t) => t.columns.filter((c) => c.secured).map((c) => ({ table: t.logicalName, column: c.logicalName, hidden: c.secured === 'hidden' })));
}

/** Floor staff read what routing decided; a hidden column (the chat token's hash) stays with admins and the app. */
const grant = (tables: TableDef[], access: Omit<FieldPermissionDef, 'table' | 'column'>): FieldPermissionDef[] =>
  securedColumns(tables).map(({ table, column, hidden }) => ({ table, column, ...access, read: access.read && (!hidden || access.update) }));

export function fieldSecurityProfiles(tables: TableDef[]): FieldSecurityProfileDef[] {
  return [
    {
      id: '5b1f3c52-6a0e-4d8e-9d43-2f1c7a9e0b01',
      name: label(['Switchboard Agent', 'Agent Switchboard']),
      description: label([
        'Reads capacity, default presence and offer expiry; cannot change them.',
        "Lit la capacité, la présence par défaut et l'expiration des offres ; ne peut pas les modifier.",
      ]),
      permissions: grant(tables, { read: true, create: false, update: false }),
    },
    {
      id: '5b1f3c52-6a0e-4d8e-9d43-2f1c7a9e0b02',
      name: label(['Switchboard Supervisor', 'Superviseur Switchboard']),
      description: label([
        'Reads capacity, default presence and offer expiry of every agent; cannot change them.',
        "Lit la capacité, la présence par défaut et l'expiration des offres de tous les agents ; ne peut pas les modifier.",
      ]),
      permissions: grant(tables, { read: true, create: false, update: false }),
    },
    {
      id: '5b1f3c52-6a0e-4d8e-9d43-2f1c7a9e0b03',
      name: label(['Switchboard Administrator', 'Administrateur Switchboard']),
      description: label([
        "Sets agents' capacity and default presence.",
        'Fixe la capacité et la présence par défaut des agents.',
      ]),
      permissions: grant(tables, { read: true, create: true, update: true }),
    },
  ];
}
