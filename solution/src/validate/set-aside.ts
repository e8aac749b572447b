// What schema validation sets aside, in one place. CustomizationsSolution.xsd predates
// these components (see ../shared/schemas/dataverse/README.md), so they are removed from
// a copy of the file before xmllint runs, and checked by our own rules: checkSetAside
// below, and for the solution manifest solution/schemas/solution-manifest.xsd.
import { select, textOf, without, type XmlElement } from '../xml/xml';

export interface SetAsideRule {
  path: string;
  reason: string;
  /**
   * For a required attribute the schema cannot accept: the value the copy for xmllint gets
   * instead of dropping it (dropping would only trade one error for "attribute missing").
   */
  rewrite?: (value: string) => string;
}

/** Where a systemform's `<form>` sits in customizations.xml. */
export const SYSTEMFORM_PATH = ['ImportExportXml', 'Entities', 'Entity', 'FormXml', 'forms', 'systemform'];
const FORM = [...SYSTEMFORM_PATH, 'form'].join('/');

export const setAsideRules: SetAsideRule[] = [
  { path: 'ImportExportXml/CustomControls', reason: 'PCF custom controls (2018) postdate the schema; checked: name <namespace>.<constructor>, manifest present in the package' },
  { path: 'ImportExportXml/ServiceEndpoints/ServiceEndpoint/Url', reason: 'webhook endpoints (2019) postdate the schema; checked: absolute https URL (http only for localhost)' },
  { path: 'ImportExportXml/ServiceEndpoints/ServiceEndpoint/AuthType', reason: 'webhook authentication postdates the schema; checked: 4 (WebhookKey), and no AuthValue is shipped' },
  { path: 'ImportExportXml/ServiceEndpoints/ServiceEndpoint/MessageFormat', reason: 'message format postdates the schema; checked: 2 (JSON)' },
  { path: `${FORM}/controlDescriptions`, reason: 'PCF control bindings on forms (2018) postdate FormXml.xsd; checked: every controlDescription names a control uniqueid of its form, a built control, all three form factors, the bound property bound to the cell\'s column, static values of the manifest\'s types' },
  { path: `${FORM}/tabs/tab/columns/column@width`, reason: "FormXml.xsd's FormPercentageType pattern is written with .NET anchors (^...$), which XML Schema reads literally, so no real width ('50%') validates; checked: n% with 1 <= n <= 100, and a tab's columns add up to 100%. The attribute is required, so the copy for xmllint carries '^n%$', the literal text that pattern accepts", rewrite: (v) => `^${v}$` },
  { path: `${FORM}/tabs/tab/columns/column/sections/section/rows/row/cell/control@uniqueid`, reason: 'control uniqueid (the key controlDescriptions point at) postdates FormXml.xsd; checked: a braced GUID, unique within the form' },
  { path: 'ImportExportXml/AppModuleSiteMaps', reason: 'model-driven app site maps (2016) postdate the schema; checked: each <SiteMap> against SiteMap.xsd, SiteMapUniqueName is an app of the package, every subarea table is in the model and among its app\'s components' },
  { path: 'ImportExportXml/AppModules', reason: 'model-driven apps (2016) postdate the schema; checked: unique name with the publisher prefix, components (tables, forms, views, site map) and role ids exist in the package' },
  { path: 'ImportExportXml/SolutionManifest', reason: "solution.xml's manifest is not declared by CustomizationsSolution.xsd; checked against solution/schemas/solution-manifest.xsd" },
  { path: 'ImportExportXml@version', reason: 'root attribute Dataverse writes on solution.xml, not declared; checked by solution-manifest.xsd' },
  { path: 'ImportExportXml@SolutionPackageVersion', reason: 'root attribute Dataverse writes on solution.xml, not declared; checked by solution-manifest.xsd' },
  { path: 'ImportExportXml@languagecode', reason: 'root attribute Dataverse writes on solution.xml, not declared; checked by solution-manifest.xsd' },
  { path: 'ImportExportXml@generatedBy', reason: 'root attribute Dataverse writes on solution.xml, not declared; checked by solution-manifest.xsd' },
];

export const isSetAside = (path: string[]): boolean => setAsideRules.some((r) => r.path === path.join('/'));

/**
 * The copy of a file (or of a fragment found at `parentPath` in customizations.xml, such as
 * a form) that goes to xmllint with Microsoft's schema: set-aside elements and attributes removed.
 */
export function forMicrosoftSchema(root: XmlElement, parentPath: string[] = []): XmlElement {
  const copy = without(root, (path) => isSetAside([...parentPath, ...path]));
  const strip = (node: XmlElement, path: string[]): void => {
    const at = [...parentPath, ...path].join('/');
    node.attrs = node.attrs.flatMap(([name, value]): [string, string][] => {
      const rule = setAsideRules.find((r) => r.path === `${at}@${name}`);
      if (!rule) return [[name, value]];
      return rule.rewrite ? [[name, rule.rewrite(value)]] : [];
    });
    for (const c of node.children) if (typeof c !== 'string') strip(c, [...path, c.name]);
  };
  strip(copy, [copy.name]);
  return copy;
}

/** Our own checks of everything set aside; returns problems as plain sentences. */
export function checkSetAside(customizations: XmlElement, packagePaths: Set<string>): string[] {
  const problems: string[] = [];
  for (const control of select(customizations, ['ImportExportXml', 'CustomControls', 'CustomControl'])) {
    const name = textOf(control.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'Name'));
    const file = textOf(control.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'FileName'));
    if (!/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(name)) problems.push(`custom control name '${name}' must be <namespace>.<constructor>`);
    if (file !== `/Controls/${name}/ControlManifest.xml`) problems.push(`custom control '${name}' must point to /Controls/${name}/ControlManifest.xml, not '${file}'`);
    else if (!packagePaths.has(file.slice(1))) problems.push(`custom control '${name}': ${file} is not in the package`);
  }
  for (const endpoint of select(customizations, ['ImportExportXml', 'ServiceEndpoints', 'ServiceEndpoint'])) {
    const name = endpoint.attrs.find(([k]) => k === 'Name')?.[1] ?? '?';
    const child = (n: string) => endpoint.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === n);
    const url = textOf(child('Url')[0]);
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      problems.push(`service endpoint '${name}': Url '${url}' is not an absolute URL`);
    }
    if (parsed && parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(parsed.hostname))) {
      problems.push(`service endpoint '${name}': Url '${url}' must use https`);
    }
    if (textOf(child('AuthType')[0]) !== '4') problems.push(`service endpoint '${name}': AuthType must be 4 (WebhookKey)`);
    if (textOf(child('MessageFormat')[0]) !== '2') problems.push(`service endpoint '${name}': MessageFormat must be 2 (JSON)`);
    if (child('AuthValue').length > 0) problems.push(`service endpoint '${name}': the webhook key (AuthValue) must never be in the package`);
  }
  return problems;
}
