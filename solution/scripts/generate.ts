// npm run generate -w solution: writes src/generated/{rows,metadata}.ts from the model.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitMetadata, emitRows } from '../src/generate/emit';
import { model } from '../src/model/model';
import { validateModel, formatProblems } from '../src/validate/model.validator';
import { readPacConfig } from '../src/pack/pac-config';

const root = join(__dirname, '..');
const problems = validateModel(model, readPacConfig());
if (problems.length > 0) {
  console.error(formatProblems(problems));
  process.exit(1);
}
const dir = join(root, 'src', 'generated');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'rows.ts'), emitRows(model));
writeFileSync(join(dir, 'metadata.ts'), emitMetadata(model));
console.log(`generate: wrote src/generated/rows.ts and src/generated/metadata.ts (${model.tables.length} tables, ${model.choices.length} choices)`);
