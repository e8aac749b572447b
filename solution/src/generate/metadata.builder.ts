// Builds the runtime metadata from the model: adds the columns Dataverse adds to
// every table (ids, audit, ownership, state, row version) and, for activity tables,
// the activitypointer columns, so consumers see what the Web API would return.
import type { AttributeMetadata, EntityMetadata, FieldSecurityProfileMetadata, Metadata } from '../metadata/types';
import type { ColumnDef, DataModel, TableDef } from '../model/types';

/** statecode / statuscode values per table, as Dataverse defines them. */
const stateValues: Record<string, { state: number[]; status: number[] }> = {
  activity: { state: [0, 1, 2, 3], status: [1, 2, 3, 4] },
  incident: { state: [0, 1, 2], status: [1, 2, 3, 4, 5, 6, 1000, 2000] },
  default: { state: [0, 1], status: [1, 2] },
};

/** Tables Dataverse gives no statecode (systemuser uses isdisabled instead). */
const statelessTables = new Set(['systemuser']);

export function primaryIdOf(table: TableDef): string {
  return table.isActivity ? 'activityid' : `${table.logicalName}id`;
}

function sys(logicalName: string, type: AttributeMetadata['type'], extra: Partial<AttributeMetadata> = {}): AttributeMetadata {
  return { logicalName, type, required: false, system: true, ...extra };
}

function systemAttributes(table: TableDef): AttributeMetadata[] {
  const out: AttributeMetadata[] = [
    sys(primaryIdOf(table), 'uniqueidentifier', { searched: true }),
    sys('createdon', 'datetime'),
    sys('modifiedon', 'datetime'),
    sys('createdby', 'lookup', { targets: ['systemuser'] }),
    sys('modifiedby', 'lookup', { targets: ['systemuser'] }),
    sys('versionnumber', 'bigint'),
  ];
  if (table.ownership === 'user') {
    // ownerid is settable on create/assign, so it is not marked system.
    out.push({ logicalName: 'ownerid', type: 'owner', required: true, system: false, targets: ['systemuser', 'team'] });
    out.push(sys('owningbusinessunit', 'lookup', { targets: ['businessunit'] }));
    out.push(sys('owninguser', 'lookup', { targets: ['systemuser'] }));
    out.push(sys('owningteam', 'lookup', { targets: ['team'] }));
  } else {
    out.push(sys('organizationid', 'lookup', { targets: ['organization'] }));
  }
  if (!statelessTables.has(table.logicalName)) {
    const values = table.isActivity ? stateValues.activity : stateValues[table.logicalName] ?? stateValues.default;
    // statecode/statuscode are written by callers (deactivate, close), not by Dataverse alone.
    out.push({ logicalName: 'statecode', type: 'state', required: true, system: false, options: values.state });
    out.push({ logicalName: 'statuscode', type: 'status', required: false, system: false, options: values.status });
  }
  if (table.isActivity) {
    out.push(
      { logicalName: 'description', type: 'memo', required: false, system: false, maxLength: 2000 },
      { logicalName: 'regardingobjectid', type: 'lookup', required: false, system: false, targets: ['account', 'contact', 'incident'] },
      { logicalName: 'actualstart', type: 'datetime', required: false, system: false },
      { logicalName: 'actualend', type: 'datetime', required: false, system: false },
      { logicalName: 'scheduledstart', type: 'datetime', required: false, system: false },
      { logicalName: 'scheduledend', type: 'datetime', required: false, system: false },
      sys('activitytypecode', 'string', { maxLength: 64 }),
    );
  }
  return out;
}

function columnAttribute(column: ColumnDef, model: DataModel, searched: boolean): AttributeMetadata {
  const a: AttributeMetadata = {
    logicalName: column.logicalName,
    type: column.type,
    required: column.required === 'required',
    system: false,
  };
  if (column.maxLength !== undefined) a.maxLength = column.maxLength;
  if (column.min !== undefined) a.min = column.min;
  if (column.max !== undefined) a.max = column.max;
  if (column.targets) a.targets = [...column.targets];
  if (column.choice) {
    a.optionSet = column.choice;
    a.options = (model.choices.find((c) => c.name === column.choice)?.options ?? []).map((o) => o.value);
  }
  if (column.type === 'boolean') a.options = [0, 1];
  if (searched) a.searched = true;
  if (column.secured) a.secured = true;
  return a;
}

export function buildEntity(table: TableDef, model: DataModel): EntityMetadata {
  const keyed = new Set((table.alternateKeys ?? []).flatMap((k) => k.columns));
  const attributes: Record<string, AttributeMetadata> = {};
  for (const a of systemAttributes(table)) attributes[a.logicalName] = a;
  attributes[table.primaryName.logicalName] = {
    logicalName: table.primaryName.logicalName,
    type: 'string',
    required: false,
    system: false,
    maxLength: table.primaryName.maxLength,
    ...(keyed.has(table.primaryName.logicalName) ? { searched: true } : {}),
  };
  for (const column of table.columns) {
    attributes[column.logicalName] = columnAttribute(column, model, column.searched === true || keyed.has(column.logicalName));
  }
  return {
    logicalName: table.logicalName,
    entitySetName: table.entitySetName,
    primaryIdAttribute: primaryIdOf(table),
    primaryNameAttribute: table.primaryName.logicalName,
    isActivity: table.isActivity === true,
    standard: table.standard === true,
    ownership: table.ownership,
    attributes,
    alternateKeys: (table.alternateKeys ?? []).map((k) => ({ logicalName: k.logicalName, columns: [...k.columns] })),
  };
}

export function buildMetadata(model: DataModel): Metadata {
  const entities: Record<string, EntityMetadata> = {};
  const entitySets: Record<string, string> = {};
  for (const table of model.tables) {
    entities[table.logicalName] = buildEntity(table, model);
    entitySets[table.entitySetName] = table.logicalName;
  }
  return {
    entities,
    entitySets,
    oneToMany: model.relationships.filter((r) => r.kind === 'oneToMany'),
    manyToMany: model.relationships.filter((r) => r.kind === 'manyToMany'),
    roles: model.roles.map((r) => ({ id: r.id, name: r.name[1033], privileges: r.privileges })),
    fieldSecurityProfiles: model.fieldSecurityProfiles.map((p) => {
      const permissions: FieldSecurityProfileMetadata['permissions'] = {};
      for (const f of p.permissions) (permissions[f.table] ??= {})[f.column] = { read: f.read, create: f.create, update: f.update };
      return { id: p.id, name: p.name[1033], permissions };
    }),
    optionSets: Object.fromEntries(model.choices.map((c) => [c.name, c.options.map((o) => ({ value: o.value, name: o.name, label: o.label[1033] }))])),
  };
}
