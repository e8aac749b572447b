// The friendly, typed view of Dataverse's RemoteExecutionContext that handlers receive. The
// wire format (DataContract JSON: attribute bags as [{key, value}], `__type`-tagged values,
// dates as "/Date(ms)/") stops at the parser; handlers never see it.

export type StepMessageName = 'Create' | 'Update' | 'Delete' | 'Associate' | 'Disassociate';

export interface EntityRef {
  logicalName: string;
  id: string;
  name?: string | null;
}

/** An attribute value once decoded: lookups become EntityRef, choices and money numbers, dates Date. */
export type AttributeValue = string | number | boolean | Date | EntityRef | number[] | null;

export interface EntityImage {
  logicalName: string;
  id: string;
  attributes: Readonly<Record<string, AttributeValue>>;
}

export interface StepContext {
  messageName: StepMessageName;
  primaryEntityName: string;
  primaryEntityId: string;
  /** 10 pre-validation, 20 pre-operation, 40 post-operation. */
  stage: 10 | 20 | 40;
  mode: 'sync' | 'async';
  depth: number;
  /** Create/Update: the row being written (only the columns sent). Delete, Associate, Disassociate: the row, no columns. */
  target: EntityImage | null;
  /** Associate/Disassociate: the relationship and the rows on the other side. */
  relationship: { schemaName: string; relatedEntities: EntityRef[] } | null;
  preImages: Readonly<Record<string, EntityImage>>;
  postImages: Readonly<Record<string, EntityImage>>;
  /** The person who acted (an agent saving a form); UserId may be the impersonated one. */
  initiatingUserId: string;
  userId: string;
  correlationId: string;
  organizationId: string;
  requestId: string | null;
  /** When the operation happened: async steps may run later, and must stamp this time. */
  operationCreatedOn: Date | null;
  /**
   * Dataverse trimmed the context (over 256 KB, header `x-ms-dynamics-msg-size-exceeded`): it
   * carried no InputParameters and no images. For async steps the service puts the row, as read
   * now, in their place; sync steps cannot see what is being written.
   */
  trimmed: boolean;
}

export function isEntityRef(v: AttributeValue | undefined): v is EntityRef {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && !Array.isArray(v) && 'logicalName' in v;
}

/** Reads a column from the target first, then an image: what the row will look like after the write. */
export function valueOf(ctx: StepContext, column: string, imageAlias?: string): AttributeValue | undefined {
  const fromTarget = ctx.target?.attributes[column];
  if (fromTarget !== undefined) return fromTarget;
  if (imageAlias) return ctx.preImages[imageAlias]?.attributes[column] ?? ctx.postImages[imageAlias]?.attributes[column];
  return undefined;
}

export function refId(v: AttributeValue | undefined): string | null {
  return isEntityRef(v) ? v.id.toLowerCase() : null;
}

export function numberValue(v: AttributeValue | undefined): number | null {
  return typeof v === 'number' ? v : null;
}

export function textValue(v: AttributeValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

export function dateValue(v: AttributeValue | undefined): Date | null {
  return v instanceof Date ? v : null;
}
