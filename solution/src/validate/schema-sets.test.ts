import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docsSchemaSet, DOCS_SCHEMA, sdkSchemaSet, withoutDotNetAnchors } from './schema-sets';
import { dataverseSchemasDir, validateWithSchema } from './xmllint';

const sdkDir = dataverseSchemasDir(join(__dirname, '..', '..', '..'));
const docs = docsSchemaSet(sdkDir);
const sdk = sdkSchemaSet(sdkDir);
const xsd = (set: { dir: string }) => join(set.dir, 'CustomizationsSolution.xsd');
const doc = (...roots: string[]) => `<ImportExportXml>${roots.map((r) => `<${r} />`).join('')}<Languages><Language>1033</Language></Languages></ImportExportXml>`;

describe('the published (docs) schema', () => {
  it('compiles with the SDK files it includes and accepts a customizations.xml in the order Dataverse exports', () => {
    expect(() => validateWithSchema(doc('Entities', 'Roles', 'CustomControls', 'SdkMessageProcessingSteps', 'ServiceEndpoints', 'AppModuleSiteMaps'), xsd(docs), 'customizations.xml')).not.toThrow();
  });

  it('refuses apps before plug-in steps, the root order Switchboard used to write', () => {
    expect(() => validateWithSchema(doc('CustomControls', 'AppModuleSiteMaps', 'SdkMessageProcessingSteps'), xsd(docs), 'customizations.xml'))
      .toThrow(/Element 'SdkMessageProcessingSteps': This element is not expected/);
  });

  it('the SDK schema, older, does not know CustomControls at all', () => {
    expect(() => validateWithSchema(doc('CustomControls'), xsd(sdk), 'customizations.xml')).toThrow(/Element 'CustomControls': This element is not expected/);
  });

  it('accepts a real version in IntroducedVersion once the included VersionType loses its .NET anchors', () => {
    const role = (v: string) => `<ImportExportXml><Roles><Role name="R" id="{00000000-0000-0000-0000-000000000001}"><IntroducedVersion>${v}</IntroducedVersion></Role></Roles></ImportExportXml>`;
    expect(() => validateWithSchema(role('1.0.0.0'), xsd(docs), 'customizations.xml')).not.toThrow();
    expect(() => validateWithSchema(role('1.0.0.0'), xsd(sdk), 'customizations.xml')).toThrow(/IntroducedVersion/);
    expect(() => validateWithSchema(role('one'), xsd(docs), 'customizations.xml')).toThrow(/IntroducedVersion/);
  });

  it('is the page text with only the three changes its README lists', () => {
    const copy = readFileSync(DOCS_SCHEMA, 'utf8');
    expect(copy).toContain('xmlns:xs="http://www.w3.org/2001/XMLSchema"');
    expect(copy).toContain('<xs:pattern value="(100|[0-9]{1,2})%" />');
    expect(copy.match(/<xs:complexType name="ColorsType">/g)).toHaveLength(1);
    expect(copy).not.toMatch(/pattern value="\^/);
  });

  it('strips only whole-pattern anchors', () => {
    expect(withoutDotNetAnchors('<xs:pattern value="^[0-9]+(\\.[0-9]+){1,3}$" />')).toBe('<xs:pattern value="[0-9]+(\\.[0-9]+){1,3}" />');
    expect(withoutDotNetAnchors('<xs:pattern value="a^b$c" />')).toBe('<xs:pattern value="a^b$c" />');
  });
});
