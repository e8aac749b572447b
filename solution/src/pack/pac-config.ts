// pac.config.json at the repository root names the publisher and the solution; the
// packer and the validator both read it so the prefix and version live in one place.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PacConfig {
  publisher: {
    uniqueName: string;
    displayName: string;
    description?: string;
    prefix: string;
    /** 10000..99999; option values are prefix * 10000 + 0..9999. */
    optionValuePrefix: number;
  };
  solution: {
    uniqueName: string;
    displayName: string;
    description?: string;
    /** major.minor.build.revision */
    version: string;
  };
}

export const defaultPacConfigPath = join(__dirname, '..', '..', '..', 'pac.config.json');

export function parsePacConfig(json: unknown, source = 'pac.config.json'): PacConfig {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}`);
  };
  const c = json as Partial<PacConfig> | null;
  if (!c || typeof c !== 'object') fail('must be a JSON object');
  const p = c!.publisher;
  const s = c!.solution;
  if (!p || typeof p !== 'object') fail('missing "publisher"');
  if (!s || typeof s !== 'object') fail('missing "solution"');
  if (typeof p!.uniqueName !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(p!.uniqueName)) fail('publisher.uniqueName must be letters, digits and _');
  if (typeof p!.displayName !== 'string' || !p!.displayName) fail('publisher.displayName is required');
  if (typeof p!.prefix !== 'string' || !/^[a-z][a-z0-9]{1,7}$/.test(p!.prefix) || p!.prefix.startsWith('mscrm')) {
    fail('publisher.prefix must be 2-8 lower-case letters or digits, starting with a letter, not "mscrm"');
  }
  if (!Number.isInteger(p!.optionValuePrefix) || p!.optionValuePrefix < 10000 || p!.optionValuePrefix > 99999) {
    fail('publisher.optionValuePrefix must be an integer from 10000 to 99999');
  }
  if (typeof s!.uniqueName !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(s!.uniqueName)) fail('solution.uniqueName must be letters, digits and _');
  if (typeof s!.displayName !== 'string' || !s!.displayName) fail('solution.displayName is required');
  if (typeof s!.version !== 'string' || !/^\d+\.\d+\.\d+\.\d+$/.test(s!.version)) fail('solution.version must be major.minor.build.revision, e.g. 0.1.0.0');
  return c as PacConfig;
}

export function readPacConfig(path = defaultPacConfigPath): PacConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`cannot read ${path}: the packer needs pac.config.json at the repository root`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: invalid JSON (${(e as Error).message})`);
  }
  return parsePacConfig(json, path);
}

export function optionValueRange(config: PacConfig): { min: number; max: number } {
  const min = config.publisher.optionValuePrefix * 10000;
  return { min, max: min + 9999 };
}
