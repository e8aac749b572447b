// The two Microsoft schemas every package is validated against:
// - 'docs': the CustomizationsSolution.xsd Microsoft publishes on Learn (solution/schemas/dataverse-docs),
//   newer than the SDK's — it knows custom controls, apps, webhook endpoints, and fixes the root order;
// - 'sdk': the SDK schema folder (../shared/schemas/dataverse), kept exactly as shipped.
// The docs schema includes four SDK files the page does not print; they are taken from the SDK folder
// with the `^…$` anchors removed from their patterns (see the README next to the docs schema).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SchemaName = 'docs' | 'sdk';

export interface SchemaSet {
  name: SchemaName;
  /** Folder holding CustomizationsSolution.xsd and the files it includes. */
  dir: string;
  /** How messages and the pack log name it. */
  label: string;
}

export const DOCS_SCHEMA = join(__dirname, '..', '..', 'schemas', 'dataverse-docs', 'CustomizationsSolution.xsd');

/**
 * XML Schema patterns are implicitly anchored and `^`/`$` are literal characters in them: the .NET
 * habit of writing `^…$` makes a pattern accept nothing real. Only whole-pattern anchors are removed.
 */
export function withoutDotNetAnchors(xsd: string): string {
  return xsd.replace(/(<xs:pattern\s+value=")\^([^"]*)\$(")/g, '$1$2$3');
}

export function sdkSchemaSet(sdkDir: string): SchemaSet {
  return { name: 'sdk', dir: sdkDir, label: 'the SDK schema (CustomizationsSolution.xsd, SDK 9.0)' };
}

/**
 * Assembles the docs schema with its includes in a folder of the system temp directory, named after
 * the content so that parallel test workers and repeated packs reuse one copy, written atomically.
 */
export function docsSchemaSet(sdkDir: string, docsXsd = DOCS_SCHEMA): SchemaSet {
  const files = new Map<string, string>();
  for (const name of readdirSync(sdkDir).filter((n) => n.endsWith('.xsd')).sort()) files.set(name, withoutDotNetAnchors(readFileSync(join(sdkDir, name), 'utf8')));
  files.set('CustomizationsSolution.xsd', readFileSync(docsXsd, 'utf8'));
  const hash = createHash('sha256');
  for (const [name, text] of files) hash.update(`${name}\0${text}\0`);
  const dir = join(tmpdir(), `switchboard-xsd-docs-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(join(dir, 'CustomizationsSolution.xsd'))) {
    mkdirSync(tmpdir(), { recursive: true });
    const staging = mkdtempSync(join(tmpdir(), 'switchboard-xsd-staging-'));
    for (const [name, text] of files) writeFileSync(join(staging, name), text);
    try {
      renameSync(staging, dir);
    } catch {
      // Another process assembled the same content first; its copy is identical.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { name: 'docs', dir, label: "Microsoft's published schema (Learn: Customization solutions file schema)" };
}
