import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metadata } from '@switchboard/solution';
import { stepRegistry } from './registry';
import { pluginRegistrations, registrationProblems } from './steps-manifest';

const regs = pluginRegistrations(stepRegistry);

describe('plugin step registrations', () => {
  it('are valid as Dataverse would check them', () => {
    expect(registrationProblems(regs)).toEqual([]);
  });

  it('every step is on a table and columns the solution knows, except Associate/Disassociate, which are on none', () => {
    for (const s of regs.steps) {
      if (s.message === 'Associate' || s.message === 'Disassociate') {
        expect({ name: s.name, primaryTable: s.primaryTable, images: s.images }).toEqual({ name: s.name, primaryTable: undefined, images: undefined });
        continue;
      }
      const table = metadata.entities[s.primaryTable!];
      expect(table).toBeDefined();
      for (const column of [...(s.filteringAttributes ?? []), ...(s.images ?? []).flatMap((i) => i.attributes ?? [])]) {
        // statecode is a system column every table has.
        if (column !== 'statecode') expect({ table: s.primaryTable, column, known: column in table!.attributes }).toEqual({ table: s.primaryTable, column, known: true });
      }
    }
  });

  it('the checker catches what Dataverse refuses', () => {
    const bad = pluginRegistrations(stepRegistry);
    bad.steps[0] = { ...bad.steps[0]!, mode: 'async', stage: 20 };
    bad.steps.push({ ...bad.steps[1]! });
    bad.steps.push({ ...bad.steps[1]!, name: 'Associate on a table', message: 'Associate', primaryTable: 'queue', images: undefined, filteringAttributes: undefined });
    expect(registrationProblems(bad)).toEqual(expect.arrayContaining([expect.stringMatching(/async steps must be post-operation/), expect.stringMatching(/duplicate step name/), expect.stringMatching(/Associate is registered on no table/)]));
  });

  it('npm run build writes dist/steps.json exactly as the registry describes', () => {
    const root = join(__dirname, '..');
    execFileSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/build-steps.ts'], { cwd: root, stdio: 'pipe' });
    const written = JSON.parse(readFileSync(join(root, 'dist', 'steps.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(regs)));
    expect(written.serviceEndpoints.map((e: { url: string }) => e.url)).toContain('{functionsBaseUrl}/dataverse/conversation-guard');
  });
});
