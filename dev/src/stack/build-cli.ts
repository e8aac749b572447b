// `npm test` runs this first (root "pretest"), and `npm run pack` before packing (the zip carries
// the built controls and steps.json): browser and security tests need the built
// controls, widget and steps.json, and building them here, once, keeps parallel test files
// from building the same output at the same time. Up-to-date outputs are left alone.
import { buildStale } from './build';

const { built, ms } = buildStale((line) => console.log(line));
console.log(built.length ? `[build] built ${built.join(', ')} in ${(ms / 1000).toFixed(1)} s` : '[build] everything up to date');
