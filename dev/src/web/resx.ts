// Reads a PCF control's .resx strings the way the platform hands them to
// context.resources.getString (the page gets them as JSON).
import fs from 'node:fs';

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&apos;': "'" };

export function parseResx(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /<data\s+name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) out[m[1]!] = m[2]!.replace(/&(lt|gt|amp|quot|apos);/g, (e) => ENTITIES[e]!);
  return out;
}

export function readResx(file: string): Record<string, string> {
  return fs.existsSync(file) ? parseResx(fs.readFileSync(file, 'utf8')) : {};
}
