// What schema validation sets aside, in one place. Every package is validated against two Microsoft
// schemas (validate/schema-sets.ts): the one published on Learn ('docs') and the older SDK one ('sdk').
// Before xmllint runs, a copy of the file loses what a schema cannot accept, and our own rules check
// what was removed (checkSetAside below, ui.validator's checkUiSetAside, and for the solution
// manifest solution/schemas/solution-manifest.xsd).
//
// - setAsideRules: what neither schema accepts. Either the schemas predate it (PCF bindings on forms,
//   the solution manifest) or Dataverse's own exports disagree with them (a step's child order, a few
//   app elements) — and Dataverse re-imports its own exports, so we write what it writes.
// - sdkSchemaGaps: what only the SDK schema, older, does not know; the published schema validates it.
import { select, textOf, without, type XmlElement } from '../xml/xml';
import type { SchemaName } from './schema-sets';

export interface SetAsideRule {
  /** Path of element names from the root, e.g. `ImportExportXml/CustomControls`. */
  path: string;
  /** Attributes of that element set aside instead of the element itself. */
  attributes?: string[];
  /** Child elements of that element set aside instead of the element itself. */
  children?: string[];
  /** Which schemas' copies it is set aside from. */
  schemas: SchemaName[];
  reason: string;
  /**
   * For a required attribute or an element a schema types wrongly: the value the copy gets instead
   * of dropping it (dropping would only trade one error for "missing"), so the rest is still checked.
   */
  rewrite?: (value: string) => string;
  /** The copy lists the element's children in this order (the schema's), so each value is still type-checked. */
  reorder?: string[];
}

/** Where a systemform's `<form>` sits in customizations.xml. */
export const SYSTEMFORM_PATH = ['ImportExportXml', 'Entities', 'Entity', 'FormXml', 'forms', 'systemform'];
const FORM = [...SYSTEMFORM_PATH, 'form'].join('/');
const STEP = 'ImportExportXml/SdkMessageProcessingSteps/SdkMessageProcessingStep';

/** sdkmessageprocessingsteptype's sequence, in both schemas (the SDK's lacks PluginTypeId). */
export const STEP_SCHEMA_ORDER = [
  'PluginTypeName', 'PluginTypeId', 'PrimaryEntity', 'SecondaryEntity', 'AsyncAutoDelete', 'Configuration', 'Description',
  'FilteringAttributes', 'ImpersonatingUserIdName', 'InvocationSource', 'Mode', 'Rank', 'SdkMessageId', 'EventHandler',
  'EventHandlerTypeCode', 'Stage', 'IsCustomizable', 'IsHidden', 'SupportedDeployment', 'IntroducedVersion', 'SdkMessageProcessingStepImages',
];

/**
 * A step's children as Dataverse exports them (fixtures/real-exports: the webhook step of
 * packagedeployer-mock, the plug-in steps of power365crm-sales): the schema's order with SdkMessageId
 * moved first. Description is in neither export; it keeps its schema place, after AsyncAutoDelete.
 */
export const STEP_EXPORT_ORDER = ['SdkMessageId', ...STEP_SCHEMA_ORDER.filter((n) => n !== 'SdkMessageId')];

export const setAsideRules: SetAsideRule[] = [
  {
    path: `${FORM}/controlDescriptions`,
    schemas: ['docs', 'sdk'],
    reason: "PCF control bindings on forms (2018) postdate FormXml.xsd, and the published page covers customizations.xml, not FormXml.xsd; checked: every controlDescription names a control uniqueid of its form, a built control, all three form factors, the bound property bound to the cell's column, static values of the manifest's types",
  },
  {
    path: `${FORM}/tabs/tab/columns/column/sections/section/rows/row/cell/control`,
    attributes: ['uniqueid'],
    schemas: ['docs', 'sdk'],
    reason: 'control uniqueid (the key controlDescriptions point at) postdates FormXml.xsd; checked: a braced GUID, unique within the form',
  },
  {
    path: STEP,
    schemas: ['docs', 'sdk'],
    reorder: STEP_SCHEMA_ORDER,
    reason: "Dataverse exports a step with SdkMessageId first, which both schemas' sequence refuse; the copy lists the children in schema order so every value is still checked; checked: the children follow the exported order",
  },
  {
    path: 'ImportExportXml/AppModules/AppModule',
    children: ['statecode', 'statuscode', 'NavigationType', 'appsettings'],
    schemas: ['docs'],
    reason: 'exported apps carry these, the published schema (2018) does not declare them; checked: statecode 0, statuscode 1, NavigationType 0 or 1',
  },
  {
    path: 'ImportExportXml/AppModuleSiteMaps/AppModuleSiteMap',
    children: ['EnableCollapsibleGroups', 'ShowHome', 'ShowPinned', 'ShowRecents'],
    schemas: ['docs'],
    reason: 'exported app site maps carry these, the published schema does not declare them; checked: True or False',
  },
  {
    path: 'ImportExportXml/SolutionManifest',
    schemas: ['docs', 'sdk'],
    reason: "solution.xml's manifest is declared by neither schema; checked against solution/schemas/solution-manifest.xsd",
  },
  {
    path: 'ImportExportXml',
    attributes: ['version', 'SolutionPackageVersion', 'languagecode', 'generatedBy'],
    schemas: ['docs', 'sdk'],
    reason: 'root attributes Dataverse writes on solution.xml, declared by neither schema; checked by solution-manifest.xsd',
  },
];

export const sdkSchemaGaps: SetAsideRule[] = [
  { path: 'ImportExportXml/CustomControls', schemas: ['sdk'], reason: 'PCF custom controls (2018) postdate the SDK schema' },
  { path: 'ImportExportXml/AppModuleSiteMaps', schemas: ['sdk'], reason: 'model-driven app site maps (2016) postdate the SDK schema' },
  { path: 'ImportExportXml/AppModules', schemas: ['sdk'], reason: 'model-driven apps (2016) postdate the SDK schema' },
  { path: 'ImportExportXml/ServiceEndpoints/ServiceEndpoint', children: ['AuthType', 'MessageFormat', 'NamespaceFormat', 'Url'], schemas: ['sdk'], reason: 'webhook endpoints (2019) postdate the SDK schema' },
  { path: STEP, children: ['PluginTypeId', 'IntroducedVersion'], schemas: ['sdk'], reason: "the SDK schema has no PluginTypeId, and its VersionType pattern is written with .NET anchors (^…$), so no real version validates" },
  { path: `${STEP}/SdkMessageId`, schemas: ['sdk'], rewrite: (v) => `{${v}}`, reason: 'Dataverse exports the message id unbraced; the SDK GuidType requires braces (the published one makes them optional)' },
  {
    path: `${FORM}/tabs/tab/columns/column`,
    attributes: ['width'],
    schemas: ['sdk'],
    rewrite: (v) => `^${v}$`,
    reason: "the SDK FormXml.xsd writes FormPercentageType with .NET anchors (^…$), so no real width ('50%') validates; the attribute is required, so the SDK copy carries '^n%$', the literal text that pattern accepts",
  },
];

/** The rules that apply to one schema's copy. */
export const rulesFor = (schema: SchemaName): SetAsideRule[] => [...setAsideRules, ...sdkSchemaGaps].filter((r) => r.schemas.includes(schema));

/**
 * The copy of a file (or of a fragment found at `parentPath` in customizations.xml, such as a form)
 * that goes to xmllint with one Microsoft schema: what that schema cannot accept removed or rewritten.
 */
export function forMicrosoftSchema(root: XmlElement, schema: SchemaName, parentPath: string[] = []): XmlElement {
  const rules = rulesFor(schema);
  const at = (path: string[]) => [...parentPath, ...path].join('/');
  const dropped = (path: string[]) => {
    const p = at(path);
    const parent = at(path.slice(0, -1));
    const name = path[path.length - 1]!;
    return rules.some((r) => !r.rewrite && ((r.path === p && !r.attributes && !r.children) || (r.path === parent && r.children?.includes(name))));
  };
  const copy = without(root, (path) => dropped(path));
  const visit = (node: XmlElement, path: string[]): void => {
    const here = at(path);
    const attrRules = rules.filter((r) => r.path === here && r.attributes);
    node.attrs = node.attrs.flatMap(([name, value]): [string, string][] => {
      const rule = attrRules.find((r) => r.attributes!.includes(name));
      if (!rule) return [[name, value]];
      return rule.rewrite ? [[name, rule.rewrite(value)]] : [];
    });
    const textRule = rules.find((r) => r.path === here && r.rewrite && !r.attributes);
    if (textRule) node.children = [textRule.rewrite!(textOf(node))];
    const order = rules.find((r) => r.path === here && r.reorder)?.reorder;
    if (order) {
      const rank = (c: XmlElement | string) => (typeof c === 'string' ? -1 : order.indexOf(c.name));
      node.children = [...node.children].sort((a, b) => rank(a) - rank(b));
    }
    for (const c of node.children) if (typeof c !== 'string') visit(c, [...path, c.name]);
  };
  visit(copy, [copy.name]);
  return copy;
}

const kids = (node: XmlElement, name: string) => node.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);

/** Our own checks of what the schemas cannot (or, for order, do not) check; returns problems as plain sentences. */
export function checkSetAside(customizations: XmlElement, packagePaths: Set<string>, prefix: string): string[] {
  const problems: string[] = [];
  for (const control of select(customizations, ['ImportExportXml', 'CustomControls', 'CustomControl'])) {
    const name = textOf(kids(control, 'Name')[0]);
    const file = textOf(kids(control, 'FileName')[0]);
    if (!new RegExp(`^${prefix}_[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$`).test(name)) problems.push(`custom control name '${name}' must be ${prefix}_<namespace>.<constructor>, the name Dataverse gives a packed control`);
    if (file !== `/Controls/${name}/ControlManifest.xml`) problems.push(`custom control '${name}' must point to /Controls/${name}/ControlManifest.xml, not '${file}'`);
    else if (!packagePaths.has(file.slice(1))) problems.push(`custom control '${name}': ${file} is not in the package`);
  }
  for (const endpoint of select(customizations, ['ImportExportXml', 'ServiceEndpoints', 'ServiceEndpoint'])) {
    const name = endpoint.attrs.find(([k]) => k === 'Name')?.[1] ?? '?';
    const url = textOf(kids(endpoint, 'Url')[0]);
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      problems.push(`service endpoint '${name}': Url '${url}' is not an absolute URL`);
    }
    if (parsed && parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(parsed.hostname))) {
      problems.push(`service endpoint '${name}': Url '${url}' must use https`);
    }
    if (textOf(kids(endpoint, 'AuthType')[0]) !== '4') problems.push(`service endpoint '${name}': AuthType must be 4 (WebhookKey)`);
    if (textOf(kids(endpoint, 'MessageFormat')[0]) !== '2') problems.push(`service endpoint '${name}': MessageFormat must be 2 (JSON)`);
    if (kids(endpoint, 'AuthValue').length > 0) problems.push(`service endpoint '${name}': the webhook key (AuthValue) must never be in the package`);
  }
  for (const step of select(customizations, STEP.split('/'))) {
    const names = step.children.filter((c): c is XmlElement => typeof c !== 'string').map((c) => c.name);
    const ranks = names.map((n) => STEP_EXPORT_ORDER.indexOf(n));
    if (ranks.some((r, i) => r < 0 || (i > 0 && r <= ranks[i - 1]!))) {
      problems.push(`step '${step.attrs.find(([k]) => k === 'Name')?.[1] ?? '?'}': children ${names.join(', ')} are not in the order Dataverse exports (${STEP_EXPORT_ORDER.join(', ')})`);
    }
  }
  for (const app of select(customizations, ['ImportExportXml', 'AppModules', 'AppModule'])) {
    const name = textOf(kids(app, 'UniqueName')[0]);
    if (textOf(kids(app, 'statecode')[0]) !== '0' || textOf(kids(app, 'statuscode')[0]) !== '1') problems.push(`app '${name}': statecode must be 0 and statuscode 1 (active)`);
    if (!['0', '1'].includes(textOf(kids(app, 'NavigationType')[0]))) problems.push(`app '${name}': NavigationType must be 0 (single session) or 1 (multi session)`);
  }
  for (const map of select(customizations, ['ImportExportXml', 'AppModuleSiteMaps', 'AppModuleSiteMap'])) {
    for (const flag of ['EnableCollapsibleGroups', 'ShowHome', 'ShowPinned', 'ShowRecents']) {
      const value = kids(map, flag)[0];
      if (value && !['True', 'False'].includes(textOf(value))) problems.push(`site map '${textOf(kids(map, 'SiteMapUniqueName')[0])}': ${flag} must be True or False`);
    }
  }
  return problems;
}
