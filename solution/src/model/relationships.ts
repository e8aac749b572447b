// One-to-many relationships follow from lookup columns, so they are derived rather
// than listed twice; only what a lookup cannot say (cascade behaviour, Dataverse's own
// names for standard relationships) is written here.
import type { CascadeType, ManyToManyDef, OneToManyDef, RelationshipDef, TableDef } from './types';

const unprefixed = (name: string) => name.replace(/^swb_/, '');

/** Child rows that mean nothing without their parent go with it. */
const cascadeDelete: Record<string, CascadeType> = {
  'swb_message.swb_conversationid': 'Cascade',
  'swb_session.swb_conversationid': 'Cascade',
  'swb_offer.swb_conversationid': 'Cascade',
  'swb_routingrule.swb_workstreamid': 'Cascade',
  'swb_contextvariable.swb_chatwidgetid': 'Cascade',
  'swb_smsnumber.swb_channelid': 'Cascade',
  'swb_optout.swb_channelid': 'Cascade',
  'swb_agentskill.swb_agentid': 'Cascade',
  'swb_agentstatus.swb_agentid': 'Cascade',
};

/** Relationships Dataverse ships under its own names. */
const standardNames: Record<string, string> = {
  'account.contact.parentcustomerid': 'contact_customer_accounts',
  'contact.contact.parentcustomerid': 'contact_customer_contacts',
  'account.incident.customerid': 'incident_customer_accounts',
  'contact.incident.customerid': 'incident_customer_contacts',
};

export function deriveOneToMany(tables: TableDef[]): OneToManyDef[] {
  const out: OneToManyDef[] = [];
  for (const table of tables) {
    for (const column of table.columns) {
      if (column.type !== 'lookup' && column.type !== 'customer') continue;
      for (const target of column.targets ?? []) {
        const standardName = column.standard ? standardNames[`${target}.${table.logicalName}.${column.logicalName}`] : undefined;
        const rel: OneToManyDef = {
          kind: 'oneToMany',
          schemaName: standardName ?? `swb_${unprefixed(target)}_${unprefixed(table.logicalName)}_${unprefixed(column.logicalName)}`,
          referencedTable: target,
          referencingTable: table.logicalName,
          lookupColumn: column.logicalName,
          // A required lookup cannot be emptied, so deleting its parent must be refused instead.
          cascadeDelete: cascadeDelete[`${table.logicalName}.${column.logicalName}`] ?? (column.required === 'required' ? 'Restrict' : 'RemoveLink'),
          navigationProperty: (column.targets ?? []).length > 1 ? `${column.logicalName}_${target}` : column.logicalName,
        };
        if (column.standard) rel.standard = true;
        out.push(rel);
      }
    }
  }
  return out;
}

export const manyToMany: ManyToManyDef[] = [
  // Queue membership is how Dataverse says which agents work a queue; routing reads it.
  { kind: 'manyToMany', schemaName: 'queuemembership_association', table1: 'queue', table2: 'systemuser', intersectEntityName: 'queuemembership', standard: true },
  { kind: 'manyToMany', schemaName: 'swb_capacityprofile_systemuser', table1: 'swb_capacityprofile', table2: 'systemuser', intersectEntityName: 'swb_capacityprofile_systemuser' },
  { kind: 'manyToMany', schemaName: 'swb_messagetemplate_queue', table1: 'swb_messagetemplate', table2: 'queue', intersectEntityName: 'swb_messagetemplate_queue' },
];

export function relationships(tables: TableDef[]): RelationshipDef[] {
  return [...deriveOneToMany(tables), ...manyToMany];
}
