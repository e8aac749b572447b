import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { model } from '../model/model';
import { emitMetadata, emitRows } from './emit';

const generated = join(__dirname, '..', 'generated');

describe('generated files', () => {
  it('the committed rows.ts equals what the model generates now (run `npm run generate -w solution` if this fails)', () => {
    expect(readFileSync(join(generated, 'rows.ts'), 'utf8')).toBe(emitRows(model));
  });

  it('the committed metadata.ts equals what the model generates now (run `npm run generate -w solution` if this fails)', () => {
    expect(readFileSync(join(generated, 'metadata.ts'), 'utf8')).toBe(emitMetadata(model));
  });

  it('generation is deterministic: two runs give identical text', () => {
    expect(emitRows(model)).toBe(emitRows(model));
    expect(emitMetadata(model)).toBe(emitMetadata(model));
  });
});
