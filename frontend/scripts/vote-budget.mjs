// Fail the build when the phone ballot page (dist/vote.html) loads more than its budget of compressed JS + CSS.
// Follows every script, modulepreload and stylesheet in the HTML and the static imports inside each chunk.
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 200 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const html = readFileSync(join(dist, 'vote.html'), 'utf8');

const queue = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const seen = new Map();
while (queue.length > 0) {
  const asset = queue.shift();
  if (seen.has(asset)) continue;
  const content = readFileSync(join(dist, asset));
  seen.set(asset, { raw: content.length, gzip: gzipSync(content, { level: 9 }).length });
  if (asset.endsWith('.js')) {
    const text = content.toString('utf8');
    for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*["'](\.\/[^"']+\.(?:js|css))["']/g)) {
      queue.push(posix.join(posix.dirname(asset), m[1]));
    }
  }
}

let raw = 0;
let gzip = 0;
for (const [asset, size] of [...seen].sort((a, b) => b[1].gzip - a[1].gzip)) {
  raw += size.raw;
  gzip += size.gzip;
  console.log(`  ${asset.padEnd(44)} ${(size.raw / 1024).toFixed(1).padStart(7)} kB  gzip ${(size.gzip / 1024).toFixed(1).padStart(6)} kB`);
}
const verdict = gzip <= BUDGET ? 'within' : 'OVER';
console.log(`vote page: ${(raw / 1024).toFixed(1)} kB, gzip ${(gzip / 1024).toFixed(1)} kB — ${verdict} the ${BUDGET / 1024} kB budget`);
if (gzip > BUDGET) process.exit(1);
