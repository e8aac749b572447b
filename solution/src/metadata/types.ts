// The runtime metadata generated from the data model (solution/src/generated/metadata.ts).
// Functions, plugins, controls and the Dataverse emulator read tables through this,
// never through the model declarations, so they see exactly what Dataverse would:
// system columns included, logical names, entity set names, keys and lookup targets.
import type { ColumnType, ManyToManyDef, OneToManyDef, PrivilegeDepth, PrivilegeKind } from '../model/types';

export interface AttributeMetadata {
  logicalName: string;
  type: ColumnType;
  required: boolean;
  /** Columns Dataverse maintains itself (createdon, versionnumber...): never writable by callers. */
  system: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  /** lookup / customer / owner: tables it may point to */
  targets?: string[];
  /** choice / multichoice / state / status: the allowed values */
  options?: number[];
  /** choice / multichoice: the global choice's name (`swb_conversationstate`) */
  optionSet?: string;
  /** Indexed by the emulator: alternate key columns and columns Switchboard searches. */
  searched?: boolean;
  /** Column security: readable and writable only through a field security profile. */
  secured?: boolean;
  /** What Dataverse stores on create when the caller gives nothing (systemuser.isdisabled: false). */
  defaultValue?: boolean | number;
}

export interface EntityMetadata {
  logicalName: string;
  entitySetName: string;
  primaryIdAttribute: string;
  primaryNameAttribute: string;
  isActivity: boolean;
  standard: boolean;
  ownership: 'user' | 'organization';
  attributes: Record<string, AttributeMetadata>;
  alternateKeys: { logicalName: string; columns: string[] }[];
}

export interface RoleMetadata {
  id: string;
  name: string;
  privileges: Record<string, Partial<Record<PrivilegeKind, PrivilegeDepth>>>;
}

export interface FieldSecurityProfileMetadata {
  id: string;
  name: string;
  /** table → column → what the profile's members may do with it */
  permissions: Record<string, Record<string, { read: boolean; create: boolean; update: boolean }>>;
}

export interface Metadata {
  /** by logical name */
  entities: Record<string, EntityMetadata>;
  /** entity set name -> logical name */
  entitySets: Record<string, string>;
  oneToMany: OneToManyDef[];
  manyToMany: ManyToManyDef[];
  roles: RoleMetadata[];
  fieldSecurityProfiles: FieldSecurityProfileMetadata[];
  /** Global choices by name, with English labels (formatted values). */
  optionSets?: Record<string, { value: number; name: string; label: string }[]>;
}
