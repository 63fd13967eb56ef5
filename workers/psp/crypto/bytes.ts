/**
 * Small byte helpers shared by the PSP crypto and certificate code: little-endian
 * integers (every firmware structure is packed little-endian, reference §1), a
 * constant-time compare for MACs, and the random-byte source type the key generators take.
 */

/** Anything that hands out random bytes; `SeededRng` (workers/core/rng.ts) fits. */
export interface RandomSource {
  bytes(n: number): Uint8Array;
}

/** Reads a little-endian u32 at `off`. */
export function readU32LE(b: Uint8Array, off: number): number {
  return (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
}

/** Writes `v` as a little-endian u32 at `off`. */
export function writeU32LE(b: Uint8Array, off: number, v: number): void {
  b[off] = v & 0xff;
  b[off + 1] = (v >>> 8) & 0xff;
  b[off + 2] = (v >>> 16) & 0xff;
  b[off + 3] = (v >>> 24) & 0xff;
}

/** `v` as 4 little-endian bytes. */
export function u32LE(v: number): Uint8Array {
  const out = new Uint8Array(4);
  writeU32LE(out, 0, v);
  return out;
}

/**
 * True when `a` and `b` hold the same bytes. The time taken depends only on the lengths,
 * as a MAC compare must (the firmware's own compare is constant-time too).
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Little-endian bytes of `len` bytes → big-endian copy (and back: the operation is its own inverse). */
export function reverseBytes(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b[b.length - 1 - i]!;
  return out;
}

/** Big-endian bytes → bigint. */
export function bytesToBigIntBE(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/** bigint → `len` big-endian bytes; throws RangeError if it does not fit. */
export function bigIntToBytesBE(v: bigint, len: number): Uint8Array {
  if (v < 0n) throw new RangeError('negative integer');
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError(`integer does not fit in ${len} bytes`);
  return out;
}
