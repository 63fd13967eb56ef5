// The 2084-byte SEV certificate (§8.2): layout, round trips, every rejection path.
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../core/rng.js';
import { p384KeyPairFromRng } from '../crypto/p384.js';
import {
  decodeEcdsaSig,
  decodeSevCert,
  encodeSevCert,
  newEcCert,
  sanityCheckSevCert,
  SEV_ALGO,
  SEV_CERT_LEN,
  SEV_CURVE,
  SEV_USAGE,
  sevCertBody,
  sevCertEcKey,
  signSevCertEcdsa,
  verifySevCertSignedBy,
  type SevCert,
} from './sev-cert.js';

const rng = SeededRng.fromSeed('sev-cert');
const signer = p384KeyPairFromRng(rng);
const subject = p384KeyPairFromRng(rng);
const signerCert = signSevCertEcdsa(
  newEcCert({ usage: SEV_USAGE.PEK, algo: SEV_ALGO.ECDSA_SHA256, publicKey: signer.publicKey }),
  1,
  SEV_USAGE.PEK,
  signer.privateKey,
);
const pdh = signSevCertEcdsa(
  newEcCert({ usage: SEV_USAGE.PDH, algo: SEV_ALGO.ECDH_SHA256, publicKey: subject.publicKey, apiMajor: 1, apiMinor: 55 }),
  1,
  SEV_USAGE.PEK,
  signer.privateKey,
);
const bytes = encodeSevCert(pdh);
const u32 = (off: number): number => new DataView(bytes.buffer).getUint32(off, true);

describe('layout', () => {
  it('fields sit at the §8.2 offsets, integers little-endian in 72-byte fields', () => {
    expect(bytes.length).toBe(SEV_CERT_LEN);
    expect(u32(0x000)).toBe(1);
    expect([bytes[4], bytes[5]]).toEqual([1, 55]);
    expect(u32(0x008)).toBe(0x1003);
    expect(u32(0x00c)).toBe(3);
    expect(u32(0x010)).toBe(SEV_CURVE.P384);
    expect(bytes.subarray(0x014, 0x014 + 48)).toEqual(subject.publicKey.x.slice().reverse());
    expect(bytes.subarray(0x044, 0x05c).every((b) => b === 0)).toBe(true);
    expect(bytes.subarray(0x05c, 0x05c + 48)).toEqual(subject.publicKey.y.slice().reverse());
    expect(bytes.subarray(0x0a4, 0x414).every((b) => b === 0)).toBe(true);
    expect(u32(0x414)).toBe(0x1002);
    expect(u32(0x418)).toBe(2);
    expect(bytes.subarray(0x41c + 144, 0x61c).every((b) => b === 0)).toBe(true);
    expect(u32(0x61c)).toBe(0x1000);
    expect(u32(0x620)).toBe(0);
  });

  it('the ECDSA signature verifies in node over bytes 0x000–0x413 (r, s little-endian)', () => {
    const sig = decodeEcdsaSig(bytes.subarray(0x41c, 0x61c))!;
    const key = createPublicKey({
      key: { kty: 'EC', crv: 'P-384', x: Buffer.from(signer.publicKey.x).toString('base64url'), y: Buffer.from(signer.publicKey.y).toString('base64url') },
      format: 'jwk',
    });
    const p1363 = Buffer.concat([sig.r, sig.s]);
    expect(nodeVerify('sha256', bytes.subarray(0, 0x414), { key, dsaEncoding: 'ieee-p1363' }, p1363)).toBe(true);
  });

  it('decode(encode(c)) = c and encode(decode(b)) = b', () => {
    const d = decodeSevCert(bytes);
    expect(d.ok && d.cert).toEqual(pdh);
    expect(d.ok && encodeSevCert(d.cert)).toEqual(bytes);
    expect(sevCertBody(pdh)).toEqual(bytes.subarray(0, 0x414));
    expect(sevCertEcKey(pdh)).toEqual(subject.publicKey);
  });
});

describe('rejections', () => {
  const check = (b: Uint8Array): string => {
    const r = sanityCheckSevCert(b, SEV_USAGE.PDH, SEV_ALGO.ECDH_SHA256);
    return r.ok ? 'SUCCESS' : r.status;
  };
  const patched = (f: (c: SevCert) => SevCert): Uint8Array => encodeSevCert(f(pdh));
  const withKey = (off: number, v: number): Uint8Array => {
    const b = bytes.slice();
    b[off] = v;
    return b;
  };

  it('a good PDH passes', () => expect(check(bytes)).toBe('SUCCESS'));
  it('wrong length → INVALID_LEN', () => {
    expect(check(bytes.subarray(0, 2083))).toBe('INVALID_LEN');
    expect(check(new Uint8Array(2085))).toBe('INVALID_LEN');
  });
  it('version ≠ 1 → INVALID_CERTIFICATE', () => expect(check(patched((c) => ({ ...c, version: 2 })))).toBe('INVALID_CERTIFICATE'));
  it('wrong usage → INVALID_CERTIFICATE', () => expect(check(patched((c) => ({ ...c, usage: SEV_USAGE.PEK })))).toBe('INVALID_CERTIFICATE'));
  it('wrong algo → INVALID_CERTIFICATE', () => expect(check(patched((c) => ({ ...c, algo: SEV_ALGO.ECDH_SHA384 })))).toBe('INVALID_CERTIFICATE'));
  it('curve P-256 → INVALID_CERTIFICATE', () => expect(check(withKey(0x010, SEV_CURVE.P256))).toBe('INVALID_CERTIFICATE'));
  it('off-curve point → INVALID_CERTIFICATE', () => expect(check(withKey(0x014, bytes[0x014] ^ 1))).toBe('INVALID_CERTIFICATE'));
  it('coordinate wider than 48 bytes → INVALID_CERTIFICATE', () => expect(check(withKey(0x014 + 50, 1))).toBe('INVALID_CERTIFICATE'));
});

describe('signatures', () => {
  it('verifies by the signer, in either slot', () => {
    expect(verifySevCertSignedBy(pdh, signerCert).ok).toBe(true);
    const moved = { ...pdh, sig1: pdh.sig2, sig2: pdh.sig1 };
    expect(verifySevCertSignedBy(moved, signerCert).ok).toBe(true);
  });

  it('any flipped bit of the signed body → BAD_SIGNATURE', () => {
    for (const bit of [0x008 * 8 + 3, 0x100 * 8, 0x413 * 8 + 7, 0x004 * 8]) {
      const b = bytes.slice();
      b[bit >> 3] ^= 1 << (bit & 7);
      const d = decodeSevCert(b);
      if (!d.ok) throw new Error();
      const r = verifySevCertSignedBy(d.cert, signerCert);
      expect(!r.ok && r.status).toBe('BAD_SIGNATURE');
    }
  });

  it('a flipped signature bit → BAD_SIGNATURE; another signer → BAD_SIGNATURE', () => {
    const sig = pdh.sig1.sig.slice();
    sig[10] ^= 4;
    const r = verifySevCertSignedBy({ ...pdh, sig1: { ...pdh.sig1, sig } }, signerCert);
    expect(!r.ok && r.status).toBe('BAD_SIGNATURE');
    const other = newEcCert({ usage: SEV_USAGE.PEK, algo: SEV_ALGO.ECDSA_SHA256, publicKey: subject.publicKey });
    const s = verifySevCertSignedBy(pdh, other);
    expect(!s.ok && s.status).toBe('BAD_SIGNATURE');
  });

  it('no slot for the signer, or a slot algo different from the signer → INVALID_CERTIFICATE', () => {
    const oca = newEcCert({ usage: SEV_USAGE.OCA, algo: SEV_ALGO.ECDSA_SHA256, publicKey: signer.publicKey });
    const a = verifySevCertSignedBy(pdh, oca);
    expect(!a.ok && a.status).toBe('INVALID_CERTIFICATE');
    const b = verifySevCertSignedBy({ ...pdh, sig1: { ...pdh.sig1, algo: SEV_ALGO.ECDSA_SHA384 } }, signerCert);
    expect(!b.ok && b.status).toBe('INVALID_CERTIFICATE');
    const ecdh = { ...signerCert, algo: SEV_ALGO.ECDH_SHA256 };
    const c = verifySevCertSignedBy({ ...pdh, sig1: { ...pdh.sig1, algo: SEV_ALGO.ECDH_SHA256 } }, ecdh);
    expect(!c.ok && c.status).toBe('INVALID_CERTIFICATE');
  });

  it('SHA-384 signers sign over SHA-384', () => {
    const s384 = { ...signerCert, algo: SEV_ALGO.ECDSA_SHA384 };
    const c = signSevCertEcdsa(pdh, 2, SEV_USAGE.OCA, signer.privateKey, SEV_ALGO.ECDSA_SHA384);
    expect(verifySevCertSignedBy(c, { ...s384, usage: SEV_USAGE.OCA }).ok).toBe(true);
  });
});
