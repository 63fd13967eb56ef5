// The WebAssembly SHA-256 / HMAC-SHA-256 against @noble/hashes and node:crypto: padding
// at every length around the block boundaries, messages longer than the data window,
// long HMAC keys, and HmacSha256Key with the engine on and off.
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { HmacSha256Key } from '../hash.js';
import { setWasmShaEnabled, Sha256Wasm } from './sha256-wasm.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

afterEach(() => setWasmShaEnabled(true));

describe('Sha256Wasm', () => {
  const w = Sha256Wasm.shared()!;

  it('FIPS 180-4 examples: "abc" and the empty string', () => {
    expect(hex(w.digestInto(new Uint8Array(32), Uint8Array.from([0x61, 0x62, 0x63])))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(w.digestInto(new Uint8Array(32)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('equals noble at every length across two blocks, and split into parts', () => {
    for (let len = 0; len <= 200; len++) {
      const m = new Uint8Array(len).map((_, i) => (i * 7 + len) & 0xff);
      expect(hex(w.digestInto(new Uint8Array(32), m.subarray(0, len >> 1), m.subarray(len >> 1)))).toBe(hex(sha256(m)));
    }
  });

  it('equals node past the 60 KiB data window', () => {
    for (const len of [61440, 61441, 61440 * 2 + 55, 200_000]) {
      const m = new Uint8Array(len).map((_, i) => (i * 13) & 0xff);
      expect(hex(w.digestInto(new Uint8Array(32), m))).toBe(createHash('sha256').update(m).digest('hex'));
    }
  });

  it('HMAC equals node for short, block-sized and long keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 5000 }), (key, msg) => {
        const out = w.hmacInto(new Uint8Array(32), w.hmacStates(key), msg);
        expect(hex(out)).toBe(createHmac('sha256', key).update(msg).digest('hex'));
      }),
      { numRuns: 80 },
    );
  });

  it('HmacSha256Key gives the same MAC with and without the engine (the §15 packet KAT)', () => {
    const tik = Uint8Array.from(Buffer.from('101112131415161718191a1b1c1d1e1f', 'hex'));
    const data = new Uint8Array(4096).map((_, i) => (i * 3) & 0xff);
    const aad = new Uint8Array(29).fill(2);
    const viaWasm = new HmacSha256Key(tik).mac(aad, data);
    setWasmShaEnabled(false);
    const viaNoble = new HmacSha256Key(tik).mac(aad, data);
    setWasmShaEnabled(true);
    expect(hex(viaWasm)).toBe(hex(viaNoble));
    expect(hex(viaWasm)).toBe(hex(hmac(sha256, tik, Uint8Array.from([...aad, ...data]))));
  });
});
