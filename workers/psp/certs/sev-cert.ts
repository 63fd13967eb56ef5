/**
 * The 2084-byte SEV certificate of reference §8.2 (PDH, PEK, OCA, CEK and the guest
 * owner's DH key all use it):
 *
 * | off   | field                                                                     |
 * |-------|---------------------------------------------------------------------------|
 * | 0x000 | version u32 (= 1)                                                         |
 * | 0x004 | api_major u8, api_minor u8, 2 reserved                                    |
 * | 0x008 | pub_key_usage u32, 0x00C pub_key_algo u32                                 |
 * | 0x010 | public key, 1028 bytes — EC: curve u32, Qx[72] @0x014, Qy[72] @0x05C      |
 * | 0x414 | sig1_usage u32, sig1_algo u32, sig1[512] @0x41C (ECDSA: r[72], s[72])     |
 * | 0x61C | sig2_usage u32, sig2_algo u32, sig2[512] @0x624                           |
 *
 * Big integers are stored little-endian, zero-padded to 72 (EC) or 512 (RSA) bytes. The
 * signed message is bytes 0x000–0x413; the digest follows the *signer's* algorithm code.
 * An empty signature slot has usage 0x1000 (INVALID) and algo 0.
 */
import { bytesEqual, readU32LE, reverseBytes, writeU32LE } from '../crypto/bytes.js';
import {
  ecdsaP384Sign,
  ecdsaP384Verify,
  P384_LEN,
  p384IsValidPublicKey,
  type EcdsaSignature,
  type P384PublicKey,
  type SevDigest,
} from '../crypto/p384.js';
import { cryptoFail, type CryptoResult } from '../crypto/status.js';

/** Size of a SEV certificate. */
export const SEV_CERT_LEN = 0x824;
/** Size of the signed part (header + public key area). */
export const SEV_CERT_BODY_LEN = 0x414;
/** Size of the public key area and of each signature field. */
export const SEV_CERT_PUBKEY_LEN = 1028;
export const SEV_CERT_SIG_LEN = 512;
/** Size of one little-endian EC coordinate / signature integer in the certificate. */
export const SEV_EC_PARAM_LEN = 72;

/** pub_key_usage / sig_usage codes (§8.1). */
export const SEV_USAGE = {
  ARK: 0x0000,
  ASK: 0x0013,
  INVALID: 0x1000,
  OCA: 0x1001,
  PEK: 0x1002,
  PDH: 0x1003,
  CEK: 0x1004,
} as const;

/** pub_key_algo / sig_algo codes (§8.1). */
export const SEV_ALGO = {
  INVALID: 0,
  RSA_SHA256: 1,
  ECDSA_SHA256: 2,
  ECDH_SHA256: 3,
  RSA_SHA384: 0x101,
  ECDSA_SHA384: 0x102,
  ECDH_SHA384: 0x103,
} as const;

/** EC curve ids (§8.1); the firmware accepts only P-384. */
export const SEV_CURVE = { P256: 1, P384: 2 } as const;

/** One signature slot. */
export interface SevCertSig {
  usage: number;
  algo: number;
  /** The raw 512-byte signature field. */
  sig: Uint8Array;
}

/** A decoded SEV certificate (fields as stored; see {@link sevCertEcKey} for the key). */
export interface SevCert {
  version: number;
  apiMajor: number;
  apiMinor: number;
  usage: number;
  algo: number;
  /** The raw 1028-byte public key area. */
  pubKey: Uint8Array;
  sig1: SevCertSig;
  sig2: SevCertSig;
}

/** An empty signature slot. */
export function emptySevSig(): SevCertSig {
  return { usage: SEV_USAGE.INVALID, algo: SEV_ALGO.INVALID, sig: new Uint8Array(SEV_CERT_SIG_LEN) };
}

/** Serialises `c` into 2084 bytes. */
export function encodeSevCert(c: SevCert): Uint8Array {
  const b = new Uint8Array(SEV_CERT_LEN);
  writeU32LE(b, 0x000, c.version);
  b[0x004] = c.apiMajor;
  b[0x005] = c.apiMinor;
  writeU32LE(b, 0x008, c.usage);
  writeU32LE(b, 0x00c, c.algo);
  b.set(c.pubKey.subarray(0, SEV_CERT_PUBKEY_LEN), 0x010);
  writeU32LE(b, 0x414, c.sig1.usage);
  writeU32LE(b, 0x418, c.sig1.algo);
  b.set(c.sig1.sig.subarray(0, SEV_CERT_SIG_LEN), 0x41c);
  writeU32LE(b, 0x61c, c.sig2.usage);
  writeU32LE(b, 0x620, c.sig2.algo);
  b.set(c.sig2.sig.subarray(0, SEV_CERT_SIG_LEN), 0x624);
  return b;
}

/**
 * Parses 2084 bytes into a {@link SevCert} (copies). INVALID_LEN for any other length,
 * INVALID_CERTIFICATE for a version other than 1. Usage, algorithm and key are not judged
 * here: see {@link sanityCheckSevCert}.
 */
export function decodeSevCert(bytes: Uint8Array): CryptoResult<{ cert: SevCert }> {
  if (bytes.length !== SEV_CERT_LEN) return cryptoFail('INVALID_LEN', `certificate is ${bytes.length} bytes, must be 2084`);
  const version = readU32LE(bytes, 0);
  if (version !== 1) return cryptoFail('INVALID_CERTIFICATE', `certificate version ${version}, expected 1`);
  const cert: SevCert = {
    version,
    apiMajor: bytes[0x004],
    apiMinor: bytes[0x005],
    usage: readU32LE(bytes, 0x008),
    algo: readU32LE(bytes, 0x00c),
    pubKey: bytes.slice(0x010, 0x414),
    sig1: { usage: readU32LE(bytes, 0x414), algo: readU32LE(bytes, 0x418), sig: bytes.slice(0x41c, 0x61c) },
    sig2: { usage: readU32LE(bytes, 0x61c), algo: readU32LE(bytes, 0x620), sig: bytes.slice(0x624, 0x824) },
  };
  return { ok: true, cert };
}

/** The signed bytes 0x000–0x413 of `c`. */
export function sevCertBody(c: SevCert): Uint8Array {
  return encodeSevCert(c).subarray(0, SEV_CERT_BODY_LEN);
}

/** A big-endian integer of ≤ 72 bytes → the 72-byte little-endian field. */
export function toSevLE(be: Uint8Array, len = SEV_EC_PARAM_LEN): Uint8Array {
  const out = new Uint8Array(len);
  out.set(reverseBytes(be));
  return out;
}

/** A little-endian field → its low `len` bytes as big-endian; undefined if higher bytes are non-zero. */
export function fromSevLE(le: Uint8Array, len: number): Uint8Array | undefined {
  for (let i = len; i < le.length; i++) if (le[i] !== 0) return undefined;
  return reverseBytes(le.subarray(0, len));
}

/** The 1028-byte public key area of a P-384 key (curve 2, Qx, Qy). */
export function ecPubKeyArea(pub: P384PublicKey): Uint8Array {
  const area = new Uint8Array(SEV_CERT_PUBKEY_LEN);
  writeU32LE(area, 0, SEV_CURVE.P384);
  area.set(toSevLE(pub.x), 4);
  area.set(toSevLE(pub.y), 4 + SEV_EC_PARAM_LEN);
  return area;
}

/**
 * The certificate's P-384 public key, or undefined when the curve is not P-384, a
 * coordinate does not fit in 48 bytes, or the point is not on the curve.
 */
export function sevCertEcKey(c: SevCert): P384PublicKey | undefined {
  if (readU32LE(c.pubKey, 0) !== SEV_CURVE.P384) return undefined;
  const x = fromSevLE(c.pubKey.subarray(4, 4 + SEV_EC_PARAM_LEN), P384_LEN);
  const y = fromSevLE(c.pubKey.subarray(4 + SEV_EC_PARAM_LEN, 4 + 2 * SEV_EC_PARAM_LEN), P384_LEN);
  if (!x || !y) return undefined;
  const pub = { x, y };
  return p384IsValidPublicKey(pub) ? pub : undefined;
}

/** Options for {@link newEcCert}. */
export interface NewEcCertOptions {
  usage: number;
  algo: number;
  publicKey: P384PublicKey;
  apiMajor?: number;
  apiMinor?: number;
}

/** A version-1 certificate for a P-384 key with both signature slots empty. */
export function newEcCert(o: NewEcCertOptions): SevCert {
  return {
    version: 1,
    apiMajor: o.apiMajor ?? 0,
    apiMinor: o.apiMinor ?? 0,
    usage: o.usage,
    algo: o.algo,
    pubKey: ecPubKeyArea(o.publicKey),
    sig1: emptySevSig(),
    sig2: emptySevSig(),
  };
}

/** The digest an algorithm code selects, or undefined for a code that is not a signature algorithm. */
export function digestOfAlgo(algo: number): SevDigest | undefined {
  switch (algo) {
    case SEV_ALGO.RSA_SHA256:
    case SEV_ALGO.ECDSA_SHA256:
    case SEV_ALGO.ECDH_SHA256:
      return 'sha256';
    case SEV_ALGO.RSA_SHA384:
    case SEV_ALGO.ECDSA_SHA384:
    case SEV_ALGO.ECDH_SHA384:
      return 'sha384';
    default:
      return undefined;
  }
}

/** An ECDSA signature as the 512-byte field: r (72 B LE), s (72 B LE), zeros. */
export function encodeEcdsaSig(sig: EcdsaSignature): Uint8Array {
  const out = new Uint8Array(SEV_CERT_SIG_LEN);
  out.set(toSevLE(sig.r), 0);
  out.set(toSevLE(sig.s), SEV_EC_PARAM_LEN);
  return out;
}

/** The ECDSA signature in a 512-byte field, or undefined if r or s does not fit 48 bytes. */
export function decodeEcdsaSig(field: Uint8Array): EcdsaSignature | undefined {
  const r = fromSevLE(field.subarray(0, SEV_EC_PARAM_LEN), P384_LEN);
  const s = fromSevLE(field.subarray(SEV_EC_PARAM_LEN, 2 * SEV_EC_PARAM_LEN), P384_LEN);
  return r && s ? { r, s } : undefined;
}

/**
 * Returns a copy of `c` with signature slot `slot` filled by an ECDSA-P-384 signature
 * from the key `signerPrivate`, whose certificate has usage `signerUsage` and algo
 * `signerAlgo` (ECDSA_SHA256 for OCA, PEK and CEK in this lab).
 */
export function signSevCertEcdsa(
  c: SevCert,
  slot: 1 | 2,
  signerUsage: number,
  signerPrivate: Uint8Array,
  signerAlgo: number = SEV_ALGO.ECDSA_SHA256,
): SevCert {
  const hash = digestOfAlgo(signerAlgo);
  if (!hash) throw new RangeError(`algo ${signerAlgo} cannot sign`);
  const sig = encodeEcdsaSig(ecdsaP384Sign(signerPrivate, sevCertBody(c), hash));
  const s: SevCertSig = { usage: signerUsage, algo: signerAlgo, sig };
  return slot === 1 ? { ...c, sig1: s } : { ...c, sig2: s };
}

/** The slot of `c` that names `usage` as its signer, if any (slot 1 is looked at first). */
export function findSigSlot(c: SevCert, usage: number): SevCertSig | undefined {
  if (c.sig1.usage === usage) return c.sig1;
  if (c.sig2.usage === usage) return c.sig2;
  return undefined;
}

/**
 * Checks that `c` carries a valid ECDSA signature by the key of certificate `signer`
 * (either slot, §8.2). INVALID_CERTIFICATE when no slot names the signer's usage, the
 * slot's algo differs from the signer's, or the signer's key is not a P-384 point;
 * BAD_SIGNATURE when the signature does not verify.
 */
export function verifySevCertSignedBy(c: SevCert, signer: SevCert): CryptoResult {
  const slot = findSigSlot(c, signer.usage);
  if (!slot) return cryptoFail('INVALID_CERTIFICATE', `no signature slot for signer usage 0x${signer.usage.toString(16)}`);
  if (slot.algo !== signer.algo) return cryptoFail('INVALID_CERTIFICATE', 'signature algo differs from the signer key algo');
  const hash = digestOfAlgo(slot.algo);
  const key = sevCertEcKey(signer);
  if (!hash || !key || (slot.algo !== SEV_ALGO.ECDSA_SHA256 && slot.algo !== SEV_ALGO.ECDSA_SHA384)) {
    return cryptoFail('INVALID_CERTIFICATE', 'signer is not an ECDSA P-384 key');
  }
  const sig = decodeEcdsaSig(slot.sig);
  if (!sig || !ecdsaP384Verify(key, sevCertBody(c), sig, hash)) {
    return cryptoFail('BAD_SIGNATURE', `signature by usage 0x${signer.usage.toString(16)} does not verify`);
  }
  return { ok: true };
}

/**
 * The firmware's body check of a certificate (FW `sev_cert_sanity_check`): length 2084
 * (INVALID_LEN), version 1, the expected usage and algorithm, curve P-384 and a point on
 * the curve (INVALID_CERTIFICATE). Signatures are *not* looked at: RECEIVE_START and
 * LAUNCH_START trust the peer DH key on this check alone (§8.3, §14.2).
 */
export function sanityCheckSevCert(
  bytes: Uint8Array,
  usage: number,
  algo: number,
): CryptoResult<{ cert: SevCert; publicKey: P384PublicKey }> {
  const d = decodeSevCert(bytes);
  if (!d.ok) return d;
  const { cert } = d;
  if (cert.usage !== usage) {
    return cryptoFail('INVALID_CERTIFICATE', `usage 0x${cert.usage.toString(16)}, expected 0x${usage.toString(16)}`);
  }
  if (cert.algo !== algo) return cryptoFail('INVALID_CERTIFICATE', `algo 0x${cert.algo.toString(16)}, expected 0x${algo.toString(16)}`);
  const publicKey = sevCertEcKey(cert);
  if (!publicKey) return cryptoFail('INVALID_CERTIFICATE', 'public key is not a valid P-384 point');
  return { ok: true, cert, publicKey };
}

/** True when the two certificates are byte-identical (DOMAIN policy, §7). */
export function sameSevCert(a: Uint8Array, b: Uint8Array): boolean {
  return bytesEqual(a, b);
}
