import { join } from 'node:path';
import { model } from '../model/model';
import { select, type XmlElement } from '../xml/xml';
import { realExport } from './fixtures/real-exports';
import { readPacConfig } from './pac-config';
import { solutionManifestTree } from './solution-manifest.emitter';

const config = readPacConfig(join(__dirname, '..', '..', '..', 'pac.config.json'));
const rootTypes = (rootComponents: XmlElement) =>
  new Set(select(rootComponents, ['RootComponents', 'RootComponent']).map((r) => r.attrs.find(([k]) => k === 'type')?.[1]));

describe('solution.xml root components against solutions Dataverse exported', () => {
  const ours = select(solutionManifestTree({ config, model, managed: true, controls: [] }), ['ImportExportXml', 'SolutionManifest', 'RootComponents'])[0]!;

  it.each([['incident-reporting/solution.RootComponents.xml'], ['packagedeployer-mock/Solution.RootComponents.xml']])(
    'does not root environment variables, as %s does not although it ships them as files',
    (file) => {
      expect(model.environmentVariables.length).toBeGreaterThan(0);
      expect(rootTypes(realExport(file)).has('380')).toBe(false);
      expect(rootTypes(ours).has('380')).toBe(false);
    },
  );
});

describe('solution.xml roots column security', () => {
  it('lists each field security profile as root component 70 by id, as the CaseSystem export does', () => {
    const line = (xml: XmlElement) => select(xml, ['RootComponents', 'RootComponent']).filter((r) => r.attrs.some(([k, v]) => k === 'type' && v === '70')).map((r) => r.attrs.map(([k]) => k));
    const ours = select(solutionManifestTree({ config, model, managed: true, controls: [] }), ['ImportExportXml', 'SolutionManifest', 'RootComponents'])[0]!;
    expect(line(realExport('casesystem/solution.RootComponents.xml'))).toEqual([['type', 'id', 'behavior']]);
    expect(line(ours)).toEqual(model.fieldSecurityProfiles.map(() => ['type', 'id', 'behavior']));
    for (const p of model.fieldSecurityProfiles) expect(ours.children.some((r) => typeof r !== 'string' && r.attrs.some(([k, v]) => k === 'id' && v === `{${p.id}}`))).toBe(true);
  });
});
