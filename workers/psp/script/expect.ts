/**
 * Expectations of psp-script v1 (reference §17.6): `"expect": {"status": NAME-or-hex,
 * "out": {FIELD: VALUE}}`, both optional. Status names and hex compare by value
 * (`"0x02"` equals `"INVALID_GUEST_STATE"`); out numbers compare by value, out blobs as
 * bytes (hex or a fill/seq object). `$name` is not allowed. Fields not listed are not
 * compared, and a step that has no result never matches.
 */
import { type Json } from '../../core/events.js';
import { parseStatus, statusName } from '../status.js';
import { blobLiteral, numberLiteral, ScriptError } from './values.js';

/** A step result (§17.3, §17.4). */
export type StepResult = { status: string; out: Record<string, Json> } | { status: 'SCRIPT_ERROR'; error: string };

/** A parsed expectation. */
export interface Expectation {
  /** A status code, or 'SCRIPT_ERROR'. */
  status?: number | 'SCRIPT_ERROR';
  out?: Record<string, Json>;
}

function noRefs(v: Json, path: string): void {
  if (typeof v === 'string' && v.startsWith('$')) throw new ScriptError(`${path}: $name is not allowed in expect`);
  if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) noRefs(x, `${path}.${k}`);
}

/** Reads an `expect` value; a malformed one is a ScriptError. */
export function parseExpect(v: Json): Expectation {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ScriptError('expect: expected an object');
  noRefs(v, 'expect');
  const e: Expectation = {};
  for (const k of Object.keys(v)) if (k !== 'status' && k !== 'out') throw new ScriptError(`expect: unknown key ${JSON.stringify(k)}`);
  if (v.status !== undefined) {
    if (v.status === 'SCRIPT_ERROR') e.status = 'SCRIPT_ERROR';
    else {
      const s = parseStatus(v.status);
      if (s === undefined) throw new ScriptError(`expect.status: unknown status ${JSON.stringify(v.status)}`);
      e.status = s;
    }
  }
  if (v.out !== undefined) {
    if (typeof v.out !== 'object' || v.out === null || Array.isArray(v.out)) throw new ScriptError('expect.out: expected an object');
    for (const [k, x] of Object.entries(v.out)) {
      if (numberLiteral(x) === undefined && safeBlob(x) === undefined) throw new ScriptError(`expect.out.${k}: not a number or blob`);
    }
    e.out = v.out;
  }
  return e;
}

function safeBlob(x: Json): Uint8Array | undefined {
  try {
    return blobLiteral(x);
  } catch {
    return undefined;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Undefined when `r` meets `e`; otherwise what differs, in one line. */
export function mismatch(e: Expectation, r: StepResult | undefined): string | undefined {
  if (!r) return 'no result (the script stopped before this step)';
  if (e.status !== undefined) {
    const got = r.status === 'SCRIPT_ERROR' ? 'SCRIPT_ERROR' : parseStatus(r.status);
    if (got !== e.status) {
      const want = e.status === 'SCRIPT_ERROR' ? e.status : statusName(e.status);
      return `status ${r.status}${'error' in r ? ` (${r.error})` : ''}, expected ${want}`;
    }
  }
  for (const [field, want] of Object.entries(e.out ?? {})) {
    const got = 'out' in r ? r.out[field] : undefined;
    if (got === undefined) return `out.${field} is missing`;
    if (typeof got === 'number') {
      const n = numberLiteral(want);
      if (n === undefined || BigInt(got) !== n) return `out.${field} = ${got}, expected ${JSON.stringify(want)}`;
    } else {
      const g = typeof got === 'string' ? blobLiteral(got) : undefined;
      const w = safeBlob(want);
      if (!g || !w || !sameBytes(g, w)) return `out.${field} differs (${describe(got)}, expected ${describe(want)})`;
    }
  }
  return undefined;
}

function describe(v: Json): string {
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}
