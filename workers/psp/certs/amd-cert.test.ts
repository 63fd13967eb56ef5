// AMD ARK/ASK certificates and the AMD chain blob (§5, §8.1) with the lab roots.
import { describe, expect, it } from 'vitest';
import { AMD_CHAIN_LENS, decodeAmdCert, decodeAmdChain, encodeAmdCert, validateAmdChain } from './amd-cert.js';
import { labAmdRoot, rogueAmdRoot } from './lab-amd-root.js';

const root = labAmdRoot();
const status = (r: { ok: boolean; status?: string }): string => (r.ok ? 'SUCCESS' : (r.status ?? '?'));

describe('AMD certificates', () => {
  it('the four accepted chain sizes are the 2048/4096-bit combinations', () => {
    expect([...AMD_CHAIN_LENS].sort((a, b) => a - b)).toEqual([1664, 2176, 2688, 3200]);
  });

  it('the lab chain is ASK (1600) then ARK (1600), layout as documented', () => {
    expect(root.amdChain.length).toBe(3200);
    expect(root.amdChain.subarray(0, 1600)).toEqual(root.askCert);
    const dv = new DataView(root.arkCert.buffer, root.arkCert.byteOffset);
    expect(dv.getUint32(0, true)).toBe(1);
    expect(root.arkCert.subarray(4, 20)).toEqual(root.arkCert.subarray(20, 36));
    expect(dv.getUint32(0x24, true)).toBe(0);
    expect(dv.getUint32(0x38, true)).toBe(4096);
    expect(dv.getUint32(0x3c, true)).toBe(4096);
    expect(root.arkCert[0x40]).toBe(0x01); // exponent 65537 little-endian: 01 00 01
    expect(root.arkCert[0x42]).toBe(0x01);
    const ask = new DataView(root.askCert.buffer, root.askCert.byteOffset);
    expect(ask.getUint32(0x24, true)).toBe(0x13);
    expect(root.askCert.subarray(20, 36)).toEqual(root.arkCert.subarray(4, 20));
  });

  it('decode/encode round trip', () => {
    const d = decodeAmdCert(root.arkCert);
    expect(d.ok && encodeAmdCert(d.cert)).toEqual(root.arkCert);
    const c = decodeAmdChain(root.amdChain);
    expect(c.ok && encodeAmdCert(c.ask)).toEqual(root.askCert);
  });

  it('the genuine chain validates against its fused ARK', () => {
    expect(status(validateAmdChain(root.amdChain, root.trustedArk))).toBe('SUCCESS');
  });

  it('rejections: length, foreign ARK, bad signatures, bad usage', () => {
    expect(status(validateAmdChain(root.amdChain.subarray(0, 3199), root.trustedArk))).toBe('INVALID_LEN');
    expect(status(validateAmdChain(rogueAmdRoot().amdChain, root.trustedArk))).toBe('INVALID_CERTIFICATE');
    const askSig = root.amdChain.slice();
    askSig[1500] ^= 1;
    expect(status(validateAmdChain(askSig, root.trustedArk))).toBe('BAD_SIGNATURE');
    const askUsage = root.amdChain.slice();
    askUsage[0x24] = 0x14;
    expect(status(validateAmdChain(askUsage, root.trustedArk))).toBe('INVALID_CERTIFICATE');
    const arkBody = root.amdChain.slice();
    arkBody[1600 + 0x100] ^= 1;
    expect(status(validateAmdChain(arkBody, root.trustedArk))).toBe('INVALID_CERTIFICATE');
    // A rogue ARK that copies the genuine key id still fails the fused hash.
    const rogue = rogueAmdRoot().amdChain.slice();
    rogue.set(root.arkCert.subarray(4, 20), 1600 + 4);
    expect(status(validateAmdChain(rogue, root.trustedArk))).toBe('INVALID_CERTIFICATE');
    // Trusting the rogue root makes the rogue chain valid: nothing is special about "AMD".
    expect(status(validateAmdChain(rogueAmdRoot().amdChain, rogueAmdRoot().trustedArk))).toBe('SUCCESS');
  });

  it('a certificate with an unsupported key size or version is INVALID_CERTIFICATE', () => {
    const b = root.arkCert.slice();
    b[0x3c] = 0x00;
    b[0x3d] = 0x0c; // 3072
    expect(status(decodeAmdCert(b))).toBe('INVALID_CERTIFICATE');
    const v = root.arkCert.slice();
    v[0] = 2;
    expect(status(decodeAmdCert(v))).toBe('INVALID_CERTIFICATE');
    expect(status(decodeAmdCert(root.arkCert.subarray(0, 1599)))).toBe('INVALID_LEN');
  });
});
