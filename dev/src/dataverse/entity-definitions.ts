// The slice of EntityDefinitions clients ask for: entity set names (dynamics-web-api's
// useEntityNames), primary id/name, and the attribute list with types and lookup targets.
import { createHash } from 'node:crypto';
import type { AttributeMetadata, EntityMetadata } from '@switchboard/solution';
import { badRequest, notFound, unsupported } from './errors';
import type { Model } from './model';
import type { QueryOptions } from './odata-query';

export function metadataId(name: string): string {
  const h = createHash('sha1').update(`swb-emulator:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ATTRIBUTE_TYPES: Record<string, string> = {
  string: 'String', memo: 'Memo', integer: 'Integer', bigint: 'BigInt', decimal: 'Decimal', double: 'Double', money: 'Money',
  boolean: 'Boolean', datetime: 'DateTime', choice: 'Picklist', multichoice: 'Virtual', lookup: 'Lookup', customer: 'Customer',
  owner: 'Owner', uniqueidentifier: 'Uniqueidentifier', state: 'State', status: 'Status',
};

function attributeDef(e: EntityMetadata, a: AttributeMetadata): Record<string, unknown> {
  const type = ATTRIBUTE_TYPES[a.type] ?? 'String';
  const def: Record<string, unknown> = {
    MetadataId: metadataId(`${e.logicalName}.${a.logicalName}`),
    LogicalName: a.logicalName,
    SchemaName: a.logicalName,
    EntityLogicalName: e.logicalName,
    AttributeType: type,
    AttributeTypeName: { Value: a.type === 'multichoice' ? 'MultiSelectPicklistType' : `${type}Type` },
    IsPrimaryId: a.logicalName === e.primaryIdAttribute,
    IsPrimaryName: a.logicalName === e.primaryNameAttribute,
    IsValidForCreate: !a.system || ['statecode', 'statuscode', 'ownerid'].includes(a.logicalName),
    IsValidForUpdate: !a.system || ['statecode', 'statuscode', 'ownerid'].includes(a.logicalName),
    RequiredLevel: { Value: a.required ? 'ApplicationRequired' : 'None' },
  };
  if (a.maxLength !== undefined) def.MaxLength = a.maxLength;
  if (a.targets) def.Targets = a.targets;
  return def;
}

function entityDef(e: EntityMetadata, withAttributes: boolean): Record<string, unknown> {
  const def: Record<string, unknown> = {
    MetadataId: metadataId(e.logicalName),
    LogicalName: e.logicalName,
    SchemaName: e.logicalName,
    EntitySetName: e.entitySetName,
    LogicalCollectionName: e.entitySetName,
    PrimaryIdAttribute: e.primaryIdAttribute,
    PrimaryNameAttribute: e.primaryNameAttribute,
    IsActivity: e.isActivity,
    OwnershipType: e.ownership === 'user' ? 'UserOwned' : 'OrganizationOwned',
    IsCustomEntity: !e.standard,
  };
  if (withAttributes) def.Attributes = Object.values(e.attributes).map((a) => attributeDef(e, a));
  return def;
}

function project(obj: Record<string, unknown>, select?: string[]): Record<string, unknown> {
  if (!select?.length) return obj;
  const out: Record<string, unknown> = { MetadataId: obj.MetadataId };
  for (const s of select) if (s in obj) out[s] = obj[s];
  if ('Attributes' in obj) out.Attributes = obj.Attributes;
  return out;
}

function findEntity(model: Model, key: string): EntityMetadata {
  const byName = /^LogicalName='([^']+)'$/.exec(key);
  const e = byName
    ? model.metadata.entities[byName[1]]
    : Object.values(model.metadata.entities).find((x) => metadataId(x.logicalName) === key.toLowerCase());
  if (!e) throw notFound('EntityMetadata', key);
  return e;
}

/** segments after 'EntityDefinitions': [] | ['Attributes'] | ["Attributes(LogicalName='x')"] */
export function entityDefinitions(model: Model, key: string | undefined, rest: string[], options: QueryOptions, base: string): unknown {
  const expandAttributes = (options.expand ?? []).some((x) => x.nav === 'Attributes');
  if (key === undefined) {
    let list = Object.values(model.metadata.entities);
    if (options.filter) {
      const f = options.filter;
      const byName = f.kind === 'compare' && f.op === 'eq' && f.left.kind === 'path' && f.left.segments.join('/') === 'LogicalName'
        && f.right.kind === 'literal' && f.right.value.type === 'string' ? f.right.value.value : undefined;
      if (byName === undefined) throw unsupported('EntityDefinitions filters other than LogicalName eq \'...\'');
      const name = byName;
      list = list.filter((e) => e.logicalName === name);
    }
    return { '@odata.context': `${base}$metadata#EntityDefinitions`, value: list.map((e) => project(entityDef(e, expandAttributes), options.select)) };
  }
  const e = findEntity(model, key);
  if (!rest.length) return { '@odata.context': `${base}$metadata#EntityDefinitions/$entity`, ...project(entityDef(e, expandAttributes), options.select) };
  const m = /^Attributes(?:\(LogicalName='([^']+)'\))?$/.exec(rest[0]);
  if (!m || rest.length > 1) throw badRequest(`Resource not found for the segment '${rest.join('/')}'.`);
  if (m[1]) {
    const a = e.attributes[m[1]];
    if (!a) throw notFound('AttributeMetadata', m[1]);
    return attributeDef(e, a);
  }
  return { '@odata.context': `${base}$metadata#EntityDefinitions('${e.logicalName}')/Attributes`, value: Object.values(e.attributes).map((a) => attributeDef(e, a)) };
}
