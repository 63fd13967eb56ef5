// The memory-encryption model (§13): round trips, address and key dependence, the
// garbage-on-tamper property, and agreement between the page path and block-wise calls.
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryCipher } from './memory-cipher.js';

const vek = new Uint8Array(16).map((_, i) => 0x40 + i);

function aesBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
}

/** The documented tweak, computed independently: alpha^(j+1) ⊗ AES_VEK(pfn u64 LE ‖ "kvmlab-T"). */
function referenceTweak(key: Uint8Array, spa: number): Uint8Array {
  const n = new Uint8Array(16);
  new DataView(n.buffer).setBigUint64(0, BigInt(Math.floor(spa / 4096)), true);
  n.set(Buffer.from('kvmlab-T', 'ascii'), 8);
  const w = aesBlock(key, n);
  let t = 0n;
  for (let i = 15; i >= 0; i--) t = (t << 8n) | BigInt(w[i]);
  const j = (spa % 4096) / 16;
  for (let i = 0; i <= j; i++) {
    t <<= 1n;
    if (t >> 128n) t = (t & ((1n << 128n) - 1n)) ^ 0x87n;
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number((t >> BigInt(8 * i)) & 0xffn);
  return out;
}
const mc = new MemoryCipher(vek);

const spaArb = fc.integer({ min: 0, max: 2 ** 40 }).map((x) => x * 16);
const dataArb = fc.integer({ min: 1, max: 40 }).chain((blocks) => fc.uint8Array({ minLength: blocks * 16, maxLength: blocks * 16 }));

describe('MemoryCipher', () => {
  it('decrypt(encrypt(p)) = p at any 16-aligned address, across page boundaries', () => {
    fc.assert(
      fc.property(spaArb, dataArb, (spa, data) => {
        const c = mc.encrypt(spa, data, new Uint8Array(data.length));
        expect(c).not.toEqual(data);
        expect(mc.decrypt(spa, c, new Uint8Array(data.length))).toEqual(data);
      }),
      { numRuns: 100 },
    );
  });

  it('identical plaintext at two addresses gives different ciphertext', () => {
    fc.assert(
      fc.property(spaArb, spaArb, fc.uint8Array({ minLength: 16, maxLength: 16 }), (a, b, block) => {
        fc.pre(a !== b);
        const ca = mc.encrypt(a, block, new Uint8Array(16));
        const cb = mc.encrypt(b, block, new Uint8Array(16));
        expect(ca).not.toEqual(cb);
      }),
      { numRuns: 200 },
    );
  });

  it('every block of a page encrypts differently (tweak per block, not per page)', () => {
    const page = new Uint8Array(4096);
    mc.encryptPage(0x10000, page);
    const blocks = new Set<string>();
    for (let i = 0; i < 256; i++) blocks.add(Buffer.from(page.subarray(i * 16, i * 16 + 16)).toString('hex'));
    expect(blocks.size).toBe(256);
  });

  it('ciphertext moved to another address or decrypted with another VEK is garbage', () => {
    const p = new Uint8Array(64).fill(0x11);
    const c = mc.encrypt(0x2000, p, new Uint8Array(64));
    expect(mc.decrypt(0x3000, c, new Uint8Array(64))).not.toEqual(p);
    const other = new MemoryCipher(new Uint8Array(16).fill(9));
    expect(other.decrypt(0x2000, c, new Uint8Array(64))).not.toEqual(p);
  });

  it('a flipped ciphertext bit turns exactly that 16-byte block into pseudo-random bytes', () => {
    fc.assert(
      fc.property(spaArb, fc.integer({ min: 0, max: 64 * 8 - 1 }), (spa, bit) => {
        const p = new Uint8Array(64).map((_, i) => i);
        const c = mc.encrypt(spa, p, new Uint8Array(64));
        c[bit >> 3] ^= 1 << (bit & 7);
        const q = mc.decrypt(spa, c, new Uint8Array(64));
        const hit = (bit >> 3) >> 4;
        for (let blk = 0; blk < 4; blk++) {
          const got = q.subarray(blk * 16, blk * 16 + 16);
          const want = p.subarray(blk * 16, blk * 16 + 16);
          if (blk === hit) {
            // Not a bit flip of the plaintext: many bits differ (a random block differs in ~64).
            let diff = 0;
            for (let i = 0; i < 16; i++) for (let x = got[i] ^ want[i]; x; x &= x - 1) diff++;
            expect(diff).toBeGreaterThan(16);
          } else {
            expect(got).toEqual(want);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('page path = block-by-block calls = unaligned views; in place = into a buffer', () => {
    const spa = 0x7_0000;
    const p = new Uint8Array(4096).map((_, i) => (i * 13) & 0xff);
    const page = mc.encryptPage(spa, p, new Uint8Array(4096));
    const blockwise = new Uint8Array(4096);
    for (let off = 0; off < 4096; off += 16) mc.encrypt(spa + off, p.subarray(off, off + 16), blockwise.subarray(off, off + 16));
    expect(blockwise).toEqual(page);
    const shifted = new Uint8Array(4096 + 3);
    shifted.set(p, 3);
    const view = shifted.subarray(3);
    mc.encrypt(spa, view);
    expect(view).toEqual(page);
    mc.decryptPage(spa, view);
    expect(view).toEqual(p);
  });

  it('the tweak is keyed: same address, other VEK, other tweak; documented formula start', () => {
    const other = new MemoryCipher(new Uint8Array(16));
    expect(mc.tweak(0x1000)).not.toEqual(other.tweak(0x1000));
    expect(mc.tweak(0x1000)).not.toEqual(mc.tweak(0x1010));
    expect(mc.tweak(0x1000)).not.toEqual(mc.tweak(0x2000));
  });

  it('matches the formula of the file header, computed with node:crypto', () => {
    fc.assert(
      fc.property(spaArb, fc.uint8Array({ minLength: 16, maxLength: 16 }), (spa, p) => {
        const t = referenceTweak(vek, spa);
        expect(mc.tweak(spa)).toEqual(t);
        const x = p.map((b, i) => b ^ t[i]);
        const want = aesBlock(vek, x).map((b, i) => b ^ t[i]);
        expect(mc.encrypt(spa, p, new Uint8Array(16))).toEqual(want);
      }),
      { numRuns: 50 },
    );
  });

  it('rejects unaligned addresses and lengths (the firmware checks them first)', () => {
    expect(() => mc.encrypt(8, new Uint8Array(16))).toThrow(RangeError);
    expect(() => mc.encrypt(16, new Uint8Array(8))).toThrow(RangeError);
    expect(() => mc.encryptPage(16, new Uint8Array(4096))).toThrow(RangeError);
  });
});
