// Standard tables the emulator needs that are not part of the Switchboard model (identity,
// security roles, plugin registration). They are merged into the caller's metadata only when
// the model does not declare them itself, and every table gets Dataverse's system columns if the
// model left them out, so the store can rely on them being present.
import type { AttributeMetadata, EntityMetadata, ManyToManyDef, Metadata, OneToManyDef } from '@switchboard/solution';

type Attr = Omit<AttributeMetadata, 'logicalName' | 'required' | 'system'> & { required?: boolean; system?: boolean };

function attrs(defs: Record<string, Attr>): Record<string, AttributeMetadata> {
  const out: Record<string, AttributeMetadata> = {};
  for (const [logicalName, def] of Object.entries(defs)) {
    out[logicalName] = { logicalName, required: false, system: false, ...def };
  }
  return out;
}

function table(
  logicalName: string,
  entitySetName: string,
  primaryName: string,
  ownership: 'user' | 'organization',
  columns: Record<string, Attr>,
): EntityMetadata {
  return {
    logicalName,
    entitySetName,
    primaryIdAttribute: `${logicalName}id`,
    primaryNameAttribute: primaryName,
    isActivity: false,
    standard: true,
    ownership,
    attributes: attrs({ [`${logicalName}id`]: { type: 'uniqueidentifier' }, [primaryName]: { type: 'string', maxLength: 400 }, ...columns }),
    alternateKeys: [],
  };
}

export const WEBHOOK_CONTRACT = 8;
export const AUTH_TYPE = { webhookKey: 4, httpHeader: 5, httpQueryString: 6 } as const;
export const STEP_STAGE = { preValidation: 10, preOperation: 20, postOperation: 40 } as const;
export const STEP_MODE = { sync: 0, async: 1 } as const;
export const IMAGE_TYPE = { pre: 0, post: 1, both: 2 } as const;

export const ROOT_BUSINESS_UNIT_ID = '0a7e0001-0000-4000-8000-000000000001';
export const ORGANIZATION_ID = '0a7e0002-0000-4000-8000-000000000001';
export const APP_USER_ID = '0a7e0003-0000-4000-8000-000000000001';
export const SDK_MESSAGE_IDS: Record<string, string> = {
  Create: '0a7e0004-0000-4000-8000-000000000001',
  Update: '0a7e0004-0000-4000-8000-000000000002',
  Delete: '0a7e0004-0000-4000-8000-000000000003',
  Associate: '0a7e0004-0000-4000-8000-000000000004',
  Disassociate: '0a7e0004-0000-4000-8000-000000000005',
};
/** Messages with an sdkmessagefilter per table; Associate/Disassociate are registered on no table. */
export const FILTERED_MESSAGES: readonly string[] = ['Create', 'Update', 'Delete'];

export function standardTables(): EntityMetadata[] {
  return [
    table('organization', 'organizations', 'name', 'organization', {}),
    table('businessunit', 'businessunits', 'name', 'organization', {
      parentbusinessunitid: { type: 'lookup', targets: ['businessunit'] },
    }),
    table('systemuser', 'systemusers', 'fullname', 'organization', {
      firstname: { type: 'string', maxLength: 256 },
      lastname: { type: 'string', maxLength: 256 },
      domainname: { type: 'string', maxLength: 1024, searched: true },
      internalemailaddress: { type: 'string', maxLength: 100 },
      applicationid: { type: 'uniqueidentifier' },
      azureactivedirectoryobjectid: { type: 'uniqueidentifier' },
      isdisabled: { type: 'boolean', defaultValue: false },
      businessunitid: { type: 'lookup', targets: ['businessunit'] },
    }),
    table('role', 'roles', 'name', 'organization', {
      businessunitid: { type: 'lookup', targets: ['businessunit'] },
      // A role imported with a solution lives in the root business unit under the solution's id;
      // its copy in each child business unit has an id of its own and points back here.
      parentrootroleid: { type: 'lookup', targets: ['role'] },
    }),
    // column security: profiles come from the model's metadata (their ids), members through systemuserprofiles
    table('fieldsecurityprofile', 'fieldsecurityprofiles', 'name', 'organization', {
      description: { type: 'memo', maxLength: 2000 },
    }),
    table('plugintype', 'plugintypes', 'name', 'organization', { typename: { type: 'string', maxLength: 256 } }),
    table('serviceendpoint', 'serviceendpoints', 'name', 'organization', {
      contract: { type: 'choice', options: [1, 2, 3, 4, 5, 6, 7, 8] },
      url: { type: 'string', maxLength: 2000 },
      authtype: { type: 'choice', options: [1, 2, 3, 4, 5, 6, 7, 8] },
      authvalue: { type: 'memo', maxLength: 4000 },
      messageformat: { type: 'choice', options: [1, 2, 3] },
      description: { type: 'memo', maxLength: 2000 },
    }),
    table('sdkmessage', 'sdkmessages', 'name', 'organization', {}),
    table('sdkmessagefilter', 'sdkmessagefilters', 'name', 'organization', {
      sdkmessageid: { type: 'lookup', targets: ['sdkmessage'] },
      primaryobjecttypecode: { type: 'string', maxLength: 100 },
    }),
    table('sdkmessageprocessingstep', 'sdkmessageprocessingsteps', 'name', 'organization', {
      sdkmessageid: { type: 'lookup', targets: ['sdkmessage'] },
      sdkmessagefilterid: { type: 'lookup', targets: ['sdkmessagefilter'] },
      eventhandler: { type: 'lookup', targets: ['plugintype', 'serviceendpoint'] },
      stage: { type: 'choice', options: [10, 20, 40] },
      mode: { type: 'choice', options: [0, 1] },
      rank: { type: 'integer' },
      filteringattributes: { type: 'memo', maxLength: 100000 },
      asyncautodelete: { type: 'boolean' },
      supporteddeployment: { type: 'choice', options: [0, 1, 2] },
      configuration: { type: 'memo', maxLength: 100000 },
      description: { type: 'memo', maxLength: 2000 },
    }),
    table('sdkmessageprocessingstepimage', 'sdkmessageprocessingstepimages', 'name', 'organization', {
      sdkmessageprocessingstepid: { type: 'lookup', targets: ['sdkmessageprocessingstep'] },
      imagetype: { type: 'choice', options: [0, 1, 2] },
      entityalias: { type: 'string', maxLength: 256 },
      attributes: { type: 'memo', maxLength: 100000 },
      messagepropertyname: { type: 'string', maxLength: 256 },
    }),
  ];
}

const standardOneToMany: OneToManyDef[] = [
  {
    kind: 'oneToMany',
    schemaName: 'sdkmessageprocessingstepid_sdkmessageprocessingstepimage',
    referencedTable: 'sdkmessageprocessingstep',
    referencingTable: 'sdkmessageprocessingstepimage',
    lookupColumn: 'sdkmessageprocessingstepid',
    cascadeDelete: 'Cascade',
  },
];

const standardManyToMany: ManyToManyDef[] = [
  { kind: 'manyToMany', schemaName: 'systemuserroles_association', table1: 'systemuser', table2: 'role', intersectEntityName: 'systemuserroles', standard: true },
  // https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/fieldsecurityprofile#BKMK_systemuserprofiles_association
  { kind: 'manyToMany', schemaName: 'systemuserprofiles_association', table1: 'fieldsecurityprofile', table2: 'systemuser', intersectEntityName: 'systemuserprofiles', standard: true },
];

function systemColumns(entity: EntityMetadata): Record<string, AttributeMetadata> {
  const sys = (type: AttributeMetadata['type'], extra: Partial<AttributeMetadata> = {}): Omit<AttributeMetadata, 'logicalName'> => ({
    type,
    required: false,
    system: true,
    ...extra,
  });
  const cols: Record<string, Omit<AttributeMetadata, 'logicalName'>> = {
    createdon: sys('datetime'),
    modifiedon: sys('datetime'),
    createdby: sys('lookup', { targets: ['systemuser'] }),
    modifiedby: sys('lookup', { targets: ['systemuser'] }),
    versionnumber: sys('bigint'),
    statecode: sys('state', { options: [0, 1] }),
    statuscode: sys('status', { options: [1, 2] }),
  };
  if (entity.ownership === 'user') {
    cols.ownerid = sys('owner', { targets: ['systemuser'] });
    cols.owningbusinessunit = sys('lookup', { targets: ['businessunit'] });
  }
  const out: Record<string, AttributeMetadata> = {};
  for (const [name, def] of Object.entries(cols)) out[name] = { logicalName: name, ...def };
  return out;
}

/** The caller's metadata plus the standard tables and system columns the emulator relies on. */
export function buildEmulatorMetadata(model: Metadata): Metadata {
  const entities: Record<string, EntityMetadata> = {};
  for (const e of standardTables()) entities[e.logicalName] = e;
  for (const e of Object.values(model.entities)) {
    // the model wins over our minimal standard definitions; columns we need (systemuser.businessunitid...) are kept
    const ours = entities[e.logicalName];
    if (!ours) {
      entities[e.logicalName] = e;
      continue;
    }
    // column by column: what the model says wins, what only we know (a create default) stays
    const attributes = { ...ours.attributes };
    for (const [col, def] of Object.entries(e.attributes)) attributes[col] = { ...ours.attributes[col], ...def };
    entities[e.logicalName] = { ...e, attributes };
  }
  for (const [name, e] of Object.entries(entities)) {
    const sys = systemColumns(e);
    const attributes = { ...e.attributes };
    for (const [col, def] of Object.entries(sys)) if (!attributes[col]) attributes[col] = def;
    if (!attributes[e.primaryIdAttribute]) {
      attributes[e.primaryIdAttribute] = { logicalName: e.primaryIdAttribute, type: 'uniqueidentifier', required: false, system: false };
    }
    entities[name] = { ...e, attributes };
  }
  const entitySets: Record<string, string> = {};
  for (const e of Object.values(entities)) entitySets[e.entitySetName] = e.logicalName;
  const oneToMany = [...model.oneToMany];
  for (const r of standardOneToMany) if (!oneToMany.some((x) => x.schemaName === r.schemaName)) oneToMany.push(r);
  const manyToMany = [...model.manyToMany];
  for (const r of standardManyToMany) if (!manyToMany.some((x) => x.schemaName === r.schemaName)) manyToMany.push(r);
  return { entities, entitySets, oneToMany, manyToMany, roles: model.roles, fieldSecurityProfiles: model.fieldSecurityProfiles ?? [] };
}
