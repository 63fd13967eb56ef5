// AES-128 with kept schedules against node:crypto: ECB both ways, CTR at every length,
// in place and into another buffer, aligned and unaligned views.
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Aes128Key } from './aes.js';

function nodeEcb(key: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

function nodeCtr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-ctr', key, iv);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** A copy of `b` at byte offset `shift` inside a larger buffer (unaligned for shift % 4 ≠ 0). */
function at(b: Uint8Array, shift: number): Uint8Array {
  const buf = new Uint8Array(b.length + shift);
  buf.set(b, shift);
  return buf.subarray(shift);
}

const key16 = fc.uint8Array({ minLength: 16, maxLength: 16 });

describe('Aes128Key', () => {
  it('FIPS-197 C.1 AES-128 block', () => {
    const k = new Aes128Key(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));
    const out = k.encryptBlocks(Buffer.from('00112233445566778899aabbccddeeff', 'hex'), new Uint8Array(16));
    expect(Buffer.from(out).toString('hex')).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
  });

  it('ECB matches node and decrypts back, aligned or not, in place or not', () => {
    fc.assert(
      fc.property(key16, fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 3 }), (key, blocks, shift) => {
        const data = new Uint8Array(blocks * 16).map((_, i) => (i * 7 + 3) & 0xff);
        const k = new Aes128Key(key);
        const want = nodeEcb(key, data);
        const src = at(data, shift);
        expect(k.encryptBlocks(src, new Uint8Array(src.length))).toEqual(want);
        k.encryptBlocks(src);
        expect(src).toEqual(want);
        expect(k.decryptBlocks(src)).toEqual(data);
      }),
      { numRuns: 60 },
    );
  });

  it('CTR matches node for any length and leaves the IV untouched', () => {
    fc.assert(
      fc.property(key16, key16, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 3 }), (key, iv, len, shift) => {
        const data = new Uint8Array(len).map((_, i) => i & 0xff);
        const ivCopy = iv.slice();
        const k = new Aes128Key(key);
        const want = nodeCtr(key, iv, data);
        expect(k.ctr(iv, at(data, shift), new Uint8Array(len))).toEqual(want);
        const inPlace = at(data, shift);
        k.ctr(iv, inPlace);
        expect(inPlace).toEqual(want);
        expect(iv).toEqual(ivCopy);
      }),
      { numRuns: 80 },
    );
  });

  it('CTR counter wraps at 2^128', () => {
    const key = new Uint8Array(16).fill(1);
    const iv = new Uint8Array(16).fill(0xff);
    expect(new Aes128Key(key).ctr(iv, new Uint8Array(48))).toEqual(nodeCtr(key, iv, new Uint8Array(48)));
  });

  it('rejects wrong key sizes and partial blocks', () => {
    expect(() => new Aes128Key(new Uint8Array(15))).toThrow(RangeError);
    expect(() => new Aes128Key(new Uint8Array(16)).encryptBlocks(new Uint8Array(17))).toThrow(RangeError);
  });
});
