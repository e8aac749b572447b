// The packer: model → validated XML → managed and unmanaged solution zips.
// Every step prints a line; any failed check stops the pack with its message.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { buildMetadata } from '../generate/metadata.builder';
import { model as defaultModel } from '../model/model';
import type { DataModel } from '../model/types';
import { assertValidModel } from '../validate/model.validator';
import { validateRegistrations } from '../validate/registrations.validator';
import { checkSetAside, forMicrosoftSchema, sdkSchemaGaps, setAsideRules, SYSTEMFORM_PATH, type SetAsideRule } from '../validate/set-aside';
import { docsSchemaSet, sdkSchemaSet, type SchemaSet } from '../validate/schema-sets';
import { assertValidUi, checkUiSetAside, type UiCheckContext } from '../validate/ui.validator';
import { dataverseSchemasDir, validateWithSchema } from '../validate/xmllint';
import { ui as defaultUi } from '../ui';
import type { UiDefinition } from '../ui/types';
import { select, serialize, textOf, type XmlElement } from '../xml/xml';
import { contentTypesTree } from './content-types.emitter';
import { collectControls, type ControlPackage } from './controls.collector';
import { customizationsTree, sdkMessageIds } from './customizations.emitter';
import { environmentVariablePath, environmentVariableTree } from './environment-variables.emitter';
import { endpointUrl, functionsApiBase } from './functions-url';
import { readPacConfig, type PacConfig } from './pac-config';
import type { PluginRegistrations, StepMessage } from './plugin-steps';
import { solutionManifestTree } from './solution-manifest.emitter';

export interface PackOptions {
  repoRoot: string;
  /** Where the zips go; default <repoRoot>/solution/bin. */
  outDir?: string;
  model?: DataModel;
  config?: PacConfig;
  /** Default: ../shared/schemas/dataverse from the repo root, or SWITCHBOARD_SCHEMAS. */
  schemasDir?: string;
  /** Default: <repoRoot>/plugins/dist/steps.json when it exists. */
  stepsFile?: string;
  /**
   * The functions app's address (`--functions-url`, e.g. https://contoso.azurewebsites.net); its /api
   * base replaces `{functionsBaseUrl}` in endpoint URLs. Default SWITCHBOARD_FUNCTIONS_BASE_URL.
   */
  functionsBaseUrl?: string;
  /** `Associate=<guid>,Disassociate=<guid>`: message ids we do not ship; default SWITCHBOARD_SDKMESSAGE_IDS. */
  sdkMessageIds?: string;
  /** Forms, views and apps; default: src/ui. */
  ui?: UiDefinition;
  log?: (line: string) => void;
}

export interface PackResult {
  version: string;
  managedZip: string;
  unmanagedZip: string;
  entries: string[];
  controls: string[];
  steps: number;
}

/** Used when no base URL is given: clearly not a real host, so the admin must edit the endpoint. */
export const PLACEHOLDER_FUNCTIONS_BASE_URL = 'https://switchboard-functions.invalid/api';

// Fixed timestamp: the same model and build output give byte-identical zips.
const ZIP_MTIME = new Date('2000-01-01T00:00:00Z');

export function readRegistrations(file: string, functionsBaseUrl: string): PluginRegistrations {
  let raw: PluginRegistrations;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as PluginRegistrations;
  } catch (e) {
    throw new Error(`${file}: cannot read plugin registrations (${(e as Error).message})`);
  }
  return {
    ...raw,
    serviceEndpoints: (raw.serviceEndpoints ?? []).map((e) => ({ ...e, url: e.url ? endpointUrl(e.url, functionsBaseUrl) : e.url })),
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseSdkMessageIds(text: string | undefined): Partial<Record<StepMessage, string>> {
  const out: Partial<Record<StepMessage, string>> = {};
  for (const pair of (text ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, id] = pair.split('=').map((x) => x?.trim());
    if (!name || !id || !GUID.test(id.replace(/[{}]/g, ''))) throw new Error(`SWITCHBOARD_SDKMESSAGE_IDS: '${pair}' is not <Message>=<guid>`);
    out[name as StepMessage] = id.replace(/[{}]/g, '').toLowerCase();
  }
  return out;
}

const describeRule = (r: SetAsideRule): string => {
  const path = r.path.replace(/^ImportExportXml\/?/, '').replace(/^Entities\/Entity\/FormXml\/forms\/systemform\/form\/(tabs\/.*\/)?/, 'form ') || 'solution.xml root';
  if (r.attributes) return `${path}@${r.attributes.join('|')}${r.rewrite ? ' (rewritten)' : ''}`;
  if (r.children) return `${path}/${r.children.join('|')}`;
  return `${path}${r.reorder ? ' (children reordered)' : r.rewrite ? ' (rewritten)' : ''}`;
};

const childrenNamed = (node: XmlElement, name: string) => node.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);

/**
 * Validates every form (FormXml.xsd), view query (Fetch.xsd) and app site map (SiteMap.xsd) of
 * customizations.xml on its own, so a failure names the fragment. `schemas` is the published set,
 * whose copy of FormXml.xsd accepts real widths.
 */
export function validateUiFragments(customizations: XmlElement, schemas: SchemaSet): { forms: number; queries: number; siteMaps: number } {
  const schemasDir = schemas.dir;
  const entities = select(customizations, ['ImportExportXml', 'Entities', 'Entity']);
  let forms = 0;
  let queries = 0;
  for (const entity of entities) {
    const table = textOf(childrenNamed(entity, 'Name')[0]);
    for (const systemform of select(entity, ['Entity', 'FormXml', 'forms', 'systemform'])) {
      const form = childrenNamed(systemform, 'form')[0];
      if (!form) continue;
      const name = childrenNamed(childrenNamed(systemform, 'LocalizedNames')[0] ?? systemform, 'LocalizedName')[0]?.attrs.find(([k]) => k === 'description')?.[1] ?? '';
      validateWithSchema(serialize(forMicrosoftSchema(form, schemas.name, SYSTEMFORM_PATH)), join(schemasDir, 'FormXml.xsd'), `customizations.xml form '${name}' (${table})`);
      forms++;
    }
    for (const query of select(entity, ['Entity', 'SavedQueries', 'savedqueries', 'savedquery'])) {
      const fetch = childrenNamed(childrenNamed(query, 'fetchxml')[0] ?? query, 'fetch')[0];
      if (!fetch) continue;
      const name = childrenNamed(childrenNamed(query, 'LocalizedNames')[0] ?? query, 'LocalizedName')[0]?.attrs.find(([k]) => k === 'description')?.[1] ?? '';
      validateWithSchema(serialize(fetch), join(schemasDir, 'Fetch.xsd'), `customizations.xml view '${name}' (${table}) fetchxml`);
      queries++;
    }
  }
  const siteMaps = select(customizations, ['ImportExportXml', 'AppModuleSiteMaps', 'AppModuleSiteMap']);
  for (const s of siteMaps) {
    const siteMap = childrenNamed(s, 'SiteMap')[0];
    const name = textOf(childrenNamed(s, 'SiteMapUniqueName')[0]);
    if (!siteMap) throw new Error(`customizations.xml site map '${name}' has no <SiteMap>`);
    validateWithSchema(serialize(siteMap), join(schemasDir, 'SiteMap.xsd'), `customizations.xml site map '${name}'`);
  }
  return { forms, queries, siteMaps: siteMaps.length };
}

export function pack(options: PackOptions): PackResult {
  const log = options.log ?? ((line: string) => console.log(line));
  const total = 8;
  let n = 0;
  const step = (text: string) => log(`[${++n}/${total}] ${text}`);
  const { repoRoot } = options;

  step('reading pac.config.json');
  const config = options.config ?? readPacConfig(join(repoRoot, 'pac.config.json'));
  const version = config.solution.version;
  log(`      ${config.solution.uniqueName} ${version}, publisher ${config.publisher.uniqueName} (prefix ${config.publisher.prefix}, option values ${config.publisher.optionValuePrefix}0000+)`);

  step('checking the data model against our naming rules');
  const model = options.model ?? defaultModel;
  assertValidModel(model, config);
  log(`      ${model.tables.length} tables, ${model.choices.length} choices, ${model.relationships.length} relationships, ${model.roles.length} roles, ${model.environmentVariables.length} environment variables`);

  step('collecting built PCF controls (controls/*/out/controls)');
  const controls: ControlPackage[] = collectControls(repoRoot, config.publisher.prefix);
  log(controls.length ? `      ${controls.map((c) => c.name).join(', ')}` : '      none built yet');

  step('checking forms, views and apps against the model and the built controls');
  const ui = options.ui ?? defaultUi;
  const uiContext: UiCheckContext = { model, controls: new Map(controls.map((c) => [c.name, c.properties])), prefix: config.publisher.prefix };
  assertValidUi(ui, uiContext);
  log(`      ${ui.forms.length} form(s), ${ui.views.length} view(s), ${ui.apps.length} app(s): ${ui.apps.map((a) => a.uniqueName).join(', ')}`);

  step('reading plugin-step registrations (plugins/dist/steps.json)');
  const stepsFile = options.stepsFile ?? join(repoRoot, 'plugins', 'dist', 'steps.json');
  let registrations: PluginRegistrations | undefined;
  const extraMessageIds = parseSdkMessageIds(options.sdkMessageIds ?? process.env.SWITCHBOARD_SDKMESSAGE_IDS);
  if (existsSync(stepsFile)) {
    const given = options.functionsBaseUrl ?? process.env.SWITCHBOARD_FUNCTIONS_BASE_URL;
    const base = given ? functionsApiBase(given) : PLACEHOLDER_FUNCTIONS_BASE_URL;
    registrations = readRegistrations(stepsFile, base);
    const problems = validateRegistrations(registrations, buildMetadata(model));
    if (problems.length) throw new Error(`${stepsFile} breaks ${problems.length} rule(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    log(`      ${registrations.serviceEndpoints.length} service endpoint(s), ${registrations.steps.length} step(s)`);
    // A step whose message id we cannot name would fail the whole import; leave it out, loudly.
    const known = { ...sdkMessageIds, ...extraMessageIds };
    const unknown = registrations.steps.filter((s) => !known[s.message]);
    if (unknown.length) {
      registrations = { ...registrations, steps: registrations.steps.filter((s) => known[s.message]) };
      const names = [...new Set(unknown.map((s) => s.message))];
      log(`      left out ${unknown.length} step(s) on ${names.join('/')}: their sdkmessage ids differ per environment; after import, npm run configure registers them`
        + ` (or set SWITCHBOARD_SDKMESSAGE_IDS=${names.map((m) => `${m}=<id>`).join(',')} to ship them in the solution)`);
    }
    if (base === PLACEHOLDER_FUNCTIONS_BASE_URL && registrations.serviceEndpoints.some((e) => e.url.startsWith(PLACEHOLDER_FUNCTIONS_BASE_URL))) {
      log(`      note: no --functions-url given; endpoints point at ${PLACEHOLDER_FUNCTIONS_BASE_URL} until npm run configure -- --functions-url <url> fixes them after import`);
    }
  } else {
    log('      none built yet');
  }

  step('generating customizations.xml, solution.xml, [Content_Types].xml');
  const controlEntries = controls.map((c) => ({ name: c.name, properties: c.properties }));
  const customizations = customizationsTree({ model, controls: controlEntries, sdkMessageIds: extraMessageIds, ui, version, ...(registrations ? { registrations } : {}) });
  const customizationsXml = serialize(customizations);
  const manifestTree = (managed: boolean) => (solutionManifestTree({ config, model, managed, controls: controlEntries, apps: ui.apps, ...(registrations ? { registrations } : {}) }));
  const shared: Record<string, Uint8Array> = { 'customizations.xml': strToU8(customizationsXml) };
  for (const v of model.environmentVariables) shared[environmentVariablePath(v)] = strToU8(serialize(environmentVariableTree(v)));
  for (const c of controls) Object.assign(shared, c.files);

  step("validating against Microsoft's published schema and the SDK schema (xmllint)");
  const sdkDir = options.schemasDir ?? dataverseSchemasDir(repoRoot);
  const schemaSets = [docsSchemaSet(sdkDir), sdkSchemaSet(sdkDir)];
  const paths = new Set(Object.keys(shared));
  const setAsideProblems = checkSetAside(customizations, paths, config.publisher.prefix);
  if (setAsideProblems.length) throw new Error(`customizations.xml: ${setAsideProblems.join('; ')}`);
  const uiProblems = checkUiSetAside(customizations, uiContext);
  if (uiProblems.length) throw new Error(`customizations.xml breaks ${uiProblems.length} rule(s):\n${uiProblems.map((p) => `  - ${p}`).join('\n')}`);
  // Each form, query and site map alone first, so a failure names the fragment it is in.
  const fragments = validateUiFragments(customizations, schemaSets[0]!);
  log(`      ${fragments.forms} form(s) valid against FormXml.xsd, ${fragments.queries} view query(ies) against Fetch.xsd, ${fragments.siteMaps} site map(s) against SiteMap.xsd`);
  const manifestXsd = join(__dirname, '..', '..', 'schemas', 'solution-manifest.xsd');
  const manifestTrees = { managed: manifestTree(true), unmanaged: manifestTree(false) };
  const solutionXml = { managed: serialize(manifestTrees.managed), unmanaged: serialize(manifestTrees.unmanaged) };
  for (const set of schemaSets) {
    const xsd = join(set.dir, 'CustomizationsSolution.xsd');
    validateWithSchema(serialize(forMicrosoftSchema(customizations, set.name)), xsd, `customizations.xml (${set.name} schema)`);
    for (const kind of ['managed', 'unmanaged'] as const) validateWithSchema(serialize(forMicrosoftSchema(manifestTrees[kind], set.name)), xsd, `solution.xml (${kind}, ${set.name} schema)`);
    log(`      customizations.xml and solution.xml valid against ${set.label}`);
  }
  for (const kind of ['managed', 'unmanaged'] as const) validateWithSchema(solutionXml[kind], manifestXsd, `solution.xml (${kind})`);
  log('      solution.xml valid against solution/schemas/solution-manifest.xsd');
  log(`      set aside (neither schema accepts them), checked by our rules: ${setAsideRules.map(describeRule).join('; ')}`);
  log(`      only the SDK schema lacks (the published one validates): ${sdkSchemaGaps.map(describeRule).join('; ')}`);

  step('writing the zips');
  const outDir = options.outDir ?? join(repoRoot, 'solution', 'bin');
  mkdirSync(outDir, { recursive: true });
  const entries = ['solution.xml', ...Object.keys(shared), '[Content_Types].xml'];
  const contentTypes = strToU8(serialize(contentTypesTree(entries)));
  const write = (managed: boolean) => {
    const file = join(outDir, `${config.solution.uniqueName}_${version.replace(/\./g, '_')}_${managed ? 'managed' : 'unmanaged'}.zip`);
    // Entry order as in Dataverse's own exports (System.IO.Packaging): customizations.xml
    // first, [Content_Types].xml last, which is written when the package closes.
    const files: Record<string, Uint8Array> = {
      'customizations.xml': shared['customizations.xml']!,
      'solution.xml': strToU8(managed ? solutionXml.managed : solutionXml.unmanaged),
      ...shared,
      '[Content_Types].xml': contentTypes,
    };
    writeFileSync(file, zipSync(files, { level: 9, mtime: ZIP_MTIME }));
    log(`      ${file}`);
    return file;
  };
  const managedZip = write(true);
  const unmanagedZip = write(false);
  return { version, managedZip, unmanagedZip, entries, controls: controls.map((c) => c.name), steps: registrations?.steps.length ?? 0 };
}
