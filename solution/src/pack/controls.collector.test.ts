import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectControls } from './controls.collector';

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
    expect(collectControls(root)).toEqual([]);
  });

  it('names each control <namespace>.<constructor> from its manifest, whatever its folder is called', () => {
    built('timer-folder', 'SessionTimer', '<manifest><control namespace="Switchboard" constructor="SessionTimer" version="1.0.0"></control></manifest>');
    const [c] = collectControls(root);
    expect(c!.name).toBe('Switchboard.SessionTimer');
    expect(Object.keys(c!.files).sort()).toEqual(['Controls/Switchboard.SessionTimer/ControlManifest.xml', 'Controls/Switchboard.SessionTimer/bundle.js']);
  });

  it('a manifest without namespace or constructor stops the pack with the file named', () => {
    built('Broken', 'Broken', '<manifest><control constructor="Broken"></control></manifest>');
    expect(() => collectControls(root)).toThrow(/controls\/Broken\/out\/controls\/Broken\/ControlManifest\.xml: no <control namespace/);
  });

  it('two built controls with the same name are refused', () => {
    const m = '<manifest><control namespace="Switchboard" constructor="Twin"></control></manifest>';
    built('A', 'Twin', m);
    built('B', 'Twin', m);
    expect(() => collectControls(root)).toThrow('two built controls are named Switchboard.Twin');
  });
});
