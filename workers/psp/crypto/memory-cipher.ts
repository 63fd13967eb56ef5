/**
 * The memory-encryption model of reference §13: each guest context has a VEK (AES-128),
 * and the memory controller encrypts every 16-byte block with a physical-address tweak,
 *
 *   C = AES128_VEK(P xor T(pa)) xor T(pa)
 *
 * so identical plaintext at two addresses gives different ciphertext, ciphertext moved to
 * another address (or another host) decrypts to garbage, and one flipped ciphertext bit
 * makes the guest read a pseudo-random 16-byte block. There is no integrity (§14.11).
 *
 * [U] lab choice for the tweak T(pa) (AMD does not publish the real one; the literature
 * describes XE on 1st-gen EPYC and XEX later): Rogaway's XEX with the VEK itself,
 *
 *   T(pa) = alpha^(j+1) ⊗ AES128_VEK(N(pa)),  j = (pa mod 4096) / 16  (block in page),
 *   N(pa) = system page frame number pa / 4096 as u64 LE ‖ the 8 ASCII bytes "kvmlab-T",
 *
 * multiplication in GF(2^128) with XTS's polynomial x^128 + x^7 + x^2 + x + 1 and byte
 * order (byte 0 least significant). It is keyed (unknown without the VEK), derived from
 * the address, and cheap: one AES per page plus one doubling per block. The exponent
 * starts at 1 rather than 0, as XEX requires, so no tweak equals a raw AES output.
 */
import { unsafe } from '@noble/ciphers/aes.js';
import { Aes128Key, AES_BLOCK_LEN, wordAligned, wordsOf } from './aes.js';
import { type CryptoKeyLike, type SubtleLike } from './platform-api.js';

/** Bytes per page of the page-at-a-time path. */
export const MEMORY_PAGE_LEN = 4096;
const BLOCKS_PER_PAGE = MEMORY_PAGE_LEN / AES_BLOCK_LEN;
const TWO32 = 0x1_0000_0000;
/** "kvmlab-T" as two little-endian words: the upper half of N(pa). */
const N_TAG0 = 0x6c6d766b; // 'k' 'v' 'm' 'l'
const N_TAG1 = 0x542d6261; // 'a' 'b' '-' 'T'

function le32(b: Uint8Array, off: number): number {
  return b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
}

function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = v;
  b[off + 1] = v >>> 8;
  b[off + 2] = v >>> 16;
  b[off + 3] = v >>> 24;
}

/** The memory controller's cipher for one VEK; make one per guest key and keep it. */
export class MemoryCipher {
  private readonly key: Aes128Key;
  /** The current tweak, as four little-endian words. */
  private t0 = 0;
  private t1 = 0;
  private t2 = 0;
  private t3 = 0;
  /** A copy of the VEK for importing into WebCrypto (bulk/), wiped with the key. */
  private readonly raw: Uint8Array;
  private web: Promise<CryptoKeyLike> | undefined;

  /** A cipher for the 16-byte `vek` (copied; RangeError for other sizes). */
  constructor(vek: Uint8Array) {
    this.key = new Aes128Key(vek);
    this.raw = vek.slice();
  }

  /**
   * The VEK as a non-extractable WebCrypto AES-CBC key, imported once. CBC *decryption*
   * computes the inverse cipher of every block in one call, which is what the bulk
   * decrypt of many pages uses (bulk/web-bulk.ts).
   */
  webKey(subtle: SubtleLike): Promise<CryptoKeyLike> {
    this.web ??= subtle.importKey('raw', this.raw, { name: 'AES-CBC' }, false, ['decrypt']);
    return this.web;
  }

  /** The 256 tweaks of the page at page-aligned `pageSpa`, into `out` (4096 bytes, words little-endian). */
  pageTweaks(pageSpa: number, out: Uint32Array): Uint32Array {
    if (out.length < BLOCKS_PER_PAGE * 4 || pageSpa % MEMORY_PAGE_LEN !== 0) throw new RangeError('pageTweaks needs a page address and 1024 words');
    this.startTweak(pageSpa);
    for (let w = 0; w < BLOCKS_PER_PAGE * 4; w += 4) {
      out[w] = this.t0;
      out[w + 1] = this.t1;
      out[w + 2] = this.t2;
      out[w + 3] = this.t3;
      this.double();
    }
    return out;
  }

  /** Raw AES-128 of whole blocks under the VEK (no tweak): one block closes a bulk CBC call. */
  rawEncryptBlocks(src: Uint8Array, dst: Uint8Array = src): Uint8Array {
    return this.key.encryptBlocks(src, dst);
  }

  /**
   * Encrypts `src` (plaintext as the guest writes it) for system physical address `spa`
   * into `dst` (default: in place) and returns `dst`. `spa` and the length must be
   * multiples of 16 (RangeError otherwise; the firmware checks alignment first and
   * reports INVALID_ADDRESS / INVALID_LEN). The range may span pages.
   */
  encrypt(spa: number, src: Uint8Array, dst: Uint8Array = src): Uint8Array {
    this.run(true, spa, src, dst);
    return dst;
  }

  /** Decrypts `src` (the raw DRAM bytes at `spa`) into `dst` (default: in place); see {@link encrypt}. */
  decrypt(spa: number, src: Uint8Array, dst: Uint8Array = src): Uint8Array {
    this.run(false, spa, src, dst);
    return dst;
  }

  /** Encrypts one whole 4 KiB page at page-aligned `pageSpa`. */
  encryptPage(pageSpa: number, page: Uint8Array, dst: Uint8Array = page): Uint8Array {
    if (page.length !== MEMORY_PAGE_LEN || pageSpa % MEMORY_PAGE_LEN !== 0) throw new RangeError('not a whole page');
    this.run(true, pageSpa, page, dst);
    return dst;
  }

  /** Decrypts one whole 4 KiB page at page-aligned `pageSpa`. */
  decryptPage(pageSpa: number, page: Uint8Array, dst: Uint8Array = page): Uint8Array {
    if (page.length !== MEMORY_PAGE_LEN || pageSpa % MEMORY_PAGE_LEN !== 0) throw new RangeError('not a whole page');
    this.run(false, pageSpa, page, dst);
    return dst;
  }

  /** The 16-byte tweak T(spa) for a 16-aligned address (for tests and the inspector). */
  tweak(spa: number): Uint8Array {
    this.startTweak(spa);
    const out = new Uint8Array(16);
    put32(out, 0, this.t0);
    put32(out, 4, this.t1);
    put32(out, 8, this.t2);
    put32(out, 12, this.t3);
    return out;
  }

  /** Overwrites the key (the VEK leaves the memory controller at DEACTIVATE / DECOMMISSION). */
  wipe(): void {
    this.key.wipe();
    this.raw.fill(0);
    this.web = undefined;
  }

  private run(enc: boolean, spa: number, src: Uint8Array, dst: Uint8Array): void {
    if (!Number.isSafeInteger(spa) || spa < 0 || spa % AES_BLOCK_LEN !== 0) {
      throw new RangeError(`memory address ${spa} is not a 16-byte aligned physical address`);
    }
    if (src.length % AES_BLOCK_LEN !== 0) throw new RangeError(`length ${src.length} is not a multiple of 16`);
    if (dst.length < src.length) throw new RangeError('output buffer too small');
    const xk = enc ? this.key.encKey : this.key.decKeySchedule;
    const fast = wordAligned(src) && wordAligned(dst);
    const sw = fast ? wordsOf(src) : undefined;
    const dw = fast ? wordsOf(dst) : undefined;
    let off = 0;
    while (off < src.length) {
      const at = spa + off;
      const inPage = MEMORY_PAGE_LEN - (at % MEMORY_PAGE_LEN);
      const n = Math.min(inPage, src.length - off);
      this.startTweak(at);
      if (sw && dw) this.wordsRun(enc, xk, sw, dw, off >>> 2, n >>> 4);
      else this.bytesRun(enc, xk, src, dst, off, n >>> 4);
      off += n;
    }
  }

  /** Sets (t0..t3) = alpha^(j+1) ⊗ AES_VEK(N(spa)) for the block at `spa`. */
  private startTweak(spa: number): void {
    const pfn = Math.floor(spa / MEMORY_PAGE_LEN);
    const w = unsafe.encrypt(this.key.encKey, pfn % TWO32 | 0, Math.floor(pfn / TWO32) | 0, N_TAG0, N_TAG1);
    this.t0 = w.s0;
    this.t1 = w.s1;
    this.t2 = w.s2;
    this.t3 = w.s3;
    const j = ((spa % MEMORY_PAGE_LEN) / AES_BLOCK_LEN) % BLOCKS_PER_PAGE;
    for (let i = 0; i <= j; i++) this.double();
  }

  /** Tweak ← alpha ⊗ tweak in GF(2^128), XTS convention. */
  private double(): void {
    const carry = this.t3 >>> 31;
    this.t3 = (this.t3 << 1) | (this.t2 >>> 31);
    this.t2 = (this.t2 << 1) | (this.t1 >>> 31);
    this.t1 = (this.t1 << 1) | (this.t0 >>> 31);
    this.t0 = (this.t0 << 1) ^ (carry * 0x87);
  }

  private wordsRun(enc: boolean, xk: Uint32Array, s: Uint32Array, d: Uint32Array, w: number, blocks: number): void {
    const run = enc ? unsafe.encrypt : unsafe.decrypt;
    for (let b = 0; b < blocks; b++, w += 4) {
      const { t0, t1, t2, t3 } = this;
      const o = run(xk, s[w] ^ t0, s[w + 1] ^ t1, s[w + 2] ^ t2, s[w + 3] ^ t3);
      d[w] = o.s0 ^ t0;
      d[w + 1] = o.s1 ^ t1;
      d[w + 2] = o.s2 ^ t2;
      d[w + 3] = o.s3 ^ t3;
      this.double();
    }
  }

  private bytesRun(enc: boolean, xk: Uint32Array, s: Uint8Array, d: Uint8Array, off: number, blocks: number): void {
    const run = enc ? unsafe.encrypt : unsafe.decrypt;
    for (let b = 0; b < blocks; b++, off += AES_BLOCK_LEN) {
      const { t0, t1, t2, t3 } = this;
      const o = run(xk, le32(s, off) ^ t0, le32(s, off + 4) ^ t1, le32(s, off + 8) ^ t2, le32(s, off + 12) ^ t3);
      put32(d, off, o.s0 ^ t0);
      put32(d, off + 4, o.s1 ^ t1);
      put32(d, off + 8, o.s2 ^ t2);
      put32(d, off + 12, o.s3 ^ t3);
      this.double();
    }
  }
}
