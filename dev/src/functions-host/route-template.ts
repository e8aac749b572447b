// Azure Functions route templates ("sms/twilio/{channelId}", "items/{id:int?}", "files/{*path}")
// matched the way the host's ASP.NET routing does: literal segments case-insensitive,
// parameters URL-decoded, and a literal beats a parameter when two templates could match.

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string; optional: boolean; constraint: Constraint | undefined }
  | { kind: 'catchAll'; name: string };

type Constraint = { name: string; test: (value: string) => boolean };

const CONSTRAINTS: Record<string, (value: string) => boolean> = {
  int: (v) => /^-?\d+$/.test(v) && Math.abs(Number(v)) <= 2 ** 31,
  long: (v) => /^-?\d+$/.test(v),
  guid: (v) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v.replace(/^[{(]|[})]$/g, '')),
  alpha: (v) => /^[a-z]+$/i.test(v),
  bool: (v) => /^(true|false)$/i.test(v),
};

export interface CompiledRoute {
  template: string;
  segments: Segment[];
  // Per segment: 1 literal, 2 constrained parameter, 3 parameter, 4 optional, 5 catch-all.
  precedence: number[];
}

export function compileRoute(template: string): CompiledRoute {
  const raw = template.replace(/^\/+|\/+$/g, '');
  const parts = raw === '' ? [] : raw.split('/');
  const segments: Segment[] = parts.map((part, index) => {
    const m = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?(\?)?\}$/.exec(part);
    if (!m) {
      if (part.includes('{') || part.includes('}')) throw new Error(`Route "${template}": complex segment "${part}" is not supported by the dev host`);
      return { kind: 'literal', text: part.toLowerCase() };
    }
    const [, star, name = '', constraintName, optional] = m;
    if (star) {
      if (index !== parts.length - 1) throw new Error(`Route "${template}": a catch-all must be the last segment`);
      return { kind: 'catchAll', name };
    }
    if (optional && index !== parts.length - 1) throw new Error(`Route "${template}": only the last parameter may be optional`);
    let constraint: Constraint | undefined;
    if (constraintName) {
      const test = CONSTRAINTS[constraintName];
      if (!test) throw new Error(`Route "${template}": unknown constraint "${constraintName}"`);
      constraint = { name: constraintName, test };
    }
    return { kind: 'param', name, optional: Boolean(optional), constraint };
  });
  const precedence = segments.map((s) => (s.kind === 'literal' ? 1 : s.kind === 'catchAll' ? 5 : s.optional ? 4 : s.constraint ? 2 : 3));
  return { template, segments, precedence };
}

export function matchRoute(route: CompiledRoute, pathname: string): Record<string, string> | null {
  const trimmed = pathname.replace(/^\/+|\/+$/g, '');
  const parts = trimmed === '' ? [] : trimmed.split('/');
  const params: Record<string, string> = {};
  const segs = route.segments;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    if (seg.kind === 'catchAll') {
      params[seg.name] = parts.slice(i).map(safeDecode).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) {
      if (seg.kind === 'param' && seg.optional) return params;
      return null;
    }
    const decoded = safeDecode(part);
    if (seg.kind === 'literal') {
      if (decoded.toLowerCase() !== seg.text) return null;
    } else {
      if (decoded === '' || (seg.constraint && !seg.constraint.test(decoded))) return null;
      params[seg.name] = decoded;
    }
  }
  return parts.length === segs.length ? params : null;
}

// Orders routes so the first match is the one ASP.NET routing would pick.
export function compareRoutes(a: CompiledRoute, b: CompiledRoute): number {
  const n = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < n; i++) {
    const pa = a.precedence[i] ?? 0;
    const pb = b.precedence[i] ?? 0;
    if (pa !== pb) return pa - pb;
  }
  return a.template.localeCompare(b.template);
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
