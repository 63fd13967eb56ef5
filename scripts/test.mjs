#!/usr/bin/env node
// `npm test`: everything, in order — install if needed, lint, typecheck, unit tests, build,
// end-to-end tests in Debian's Chromium. Every stage runs even if an earlier one failed,
// so one run reports all problems; the exit code is non-zero if any stage failed.
// JSON reports land in test-results/ (vitest.json, playwright.json) for .ci/run to count.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';

if (!existsSync('node_modules/.package-lock.json')) spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
await import('./ensure-chromium.mjs');
mkdirSync('test-results', { recursive: true });
const env = { ...process.env, CI_JSON: '1' };
const stages = [
  ['lint', 'npx', ['eslint', '--max-warnings=0', '.']],
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['unit', 'npx', ['vitest', 'run']],
  ['build', 'npx', ['vite', 'build', '--logLevel', 'warn']],
  ['e2e', 'npx', ['playwright', 'test']],
];
const failed = [];
for (const [name, cmd, args] of stages) {
  const t0 = Date.now();
  console.log(`\n=== test: ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  console.log(`=== test: ${name} ${r.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (r.status !== 0) failed.push(name);
}
console.log(failed.length ? `\ntest: FAILED stages: ${failed.join(', ')}` : '\ntest: all stages passed');
process.exit(failed.length ? 1 : 0);
