// Built PCF controls: pcf-scripts writes controls/<Folder>/out/controls/<Name>/ with
// ControlManifest.xml, bundle.js, strings/*.resx and css/. Each becomes
// Controls/<prefix>_<namespace>.<constructor>/... in the package. pcf-scripts never sees the
// publisher prefix (its bundle registers `<namespace>.<constructor>`); packing a control into a
// solution adds it, and that name is the folder, the CustomControl, the root component and what
// forms bind (fixtures/real-exports/business-approvals-kit: cat_PowerCAT.Panel). The manifest
// and the bundle inside keep the unprefixed name, as in that export.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface ControlProperty {
  name: string;
  /** `SingleLine.Text`, `Whole.None`, `TwoOptions`... */
  ofType: string;
  usage: 'bound' | 'input' | 'output';
  required: boolean;
}

export interface ControlPackage {
  /** The name in the solution: `<prefix>_<namespace>.<constructor>`. */
  name: string;
  /** `<namespace>.<constructor>`, what the bundle registers itself as. */
  manifestName: string;
  /** The manifest's properties: what a form may bind or set on this control. */
  properties: ControlProperty[];
  /** package path -> bytes */
  files: Record<string, Uint8Array>;
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

export function readControlManifestName(manifest: string, where: string): string {
  const control = /<control\b[^>]*>/.exec(manifest)?.[0];
  const ns = control && /\bnamespace="([^"]+)"/.exec(control)?.[1];
  const ctor = control && /\bconstructor="([^"]+)"/.exec(control)?.[1];
  if (!ns || !ctor) throw new Error(`${where}: no <control namespace="..." constructor="..."> in ControlManifest.xml`);
  return `${ns}.${ctor}`;
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

export function readControlProperties(manifest: string, where: string): ControlProperty[] {
  return [...manifest.matchAll(/<property\b[^>]*>/g)].map(([tag]) => {
    const name = attr(tag, 'name');
    const ofType = attr(tag, 'of-type');
    const usage = attr(tag, 'usage') ?? 'input';
    if (!name || !ofType) throw new Error(`${where}: a <property> needs name and of-type: ${tag}`);
    if (usage !== 'bound' && usage !== 'input' && usage !== 'output') throw new Error(`${where}: property '${name}' has unknown usage '${usage}'`);
    return { name, ofType, usage, required: attr(tag, 'required') === 'true' };
  });
}

/** The name Dataverse gives a control packed by a publisher with this prefix. */
export const solutionControlName = (prefix: string, manifestName: string): string => `${prefix}_${manifestName}`;

export function collectControls(repoRoot: string, prefix: string): ControlPackage[] {
  const controlsDir = join(repoRoot, 'controls');
  if (!existsSync(controlsDir)) return [];
  const out: ControlPackage[] = [];
  for (const folder of readdirSync(controlsDir).sort()) {
    const built = join(controlsDir, folder, 'out', 'controls');
    if (!existsSync(built) || !statSync(built).isDirectory()) continue;
    for (const name of readdirSync(built).sort()) {
      const dir = join(built, name);
      const manifestPath = join(dir, 'ControlManifest.xml');
      if (!statSync(dir).isDirectory() || !existsSync(manifestPath)) continue;
      const manifest = readFileSync(manifestPath, 'utf8');
      const manifestName = readControlManifestName(manifest, relative(repoRoot, manifestPath));
      const controlName = solutionControlName(prefix, manifestName);
      const properties = readControlProperties(manifest, relative(repoRoot, manifestPath));
      const files: Record<string, Uint8Array> = {};
      for (const file of walk(dir)) {
        files[`Controls/${controlName}/${relative(dir, file).split('\\').join('/')}`] = new Uint8Array(readFileSync(file));
      }
      if (out.some((c) => c.name === controlName)) throw new Error(`two built controls are named ${controlName}`);
      out.push({ name: controlName, manifestName, properties, files });
    }
  }
  return out;
}
