import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { outfile } from './build';

// Prints the number, never fails: the 30 KB gzip target is reported, not enforced.
const bytes = readFileSync(outfile);
const gz = gzipSync(bytes, { level: 9 }).length;
const br = brotliCompressSync(bytes).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(`dist/widget.js raw     ${bytes.length} bytes (${kb(bytes.length)})`);
console.log(`dist/widget.js gzip -9 ${gz} bytes (${kb(gz)})  target ≤ 30 KB: ${gz <= 30 * 1024 ? 'within' : 'OVER'}`);
console.log(`dist/widget.js brotli  ${br} bytes (${kb(br)})`);
