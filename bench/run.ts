/**
 * `npm run bench`: runs every suite and prints the figures as a table, then as JSON
 * (also written to bench-results/bench.json). Options: `--only NAME` (substring).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { BenchFigure } from './suite.js';
import { suites } from './suites/index.js';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const rows: (BenchFigure & { suite: string })[] = [];
for (const s of suites) {
  if (only && !s.name.includes(only)) continue;
  process.stderr.write(`bench: ${s.name} ...\n`);
  for (const f of await s.run()) rows.push({ suite: s.name, ...f });
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
