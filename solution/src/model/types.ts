// The shape of the Switchboard data model as code. Tables, columns, choices,
// relationships, keys, roles and environment variables are declared once with these
// types (in solution/src/model/*.ts); row types, the metadata module, the solution XML
// and the emulator's schema are all generated or derived from those declarations.

/** A label in every language we ship: English (1033) and French (1036). */
export interface Label {
  1033: string;
  1036: string;
}

export type ColumnType =
  | 'string'
  | 'memo'
  | 'integer'
  | 'bigint'
  | 'decimal'
  | 'double'
  | 'money'
  | 'boolean'
  | 'datetime'
  | 'choice'
  | 'multichoice'
  | 'lookup'
  | 'customer'
  | 'owner'
  | 'uniqueidentifier'
  | 'state'
  | 'status';

export type RequiredLevel = 'none' | 'recommended' | 'required';

export interface ColumnDef {
  /** Lower-case logical name, publisher prefix included for our own columns (`swb_body`). */
  logicalName: string;
  type: ColumnType;
  displayName: Label;
  description: Label;
  required?: RequiredLevel;
  /** string / memo */
  maxLength?: number;
  /** string format */
  format?: 'text' | 'textarea' | 'email' | 'phone' | 'url' | 'json';
  /** integer / decimal / double / money */
  min?: number;
  max?: number;
  precision?: number;
  /** datetime */
  dateOnly?: boolean;
  /** choice / multichoice: name of a global choice in `choices` */
  choice?: string;
  /** lookup / customer / owner: logical names of the tables it may point to */
  targets?: string[];
  /** default value for boolean / choice / number columns */
  defaultValue?: number | boolean | string;
  /**
   * True for a column that exists on a standard table already (contact.mobilephone):
   * referenced so the metadata knows it, never written into the solution.
   */
  standard?: boolean;
  /** Column searched by Switchboard: the emulator indexes it, the packer may not care. */
  searched?: boolean;
  /**
   * Column security (field security): only users given access by a field security profile
   * may read, create or update it; for everyone else a read returns null and a write is
   * refused. For columns only admins or the app may set (capacity, offer expiry, lifecycle
   * times). `'hidden'`: not even readable by agents and supervisors (the customer token hash).
   */
  secured?: true | 'hidden';
}

export interface AlternateKeyDef {
  logicalName: string;
  displayName: Label;
  columns: string[];
}

export interface TableDef {
  logicalName: string;
  /** Web API entity set name (plural, lower-case): `swb_conversations`. */
  entitySetName: string;
  displayName: Label;
  pluralName: Label;
  description: Label;
  ownership: 'user' | 'organization';
  /** Activity tables (conversation, session) use `activityid` and appear on timelines. */
  isActivity?: boolean;
  /** A standard table (contact, account...) we reference and extend with columns only. */
  standard?: boolean;
  /** Primary name column; activities use `subject`. */
  primaryName: { logicalName: string; displayName: Label; maxLength: number };
  columns: ColumnDef[];
  alternateKeys?: AlternateKeyDef[];
}

export interface ChoiceOptionDef {
  value: number;
  /** Stable code name used by generated TypeScript enums (`Active`). */
  name: string;
  label: Label;
}

export interface ChoiceDef {
  /** Global choice logical name with prefix: `swb_conversationstate`. */
  name: string;
  displayName: Label;
  description: Label;
  options: ChoiceOptionDef[];
}

export type CascadeType = 'Cascade' | 'Active' | 'NoCascade' | 'UserOwned' | 'RemoveLink' | 'Restrict';

export interface OneToManyDef {
  kind: 'oneToMany';
  schemaName: string;
  referencedTable: string;
  referencingTable: string;
  /** The lookup column on the referencing table. */
  lookupColumn: string;
  cascadeDelete: CascadeType;
  cascadeAssign?: CascadeType;
  /**
   * Web API single-valued navigation property on the referencing table (what
   * `@odata.bind` uses): the lookup's schema name, or `<lookup>_<target>` for
   * customer lookups that point at several tables.
   */
  navigationProperty?: string;
  /** True when the relationship ships with Dataverse (contact_customer_accounts) and is not written to the solution. */
  standard?: boolean;
}

export interface ManyToManyDef {
  kind: 'manyToMany';
  schemaName: string;
  table1: string;
  table2: string;
  intersectEntityName: string;
  /** True when the relationship is standard (queuemembership) and not written to the solution. */
  standard?: boolean;
}

export type RelationshipDef = OneToManyDef | ManyToManyDef;

/** Dataverse privilege depth: none, user, business unit, parent-child BU, organization. */
export type PrivilegeDepth = 'none' | 'basic' | 'local' | 'deep' | 'global';

export type PrivilegeKind = 'create' | 'read' | 'write' | 'delete' | 'append' | 'appendTo' | 'assign' | 'share';

export type TablePrivileges = Partial<Record<PrivilegeKind, PrivilegeDepth>>;

export interface RoleDef {
  /** Stable role id (GUID) so upgrades update the same role. */
  id: string;
  name: Label;
  description: Label;
  privileges: Record<string, TablePrivileges>;
}

export interface EnvironmentVariableDef {
  schemaName: string;
  displayName: Label;
  description: Label;
  type: 'string' | 'number' | 'boolean' | 'json' | 'secret';
  defaultValue?: string;
}

/** What one field security profile grants on one secured column. */
export interface FieldPermissionDef {
  table: string;
  column: string;
  read: boolean;
  create: boolean;
  update: boolean;
}

/**
 * A column security profile (Dataverse `fieldsecurityprofile`): users and teams are added to
 * it (N:N `systemuserprofiles_association`), and it grants access to secured columns. A user
 * in no profile that grants a column gets null on read and a refusal on write.
 */
export interface FieldSecurityProfileDef {
  /** Stable id (GUID) so upgrades update the same profile. */
  id: string;
  name: Label;
  description: Label;
  permissions: FieldPermissionDef[];
}

export interface DataModel {
  tables: TableDef[];
  choices: ChoiceDef[];
  relationships: RelationshipDef[];
  roles: RoleDef[];
  fieldSecurityProfiles: FieldSecurityProfileDef[];
  environmentVariables: EnvironmentVariableDef[];
}
