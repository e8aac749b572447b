// Names Dataverse uses for the standard tables we touch, and stable ids derived from names.
import { createHash } from 'node:crypto';

export const standardSchemaNames: Record<string, string> = {
  contact: 'Contact',
  account: 'Account',
  systemuser: 'SystemUser',
  queue: 'Queue',
  incident: 'Incident',
};

/** Privilege names use a different suffix for some standard tables (systemuser → User). */
export const privilegeEntityNames: Record<string, string> = { ...standardSchemaNames, systemuser: 'User' };

export const standardObjectTypeCodes: Record<string, number> = { account: 1, contact: 2, systemuser: 8, incident: 112, queue: 2020 };

/** Our tables keep their logical name as schema name, so Web API names are predictable. */
export const schemaNameOf = (logicalName: string): string => standardSchemaNames[logicalName] ?? logicalName;

/**
 * A GUID derived from a name (SHA-1, RFC 4122 version 5 layout): the same step or endpoint
 * gets the same id in every build, so importing a newer version updates it in place.
 */
export function stableGuid(name: string): string {
  const h = createHash('sha1').update(`switchboard:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export const braced = (guid: string): string => `{${guid.toLowerCase()}}`;
