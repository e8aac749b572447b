import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataModel } from '../model/types';
import type { PacConfig } from '../pack/pac-config';
import { assertValidModel } from '../validate/model.validator';
import { emitMetadata, emitRows } from './emit';

/** Writes src/generated/{rows,metadata}.ts under `solutionDir`; refuses an invalid model. */
export function writeGenerated(solutionDir: string, model: DataModel, config: PacConfig): string[] {
  assertValidModel(model, config);
  const dir = join(solutionDir, 'src', 'generated');
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, 'rows.ts'), join(dir, 'metadata.ts')];
  writeFileSync(files[0]!, emitRows(model));
  writeFileSync(files[1]!, emitMetadata(model));
  return files;
}
