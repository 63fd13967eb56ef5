/**
 * Check semantics of vgic-script expectations (reference §11.5): which steps of a result
 * do not match the script's `expect`. Used by `vgic run --check` and the tests.
 */
import { isObject } from '../../core/documents.js';
import type { Json } from '../../core/events.js';
import { readScriptHeader } from './runner.js';
import { readExpect, type VgicExpect, type VgicResult, type VgicStepResult } from './format.js';
import { parseU64Text } from '../u64.js';

/** One step whose result does not match its expectation. */
export interface VgicMismatch {
  /** Step index; -1 for the script as a whole. */
  step: number;
  op: string;
  expected: VgicExpect | null;
  actual: VgicStepResult | null;
  /** One line: `steps[4] (set_attr): expected {"errno":"EINVAL"}, got {"ret":0}`. */
  message: string;
}

/** Does `actual` satisfy `expect`? (§11.5) */
export function matchesExpect(expect: VgicExpect, actual: VgicStepResult | undefined): boolean {
  if (!actual || 'error' in actual) return false;
  if ('errno' in expect) return 'errno' in actual && actual.errno === expect.errno;
  if ('errno' in actual || actual.ret !== expect.ret) return false;
  if (expect.value === undefined) return true;
  const want = parseU64Text(expect.value);
  const got = actual.value === undefined ? undefined : parseU64Text(actual.value);
  return want !== undefined && got !== undefined && want === got;
}

function brief(r: VgicStepResult | null): string {
  if (!r) return 'no result (the script stopped earlier)';
  if ('errno' in r) return JSON.stringify({ errno: r.errno });
  return JSON.stringify(r);
}

/**
 * Every mismatch between `script`'s expectations and `result`. A script that could not
 * be read is one mismatch (step -1); a step with `expect` and no or an `error` result is
 * a mismatch; steps without `expect` are not compared.
 */
export function checkVgicResult(script: unknown, result: VgicResult): VgicMismatch[] {
  if (result.error !== undefined) {
    return [{ step: -1, op: '', expected: null, actual: null, message: `the script could not be run: ${result.error}` }];
  }
  let steps: Json[];
  try {
    steps = readScriptHeader(script).steps;
  } catch {
    return [{ step: -1, op: '', expected: null, actual: null, message: 'the script could not be read' }];
  }
  const out: VgicMismatch[] = [];
  steps.forEach((raw, i) => {
    if (!isObject(raw) || raw.expect === undefined) return;
    const op = typeof raw.op === 'string' ? raw.op : '?';
    let expect: VgicExpect | undefined;
    try {
      expect = readExpect(raw.expect, `steps[${i}].expect`);
    } catch {
      expect = undefined;
    }
    const actual = result.steps[i];
    if (expect && matchesExpect(expect, actual)) return;
    const want = expect ? JSON.stringify(expect) : 'a well-formed expect';
    out.push({ step: i, op, expected: expect ?? null, actual: actual ?? null, message: `steps[${i}] (${op}): expected ${want}, got ${brief(actual ?? null)}` });
  });
  return out;
}
