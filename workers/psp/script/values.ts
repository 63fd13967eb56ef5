/**
 * Values of psp-script v1 (reference §17.2): numbers (JSON integers or `"0x…"`), blobs
 * (hex, `{"fill":B,"len":N}`, `{"seq":S,"len":N,"mod":M}`) and `"$name"` references to
 * saved values. A value that cannot be read is a {@link ScriptError}: the runner turns it
 * into the step's SCRIPT_ERROR result (§17.4).
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { type Json } from '../../core/events.js';

/** A step that cannot run; its message becomes the SCRIPT_ERROR result's `error`. */
export class ScriptError extends Error {
  override name = 'ScriptError';
}

/** A saved value: saved from an `out` number field, or from a blob field. */
export type Saved = { kind: 'number'; value: bigint } | { kind: 'blob'; bytes: Uint8Array };

/** [U] lab limit: the largest blob a script may build or request (16 MiB). */
export const MAX_BLOB_LEN = 16 << 20;

const HEX_NUMBER = /^0x[0-9a-fA-F]+$/;
const HEX_BLOB = /^(?:[0-9a-fA-F]{2})*$/;

/** A number literal (no `$name`): a JSON integer ≥ 0 or a `"0x…"` string; undefined otherwise. */
export function numberLiteral(v: Json | undefined): bigint | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : undefined;
  if (typeof v === 'string' && HEX_NUMBER.test(v) && v.length <= 2 + 32) return BigInt(v);
  return undefined;
}

function hexToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * A blob literal (no `$name`): hex, fill or seq object. `num` reads the numbers inside
 * fill/seq (so the runner can allow `$name` there). Undefined when `v` is not a blob.
 */
export function blobLiteral(v: Json | undefined, num: (x: Json | undefined, what: string) => bigint = strictNumber): Uint8Array | undefined {
  if (typeof v === 'string') return HEX_BLOB.test(v) ? hexToBytes(v) : undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const keys = Object.keys(v).sort().join(',');
  if (keys === 'fill,len') {
    const b = num(v.fill, 'fill');
    const len = blobLen(num(v.len, 'len'));
    if (b > 255n) throw new ScriptError(`fill byte ${b} is above 255`);
    return new Uint8Array(len).fill(Number(b));
  }
  if (keys === 'len,seq' || keys === 'len,mod,seq') {
    const s = num(v.seq, 'seq');
    const len = blobLen(num(v.len, 'len'));
    const m = v.mod === undefined ? 256n : num(v.mod, 'mod');
    if (m < 1n || m > 256n) throw new ScriptError(`mod ${m} must be 1..256`);
    const out = new Uint8Array(len);
    const mod = Number(m);
    let x = Number(s % m);
    for (let i = 0; i < len; i++) {
      out[i] = x;
      x = x + 1 === mod ? 0 : x + 1;
    }
    return out;
  }
  return undefined;
}

function blobLen(n: bigint): number {
  if (n > BigInt(MAX_BLOB_LEN)) throw new ScriptError(`blob length ${n} is above the runner's limit of ${MAX_BLOB_LEN}`);
  return Number(n);
}

function strictNumber(x: Json | undefined, what: string): bigint {
  const n = numberLiteral(x);
  if (n === undefined) throw new ScriptError(`${what}: expected a number, found ${JSON.stringify(x ?? null)}`);
  return n;
}

/** The script's saved values and the readers that resolve `$name`. */
export class Values {
  private readonly saved = new Map<string, Saved>();

  /** Stores `value` under `name` (saving again overwrites). */
  save(name: string, value: Saved): void {
    this.saved.set(name, value);
  }

  private ref(v: Json | undefined): Saved | undefined {
    if (typeof v !== 'string' || !v.startsWith('$')) return undefined;
    const s = this.saved.get(v.slice(1));
    if (!s) throw new ScriptError(`${v} was never saved`);
    return s;
  }

  /** Reads a number (literal or `$name` of a saved number). */
  number(v: Json | undefined, what: string): bigint {
    const s = this.ref(v);
    if (s) {
      if (s.kind !== 'number') throw new ScriptError(`${what}: ${JSON.stringify(v)} is a blob, not a number`);
      return s.value;
    }
    return strictNumber(v, what);
  }

  /** Reads a blob (literal or `$name` of a saved blob). */
  blob(v: Json | undefined, what: string): Uint8Array {
    const s = this.ref(v);
    if (s) {
      if (s.kind !== 'blob') throw new ScriptError(`${what}: ${JSON.stringify(v)} is a number, not a blob`);
      return s.bytes.slice();
    }
    const b = blobLiteral(v, (x, w) => this.number(x, `${what}.${w}`));
    if (!b) throw new ScriptError(`${what}: expected a blob (hex, fill or seq), found ${JSON.stringify(v ?? null)}`);
    return b;
  }
}

/** An `out` value as it is saved: numbers stay numbers, hex strings become blobs. */
export function savedFromOut(v: Json): Saved | undefined {
  if (typeof v === 'number') return { kind: 'number', value: BigInt(v) };
  if (typeof v === 'string' && HEX_BLOB.test(v)) return { kind: 'blob', bytes: hexToBytes(v) };
  return undefined;
}

/** Bytes as an `out` hex string. */
export function hexOut(b: Uint8Array): string {
  return bytesToHex(b);
}
