// A row read through the Web API, turned into the image a webhook would have carried. Used when
// Dataverse trims a context over 256 KB (header `x-ms-dynamics-msg-size-exceeded`): it then
// leaves out InputParameters and every image, and the documented way on is to read the row.
import { metadata } from '@switchboard/solution';
import type { AttributeValue, EntityImage } from './execution-context';

const LOOKUP = /^_(.+)_value$/;

export function rowToImage(table: string, id: string, row: Readonly<Record<string, unknown>>): EntityImage {
  const entity = metadata.entities[table];
  if (!entity) throw new Error(`Unknown table ${table}`);
  const attributes: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.includes('@')) continue;
    const lookup = LOOKUP.exec(key);
    const name = lookup ? lookup[1]! : key;
    const a = entity.attributes[name];
    if (!a) continue;
    if (value === null || value === undefined) {
      attributes[name] = null;
      continue;
    }
    if (lookup) {
      const target = row[`${key}@Microsoft.Dynamics.CRM.lookuplogicalname`];
      const logicalName = typeof target === 'string' ? target : a.targets?.length === 1 ? a.targets[0]! : null;
      // A polymorphic lookup without its annotation cannot name its table: leave it out rather than guess.
      if (logicalName) attributes[name] = { logicalName, id: String(value).toLowerCase() };
      continue;
    }
    switch (a.type) {
      case 'datetime': {
        const d = new Date(String(value));
        if (!Number.isNaN(d.getTime())) attributes[name] = d;
        break;
      }
      case 'multichoice':
        attributes[name] = String(value).split(',').filter(Boolean).map(Number);
        break;
      default:
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') attributes[name] = value;
    }
  }
  return { logicalName: table, id: id.toLowerCase(), attributes };
}
