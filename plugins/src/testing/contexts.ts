// Builds execution contexts exactly as Dataverse serialises them for a webhook (DataContract
// JSON: `__type`-tagged values, [{key, value}] bags, "/Date(ms)/" dates), so handler tests run
// through the real parser on real-shaped input.
const CONTRACTS = 'http://schemas.microsoft.com/xrm/2011/Contracts';

export const ORG_ID = '0a7e0002-0000-4000-8000-000000000001';

export type Wire = { ref: [string, string, string?] } | { option: number } | { money: number } | { date: Date } | string | number | boolean | null;

export const ref = (logicalName: string, id: string, name?: string): Wire => ({ ref: [logicalName, id, name] });
export const option = (value: number): Wire => ({ option: value });
export const date = (d: Date | string): Wire => ({ date: typeof d === 'string' ? new Date(d) : d });

function wireValue(v: Wire): unknown {
  if (v === null || typeof v !== 'object') return v;
  if ('ref' in v) return { __type: `EntityReference:${CONTRACTS}`, Id: v.ref[1], KeyAttributes: [], LogicalName: v.ref[0], Name: v.ref[2] ?? null, RowVersion: null };
  if ('option' in v) return { __type: `OptionSetValue:${CONTRACTS}`, Value: v.option };
  if ('money' in v) return { __type: `Money:${CONTRACTS}`, Value: v.money };
  return `/Date(${v.date.getTime()})/`;
}

export function entity(logicalName: string, id: string, attributes: Record<string, Wire>): Record<string, unknown> {
  return {
    __type: `Entity:${CONTRACTS}`,
    Attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: wireValue(value) })),
    EntityState: null,
    FormattedValues: [],
    Id: id,
    KeyAttributes: [],
    LogicalName: logicalName,
    RelatedEntities: [],
    RowVersion: '1',
  };
}

export interface ContextSpec {
  message: 'Create' | 'Update' | 'Delete';
  table: string;
  id: string;
  stage: 10 | 20 | 40;
  mode: 'sync' | 'async';
  target?: Record<string, Wire>;
  preImages?: Record<string, Record<string, Wire>>;
  postImages?: Record<string, Record<string, Wire>>;
  userId?: string;
  operationCreatedOn?: Date;
}

export const DEFAULT_USER = '11111111-1111-4111-8111-111111111111';

export function executionContext(spec: ContextSpec): Record<string, unknown> {
  const target = spec.message === 'Delete'
    ? { __type: `EntityReference:${CONTRACTS}`, Id: spec.id, KeyAttributes: [], LogicalName: spec.table, Name: null, RowVersion: null }
    : entity(spec.table, spec.id, spec.target ?? {});
  const images = (set?: Record<string, Record<string, Wire>>) =>
    Object.entries(set ?? {}).map(([key, attrs]) => ({ key, value: entity(spec.table, spec.id, attrs) }));
  const user = spec.userId ?? DEFAULT_USER;
  return {
    BusinessUnitId: '0a7e0001-0000-4000-8000-000000000001',
    CorrelationId: '9c8e7f6a-1b2c-4d3e-8f90-a1b2c3d4e5f6',
    Depth: 1,
    InitiatingUserAzureActiveDirectoryObjectId: '00000000-0000-0000-0000-000000000000',
    InitiatingUserId: user,
    InputParameters: [{ key: 'Target', value: target }],
    IsExecutingOffline: false,
    IsInTransaction: spec.mode === 'sync',
    IsOfflinePlayback: false,
    IsolationMode: 1,
    MessageName: spec.message,
    Mode: spec.mode === 'sync' ? 0 : 1,
    OperationCreatedOn: `/Date(${(spec.operationCreatedOn ?? new Date('2026-11-24T10:00:00Z')).getTime()})/`,
    OperationId: '5f0f1c9e-4b1a-4c55-9d2e-0e6d7c1b2a39',
    OrganizationId: ORG_ID,
    OrganizationName: 'contoso',
    OutputParameters: spec.message === 'Create' && spec.stage === 40 ? [{ key: 'id', value: spec.id }] : [],
    OwningExtension: { Id: 'a1b2c3d4-0000-4000-8000-000000000009', KeyAttributes: [], LogicalName: 'sdkmessageprocessingstep', Name: 'step', RowVersion: null },
    ParentContext: null,
    PostEntityImages: images(spec.postImages),
    PreEntityImages: images(spec.preImages),
    PrimaryEntityId: spec.id,
    PrimaryEntityName: spec.table,
    RequestId: 'c0ffee00-0000-4000-8000-000000000001',
    SecondaryEntityName: 'none',
    SharedVariables: [],
    Stage: spec.stage,
    UserAzureActiveDirectoryObjectId: '00000000-0000-0000-0000-000000000000',
    UserId: user,
  };
}

export interface AssociationSpec {
  message: 'Associate' | 'Disassociate';
  relationship: string;
  target: [string, string];
  related: [string, string][];
}

/** Associate/Disassociate as Dataverse posts them: no primary entity, the rows in InputParameters. */
export function associationContext(spec: AssociationSpec): Record<string, unknown> {
  const er = ([logicalName, id]: [string, string]) => wireValue(ref(logicalName, id));
  return {
    ...executionContext({ message: 'Delete', table: 'none', id: '00000000-0000-0000-0000-000000000000', stage: 40, mode: 'async' }),
    MessageName: spec.message,
    InputParameters: [
      { key: 'Target', value: er(spec.target) },
      { key: 'Relationship', value: { __type: `Relationship:${CONTRACTS}`, PrimaryEntityRole: null, SchemaName: spec.relationship } },
      // EntityReferenceCollection is a collection contract: a bare JSON array, no __type.
      { key: 'RelatedEntities', value: spec.related.map(er) },
    ],
  };
}
