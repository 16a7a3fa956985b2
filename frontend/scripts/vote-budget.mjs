// Fail the build when the phone ballot page's first load transfers more than its budget: dist/vote.html and
// every script, modulepreload and stylesheet it loads (with the static imports inside each chunk), as the
// server sends them to a browser that accepts brotli — the precompressed copies scripts/compress.mjs writes.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 100 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** What the server sends for a file: its .br copy when the build wrote one, else the file. */
const sent = (file) => {
  const path = join(dist, file);
  return readFileSync(existsSync(`${path}.br`) ? `${path}.br` : path).length;
};

const html = readFileSync(join(dist, 'vote.html'), 'utf8');
const queue = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const seen = new Map([['/vote.html', { raw: Buffer.byteLength(html), gzip: gzipSync(html, { level: 9 }).length, br: sent('vote.html') }]]);
while (queue.length > 0) {
  const asset = queue.shift();
  if (seen.has(asset)) continue;
  const content = readFileSync(join(dist, asset));
  seen.set(asset, { raw: content.length, gzip: gzipSync(content, { level: 9 }).length, br: sent(asset) });
  if (asset.endsWith('.js')) {
    const text = content.toString('utf8');
    for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*["'](\.\/[^"']+\.(?:js|css))["']/g)) {
      queue.push(posix.join(posix.dirname(asset), m[1]));
    }
  }
}

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const total = { raw: 0, gzip: 0, br: 0 };
for (const [asset, size] of [...seen].sort((a, b) => b[1].br - a[1].br)) {
  for (const key of Object.keys(total)) total[key] += size[key];
  console.log(`  ${asset.padEnd(44)} ${kB(size.raw).padStart(9)}  gzip ${kB(size.gzip).padStart(8)}  sent ${kB(size.br).padStart(8)}`);
}
const verdict = total.br <= BUDGET ? 'within' : 'OVER';
console.log(
  `vote page first load: ${kB(total.raw)}, gzip ${kB(total.gzip)}, sent (brotli) ${kB(total.br)} — ${verdict} the ${BUDGET / 1024} kB budget`,
);
if (total.br > BUDGET) process.exit(1);
