// customizations.xml: entities (with attributes and keys), global choices, relationships,
// roles, custom controls, webhook service endpoints and their steps, and the apps, in the
// order Dataverse exports them (fixtures/real-exports). That is the published schema's order,
// except inside a plug-in step, where Dataverse writes SdkMessageId first.
import type { ChoiceDef, ColumnDef, DataModel, FieldSecurityProfileDef, Label, OneToManyDef, ManyToManyDef, PrivilegeDepth, PrivilegeKind, RoleDef, TableDef } from '../model/types';
import { buildEntity, primaryIdOf } from '../generate/metadata.builder';
import type { UiDefinition } from '../ui/types';
import { ACTIVITY_TYPE_MASK, activityColumns, type PlatformColumn } from './activity-columns';
import { appModuleSiteMapTree, appModuleTree } from './app-module.emitter';
import type { ControlProperty } from './controls.collector';
import { systemFormTree } from './form.emitter';
import { savedQueryTree } from './view.emitter';
import { el, leaf, type XmlElement } from '../xml/xml';
import { braced, privilegeEntityNames, schemaNameOf, stableGuid, standardObjectTypeCodes } from './names';
import type { PluginRegistrations, StepMessage, StepRegistration } from './plugin-steps';

export interface ControlEntry {
  /** `<namespace>.<constructor>` */
  name: string;
  properties?: ControlProperty[];
}

export interface CustomizationsInput {
  model: DataModel;
  controls: ControlEntry[];
  registrations?: PluginRegistrations;
  /** Message ids beyond sdkMessageIds (the packer's SWITCHBOARD_SDKMESSAGE_IDS). */
  sdkMessageIds?: Partial<Record<StepMessage, string>>;
  /** Forms, views and apps; forms and views go inside their table's `<Entity>`. */
  ui?: UiDefinition;
  /** The solution version, written as IntroducedVersion where exports carry one (steps, apps). */
  version?: string;
}

/** What exports write as IntroducedVersion for a component of a solution's first version. */
const INTRODUCED_VERSION = '1.0.0.0';

// IntroducedVersion only where every export writes it (steps, apps). Elsewhere it is optional and
// Dataverse fills it with the solution version.
const LANGUAGES = [1033, 1036] as const;

const labels = (wrapper: string, item: string, l: Label) =>
  el(wrapper, null, LANGUAGES.map((lcid) => el(item, { description: l[lcid], languagecode: lcid })));

const yes = (b: boolean) => (b ? '1' : '0');

const crmType: Record<ColumnDef['type'], string> = {
  string: 'nvarchar',
  memo: 'ntext',
  integer: 'int',
  bigint: 'bigint',
  decimal: 'decimal',
  double: 'float',
  money: 'money',
  boolean: 'bit',
  datetime: 'datetime',
  choice: 'picklist',
  multichoice: 'picklist',
  lookup: 'lookup',
  customer: 'customer',
  owner: 'owner',
  uniqueidentifier: 'uniqueidentifier',
  state: 'state',
  status: 'status',
};

function stringFormat(c: ColumnDef): string {
  // JSON is our convention for the content, not a Dataverse format: it is a plain text area there.
  if (c.type === 'memo') return c.format === 'text' ? 'text' : 'textarea';
  return c.format === 'email' || c.format === 'phone' || c.format === 'url' ? c.format : 'text';
}

function attribute(table: TableDef, c: ColumnDef): XmlElement {
  const type = crmType[c.type];
  const children: (XmlElement | false)[] = [
    leaf('Type', type),
    leaf('Name', c.logicalName),
    leaf('LogicalName', c.logicalName),
    leaf('RequiredLevel', c.required ?? 'none'),
    leaf('DisplayMask', 'ValidForAdvancedFind|ValidForForm|ValidForGrid'),
    leaf('ImeMode', 'auto'),
    c.type === 'lookup' || c.type === 'customer' ? leaf('LookupStyle', 'single') : false,
    c.type === 'lookup' || c.type === 'customer' ? el('LookupTypes') : false,
    leaf('ValidForUpdateApi', '1'),
    leaf('ValidForReadApi', '1'),
    leaf('ValidForCreateApi', '1'),
    leaf('IsCustomField', '1'),
    leaf('IsAuditEnabled', '1'),
    // Column security: only the field security profiles below may read, create or update it.
    leaf('IsSecured', yes(c.secured === true)),
    leaf('IsCustomizable', '1'),
    leaf('IsRenameable', '1'),
    leaf('CanModifySearchSettings', '1'),
    leaf('CanModifyRequirementLevelSettings', '1'),
    leaf('CanModifyAdditionalSettings', '1'),
    leaf('SourceType', '0'),
  ];
  switch (c.type) {
    case 'string':
    case 'memo':
      children.push(leaf('Format', stringFormat(c)), leaf('MaxLength', c.maxLength ?? (c.type === 'memo' ? 2000 : 100)));
      break;
    case 'integer':
    case 'bigint':
      children.push(leaf('Format', 'none'), leaf('MinValue', c.min ?? -2147483648), leaf('MaxValue', c.max ?? 2147483647));
      break;
    case 'decimal':
    case 'double':
    case 'money':
      children.push(leaf('MinValue', c.min ?? -100000000000), leaf('MaxValue', c.max ?? 100000000000), leaf('Accuracy', c.precision ?? 2));
      break;
    case 'datetime':
      children.push(leaf('Format', c.dateOnly ? 'date' : 'datetime'), leaf('CanChangeDateTimeBehavior', '1'), leaf('Behavior', c.dateOnly ? 2 : 1));
      break;
    case 'choice':
      children.push(leaf('OptionSetName', c.choice ?? ''));
      if (typeof c.defaultValue === 'number') children.push(leaf('AppDefaultValue', c.defaultValue));
      break;
    case 'boolean':
      children.push(
        el('optionset', { Name: `${table.logicalName}_${c.logicalName}` },
          leaf('OptionSetType', 'bit'),
          leaf('IsCustomizable', '1'),
          labels('displaynames', 'displayname', c.displayName),
          labels('Descriptions', 'Description', c.description),
          el('options', null,
            el('option', { value: 1 }, labels('labels', 'label', { 1033: 'Yes', 1036: 'Oui' })),
            el('option', { value: 0 }, labels('labels', 'label', { 1033: 'No', 1036: 'Non' })),
          ),
        ),
        leaf('AppDefaultValue', c.defaultValue === true ? 1 : 0),
      );
      break;
    default:
      break;
  }
  children.push(labels('displaynames', 'displayname', c.displayName), labels('Descriptions', 'Description', c.description));
  return el('attribute', { PhysicalName: c.logicalName }, children);
}

/** Primary key and primary name of a table we create that is not an activity (activities get activityColumns). */
function primaryAttributes(table: TableDef): XmlElement[] {
  const id = primaryIdOf(table);
  const idLabel: Label = { 1033: table.displayName[1033], 1036: table.displayName[1036] };
  return [
    el('attribute', { PhysicalName: id },
      leaf('Type', 'primarykey'),
      leaf('Name', id),
      leaf('LogicalName', id),
      leaf('RequiredLevel', 'systemrequired'),
      leaf('DisplayMask', 'ValidForAdvancedFind|RequiredForGrid'),
      leaf('ImeMode', 'auto'),
      leaf('ValidForReadApi', '1'),
      leaf('ValidForCreateApi', '1'),
      leaf('IsCustomField', '0'),
      leaf('IsAuditEnabled', '0'),
      leaf('IsSecured', '0'),
      leaf('IsCustomizable', '0'),
      leaf('IsRenameable', '0'),
      leaf('SourceType', '0'),
      labels('displaynames', 'displayname', idLabel),
      labels('Descriptions', 'Description', { 1033: `Unique identifier of the ${table.displayName[1033].toLowerCase()}.`, 1036: `Identifiant unique : ${table.displayName[1036].toLowerCase()}.` }),
    ),
    el('attribute', { PhysicalName: table.primaryName.logicalName },
      leaf('Type', 'nvarchar'),
      leaf('Name', table.primaryName.logicalName),
      leaf('LogicalName', table.primaryName.logicalName),
      leaf('RequiredLevel', 'none'),
      leaf('DisplayMask', 'PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm'),
      leaf('ImeMode', 'auto'),
      leaf('ValidForUpdateApi', '1'),
      leaf('ValidForReadApi', '1'),
      leaf('ValidForCreateApi', '1'),
      leaf('IsCustomField', '1'),
      leaf('IsAuditEnabled', '1'),
      leaf('IsSecured', '0'),
      leaf('IsCustomizable', '1'),
      leaf('IsRenameable', '1'),
      leaf('CanModifySearchSettings', '1'),
      leaf('CanModifyRequirementLevelSettings', '1'),
      leaf('CanModifyAdditionalSettings', '1'),
      leaf('SourceType', '0'),
      leaf('Format', 'text'),
      leaf('MaxLength', table.primaryName.maxLength),
      labels('displaynames', 'displayname', table.primaryName.displayName),
      labels('Descriptions', 'Description', { 1033: `Name of the ${table.displayName[1033].toLowerCase()}.`, 1036: `Nom : ${table.displayName[1036].toLowerCase()}.` }),
    ),
  ];
}

/**
 * One of the columns every activity table has (activity-columns.ts), as the activity export writes
 * it. Subject is the table's primary name: it carries the table's own labels in both languages.
 */
function platformAttribute(table: TableDef, c: PlatformColumn): XmlElement {
  const logicalName = c.physicalName.toLowerCase();
  const only1033 = (wrapper: string, item: string, text: string) => el(wrapper, null, el(item, { description: text, languagecode: 1033 }));
  const optionSet = c.optionSet
    ? el('optionset', { Name: `${table.logicalName}_${logicalName}` },
        leaf('OptionSetType', c.optionSet.type),
        only1033('displaynames', 'displayname', c.optionSet.displayName),
        only1033('Descriptions', 'Description', c.optionSet.description),
        c.optionSet.type === 'state'
          ? el('states', null, c.optionSet.options.map((o) => el('state', { value: o.value, defaultstatus: o.defaultStatus, invariantname: o.invariantName }, only1033('labels', 'label', o.label))))
          : c.optionSet.type === 'status'
            ? el('statuses', null, c.optionSet.options.map((o) => el('status', { value: o.value, state: o.state }, only1033('labels', 'label', o.label))))
            : el('options', null, c.optionSet.options.map((o) => el('option', { value: o.value }, only1033('labels', 'label', o.label)))),
      )
    : null;
  const children: (XmlElement | null)[] = [leaf('Type', c.type), leaf('Name', logicalName), leaf('LogicalName', logicalName)];
  for (const [name, value] of c.fields) {
    children.push(value === '' ? el(name) : leaf(name, value));
    // Where the export places them: LookupTypes after LookupStyle, a local option set after its default.
    if (name === 'LookupStyle' && c.lookupTypes) children.push(el('LookupTypes', null, c.lookupTypes.map((t) => leaf('LookupType', t, { id: '00000000-0000-0000-0000-000000000000' }))));
    if (name === 'AppDefaultValue') children.push(optionSet);
  }
  if (!c.fields.some(([name]) => name === 'AppDefaultValue')) children.push(optionSet);
  const isPrimaryName = logicalName === table.primaryName.logicalName;
  children.push(
    isPrimaryName ? labels('displaynames', 'displayname', table.primaryName.displayName) : only1033('displaynames', 'displayname', c.displayName),
    only1033('Descriptions', 'Description', c.description),
  );
  return el('attribute', { PhysicalName: c.physicalName }, children);
}

/** Labels of the columns Dataverse adds itself, for form cells placed on them. */
export const systemColumnLabels: Record<string, Label> = {
  ownerid: { 1033: 'Owner', 1036: 'Propriétaire' },
  regardingobjectid: { 1033: 'Regarding', 1036: 'Concernant' },
  description: { 1033: 'Description', 1036: 'Description' },
  createdon: { 1033: 'Created on', 1036: 'Créé le' },
  modifiedon: { 1033: 'Modified on', 1036: 'Modifié le' },
  statecode: { 1033: 'Status', 1036: 'Statut' },
  statuscode: { 1033: 'Status reason', 1036: 'Raison du statut' },
};

export function columnLabelOf(table: TableDef, column: string): Label | undefined {
  if (column === table.primaryName.logicalName) return table.primaryName.displayName;
  return table.columns.find((c) => c.logicalName === column)?.displayName ?? systemColumnLabels[column];
}

function uiOf(table: TableDef, input: CustomizationsInput, objectTypeCode: number): XmlElement[] {
  const { ui, model } = input;
  if (!ui) return [];
  const forms = ui.forms.filter((f) => f.table === table.logicalName);
  const views = ui.views.filter((v) => v.table === table.logicalName);
  if (forms.length === 0 && views.length === 0) return [];
  const metadata = buildEntity(table, model);
  const controls = new Map(input.controls.map((c) => [c.name, c.properties ?? []]));
  const columnLabel = (column: string): Label => columnLabelOf(table, column) ?? { 1033: column, 1036: column };
  const out: XmlElement[] = [];
  if (forms.length > 0) out.push(el('FormXml', null, el('forms', { type: 'main' }, forms.map((f) => systemFormTree(f, { entity: metadata, columnLabel, controls })))));
  if (views.length > 0) out.push(el('SavedQueries', null, el('savedqueries', null, views.map((v) => savedQueryTree(v, metadata, objectTypeCode)))));
  return out;
}

function entity(table: TableDef, objectTypeCode: number, input: CustomizationsInput): XmlElement {
  const schemaName = schemaNameOf(table.logicalName);
  const ours = table.columns.filter((c) => !c.standard);
  const system = table.standard ? [] : table.isActivity ? activityColumns.map((c) => platformAttribute(table, c)) : primaryAttributes(table);
  const attributes = el('attributes', null, system, ours.map((c) => attribute(table, c)));
  const keys = table.alternateKeys && table.alternateKeys.length > 0
    ? el('EntityKeys', null, table.alternateKeys.map((k) =>
        el('EntityKey', null,
          leaf('Name', k.logicalName),
          leaf('LogicalName', k.logicalName),
          leaf('IsCustomizable', '1'),
          labels('displaynames', 'displayname', k.displayName),
          el('EntityKeyAttributes', null, k.columns.map((c) => leaf('AttributeName', c))),
        )))
    : null;
  // A standard table we only extend carries just our columns; its own settings are not ours to ship.
  const info = table.standard
    ? el('entity', { Name: schemaName }, attributes)
    : el('entity', { Name: schemaName },
        labels('LocalizedNames', 'LocalizedName', table.displayName),
        labels('LocalizedCollectionNames', 'LocalizedCollectionName', table.pluralName),
        labels('Descriptions', 'Description', table.description),
        attributes,
        keys,
        leaf('EntityMask', table.isActivity ? 'ActivityEntity' : table.ownership === 'user' ? 'UserOwnedEntity' : 'OrganizationOwnedEntity'),
        leaf('IsCustomizable', '1'),
        leaf('IsRenameable', '1'),
        leaf('IsAuditEnabled', '1'),
        leaf('IsActivity', yes(table.isActivity === true)),
        table.isActivity ? leaf('ActivityTypeMask', ACTIVITY_TYPE_MASK) : null,
        leaf('IsActivityParty', '0'),
        leaf('HasRelatedNotes', 'True'),
        leaf('HasRelatedActivities', table.isActivity ? 'False' : 'True'),
        leaf('OwnershipTypeMask', table.ownership === 'user' ? 'UserOwned' : 'OrgOwned'),
        leaf('IsQuickCreateEnabled', '1'),
        leaf('ChangeTrackingEnabled', '1'),
      );
  return el('Entity', null,
    el('Name', { LocalizedName: table.displayName[1033], OriginalName: table.displayName[1033] }, schemaName),
    leaf('ObjectTypeCode', objectTypeCode),
    el('EntityInfo', null, info),
    uiOf(table, input, objectTypeCode),
  );
}

function optionSet(choice: ChoiceDef): XmlElement {
  return el('optionset', { Name: choice.name, localizedName: choice.displayName[1033], description: choice.description[1033] },
    leaf('OptionSetType', 'picklist'),
    leaf('IsGlobal', '1'),
    leaf('IsCustomizable', '1'),
    labels('displaynames', 'displayname', choice.displayName),
    labels('Descriptions', 'Description', choice.description),
    el('options', null, choice.options.map((o) => el('option', { value: o.value }, labels('labels', 'label', o.label)))),
  );
}

const cascadeAssign = (rel: OneToManyDef) => (rel.cascadeAssign === 'Active' ? 'ActiveOnly' : rel.cascadeAssign === 'RemoveLink' || rel.cascadeAssign === 'Restrict' || !rel.cascadeAssign ? 'NoCascade' : rel.cascadeAssign);
const cascadeDelete = (rel: OneToManyDef) => (rel.cascadeDelete === 'Active' || rel.cascadeDelete === 'UserOwned' ? 'NoCascade' : rel.cascadeDelete);

function oneToMany(rel: OneToManyDef, model: DataModel): XmlElement {
  const referencing = model.tables.find((t) => t.logicalName === rel.referencingTable);
  const lookup = referencing?.columns.find((c) => c.logicalName === rel.lookupColumn);
  const description: Label = lookup?.description ?? { 1033: rel.schemaName, 1036: rel.schemaName };
  return el('EntityRelationship', { Name: rel.schemaName },
    leaf('EntityRelationshipType', 'OneToMany'),
    leaf('IsCustomizable', '1'),
    leaf('IsHierarchical', '0'),
    leaf('ReferencingEntityName', schemaNameOf(rel.referencingTable)),
    leaf('ReferencedEntityName', schemaNameOf(rel.referencedTable)),
    leaf('CascadeAssign', cascadeAssign(rel)),
    leaf('CascadeDelete', cascadeDelete(rel)),
    leaf('CascadeReparent', 'NoCascade'),
    leaf('CascadeShare', 'NoCascade'),
    leaf('CascadeUnshare', 'NoCascade'),
    leaf('ReferencingAttributeName', rel.lookupColumn),
    el('RelationshipDescription', null, labels('Descriptions', 'Description', description)),
    el('EntityRelationshipRoles', null,
      el('EntityRelationshipRole', null, leaf('NavPaneDisplayOption', 'UseCollectionName'), leaf('NavPaneArea', 'Details'), leaf('NavPaneOrder', 10000)),
    ),
  );
}

function manyToMany(rel: ManyToManyDef): XmlElement {
  const role = () => el('EntityRelationshipRole', null, leaf('NavPaneDisplayOption', 'UseCollectionName'), leaf('NavPaneArea', 'Details'), leaf('NavPaneOrder', 10000));
  return el('EntityRelationship', { Name: rel.schemaName },
    leaf('EntityRelationshipType', 'ManyToMany'),
    leaf('IsCustomizable', '1'),
    leaf('IsHierarchical', '0'),
    leaf('FirstEntityName', schemaNameOf(rel.table1)),
    leaf('SecondEntityName', schemaNameOf(rel.table2)),
    leaf('IntersectEntityName', rel.intersectEntityName),
    el('RelationshipDescription', null, labels('Descriptions', 'Description', { 1033: rel.schemaName, 1036: rel.schemaName })),
    el('EntityRelationshipRoles', null, role(), role()),
  );
}

const privilegePrefix: Record<PrivilegeKind, string> = {
  create: 'prvCreate',
  read: 'prvRead',
  write: 'prvWrite',
  delete: 'prvDelete',
  append: 'prvAppend',
  appendTo: 'prvAppendTo',
  assign: 'prvAssign',
  share: 'prvShare',
};
const privilegeOrder: PrivilegeKind[] = ['create', 'read', 'write', 'delete', 'append', 'appendTo', 'assign', 'share'];
const level: Record<Exclude<PrivilegeDepth, 'none'>, string> = { basic: 'Basic', local: 'Local', deep: 'Deep', global: 'Global' };

export function rolePrivileges(role: RoleDef): { name: string; level: string }[] {
  const out: { name: string; level: string }[] = [];
  for (const [table, privileges] of Object.entries(role.privileges)) {
    const entityName = privilegeEntityNames[table] ?? table;
    for (const kind of privilegeOrder) {
      const depth = privileges[kind];
      if (!depth || depth === 'none') continue;
      out.push({ name: `${privilegePrefix[kind]}${entityName}`, level: level[depth] });
    }
  }
  return out;
}

function roleElement(role: RoleDef): XmlElement {
  return el('Role', { id: braced(role.id), name: role.name[1033] },
    leaf('IsCustomizable', '1'),
    el('RolePrivileges', null, rolePrivileges(role).map((p) => el('RolePrivilege', { name: p.name, level: p.level }))),
  );
}

/** How FieldPermission encodes an access: 4 = allowed, 0 = not allowed (the CaseSystem export's values). */
const FIELD_ACCESS = { allowed: 4, denied: 0 } as const;
const access = (granted: boolean) => (granted ? FIELD_ACCESS.allowed : FIELD_ACCESS.denied);

/**
 * A column security profile as exported (fixtures/real-exports/casesystem): one name and description
 * (the schema has no per-language labels for them), then CanRead, CanUpdate, CanCreate per column.
 * CanReadUnmasked, which newer exports add, is left out: neither schema declares it, and absent it
 * means what its exported 0 means — no unmasked read.
 */
function fieldSecurityProfile(p: FieldSecurityProfileDef): XmlElement {
  return el('FieldSecurityProfile', { name: p.name[1033], description: p.description[1033], fieldsecurityprofileid: braced(p.id) },
    el('FieldPermissions', null, p.permissions.map((f) =>
      el('FieldPermission', null,
        leaf('EntityName', f.table),
        leaf('AttributeName', f.column),
        leaf('CanRead', access(f.read)),
        leaf('CanUpdate', access(f.update)),
        leaf('CanCreate', access(f.create)),
      ))),
  );
}

// Ids of the platform messages every Dataverse organisation shares, as Microsoft Learn shows
// them ("Use messages with the Organization service": the sdkmessagefilters of account).
// Associate and Disassociate are in no source we could check, and a wrong id fails the whole
// import, so they are not guessed: the packer takes them from SWITCHBOARD_SDKMESSAGE_IDS.
export const sdkMessageIds: Partial<Record<StepMessage, string>> = {
  Create: '9ebdbb1b-ea3e-db11-86a7-000a3a5473e8',
  Update: '20bebb1b-ea3e-db11-86a7-000a3a5473e8',
  Delete: 'a1bdbb1b-ea3e-db11-86a7-000a3a5473e8',
};
/** serviceendpoint's object type code: the step's event handler is an endpoint, not a plugin type. */
const SERVICE_ENDPOINT_TYPE_CODE = 4618;
/**
 * The plug-in type Dataverse binds every webhook step to, with the id it has in every organisation,
 * as the exported webhook step carries them (fixtures/real-exports/packagedeployer-mock). The
 * ServiceBusPlugin we used to name is the Azure Service Bus contract's, not the webhook's.
 */
export const WEBHOOK_PLUGIN_TYPE = 'Microsoft.Crm.ServiceBus.WebhookPlugin, Microsoft.Crm.ServiceBus, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35';
export const WEBHOOK_PLUGIN_TYPE_ID = 'fe4f0cdb-b254-4fa1-84f6-d58d0759b8b3';

export const endpointId = (name: string) => stableGuid(`serviceendpoint:${name}`);
export const stepId = (name: string) => stableGuid(`step:${name}`);
const imageId = (step: string, alias: string) => stableGuid(`image:${step}:${alias}`);

/**
 * A webhook step as Dataverse exports one: SdkMessageId first and unbraced, then the schema's order
 * (STEP_EXPORT_ORDER in validate/set-aside.ts, checked there). Empty FilteringAttributes and
 * SdkMessageProcessingStepImages are written anyway, and InvocationSource is 1, as in every export.
 */
function step(s: StepRegistration, messageIds: Partial<Record<StepMessage, string>>, version: string): XmlElement {
  const imageType = { pre: 0, post: 1, both: 2 } as const;
  const messageId = messageIds[s.message];
  if (!messageId) throw new Error(`step '${s.name}': no sdkmessage id for ${s.message}`);
  return el('SdkMessageProcessingStep', { Name: s.name, SdkMessageProcessingStepId: braced(stepId(s.name)) },
    leaf('SdkMessageId', messageId.toLowerCase()),
    leaf('PluginTypeName', WEBHOOK_PLUGIN_TYPE),
    leaf('PluginTypeId', WEBHOOK_PLUGIN_TYPE_ID),
    // No PrimaryEntity = no sdkmessagefilter: Associate/Disassociate steps see every relationship.
    s.primaryTable ? leaf('PrimaryEntity', s.primaryTable) : null,
    leaf('AsyncAutoDelete', yes(s.mode === 'async' && s.asyncAutoDelete !== false)),
    s.description ? leaf('Description', s.description) : null,
    s.filteringAttributes && s.filteringAttributes.length > 0 ? leaf('FilteringAttributes', [...s.filteringAttributes].join(',')) : el('FilteringAttributes'),
    leaf('InvocationSource', 1),
    leaf('Mode', s.mode === 'async' ? 1 : 0),
    leaf('Rank', s.rank ?? 1),
    leaf('EventHandler', braced(endpointId(s.serviceEndpoint))),
    leaf('EventHandlerTypeCode', SERVICE_ENDPOINT_TYPE_CODE),
    leaf('Stage', s.stage),
    leaf('IsCustomizable', '1'),
    leaf('IsHidden', '0'),
    leaf('SupportedDeployment', 0),
    leaf('IntroducedVersion', version),
    el('SdkMessageProcessingStepImages', null, (s.images ?? []).map((i) =>
      el('SdkMessageProcessingStepImage', { Name: i.alias },
        leaf('SdkMessageProcessingStepImageId', braced(imageId(s.name, i.alias))),
        i.attributes && i.attributes.length > 0 ? leaf('Attributes', i.attributes.join(',')) : null,
        leaf('EntityAlias', i.alias),
        leaf('ImageType', imageType[i.type]),
        leaf('MessagePropertyName', s.message === 'Create' ? 'Id' : 'Target'),
        leaf('IsCustomizable', '1'),
      ))),
  );
}

/**
 * Webhook service endpoint, children in the order of the exported webhook endpoint (fixtures/real-exports,
 * packagedeployer-mock): Url last. Path and SolutionNamespace are empty for a webhook, and Dataverse
 * writes them anyway; NamespaceFormat 1 is what it exports for a webhook too.
 */
function serviceEndpoint(e: PluginRegistrations['serviceEndpoints'][number]): XmlElement {
  return el('ServiceEndpoint', { ServiceEndpointId: braced(endpointId(e.name)), Name: e.name },
    leaf('ConnectionMode', 1),
    leaf('Contract', 8), // 8 = Webhook
    e.description ? leaf('Description', e.description) : null,
    el('Path'),
    el('SolutionNamespace'),
    leaf('UserClaim', 1),
    leaf('IsCustomizable', '1'),
    leaf('AuthType', 4), // 4 = Webhook Key (5 is Http Header, per the serviceendpoint table reference); the key (AuthValue) is never shipped
    leaf('MessageFormat', 2), // 2 = JSON
    leaf('NamespaceFormat', 1),
    leaf('Url', e.url),
  );
}

/** Object type codes for new tables: the schema requires one; Dataverse assigns its own (>= 10000) on import. */
export function objectTypeCodes(model: DataModel): Map<string, number> {
  const codes = new Map<string, number>();
  let next = 10000;
  for (const t of model.tables) codes.set(t.logicalName, standardObjectTypeCodes[t.logicalName] ?? next++);
  return codes;
}

export function customizationsTree(input: CustomizationsInput): XmlElement {
  const { model, controls, registrations, ui } = input;
  const codes = objectTypeCodes(model);
  const shipped = model.tables.filter((t) => !t.standard || t.columns.some((c) => !c.standard));
  const relationships = model.relationships.filter((r) => !r.standard);
  return el('ImportExportXml', { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' },
    el('Entities', null, shipped.map((t) => entity(t, codes.get(t.logicalName)!, input))),
    el('Roles', null, model.roles.map(roleElement)),
    el('Workflows'),
    el('FieldSecurityProfiles', null, model.fieldSecurityProfiles.map(fieldSecurityProfile)),
    el('Templates'),
    el('EntityMaps'),
    el('EntityRelationships', null, relationships.map((r) => (r.kind === 'oneToMany' ? oneToMany(r, model) : manyToMany(r)))),
    el('OrganizationSettings'),
    el('optionsets', null, model.choices.map(optionSet)),
    // Every export writes CustomControls, empty or not.
    el('CustomControls', null, controls.map((c) => el('CustomControl', null, leaf('Name', c.name), leaf('FileName', `/Controls/${c.name}/ControlManifest.xml`)))),
    // Steps and endpoints come before the apps, as in every export and the published schema's sequence.
    registrations && registrations.steps.length > 0 ? el('SdkMessageProcessingSteps', null, registrations.steps.map((s) => step(s, { ...sdkMessageIds, ...input.sdkMessageIds }, input.version ?? INTRODUCED_VERSION))) : null,
    registrations && registrations.serviceEndpoints.length > 0 ? el('ServiceEndpoints', null, registrations.serviceEndpoints.map(serviceEndpoint)) : null,
    ui && ui.apps.length > 0 ? el('AppModuleSiteMaps', null, ui.apps.map(appModuleSiteMapTree)) : null,
    ui && ui.apps.length > 0 ? el('AppModules', null, ui.apps.map((a) => appModuleTree(a, input.version ?? INTRODUCED_VERSION))) : null,
    el('Languages', null, LANGUAGES.map((l) => leaf('Language', l))),
  );
}
