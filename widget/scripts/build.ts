import { build } from 'esbuild';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
export const outfile = path.join(root, 'dist', 'widget.js');

// One self-contained IIFE: the host page loads it with a plain script tag and
// nothing leaks into its globals except window.Switchboard.
export async function buildWidget(): Promise<string> {
  await build({
    entryPoints: [path.join(root, 'src', 'browser-entry.ts')],
    outfile,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2019', 'chrome80', 'firefox78', 'safari13'],
    platform: 'browser',
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'warning',
  });
  return outfile;
}

if (require.main === module) {
  buildWidget().then(
    (file) => console.log(`built ${path.relative(process.cwd(), file)}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
