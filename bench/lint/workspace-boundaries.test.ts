// The workspace boundaries (eslint.boundaries.mjs, DESIGN.md's layout) refuse what they must
// and let through what they must: each rule, one allowed and one refused import, linted by
// ESLint's own Node API with the repository's config, as if the snippet were a file there.
// ESLint loads its flat config with import(), which Jest's module sandbox does not offer, so
// the linting runs in a child Node process, once for all cases.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

interface Case {
  file: string;
  code: string;
}

interface Finding {
  ruleId: string | null;
  message: string;
}

const LINT = `
const { ESLint } = require('eslint');
(async () => {
  const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const c of cases) {
    const [result] = await eslint.lintText(c.code, { filePath: c.file });
    out.push(result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

const BOUNDARY_RULES = new Set(['@typescript-eslint/no-restricted-imports', 'switchboard/no-relative-reach']);

const cases = {
  // core imports nothing of ours
  coreRelative: { file: 'core/src/routing/x.ts', code: "import { systemClock } from '../time';\nexport const c = systemClock;\n" },
  coreSolution: { file: 'core/src/routing/x.ts', code: "import type { ConversationRow } from '@switchboard/solution';\nexport type R = ConversationRow;\n" },
  // solution imports only core
  solutionCore: { file: 'solution/src/model/x.ts', code: "import { PRESENCE_CHOICE } from '@switchboard/core';\nexport const p = PRESENCE_CHOICE;\n" },
  solutionPlugins: { file: 'solution/src/model/x.ts', code: "import { stepRegistry } from '@switchboard/plugins';\nexport const s = stepRegistry;\n" },
  // plugins import core and solution
  pluginsSolution: { file: 'plugins/src/steps/x.ts', code: "import { ConversationState } from '@switchboard/solution';\nexport const s = ConversationState;\n" },
  pluginsFunctions: { file: 'plugins/src/steps/x.ts', code: "import { compose } from '@switchboard/functions';\nexport const c = compose;\n" },
  // functions imports core, solution, plugins
  functionsPlugins: { file: 'functions/src/x.ts', code: "import { recomputeAgent } from '@switchboard/plugins';\nexport const r = recomputeAgent;\n" },
  functionsControls: { file: 'functions/src/x.ts', code: "import { T } from '@switchboard/controls-shared';\nexport const t = T;\n" },
  // controls import core, and solution for types only; never functions, plugins or dev
  controlsCore: { file: 'controls/AgentInbox/AgentInbox/x.tsx', code: "import { PRESENCE_CHOICE } from '@switchboard/core';\nexport const p = PRESENCE_CHOICE;\n" },
  controlsSolutionType: { file: 'controls/shared/src/model/x.ts', code: "import type { ConversationRow } from '@switchboard/solution';\nexport type R = ConversationRow;\n" },
  controlsSolutionValue: { file: 'controls/shared/src/model/x.ts', code: "import { ConversationState } from '@switchboard/solution';\nexport const s = ConversationState;\n" },
  controlsPlugins: { file: 'controls/AgentInbox/AgentInbox/x.tsx', code: "import type { StepDeps } from '@switchboard/plugins';\nexport type D = StepDeps;\n" },
  controlsFunctions: { file: 'controls/shared/src/data/x.ts', code: "import type { ChatApiService } from '@switchboard/functions';\nexport type C = ChatApiService;\n" },
  // the widget imports nothing server-side
  widgetCore: { file: 'widget/src/x.ts', code: "import { renderTemplate } from '@switchboard/core';\nexport const r = renderTemplate;\n" },
  widgetFunctions: { file: 'widget/src/x.ts', code: "import type { ApiRequest } from '@switchboard/functions';\nexport type A = ApiRequest;\n" },
  // nothing shipped imports dev/ or bench/, tests included
  shippedTestDev: { file: 'functions/src/chat/x.test.ts', code: "import { createEmulator } from '@switchboard/dev/dataverse';\nexport const e = createEmulator;\n" },
  shippedBench: { file: 'plugins/src/x.ts', code: "import { x } from '@switchboard/bench/security/security-stack';\nexport const y = x;\n" },
  devFunctions: { file: 'dev/src/web/x.ts', code: "import { telesignSignature } from '@switchboard/functions/channels/telesign/telesign.mapper';\nexport const t = telesignSignature;\n" },
  benchDev: { file: 'bench/security/x.ts', code: "import { createEmulator } from '@switchboard/dev/dataverse';\nexport const e = createEmulator;\n" },
  // relative reaches across workspaces are refused everywhere, shipped or not
  reachIntoDev: { file: 'functions/src/testing/x.ts', code: "import { createEmulator } from '../../../dev/src/dataverse/emulator';\nexport const e = createEmulator;\n" },
  reachFromDev: { file: 'dev/src/web/x.ts', code: "import { telesignSignature } from '../../../functions/src/channels/telesign/telesign.mapper';\nexport const t = telesignSignature;\n" },
  reachExportFromBench: { file: 'bench/security/x.ts', code: "export { createEmulator } from '../../dev/src/dataverse';\n" },
  withinFunctions: { file: 'functions/src/handlers/x.ts', code: "import type { WidgetScriptService } from '../widget/widget-script.service';\nexport type W = WidgetScriptService;\n" },
  withinControls: { file: 'controls/AgentInbox/AgentInbox/components/x.tsx', code: "import { T } from '../../../shared/src';\nexport const t = T;\n" },
} satisfies Record<string, Case>;

type Name = keyof typeof cases;
let findings: Record<Name, Finding[]>;

beforeAll(() => {
  const names = Object.keys(cases) as Name[];
  const input = names.map((n) => ({ file: path.join(ROOT, cases[n].file), code: cases[n].code }));
  const out = JSON.parse(execFileSync(process.execPath, ['-e', LINT], { cwd: ROOT, input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })) as Finding[][];
  findings = Object.fromEntries(names.map((n, i) => [n, out[i]!.filter((f) => f.ruleId !== null && BOUNDARY_RULES.has(f.ruleId))])) as Record<Name, Finding[]>;
}, 120_000);

const refused = (name: Name, rule: string, text: RegExp) => {
  expect(findings[name]).toEqual([expect.objectContaining({ ruleId: rule, message: expect.stringMatching(text) })]);
};
const allowed = (name: Name) => expect(findings[name]).toEqual([]);
const PACKAGES = '@typescript-eslint/no-restricted-imports';
const REACH = 'switchboard/no-relative-reach';

test('core imports nothing of ours: its own files yes, solution (even a type) no', () => {
  allowed('coreRelative');
  refused('coreSolution', PACKAGES, /core is host-free/);
});

test('solution imports core, and nothing else of ours', () => {
  allowed('solutionCore');
  refused('solutionPlugins', PACKAGES, /solution imports only core/);
});

test('plugins import core and solution, not functions', () => {
  allowed('pluginsSolution');
  refused('pluginsFunctions', PACKAGES, /plugins import only core and solution/);
});

test('functions imports plugins, not the controls', () => {
  allowed('functionsPlugins');
  refused('functionsControls', PACKAGES, /functions imports only core, solution and plugins/);
});

test("controls import core and solution's types; solution's values, plugins and functions are refused", () => {
  allowed('controlsCore');
  allowed('controlsSolutionType');
  refused('controlsSolutionValue', PACKAGES, /for types only: use `import type`/);
  refused('controlsPlugins', PACKAGES, /controls import core, and solution for types only/);
  refused('controlsFunctions', PACKAGES, /controls import core, and solution for types only/);
});

test('the widget imports nothing server-side', () => {
  allowed('widgetCore');
  refused('widgetFunctions', PACKAGES, /the widget imports nothing server-side/);
});

test('nothing shipped imports dev/ or bench/, tests included; dev/ and bench/ import everything by package name', () => {
  refused('shippedTestDev', PACKAGES, /Nothing shipped imports dev\/ or bench\/, tests included/);
  refused('shippedBench', PACKAGES, /Nothing shipped imports dev\/ or bench\//);
  allowed('devFunctions');
  allowed('benchDev');
});

test('a relative path that leaves its workspace is refused everywhere; one that stays inside is not', () => {
  refused('reachIntoDev', REACH, /reaches from functions\/ into dev\//);
  refused('reachFromDev', REACH, /reaches from dev\/ into functions\//);
  refused('reachExportFromBench', REACH, /reaches from bench\/ into dev\//);
  allowed('withinFunctions');
  allowed('withinControls');
});
