// npm run configure -- --environment https://<org>.crm.dynamics.com [--functions-url ...] [--dry-run]
// See src/configure/cli.ts for the options.
import { join } from 'node:path';
import { runConfigure } from '../src/configure/cli';

runConfigure(process.argv.slice(2), process.env, { log: (l) => console.log(l), error: (l) => console.error(l) }, { repoRoot: join(__dirname, '..', '..') })
  .then((code) => process.exit(code), (e: unknown) => {
    console.error(`configure: ${(e as Error).message}`);
    process.exit(1);
  });
