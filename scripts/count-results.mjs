#!/usr/bin/env node
// Sums the test runners' JSON reports (test-results/vitest.json, test-results/playwright.json)
// into one closing line "N passed, N failed". Exits 1 if a test failed, a report is missing,
// or no test ran.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

const read = (f) => (existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : (missing.push(f), null));

const vitest = read('test-results/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  // numFailedTestSuites counts describe blocks too, so a file that failed to load is found
  // from the per-file results instead.
  failed += (vitest.numFailedTests ?? 0) + countFilesThatFailedToLoad(vitest);
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  console.log(`vitest: ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed, ${countFilesThatFailedToLoad(vitest)} files failed to load`);
}
const pw = read('test-results/playwright.json');
if (pw) {
  const s = pw.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  const errors = (pw.errors ?? []).length;
  failed += errors;
  console.log(`playwright: ${s.expected ?? 0} passed, ${s.unexpected ?? 0} failed, ${s.flaky ?? 0} flaky, ${errors} errors`);
}
for (const f of missing) {
  console.log(`missing report: ${f}`);
  failed++;
}

// A test file that failed to load has no tests but counts as a failure once.
function countFilesThatFailedToLoad(v) {
  return (v.testResults ?? []).filter((r) => r.status === 'failed' && !(r.assertionResults ?? []).some((a) => a.status === 'failed')).length;
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
