// Quick replies and templates carry {{placeholders}}. Filling leaves an unknown one in
// place and reports it, so the agent sees what still needs typing instead of a blank.
export interface FillResult {
  text: string;
  missing: string[];
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

export function fillTemplate(body: string, values: Readonly<Record<string, string | null | undefined>>): FillResult {
  const missing: string[] = [];
  const text = body.replace(PLACEHOLDER, (whole, name: string) => {
    const v = values[name];
    if (v === undefined || v === null || v === '') {
      if (!missing.includes(name)) missing.push(name);
      return whole;
    }
    return v;
  });
  return { text, missing };
}
