/**
 * Byte equality for the look-ahead's checks (psp/ahead/): a page compared word by word
 * when both sides allow it. These are DRAM ciphertext, packets and IVs — nothing secret —
 * so the compare may stop at the first difference (MACs keep the constant-time compare of
 * crypto/bytes.ts).
 */

/** True when `a` and `b` hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  if ((a.byteOffset & 3) === 0 && (b.byteOffset & 3) === 0 && (a.length & 3) === 0) {
    const x = new Uint32Array(a.buffer, a.byteOffset, a.length >>> 2);
    const y = new Uint32Array(b.buffer, b.byteOffset, b.length >>> 2);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
