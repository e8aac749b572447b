import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { model } from '../model/model';
import { child, select, serialize, textOf, type XmlElement } from '../xml/xml';
import { collectControls } from './controls.collector';
import { customizationsTree } from './customizations.emitter';
import { realExport } from './fixtures/real-exports';
import { readPacConfig } from './pac-config';
import { solutionManifestTree } from './solution-manifest.emitter';

const config = readPacConfig(join(__dirname, '..', '..', '..', 'pac.config.json'));

describe('built control collection', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'swb-controls-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const built = (folder: string, name: string, manifest: string) => {
    const dir = join(root, 'controls', folder, 'out', 'controls', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ControlManifest.xml'), manifest);
    writeFileSync(join(dir, 'bundle.js'), '//');
  };

  it('a repository with nothing built yields no controls', () => {
    mkdirSync(join(root, 'controls', 'Idle'), { recursive: true });
    expect(collectControls(root, 'swb')).toEqual([]);
  });

  it('names each control <prefix>_<namespace>.<constructor> from its manifest, whatever its folder is called', () => {
    built('timer-folder', 'SessionTimer', '<manifest><control namespace="Switchboard" constructor="SessionTimer" version="1.0.0"></control></manifest>');
    const [c] = collectControls(root, 'swb');
    expect(c!.name).toBe('swb_Switchboard.SessionTimer');
    expect(Object.keys(c!.files).sort()).toEqual(['Controls/swb_Switchboard.SessionTimer/ControlManifest.xml', 'Controls/swb_Switchboard.SessionTimer/bundle.js']);
  });

  it('a manifest without namespace or constructor stops the pack with the file named', () => {
    built('Broken', 'Broken', '<manifest><control constructor="Broken"></control></manifest>');
    expect(() => collectControls(root, 'swb')).toThrow(/controls\/Broken\/out\/controls\/Broken\/ControlManifest\.xml: no <control namespace/);
  });

  it('two built controls with the same name are refused', () => {
    const m = '<manifest><control namespace="Switchboard" constructor="Twin"></control></manifest>';
    built('A', 'Twin', m);
    built('B', 'Twin', m);
    expect(() => collectControls(root, 'swb')).toThrow('two built controls are named swb_Switchboard.Twin');
  });
});

describe('a built control as Dataverse packs it (fixtures/real-exports/business-approvals-kit)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'swb-controls-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is named <prefix>_<namespace>.<constructor> for its folder, CustomControl and root component 66, as cat_PowerCAT.Panel is', () => {
    // The exported control's own manifest start tag: namespace="PowerCAT" constructor="Panel", built by publisher prefix "cat".
    const dir = join(root, 'controls', 'Panel', 'out', 'controls', 'Panel');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ControlManifest.xml'), readFileSync(join(__dirname, 'fixtures', 'real-exports', 'business-approvals-kit', 'ControlManifest.control-element.xml'), 'utf8'));
    writeFileSync(join(dir, 'bundle.js'), '//');
    const [c] = collectControls(root, 'cat');
    const exported = realExport('business-approvals-kit/ControlManifest.xml.data.xml');
    expect(c!.name).toBe(textOf(child(exported, 'Name')));
    expect(c!.manifestName).toBe('PowerCAT.Panel');
    expect(Object.keys(c!.files)).toContain(textOf(child(exported, 'FileName')).slice(1));

    const ours = select(customizationsTree({ model, controls: [{ name: c!.name }] }), ['ImportExportXml', 'CustomControls', 'CustomControl'])[0]!;
    expect(ours).toEqual({ ...exported, attrs: [] });

    const roots = (tree: XmlElement) => select(tree, [tree.name, 'RootComponent']).map((r) => serialize(r));
    const manifest = select(solutionManifestTree({ config, model, managed: true, controls: [{ name: c!.name }] }), ['ImportExportXml', 'SolutionManifest', 'RootComponents'])[0]!;
    expect(roots(manifest).filter((r) => r.includes('type="66"'))).toEqual(roots(realExport('business-approvals-kit/Solution.RootComponents.excerpt.xml')).filter((r) => r.includes('Panel')));
  });

  it('keeps its manifest unprefixed inside the package, as the export does, since the bundle registers that name', () => {
    const dir = join(root, 'controls', 'Timer', 'out', 'controls', 'SessionTimer');
    mkdirSync(dir, { recursive: true });
    const manifest = '<manifest><control namespace="Switchboard" constructor="SessionTimer" version="1.0.0"></control></manifest>';
    writeFileSync(join(dir, 'ControlManifest.xml'), manifest);
    const [c] = collectControls(root, 'swb');
    expect(Buffer.from(c!.files['Controls/swb_Switchboard.SessionTimer/ControlManifest.xml']!).toString()).toBe(manifest);
  });
});
