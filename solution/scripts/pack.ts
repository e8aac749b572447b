// npm run pack (-w solution) [-- --functions-url https://<app>.azurewebsites.net]: regenerate types
// and metadata, then build, validate and zip the solution. Exits non-zero with the failing rule or
// schema message.
import { join } from 'node:path';
import { writeGenerated } from '../src/generate/write-generated';
import { model } from '../src/model/model';
import { readPacConfig } from '../src/pack/pac-config';
import { pack } from '../src/pack/packer';
import { parseOptions } from '../src/cli/options';

const USAGE = `usage: npm run pack [-- --functions-url https://<app>.azurewebsites.net]

  --functions-url   the functions app's address; webhook endpoints are written as <address>/api/dataverse/...
                    (default: SWITCHBOARD_FUNCTIONS_BASE_URL, else a placeholder npm run configure replaces)`;

const solutionDir = join(__dirname, '..');
const repoRoot = join(solutionDir, '..');
try {
  const options = parseOptions(process.argv.slice(2), { 'functions-url': 'value' }, USAGE);
  const config = readPacConfig(join(repoRoot, 'pac.config.json'));
  console.log('[generate] src/generated/rows.ts, src/generated/metadata.ts');
  writeGenerated(solutionDir, model, config);
  const functionsUrl = options['functions-url'];
  const result = pack({ repoRoot, config, ...(typeof functionsUrl === 'string' ? { functionsBaseUrl: functionsUrl } : {}) });
  console.log(`pack: Switchboard ${result.version} — ${result.entries.length} entries, ${result.controls.length} control(s), ${result.steps} step(s)`);
} catch (e) {
  console.error(`pack failed: ${(e as Error).message}`);
  process.exit(1);
}
