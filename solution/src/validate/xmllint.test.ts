import { join } from 'node:path';
import { model } from '../model/model';
import { readPacConfig } from '../pack/pac-config';
import { customizationsTree } from '../pack/customizations.emitter';
import { solutionManifestTree } from '../pack/solution-manifest.emitter';
import type { PluginRegistrations } from '../pack/plugin-steps';
import { el, select, serialize } from '../xml/xml';
import { checkSetAside, forMicrosoftSchema } from './set-aside';
import { dataverseSchemasDir, SchemaValidationError, validateWithSchema } from './xmllint';
import registrationsFixture from '../pack/fixtures/steps.json';

const repoRoot = join(__dirname, '..', '..', '..');
const xsd = join(dataverseSchemasDir(repoRoot), 'CustomizationsSolution.xsd');
const manifestXsd = join(__dirname, '..', '..', 'schemas', 'solution-manifest.xsd');
const config = readPacConfig(join(repoRoot, 'pac.config.json'));
const registrations = {
  ...registrationsFixture,
  serviceEndpoints: registrationsFixture.serviceEndpoints.map((e) => ({ ...e, url: e.url.replace('{functionsBaseUrl}', 'https://fn.example.com/api') })),
} as PluginRegistrations;
const full = () => customizationsTree({ model, controls: [{ name: 'Switchboard.Gauge' }], registrations });

describe('schema validation', () => {
  it('generated customizations.xml — entities, keys, choices, relationships, roles, steps, endpoints — is valid against CustomizationsSolution.xsd', () => {
    const tree = full();
    expect(select(tree, ['ImportExportXml', 'Entities', 'Entity']).length).toBeGreaterThan(15);
    expect(select(tree, ['ImportExportXml', 'SdkMessageProcessingSteps', 'SdkMessageProcessingStep'])).toHaveLength(3);
    expect(() => validateWithSchema(serialize(forMicrosoftSchema(tree)), xsd, 'customizations.xml')).not.toThrow();
  });

  it('what is set aside is only the undeclared components, and our own rules pass on them', () => {
    const tree = full();
    const stripped = serialize(forMicrosoftSchema(tree));
    expect(stripped).not.toContain('<CustomControls>');
    expect(stripped).not.toContain('<Url>');
    expect(stripped).toContain('<ServiceEndpoint ');
    expect(checkSetAside(tree, new Set(['Controls/Switchboard.Gauge/ControlManifest.xml']))).toEqual([]);
    expect(checkSetAside(tree, new Set())).toEqual(["custom control 'Switchboard.Gauge': /Controls/Switchboard.Gauge/ControlManifest.xml is not in the package"]);
  });

  it('an element the schema does not allow is refused with xmllint\'s message', () => {
    const tree = full();
    const attributes = select(tree, ['ImportExportXml', 'Entities', 'Entity', 'EntityInfo', 'entity', 'attributes', 'attribute'])[0]!;
    attributes.children.push(el('Colour', null, 'blue'));
    let error: unknown;
    try {
      validateWithSchema(serialize(forMicrosoftSchema(tree)), xsd, 'customizations.xml');
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
    expect(() => validateWithSchema(serialize(forMicrosoftSchema(tree)), xsd, 'customizations.xml')).toThrow(/'Everywhere' is not an element of the set/);
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
    const copy = forMicrosoftSchema(tree);
    expect(copy.children).toEqual([]);
    expect(copy.attrs.map(([k]) => k)).toEqual(['xmlns:xsi']);
    expect(() => validateWithSchema(serialize(copy), xsd, 'solution.xml')).not.toThrow();
    expect(() => validateWithSchema(serialize(tree), xsd, 'solution.xml')).toThrow(/not allowed|not expected/);
  });

  it('a missing schema folder is an error, never a silent pass', () => {
    expect(() => dataverseSchemasDir(repoRoot, { SWITCHBOARD_SCHEMAS: '/nonexistent/schemas' })).toThrow(/Dataverse schemas not found: \/nonexistent\/schemas\/CustomizationsSolution\.xsd is missing/);
  });
});

