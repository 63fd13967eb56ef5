// P-384, HMAC with kept keyed state, the launch digest: checked against node:crypto.
import { createHash, createHmac, createPublicKey, verify as nodeVerify, sign as nodeSign, createPrivateKey } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../core/rng.js';
import { createSha256, HmacSha256Key, hmacSha256 } from './hash.js';
import { LaunchDigest } from './measurement.js';
import { ecdsaP384Sign, ecdsaP384Verify, p384Ecdh, p384IsValidPublicKey, p384KeyPairFromRng, type P384KeyPair } from './p384.js';

function nodePublicKey(kp: P384KeyPair): ReturnType<typeof createPublicKey> {
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-384', x: Buffer.from(kp.publicKey.x).toString('base64url'), y: Buffer.from(kp.publicKey.y).toString('base64url') },
    format: 'jwk',
  });
}

describe('P-384', () => {
  const rng = SeededRng.fromSeed('p384');
  const a = p384KeyPairFromRng(rng);
  const b = p384KeyPairFromRng(rng);

  it('ECDSA signatures verify in node (ieee-p1363) and node signatures verify here', () => {
    const msg = new Uint8Array(100).fill(7);
    const sig = ecdsaP384Sign(a.privateKey, msg, 'sha256');
    const p1363 = Buffer.concat([sig.r, sig.s]);
    expect(nodeVerify('sha256', msg, { key: nodePublicKey(a), dsaEncoding: 'ieee-p1363' }, p1363)).toBe(true);
    const priv = createPrivateKey({
      key: { ...nodePublicKey(a).export({ format: 'jwk' }), d: Buffer.from(a.privateKey).toString('base64url') },
      format: 'jwk',
    });
    for (const hash of ['sha256', 'sha384'] as const) {
      const n = nodeSign(hash, msg, { key: priv, dsaEncoding: 'ieee-p1363' });
      const ns = { r: new Uint8Array(n.subarray(0, 48)), s: new Uint8Array(n.subarray(48)) };
      expect(ecdsaP384Verify(a.publicKey, msg, ns, hash)).toBe(true);
      expect(ecdsaP384Verify(b.publicKey, msg, ns, hash)).toBe(false);
    }
    expect(ecdsaP384Verify(a.publicKey, msg, sig, 'sha384')).toBe(false);
  });

  it('signing is deterministic', () => {
    const m = new Uint8Array([1, 2, 3]);
    expect(ecdsaP384Sign(a.privateKey, m, 'sha256')).toEqual(ecdsaP384Sign(a.privateKey, m, 'sha256'));
  });

  it('ECDH agrees both ways; off-curve peers are refused', () => {
    expect(p384Ecdh(a.privateKey, b.publicKey)).toEqual(p384Ecdh(b.privateKey, a.publicKey));
    const bad = { x: a.publicKey.x, y: a.publicKey.y.map((v, i) => (i === 47 ? v ^ 1 : v)) };
    expect(p384IsValidPublicKey(bad)).toBe(false);
    expect(p384Ecdh(a.privateKey, bad)).toBeUndefined();
    expect(p384IsValidPublicKey({ x: new Uint8Array(48), y: new Uint8Array(47) })).toBe(false);
  });
});

describe('HMAC and SHA-256', () => {
  it('a kept key gives the same MAC as node, call after call', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 4 }), (key, parts) => {
        const k = new HmacSha256Key(key);
        const want = createHmac('sha256', key);
        for (const p of parts) want.update(p);
        const w = new Uint8Array(want.digest());
        expect(k.mac(...parts)).toEqual(w);
        expect(k.mac(...parts)).toEqual(w);
        expect(hmacSha256(key, ...parts)).toEqual(w);
        expect(k.verify(w, ...parts)).toBe(true);
        w[0] ^= 1;
        expect(k.verify(w, ...parts)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('the launch digest is SHA-256 of everything fed, and digest() does not end the stream', () => {
    const d = new LaunchDigest();
    d.update(new Uint8Array([1, 2]));
    const mid = d.digest();
    d.update(new Uint8Array([3]));
    expect(mid).toEqual(new Uint8Array(createHash('sha256').update(Buffer.from([1, 2])).digest()));
    expect(d.digest()).toEqual(new Uint8Array(createHash('sha256').update(Buffer.from([1, 2, 3])).digest()));
    d.reset();
    expect(d.digest()).toEqual(createSha256().digest());
  });
});
