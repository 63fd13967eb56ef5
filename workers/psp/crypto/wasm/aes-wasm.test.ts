// The WebAssembly AES engine against noble (the reference) and node:crypto: every mode
// byte for byte, the counter carry across all 16 bytes, the XEX tweak across pages, and
// the fallback when it is switched off.
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { unsafe } from '@noble/ciphers/aes.js';
import { Aes128Key } from '../aes.js';
import { MemoryCipher } from '../memory-cipher.js';
import { setWasmAesEnabled, WasmAes } from './aes-wasm.js';
import { sleb, uleb } from './wasm-emit.js';

const key16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

function nobleEcb(xk: Uint32Array, enc: boolean, src: Uint8Array): Uint8Array {
  const s = new Uint32Array(src.slice().buffer);
  const d = new Uint32Array(s.length);
  for (let i = 0; i < s.length; i += 4) {
    const o = (enc ? unsafe.encrypt : unsafe.decrypt)(xk, s[i], s[i + 1], s[i + 2], s[i + 3]);
    d.set([o.s0, o.s1, o.s2, o.s3], i);
  }
  return new Uint8Array(d.buffer);
}

afterEach(() => setWasmAesEnabled(true));

describe('WasmAes', () => {
  const w = WasmAes.shared()!;

  it('is available in Node, and FIPS-197 C.1 holds both ways', () => {
    expect(w).toBeDefined();
    const key = hex('000102030405060708090a0b0c0d0e0f');
    const out = new Uint8Array(16);
    w.ecb(true, unsafe.expandKeyLE(key), hex('00112233445566778899aabbccddeeff'), out);
    expect(Buffer.from(out).toString('hex')).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
    w.ecb(false, unsafe.expandKeyDecLE(key), out, out);
    expect(Buffer.from(out).toString('hex')).toBe('00112233445566778899aabbccddeeff');
  });

  it('ECB equals noble in both directions, also past the 48 KiB window', () => {
    fc.assert(
      fc.property(key16, fc.integer({ min: 1, max: 64 }), (key, blocks) => {
        const src = new Uint8Array(blocks * 16).map((_, i) => (i * 31 + key[i % 16]) & 0xff);
        const enc = new Uint8Array(src.length);
        w.ecb(true, unsafe.expandKeyLE(key), src, enc);
        expect(enc).toEqual(nobleEcb(unsafe.expandKeyLE(key), true, src));
        const dec = new Uint8Array(src.length);
        w.ecb(false, unsafe.expandKeyDecLE(key), enc, dec);
        expect(dec).toEqual(src);
      }),
      { numRuns: 50 },
    );
    const big = new Uint8Array(49 * 1024 + 16).map((_, i) => i & 0xff);
    const key = hex('2b7e151628aed2a6abf7158809cf4f3c');
    const out = new Uint8Array(big.length);
    w.ecb(true, unsafe.expandKeyLE(key), big, out);
    expect(out).toEqual(nobleEcb(unsafe.expandKeyLE(key), true, big));
  });

  it('CTR equals node aes-128-ctr, with the carry running through all 16 counter bytes', () => {
    const key = hex('000102030405060708090a0b0c0d0e0f');
    const data = new Uint8Array(4096).map((_, i) => i % 251);
    for (const iv of ['202122232425262728292a2b2c2d2e2f', '000000000000000000000000ffffffff', '00000000ffffffffffffffffffffffff', 'ffffffffffffffffffffffffffffffff']) {
      const c = createCipheriv('aes-128-ctr', key, hex(iv));
      const want = new Uint8Array(Buffer.concat([c.update(data), c.final()]));
      const counter = hex(iv);
      const got = new Uint8Array(data.length);
      w.ctr(unsafe.expandKeyLE(key), counter, data, got);
      expect(got).toEqual(want);
      // The counter comes back advanced by 256 blocks.
      const n = (BigInt('0x' + iv) + 256n) % (1n << 128n);
      expect(Buffer.from(counter).toString('hex')).toBe(n.toString(16).padStart(32, '0'));
    }
  });

  it('Aes128Key gives the same bytes with and without the engine (CTR at any length, ECB)', () => {
    fc.assert(
      fc.property(key16, key16, fc.integer({ min: 0, max: 700 }), (key, iv, len) => {
        const data = new Uint8Array(len).map((_, i) => (i * 5 + 1) & 0xff);
        const viaWasm = new Aes128Key(key).ctr(iv, data, new Uint8Array(len));
        setWasmAesEnabled(false);
        const viaNoble = new Aes128Key(key).ctr(iv, data, new Uint8Array(len));
        setWasmAesEnabled(true);
        expect(viaWasm).toEqual(viaNoble);
      }),
      { numRuns: 60 },
    );
  });

  it('the memory cipher (XEX, §13) gives the same bytes with and without the engine, across pages', () => {
    fc.assert(
      fc.property(key16, fc.integer({ min: 0, max: 2 ** 36 }), fc.integer({ min: 1, max: 600 }), (vek, blockAddr, blocks) => {
        const spa = blockAddr * 16;
        const data = new Uint8Array(blocks * 16).map((_, i) => (i * 3 + vek[0]) & 0xff);
        const viaWasm = new MemoryCipher(vek).encrypt(spa, data, new Uint8Array(data.length));
        setWasmAesEnabled(false);
        const noble = new MemoryCipher(vek);
        const viaNoble = noble.encrypt(spa, data, new Uint8Array(data.length));
        expect(noble.decrypt(spa, viaWasm, new Uint8Array(data.length))).toEqual(data);
        setWasmAesEnabled(true);
        expect(viaWasm).toEqual(viaNoble);
        expect(new MemoryCipher(vek).decrypt(spa, viaNoble, new Uint8Array(data.length))).toEqual(data);
      }),
      { numRuns: 60 },
    );
  });

  it('switched off, callers get no engine', () => {
    setWasmAesEnabled(false);
    expect(WasmAes.shared()).toBeUndefined();
    setWasmAesEnabled(true);
    expect(WasmAes.shared()).toBe(w);
  });

  it('the assembler encodes LEB128 as the binary format requires', () => {
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(0x3fc)).toEqual([0xfc, 0x07]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
  });
});
