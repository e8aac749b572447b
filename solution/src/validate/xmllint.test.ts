import { join } from 'node:path';
import { model } from '../model/model';
import { readPacConfig } from '../pack/pac-config';
import { customizationsTree } from '../pack/customizations.emitter';
import { solutionManifestTree } from '../pack/solution-manifest.emitter';
import type { PluginRegistrations } from '../pack/plugin-steps';
import { el, select, serialize } from '../xml/xml';
import { checkSetAside, forMicrosoftSchema, sdkSchemaGaps, setAsideRules } from './set-aside';
import { docsSchemaSet } from './schema-sets';
import { dataverseSchemasDir, SchemaValidationError, validateWithSchema } from './xmllint';
import registrationsFixture from '../pack/fixtures/steps.json';

const repoRoot = join(__dirname, '..', '..', '..');
const xsd = join(dataverseSchemasDir(repoRoot), 'CustomizationsSolution.xsd');
const docsXsd = join(docsSchemaSet(dataverseSchemasDir(repoRoot)).dir, 'CustomizationsSolution.xsd');
const manifestXsd = join(__dirname, '..', '..', 'schemas', 'solution-manifest.xsd');
const config = readPacConfig(join(repoRoot, 'pac.config.json'));
const registrations = {
  ...registrationsFixture,
  serviceEndpoints: registrationsFixture.serviceEndpoints.map((e) => ({ ...e, url: e.url.replace('{functionsBaseUrl}', 'https://fn.example.com/api') })),
} as PluginRegistrations;
const full = () => customizationsTree({ model, controls: [{ name: 'swb_Switchboard.Gauge' }], registrations });

describe('schema validation', () => {
  it('generated customizations.xml — entities, keys, choices, relationships, roles, steps, endpoints — is valid against the published schema and the SDK one', () => {
    const tree = full();
    expect(select(tree, ['ImportExportXml', 'Entities', 'Entity']).length).toBeGreaterThan(15);
    expect(select(tree, ['ImportExportXml', 'SdkMessageProcessingSteps', 'SdkMessageProcessingStep'])).toHaveLength(3);
    expect(() => validateWithSchema(serialize(forMicrosoftSchema(tree, 'docs')), docsXsd, 'customizations.xml')).not.toThrow();
    expect(() => validateWithSchema(serialize(forMicrosoftSchema(tree, 'sdk')), xsd, 'customizations.xml')).not.toThrow();
  });

  it('the published schema checks custom controls, endpoints and their order; only the SDK copy loses them', () => {
    const tree = full();
    const forDocs = serialize(forMicrosoftSchema(tree, 'docs'));
    expect(forDocs).toContain('<CustomControls>');
    expect(forDocs).toContain('<Url>');
    const forSdk = serialize(forMicrosoftSchema(tree, 'sdk'));
    expect(forSdk).not.toContain('<CustomControls>');
    expect(forSdk).not.toContain('<Url>');
    expect(forSdk).toContain('<ServiceEndpoint ');
    expect(checkSetAside(tree, new Set(['Controls/swb_Switchboard.Gauge/ControlManifest.xml']), 'swb')).toEqual([]);
    expect(checkSetAside(tree, new Set(), 'swb')).toEqual(["custom control 'swb_Switchboard.Gauge': /Controls/swb_Switchboard.Gauge/ControlManifest.xml is not in the package"]);
    expect(checkSetAside(customizationsTree({ model, controls: [{ name: 'Switchboard.Gauge' }] }), new Set(['Controls/Switchboard.Gauge/ControlManifest.xml']), 'swb'))
      .toEqual(["custom control name 'Switchboard.Gauge' must be swb_<namespace>.<constructor>, the name Dataverse gives a packed control"]);
  });

  it('what neither schema checks is a short list, each entry with its reason; the SDK-only gaps are all declared by the published schema', () => {
    expect(setAsideRules.map((r) => r.path.split('/').pop() + (r.attributes ? `@${r.attributes.join('|')}` : '') + (r.children ? `/${r.children.join('|')}` : ''))).toEqual([
      'controlDescriptions',
      'control@uniqueid',
      'SdkMessageProcessingStep',
      'AppModule/statecode|statuscode|NavigationType|appsettings',
      'AppModuleSiteMap/EnableCollapsibleGroups|ShowHome|ShowPinned|ShowRecents',
      'SolutionManifest',
      'ImportExportXml@version|SolutionPackageVersion|languagecode|generatedBy',
    ]);
    for (const r of [...setAsideRules, ...sdkSchemaGaps]) expect(r.reason.length).toBeGreaterThan(40);
    expect(sdkSchemaGaps.every((r) => r.schemas.length === 1 && r.schemas[0] === 'sdk')).toBe(true);
  });

  it('an element the schema does not allow is refused with xmllint\'s message', () => {
    const tree = full();
    const attributes = select(tree, ['ImportExportXml', 'Entities', 'Entity', 'EntityInfo', 'entity', 'attributes', 'attribute'])[0]!;
    attributes.children.push(el('Colour', null, 'blue'));
    let error: unknown;
    try {
      validateWithSchema(serialize(forMicrosoftSchema(tree, 'sdk')), xsd, 'customizations.xml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect((error as Error).message).toMatch(/^customizations\.xml does not match its schema:\ncustomizations\.xml:\d+: element Colour: Schemas validity error : Element 'Colour': This element is not expected/);
  });

  it('a bad value is refused too (privilege level outside Basic/Local/Deep/Global)', () => {
    const tree = full();
    const privilege = select(tree, ['ImportExportXml', 'Roles', 'Role', 'RolePrivileges', 'RolePrivilege'])[0]!;
    privilege.attrs = privilege.attrs.map(([k, v]) => [k, k === 'level' ? 'Everywhere' : v]);
    expect(() => validateWithSchema(serialize(forMicrosoftSchema(tree, 'sdk')), xsd, 'customizations.xml')).toThrow(/'Everywhere' is not an element of the set/);
    expect(() => validateWithSchema(serialize(forMicrosoftSchema(tree, 'docs')), docsXsd, 'customizations.xml')).toThrow(/'Everywhere' is not an element of the set/);
  });

  it('solution.xml is valid against the manifest schema, managed and unmanaged, and a wrong version format is refused', () => {
    for (const managed of [true, false]) {
      expect(() => validateWithSchema(serialize(solutionManifestTree({ config, model, managed, controls: [], registrations })), manifestXsd, 'solution.xml')).not.toThrow();
    }
    const bad = solutionManifestTree({ config: { ...config, solution: { ...config.solution, version: '1.0' } }, model, managed: true, controls: [] });
    expect(() => validateWithSchema(serialize(bad), manifestXsd, 'solution.xml')).toThrow(/solution\.xml:\d+: element Version: Schemas validity error/);
  });

  it('solution.xml passes Microsoft\'s schema once its manifest and root attributes are set aside, and only those', () => {
    const tree = solutionManifestTree({ config, model, managed: true, controls: [], registrations });
    for (const [schema, file] of [['sdk', xsd], ['docs', docsXsd]] as const) {
      const copy = forMicrosoftSchema(tree, schema);
      expect(copy.children).toEqual([]);
      expect(copy.attrs.map(([k]) => k)).toEqual(['xmlns:xsi']);
      expect(() => validateWithSchema(serialize(copy), file, 'solution.xml')).not.toThrow();
    }
    expect(() => validateWithSchema(serialize(tree), xsd, 'solution.xml')).toThrow(/not allowed|not expected/);
  });

  it('a missing schema folder is an error, never a silent pass', () => {
    expect(() => dataverseSchemasDir(repoRoot, { SWITCHBOARD_SCHEMAS: '/nonexistent/schemas' })).toThrow(/Dataverse schemas not found: \/nonexistent\/schemas\/CustomizationsSolution\.xsd is missing/);
  });
});

