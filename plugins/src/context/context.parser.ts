// Validates the RemoteExecutionContext a Dataverse webhook posts and turns it into a
// StepContext. Anything we cannot read with certainty is refused with the JSON path of the
// first problem, so a misregistered step (wrong message, wrong table) fails loudly at the edge
// instead of half-working in a handler.
import { type Result, err, ok } from '@switchboard/core';
import type { AttributeValue, EntityImage, EntityRef, StepContext, StepMessageName } from './execution-context';

export interface ContextError {
  code: 'context.malformed' | 'context.unsupportedMessage';
  message: string;
  path: string;
}

const MESSAGES: readonly StepMessageName[] = ['Create', 'Update', 'Delete', 'Associate', 'Disassociate'];
const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
// WCF DataContract dates: milliseconds since the epoch, optionally with a ±hhmm offset that does
// not change the instant (it only says which zone the sender was in).
const DOTNET_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

class Malformed extends Error {
  constructor(
    readonly path: string,
    message: string,
    readonly code: ContextError['code'] = 'context.malformed',
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, path: string): Json {
  if (!isObject(v)) throw new Malformed(path, `${path} must be an object`);
  return v;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new Malformed(path, `${path} must be a non-empty string`);
  return v;
}

function guid(v: unknown, path: string): string {
  const s = str(v, path);
  if (!GUID.test(s)) throw new Malformed(path, `${path} must be a GUID, got '${s.slice(0, 60)}'`);
  return s.replace(/[{}]/g, '').toLowerCase();
}

function int(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Malformed(path, `${path} must be an integer`);
  return v;
}

function typeTag(v: Json): string | null {
  const t = v['__type'];
  // "EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts" → "EntityReference"
  return typeof t === 'string' ? t.split(':')[0]! : null;
}

function dotNetDate(s: string): Date | null {
  const m = DOTNET_DATE.exec(s);
  if (!m) return null;
  const d = new Date(Number(m[1]));
  return Number.isNaN(d.getTime()) ? null : d;
}

function entityRef(v: unknown, path: string): EntityRef {
  const o = obj(v, path);
  const tag = typeTag(o);
  if (tag !== null && tag !== 'EntityReference') throw new Malformed(path, `${path} must be an EntityReference, got ${tag}`);
  const ref: EntityRef = { logicalName: str(o['LogicalName'], `${path}.LogicalName`), id: guid(o['Id'], `${path}.Id`) };
  if (typeof o['Name'] === 'string') ref.name = o['Name'];
  return ref;
}

/** undefined = a value type we do not use (AliasedValue, EntityCollection...): the column is left out. */
function attributeValue(v: unknown, path: string): AttributeValue | undefined {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Malformed(path, `${path} is not a finite number`);
    return v;
  }
  if (typeof v === 'string') return dotNetDate(v) ?? v;
  if (Array.isArray(v)) {
    // Multi-select choices arrive as an array of OptionSetValue.
    return v.map((x, i) => {
      const o = obj(x, `${path}[${i}]`);
      if (typeTag(o) !== 'OptionSetValue') throw new Malformed(`${path}[${i}]`, `${path}[${i}] must be an OptionSetValue`);
      return int(o['Value'], `${path}[${i}].Value`);
    });
  }
  const o = obj(v, path);
  switch (typeTag(o)) {
    case 'EntityReference':
      return entityRef(o, path);
    case 'OptionSetValue':
      return int(o['Value'], `${path}.Value`);
    case 'Money': {
      const value = o['Value'];
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new Malformed(`${path}.Value`, `${path}.Value must be a number`);
      return value;
    }
    case null:
      throw new Malformed(path, `${path} is an object without a __type`);
    default:
      return undefined;
  }
}

function keyValues(v: unknown, path: string): [string, unknown, string][] {
  if (!Array.isArray(v)) throw new Malformed(path, `${path} must be an array of {key, value}`);
  return v.map((kv, i) => {
    const o = obj(kv, `${path}[${i}]`);
    return [str(o['key'], `${path}[${i}].key`), o['value'], `${path}[${i}].value`];
  });
}

function entity(v: unknown, path: string): EntityImage {
  const o = obj(v, path);
  const tag = typeTag(o);
  if (tag !== null && tag !== 'Entity') throw new Malformed(path, `${path} must be an Entity, got ${tag}`);
  const attributes: Record<string, AttributeValue> = {};
  for (const [key, value, at] of keyValues(o['Attributes'], `${path}.Attributes`)) {
    const decoded = attributeValue(value, at);
    if (decoded !== undefined) attributes[key.toLowerCase()] = decoded;
  }
  return { logicalName: str(o['LogicalName'], `${path}.LogicalName`), id: guid(o['Id'], `${path}.Id`), attributes };
}

function images(v: unknown, path: string): Record<string, EntityImage> {
  if (v === undefined || v === null) return {};
  const out: Record<string, EntityImage> = {};
  for (const [key, value, at] of keyValues(v, path)) out[key] = entity(value, at);
  return out;
}

export interface ParseOptions {
  /** The request carried `x-ms-dynamics-msg-size-exceeded`: InputParameters and images were left out. */
  trimmed?: boolean;
}

function parse(body: unknown, options: ParseOptions): StepContext {
  const root = obj(typeof body === 'string' ? safeJson(body) : body, '$');
  const messageName = str(root['MessageName'], '$.MessageName');
  if (!MESSAGES.includes(messageName as StepMessageName)) {
    throw new Malformed('$.MessageName', `Message '${messageName}' is not handled by Switchboard steps`, 'context.unsupportedMessage');
  }
  const message = messageName as StepMessageName;
  const stage = int(root['Stage'], '$.Stage');
  if (stage !== 10 && stage !== 20 && stage !== 40) throw new Malformed('$.Stage', '$.Stage must be 10, 20 or 40');
  const mode = int(root['Mode'], '$.Mode');
  if (mode !== 0 && mode !== 1) throw new Malformed('$.Mode', '$.Mode must be 0 (sync) or 1 (async)');
  const depth = int(root['Depth'], '$.Depth');
  if (depth < 1) throw new Malformed('$.Depth', '$.Depth must be at least 1');

  const trimmed = options.trimmed === true;
  const inputs = new Map<string, [unknown, string]>();
  if (!(trimmed && (root['InputParameters'] === undefined || root['InputParameters'] === null))) {
    for (const [key, value, at] of keyValues(root['InputParameters'], '$.InputParameters')) inputs.set(key, [value, at]);
  }
  const primaryEntityName = str(root['PrimaryEntityName'], '$.PrimaryEntityName').toLowerCase();
  const primaryEntityId = guid(root['PrimaryEntityId'], '$.PrimaryEntityId');

  let target: EntityImage | null = null;
  let relationship: StepContext['relationship'] = null;
  const targetParam = inputs.get('Target');
  if (trimmed && !targetParam && message !== 'Associate' && message !== 'Disassociate') {
    // Only the row's name and id survive the trim; the service reads the row for async steps.
    target = { logicalName: primaryEntityName, id: primaryEntityId, attributes: {} };
  } else if (message === 'Create' || message === 'Update') {
    if (!targetParam) throw new Malformed('$.InputParameters', `${message} needs a Target input parameter`);
    target = entity(targetParam[0], targetParam[1]);
  } else if (message === 'Delete') {
    if (!targetParam) throw new Malformed('$.InputParameters', 'Delete needs a Target input parameter');
    const ref = entityRef(targetParam[0], targetParam[1]);
    target = { logicalName: ref.logicalName, id: ref.id, attributes: {} };
  } else {
    // Associate/Disassociate: Target is the row named in the request, RelatedEntities the other side.
    if (!targetParam) throw new Malformed('$.InputParameters', `${message} needs a Target input parameter`);
    const ref = entityRef(targetParam[0], targetParam[1]);
    target = { logicalName: ref.logicalName, id: ref.id, attributes: {} };
    const rel = inputs.get('Relationship');
    const related = inputs.get('RelatedEntities');
    if (!rel || !related) throw new Malformed('$.InputParameters', `${message} needs Relationship and RelatedEntities input parameters`);
    const relObj = obj(rel[0], rel[1]);
    const relatedList = Array.isArray(related[0]) ? related[0] : obj(related[0], related[1])['Entities'];
    if (!Array.isArray(relatedList)) throw new Malformed(related[1], `${related[1]} must be a list of EntityReference`);
    relationship = {
      schemaName: str(relObj['SchemaName'], `${rel[1]}.SchemaName`),
      relatedEntities: relatedList.map((r, i) => entityRef(r, `${related[1]}[${i}]`)),
    };
  }

  const created = root['OperationCreatedOn'];
  return {
    messageName: message,
    primaryEntityName,
    primaryEntityId,
    stage,
    mode: mode === 0 ? 'sync' : 'async',
    depth,
    target,
    relationship,
    preImages: images(root['PreEntityImages'], '$.PreEntityImages'),
    postImages: images(root['PostEntityImages'], '$.PostEntityImages'),
    initiatingUserId: guid(root['InitiatingUserId'], '$.InitiatingUserId'),
    userId: guid(root['UserId'], '$.UserId'),
    correlationId: guid(root['CorrelationId'], '$.CorrelationId'),
    organizationId: guid(root['OrganizationId'], '$.OrganizationId'),
    requestId: typeof root['RequestId'] === 'string' && GUID.test(root['RequestId']) ? root['RequestId'].toLowerCase() : null,
    operationCreatedOn: typeof created === 'string' ? dotNetDate(created) : null,
    trimmed,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Malformed('$', 'The body is not JSON');
  }
}

export function parseExecutionContext(body: unknown, options: ParseOptions = {}): Result<StepContext, ContextError> {
  try {
    return ok(parse(body, options));
  } catch (e) {
    if (e instanceof Malformed) return err({ code: e.code, message: e.message, path: e.path });
    throw e;
  }
}
