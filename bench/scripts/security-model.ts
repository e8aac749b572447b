// Writes docs/security-model.md from the data model and the guard steps (see security/access-matrix.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSecurityModel } from '../security/access-matrix';

const target = join(__dirname, '..', '..', 'docs', 'security-model.md');
writeFileSync(target, renderSecurityModel());
console.log(`security-model: wrote ${target}`);
