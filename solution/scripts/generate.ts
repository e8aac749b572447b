// npm run generate -w solution: writes src/generated/{rows,metadata}.ts from the model.
import { join } from 'node:path';
import { writeGenerated } from '../src/generate/write-generated';
import { model } from '../src/model/model';
import { readPacConfig } from '../src/pack/pac-config';

try {
  const files = writeGenerated(join(__dirname, '..'), model, readPacConfig());
  console.log(`generate: wrote ${files.map((f) => f.slice(f.indexOf('src'))).join(', ')} (${model.tables.length} tables, ${model.choices.length} choices)`);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
