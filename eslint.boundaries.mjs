// DESIGN.md's repository layout as lint rules: which workspace may import which. Spread into
// eslint.config.mjs; bench/lint/workspace-boundaries.test.ts shows each rule refusing a
// forbidden import (and letting an allowed one through).
//
// Two rules, because an import names a workspace in two ways:
// - by package name (@switchboard/x): @typescript-eslint/no-restricted-imports per workspace,
//   which also knows `import type` (controls may use solution's types, never its values);
// - by relative path (../../dev/src/...): no-restricted-imports only sees the text, not where
//   it lands, so switchboard/no-relative-reach resolves the path and refuses any that leaves
//   the importing file's workspace. Across workspaces, only package names are allowed: they
//   are what the table below (and tsconfig's paths) govern.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

// The layout's rows. controls/ is one row (controls/shared serves the controls beside it);
// dev/ and bench/ are never shipped and may import everything, by package name.
const UNITS = ['core', 'solution', 'plugins', 'functions', 'controls', 'widget', 'dev', 'bench'];

const ALL = ['core', 'solution', 'plugins', 'functions', 'widget', 'dev', 'bench', 'controls-shared', 'control-*'];

/** What each shipped workspace may import of ours (DESIGN.md, "may import"); everything else is refused. */
const MAY_IMPORT = {
  core: { packages: [], why: 'core is host-free and imports nothing of ours' },
  solution: { packages: ['core'], why: 'solution imports only core' },
  plugins: { packages: ['core', 'solution'], why: 'plugins import only core and solution' },
  functions: { packages: ['core', 'solution', 'plugins'], why: 'functions imports only core, solution and plugins' },
  controls: { packages: ['core', 'controls-shared'], typesOnly: ['solution'], why: 'controls import core, and solution for types only' },
  // Nothing server-side; core is host-free (the widget imports none of ours today).
  widget: { packages: ['core'], why: 'the widget imports nothing server-side' },
};

function restrictions({ packages, typesOnly = [], why }) {
  const allowed = [...packages, ...typesOnly];
  const patterns = [
    {
      group: ALL.filter((p) => !allowed.includes(p)).flatMap((p) => [`@switchboard/${p}`, `@switchboard/${p}/*`]),
      message: `${why} (DESIGN.md, repository layout). Nothing shipped imports dev/ or bench/, tests included: a test that needs the emulator lives in dev/ or bench/.`,
    },
  ];
  for (const p of typesOnly) {
    patterns.push({ group: [`@switchboard/${p}`, `@switchboard/${p}/*`], allowTypeImports: true, message: `${why}: use \`import type\` (its values would land in the bundle).` });
  }
  return ['error', { patterns }];
}

function unitOf(file) {
  const first = path.relative(ROOT, file).split(path.sep)[0];
  return UNITS.includes(first) ? first : null;
}

const noRelativeReach = {
  meta: {
    type: 'problem',
    docs: { description: 'Refuses a relative import that leaves the workspace of the importing file.' },
    schema: [],
    messages: {
      reach: "'{{source}}' reaches from {{from}}/ into {{to}}/ by relative path: import it by package name (@switchboard/...), where DESIGN.md's layout lets {{from}}/ import {{to}}/.",
    },
  },
  create(context) {
    const file = context.filename;
    const from = unitOf(file);
    if (!from) return {};
    const check = (node) => {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string' || !node.value.startsWith('.')) return;
      const to = unitOf(path.resolve(path.dirname(file), node.value));
      if (to !== from) context.report({ node, messageId: 'reach', data: { source: node.value, from, to: to ?? 'the repository root' } });
    };
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require') check(n.arguments[0]);
      },
    };
  },
};

const TS = ['ts', 'tsx', 'mts', 'cts'];
const filesOf = (folder) => TS.map((ext) => `${folder}/**/*.${ext}`);

export const workspaceBoundaries = [
  {
    plugins: { switchboard: { rules: { 'no-relative-reach': noRelativeReach } } },
    rules: { 'switchboard/no-relative-reach': 'error' },
  },
  ...Object.entries(MAY_IMPORT).map(([unit, allowed]) => ({
    files: filesOf(unit),
    rules: { '@typescript-eslint/no-restricted-imports': restrictions(allowed) },
  })),
];
