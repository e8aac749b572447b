// npm run pack (-w solution): regenerate types and metadata, then build, validate and
// zip the solution. Exits non-zero with the failing rule or schema message.
import { join } from 'node:path';
import { writeGenerated } from '../src/generate/write-generated';
import { model } from '../src/model/model';
import { readPacConfig } from '../src/pack/pac-config';
import { pack } from '../src/pack/packer';

const solutionDir = join(__dirname, '..');
const repoRoot = join(solutionDir, '..');
try {
  const config = readPacConfig(join(repoRoot, 'pac.config.json'));
  console.log('[generate] src/generated/rows.ts, src/generated/metadata.ts');
  writeGenerated(solutionDir, model, config);
  const result = pack({ repoRoot, config });
  console.log(`pack: Switchboard ${result.version} — ${result.entries.length} entries, ${result.controls.length} control(s), ${result.steps} step(s)`);
} catch (e) {
  console.error(`pack failed: ${(e as Error).message}`);
  process.exit(1);
}
