// RSASSA-PSS in BigInt against node:crypto, both directions, with a lab fixture key.
import { constants, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LAB_AMD_KEYS } from './lab-amd-keys.js';
import { modPow, rsaPrivateKeyFromPrimes, rsaPssSign, rsaPssVerify, type RsaPrivateKey } from './rsa.js';

const f = LAB_AMD_KEYS['lab-amd'];
const key = rsaPrivateKeyFromPrimes(BigInt(`0x${f.askP}`), BigInt(`0x${f.askQ}`));

function b64(v: bigint): string {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

function nodeKeys(k: RsaPrivateKey): { priv: ReturnType<typeof createPrivateKey>; pub: ReturnType<typeof createPublicKey> } {
  const jwk = { kty: 'RSA', n: b64(k.n), e: b64(k.e), d: b64(k.d), p: b64(k.p), q: b64(k.q), dp: b64(k.dp), dq: b64(k.dq), qi: b64(k.qinv) };
  return { priv: createPrivateKey({ key: jwk, format: 'jwk' }), pub: createPublicKey({ key: jwk, format: 'jwk' }) };
}

describe('RSA-PSS', () => {
  const { priv, pub } = nodeKeys(key);
  const msg = new Uint8Array(300).map((_, i) => i & 0xff);
  const pss = (saltLength: number): { padding: number; saltLength: number } => ({ padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });

  it('the fixture is a consistent 4096-bit key', () => {
    expect(key.bits).toBe(4096);
    expect(modPow(modPow(12345n, key.e, key.n), key.d, key.n)).toBe(12345n);
  });

  it('our signatures verify in node (SHA-384 and SHA-256, salt = hash length)', () => {
    const s384 = rsaPssSign(key, msg, 'sha384', new Uint8Array(48).fill(1));
    expect(nodeVerify('sha384', msg, { key: pub, ...pss(48) }, s384)).toBe(true);
    const s256 = rsaPssSign(key, msg, 'sha256', new Uint8Array(32).fill(2));
    expect(nodeVerify('sha256', msg, { key: pub, ...pss(32) }, s256)).toBe(true);
  });

  it("node's signatures verify here; tampering does not", () => {
    const sig = new Uint8Array(nodeSign('sha384', msg, { key: priv, ...pss(48) }));
    expect(rsaPssVerify(key, msg, sig, 'sha384')).toBe(true);
    expect(rsaPssVerify(key, msg, sig, 'sha256')).toBe(false);
    const bad = sig.slice();
    bad[100] ^= 1;
    expect(rsaPssVerify(key, msg, bad, 'sha384')).toBe(false);
    const m2 = msg.slice();
    m2[0] ^= 1;
    expect(rsaPssVerify(key, m2, sig, 'sha384')).toBe(false);
    expect(rsaPssVerify(key, msg, sig.subarray(1), 'sha384')).toBe(false);
    expect(rsaPssVerify(key, msg, new Uint8Array(512).fill(0xff), 'sha384')).toBe(false);
  });

  it('rejects a salt of the wrong length', () => {
    expect(() => rsaPssSign(key, msg, 'sha384', new Uint8Array(32))).toThrow(RangeError);
  });
});
