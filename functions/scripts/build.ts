import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

// One CommonJS file for the Node worker. @azure/functions itself is bundled (it is plain JS);
// @azure/functions-core is not an npm package but a module the worker injects at runtime,
// so it must stay a require() in the output.
export async function buildBundle(outfile = path.join(__dirname, '..', 'dist', 'main.js')): Promise<{ outfile: string; bytes: number }> {
  const result = await build({
    entryPoints: [path.join(__dirname, '..', 'src', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    outfile,
    external: ['@azure/functions-core'],
    tsconfig: path.join(__dirname, '..', 'tsconfig.json'),
    logLevel: 'warning',
    metafile: true,
    // Some Azure SDK packages (storage-common) ship ESM that calls createRequire(import.meta.url);
    // in a CJS bundle import.meta is empty, so give it this file's URL.
    define: { 'import.meta.url': '__swbImportMetaUrl' },
    banner: { js: "const __swbImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  const bytes = result.metafile.outputs[path.relative(process.cwd(), outfile)]?.bytes ?? 0;
  // GET /api/chat/widget.js serves the widget's build from beside the bundle (see src/widget/).
  const widget = path.join(__dirname, '..', '..', 'widget', 'dist', 'widget.js');
  if (fs.existsSync(widget)) fs.copyFileSync(widget, path.join(path.dirname(outfile), 'widget.js'));
  return { outfile, bytes };
}

if (require.main === module) {
  buildBundle().then(
    ({ outfile, bytes }) => console.log(`built ${path.relative(process.cwd(), outfile)} (${(bytes / 1024).toFixed(0)} KiB)`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
