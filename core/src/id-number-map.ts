// Small JSON maps stored in one column — { "<id>": positive whole number } — for what routing
// keeps beside a row: capacity held per profile, offers declined per agent, the last offer
// stamp per queue. Read leniently (a row edited by hand never breaks routing), written stably
// (sorted, zero left out) so an unchanged map is never rewritten.

export function parseIdNumberMap(text: string | null | undefined): Record<string, number> {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(value)) if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[k.toLowerCase()] = Math.floor(v);
    return out;
  } catch {
    return {};
  }
}

export function formatIdNumberMap(map: ReadonlyMap<string, number> | Readonly<Record<string, number>>): string {
  const entries = (map instanceof Map ? [...map] : Object.entries(map)).filter(([, n]) => n > 0).map(([k, n]) => [k.toLowerCase(), n] as const);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}
