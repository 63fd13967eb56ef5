/**
 * `npm run bench`: runs every suite in Node, then the browser-capable ones in a Web Worker
 * in headless Chromium, and prints the figures as a table, then as JSON (also written to
 * bench-results/bench.json). Options: `--only NAME` (substring of a suite name),
 * `--no-browser` (Node only), `--no-node` (Chromium only). `BENCH_CHROMIUM_ARGS` adds
 * Chromium switches (e.g. `--js-flags=--prof` to profile the workers with `node --prof-process`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromiumAvailable, runInChromium } from './chromium.js';
import type { BenchFigure } from './suite.js';
import { suites } from './suites/index.js';

const argv = process.argv.slice(2);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const rows: (BenchFigure & { suite: string })[] = [];
for (const s of suites) {
  if ((only && !s.name.includes(only)) || argv.includes('--no-node')) continue;
  process.stderr.write(`bench: ${s.name} (node) ...\n`);
  for (const f of await s.run({ where: 'node' })) rows.push({ suite: s.name, ...f });
}
if (!argv.includes('--no-browser')) {
  if (chromiumAvailable()) {
    process.stderr.write('bench: browser suites (chromium-worker) ...\n');
    rows.push(...(await runInChromium(only)));
  } else {
    process.stderr.write('bench: /usr/lib/chromium/chromium not found; skipping the Chromium figures\n');
  }
}
const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));
const table = [
  ['suite', 'figure', 'where', 'value', 'unit', 'target', 'met'],
  ...rows.map((r) => [r.suite, r.name, r.where, fmt(r.value), r.unit, r.target ?? '', r.met === undefined ? '' : r.met ? 'yes' : 'NO']),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
const json = JSON.stringify({ format: 'kvm-lab/bench', version: 1, figures: rows }, null, 2);
console.log(json);
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/bench.json', json + '\n');
