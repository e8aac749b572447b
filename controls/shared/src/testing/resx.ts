// Reads the <data name="..."><value>...</value></data> pairs of a .resx, the same file
// pcf-scripts ships, so tests and the screenshot harness show the real strings.
const DATA = /<data\s+name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g;

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export function parseResx(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of xml.matchAll(DATA)) out[m[1]] = unescapeXml(m[2]);
  return out;
}
