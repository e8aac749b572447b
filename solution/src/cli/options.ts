// The few command-line options our scripts take: `--name value`, `--name=value` and `--flag`.
// Anything else is refused with the script's usage, so a typo never silently packs or configures
// with defaults.

export type OptionKinds = Record<string, 'value' | 'flag'>;

export function parseOptions(argv: string[], kinds: OptionKinds, usage: string): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new Error(usage);
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    const kind = m ? kinds[m[1]!] : undefined;
    if (!m || !kind) throw new Error(`unknown argument '${arg}'\n${usage}`);
    const name = m[1]!;
    if (kind === 'flag') {
      if (m[2] !== undefined) throw new Error(`--${name} takes no value\n${usage}`);
      out[name] = true;
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value\n${usage}`);
    out[name] = value;
  }
  return out;
}
