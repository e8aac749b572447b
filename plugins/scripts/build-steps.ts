// npm run build -w plugins → plugins/dist/steps.json, the input of the solution packer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stepRegistry } from '../src/registry';
import { pluginRegistrations, registrationProblems } from '../src/steps-manifest';

const regs = pluginRegistrations(stepRegistry);
const problems = registrationProblems(regs);
if (problems.length > 0) {
  console.error(`Plugin step registrations are invalid:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
const out = join(__dirname, '..', 'dist');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'steps.json'), `${JSON.stringify(regs, null, 2)}\n`);
console.log(`wrote ${join(out, 'steps.json')}: ${regs.serviceEndpoints.length} service endpoints, ${regs.steps.length} steps`);
