// Schema validation through xmllint (Debian libxml2-utils). There is no switch to skip
// it: a missing xmllint or schema folder is an error, not a pass.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export class SchemaValidationError extends Error {
  constructor(readonly file: string, readonly details: string) {
    super(`${file} does not match its schema:\n${details}`);
    this.name = 'SchemaValidationError';
  }
}

/** ../shared/schemas/dataverse from the repository root, or SWITCHBOARD_SCHEMAS. */
export function dataverseSchemasDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.SWITCHBOARD_SCHEMAS ? resolve(env.SWITCHBOARD_SCHEMAS) : resolve(repoRoot, '..', 'shared', 'schemas', 'dataverse');
  if (!existsSync(join(dir, 'CustomizationsSolution.xsd'))) {
    throw new Error(`Dataverse schemas not found: ${join(dir, 'CustomizationsSolution.xsd')} is missing (set SWITCHBOARD_SCHEMAS to the folder holding CustomizationsSolution.xsd)`);
  }
  return dir;
}

/** Validates `xml` (named `file` in messages) against `xsd`; throws SchemaValidationError with xmllint's messages. */
export function validateWithSchema(xml: string, xsd: string, file: string): void {
  const run = spawnSync('xmllint', ['--noout', '--schema', xsd, '-'], { input: xml, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? 'xmllint is not installed: install libxml2-utils (apt-get install libxml2-utils); validation cannot be skipped' : `xmllint failed to run: ${run.error.message}`);
  }
  if (run.status !== 0) {
    const lines = `${run.stderr}`
      .split('\n')
      .filter((l) => l.trim() && !/^- (validates|fails to validate)$/.test(l.trim()))
      .map((l) => l.replace(/^-:/, `${file}:`));
    throw new SchemaValidationError(file, lines.slice(0, 20).join('\n') + (lines.length > 20 ? `\n... and ${lines.length - 20} more` : ''));
  }
}
