import * as fs from 'node:fs';
import { parseResx } from './resx';

export function loadResx(file: string): Record<string, string> {
  return parseResx(fs.readFileSync(file, 'utf8'));
}
