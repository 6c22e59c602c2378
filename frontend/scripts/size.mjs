// Prints the gzip size of the JavaScript a first visit loads (the entry script and its
// preloaded chunks, as named in dist/index.html) and fails above the budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = Number(process.env.CREDO_JS_BUDGET_KB ?? 300);
const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const scripts = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
if (scripts.length === 0) {
  console.error('size: no script found in dist/index.html; run `npm run build` first');
  process.exit(1);
}
let raw = 0;
let gz = 0;
for (const file of new Set(scripts)) {
  const body = readFileSync(join(dist, file));
  raw += body.length;
  gz += gzipSync(body, { level: 9 }).length;
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(`initial JS: ${scripts.length} file(s), ${kb(raw)} KB raw, ${kb(gz)} KB gzip (budget ${BUDGET_KB} KB)`);
if (gz > BUDGET_KB * 1024) {
  console.error('size: over budget');
  process.exit(1);
}
