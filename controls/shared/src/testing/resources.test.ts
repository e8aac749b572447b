// Every control ships English and French with the same keys, and every literal key the
// code asks for exists, so no person ever reads a raw resource key.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadResx } from './load-resx';

const controlsDir = path.resolve(__dirname, '../../..');
const controls = fs.readdirSync(controlsDir).filter((d) => fs.existsSync(path.join(controlsDir, d, d, 'ControlManifest.Input.xml')));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

test('the six controls are found', () => {
  expect(controls.sort()).toEqual(['AgentInbox', 'CommunicationPane', 'ConversationSummary', 'Insights', 'SessionTimer', 'SupervisorDesk']);
});

describe.each(controls)('%s resources', (name) => {
  const dir = path.join(controlsDir, name, name);
  const en = loadResx(path.join(dir, `strings/${name}.1033.resx`));
  const fr = loadResx(path.join(dir, `strings/${name}.1036.resx`));

  test('English and French have the same keys, none empty', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of [...Object.entries(en), ...Object.entries(fr)]) expect([k, v.trim().length > 0]).toEqual([k, true]);
  });

  test('every key the code and the manifest use exists', () => {
    const manifest = fs.readFileSync(path.join(dir, 'ControlManifest.Input.xml'), 'utf8');
    const used = new Set([...manifest.matchAll(/-key="([^"]+)"/g)].map((m) => m[1]));
    for (const file of sources(dir)) for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bt\('([A-Za-z0-9_]+)'/g)) used.add(m[1]);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });
});
