/**
 * AES-128 with the key schedule expanded once and kept: the PSP encrypts thousands of
 * blocks and pages under the same TEK or VEK, so re-expanding per call (what the one-shot
 * `ecb()`/`ctr()` wrappers of @noble/ciphers do) would dominate the cost. The block
 * function itself is noble's (`unsafe.encrypt`/`unsafe.decrypt` on expanded keys).
 *
 * Modes: ECB over whole 16-byte blocks (the building block of the memory model, §13) and
 * CTR with a 128-bit big-endian counter (transport packets, WRAP_TK, secrets: §9.3, §10.1;
 * the carry runs across all 16 bytes, as OpenSSL's and WebCrypto's `length: 128` do).
 * Everything works in place or into a caller's buffer; the hot path allocates nothing.
 * Buffers whose byte offset is not a multiple of 4 take a slower, byte-wise path.
 */
import { unsafe } from '@noble/ciphers/aes.js';

/** AES block size in bytes. */
export const AES_BLOCK_LEN = 16;
/** AES-128 key size in bytes. */
export const AES128_KEY_LEN = 16;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** True when `b` can be viewed as native little-endian u32 words. */
export function wordAligned(b: Uint8Array): boolean {
  return LITTLE_ENDIAN && (b.byteOffset & 3) === 0;
}

/** A u32 view of a word-aligned byte array (the caller checked {@link wordAligned}). */
export function wordsOf(b: Uint8Array): Uint32Array {
  return new Uint32Array(b.buffer, b.byteOffset, b.length >>> 2);
}

/** Reads the little-endian word at byte `off` (endian-independent slow path). */
function le32(b: Uint8Array, off: number): number {
  return b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
}

function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = v;
  b[off + 1] = v >>> 8;
  b[off + 2] = v >>> 16;
  b[off + 3] = v >>> 24;
}

function checkBlocks(src: Uint8Array, dst: Uint8Array): void {
  if (src.length % AES_BLOCK_LEN !== 0) throw new RangeError(`length ${src.length} is not a multiple of 16`);
  if (dst.length < src.length) throw new RangeError('output buffer too small');
}

/**
 * An AES-128 key with its expanded schedule(s). Make one per key and reuse it; the
 * decryption schedule is expanded on first use.
 */
export class Aes128Key {
  /** Expanded encryption schedule (noble's little-endian word layout). */
  readonly encKey: Uint32Array;
  private decKey: Uint32Array | undefined;
  private readonly raw: Uint8Array;
  private readonly counter = new Uint8Array(AES_BLOCK_LEN);

  /** Expands `key` (exactly 16 bytes, else RangeError). The key bytes are copied. */
  constructor(key: Uint8Array) {
    if (key.length !== AES128_KEY_LEN) throw new RangeError(`AES-128 key must be 16 bytes, got ${key.length}`);
    this.raw = key.slice();
    this.encKey = unsafe.expandKeyLE(this.raw);
  }

  /** Expanded decryption schedule (made once, on first use). */
  get decKeySchedule(): Uint32Array {
    this.decKey ??= unsafe.expandKeyDecLE(this.raw);
    return this.decKey;
  }

  /**
   * ECB-encrypts whole blocks of `src` into `dst` (default: in place) and returns `dst`.
   * `src.length` must be a multiple of 16; `dst` may equal `src` but must not overlap it otherwise.
   */
  encryptBlocks(src: Uint8Array, dst: Uint8Array = src): Uint8Array {
    checkBlocks(src, dst);
    this.blocks(this.encKey, true, src, dst);
    return dst;
  }

  /** ECB-decrypts whole blocks of `src` into `dst` (default: in place); see {@link encryptBlocks}. */
  decryptBlocks(src: Uint8Array, dst: Uint8Array = src): Uint8Array {
    checkBlocks(src, dst);
    this.blocks(this.decKeySchedule, false, src, dst);
    return dst;
  }

  /**
   * AES-128-CTR of `src` (any length) into `dst` (default: in place) with `iv` as the
   * initial counter block, incremented as one 128-bit big-endian integer. Encryption and
   * decryption are the same operation. `iv` is not modified. Returns `dst`.
   */
  ctr(iv: Uint8Array, src: Uint8Array, dst: Uint8Array = src): Uint8Array {
    if (iv.length !== AES_BLOCK_LEN) throw new RangeError('CTR counter block must be 16 bytes');
    if (dst.length < src.length) throw new RangeError('output buffer too small');
    const out = dst.length === src.length ? dst : dst.subarray(0, src.length);
    this.counter.set(iv);
    if (wordAligned(src) && wordAligned(out)) {
      unsafe.ctrCounter(this.encKey, this.counter, src, out);
    } else {
      this.ctrBytewise(src, out);
    }
    return dst;
  }

  /** Overwrites the key material (the firmware wipes channel keys at *_FINISH, §9.3). */
  wipe(): void {
    this.raw.fill(0);
    this.encKey.fill(0);
    this.decKey?.fill(0);
  }

  private blocks(xk: Uint32Array, enc: boolean, src: Uint8Array, dst: Uint8Array): void {
    const run = enc ? unsafe.encrypt : unsafe.decrypt;
    if (wordAligned(src) && wordAligned(dst)) {
      const s = wordsOf(src);
      const d = wordsOf(dst);
      for (let i = 0; i < s.length; i += 4) {
        const o = run(xk, s[i], s[i + 1], s[i + 2], s[i + 3]);
        d[i] = o.s0;
        d[i + 1] = o.s1;
        d[i + 2] = o.s2;
        d[i + 3] = o.s3;
      }
      return;
    }
    for (let off = 0; off < src.length; off += AES_BLOCK_LEN) {
      const o = run(xk, le32(src, off), le32(src, off + 4), le32(src, off + 8), le32(src, off + 12));
      put32(dst, off, o.s0);
      put32(dst, off + 4, o.s1);
      put32(dst, off + 8, o.s2);
      put32(dst, off + 12, o.s3);
    }
  }

  private ctrBytewise(src: Uint8Array, dst: Uint8Array): void {
    const c = this.counter;
    const ks = new Uint8Array(AES_BLOCK_LEN);
    for (let off = 0; off < src.length; off += AES_BLOCK_LEN) {
      const o = unsafe.encrypt(this.encKey, le32(c, 0), le32(c, 4), le32(c, 8), le32(c, 12));
      put32(ks, 0, o.s0);
      put32(ks, 4, o.s1);
      put32(ks, 8, o.s2);
      put32(ks, 12, o.s3);
      const n = Math.min(AES_BLOCK_LEN, src.length - off);
      for (let i = 0; i < n; i++) dst[off + i] = src[off + i] ^ ks[i];
      for (let j = AES_BLOCK_LEN - 1; j >= 0; j--) {
        c[j] = (c[j] + 1) & 0xff;
        if (c[j] !== 0) break;
      }
    }
  }
}
