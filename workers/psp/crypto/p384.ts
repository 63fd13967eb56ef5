/**
 * NIST P-384 for the PSP: ECDH (reference §9.1) and ECDSA (the OCA/PEK/CEK signatures of
 * §8), on @noble/curves. Keys and coordinates here are **big-endian** 48-byte strings, the
 * natural form for noble and WebCrypto; the SEV certificate stores them little-endian and
 * padded to 72 bytes, and certs/sev-cert.ts converts at that boundary (§8.2).
 *
 * - ECDH: Z = the X coordinate of d·Q, 48 bytes big-endian, exactly what OpenSSL's and
 *   WebCrypto's derive returns and what the KDF takes (§9.1).
 * - ECDSA: the message is hashed with SHA-256 or SHA-384 as the *signer's* algorithm
 *   code says (§8.2), then signed; signatures are deterministic (RFC 6979), so the same
 *   seed gives the same certificates. Verification accepts high-S signatures, as OpenSSL
 *   (and so the real firmware's peers) produce them.
 */
import { p384 } from '@noble/curves/nist.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { bigIntToBytesBE, bytesToBigIntBE, type RandomSource } from './bytes.js';

/** Size of a P-384 scalar or coordinate in bytes. */
export const P384_LEN = 48;

const ORDER = p384.Point.CURVE().n;

/** A P-384 public key as affine coordinates, each 48 bytes big-endian. */
export interface P384PublicKey {
  x: Uint8Array;
  y: Uint8Array;
}

/** A P-384 key pair; `privateKey` is the 48-byte big-endian scalar. */
export interface P384KeyPair {
  privateKey: Uint8Array;
  publicKey: P384PublicKey;
}

/** An ECDSA signature, r and s each 48 bytes big-endian. */
export interface EcdsaSignature {
  r: Uint8Array;
  s: Uint8Array;
}

/** The digest an algorithm code selects (§8.2: *_SHA256 or *_SHA384). */
export type SevDigest = 'sha256' | 'sha384';

/** The public key of a 48-byte big-endian private scalar (RangeError if out of [1, n-1]). */
export function p384PublicKey(privateKey: Uint8Array): P384PublicKey {
  const pub = p384.getPublicKey(privateKey, false);
  return { x: pub.slice(1, 1 + P384_LEN), y: pub.slice(1 + P384_LEN) };
}

/**
 * A key pair from ≥ 48 bytes of uniform `seed` material: the scalar is seed mod (n−1) + 1,
 * so every seed gives a valid key (64 bytes keep the bias negligible).
 */
export function p384KeyPairFromSeed(seed: Uint8Array): P384KeyPair {
  if (seed.length < P384_LEN) throw new RangeError('P-384 key seed must be at least 48 bytes');
  const d = (bytesToBigIntBE(seed) % (ORDER - 1n)) + 1n;
  const privateKey = bigIntToBytesBE(d, P384_LEN);
  return { privateKey, publicKey: p384PublicKey(privateKey) };
}

/** A fresh key pair drawn from `rng` (64 bytes). */
export function p384KeyPairFromRng(rng: RandomSource): P384KeyPair {
  return p384KeyPairFromSeed(rng.bytes(64));
}

function encodePoint(pub: P384PublicKey): Uint8Array | undefined {
  if (pub.x.length !== P384_LEN || pub.y.length !== P384_LEN) return undefined;
  const b = new Uint8Array(1 + 2 * P384_LEN);
  b[0] = 4;
  b.set(pub.x, 1);
  b.set(pub.y, 1 + P384_LEN);
  return b;
}

/** True when `pub` is a point on P-384 (not infinity, coordinates in the field). */
export function p384IsValidPublicKey(pub: P384PublicKey): boolean {
  const enc = encodePoint(pub);
  if (!enc) return false;
  try {
    p384.Point.fromBytes(enc).assertValidity();
    return true;
  } catch {
    return false;
  }
}

/**
 * ECDH: Z = X(privateKey · peer), 48 bytes big-endian (§9.1). Returns undefined when the
 * peer key is not a valid P-384 point (the firmware reports that as INVALID_CERTIFICATE).
 */
export function p384Ecdh(privateKey: Uint8Array, peer: P384PublicKey): Uint8Array | undefined {
  const enc = encodePoint(peer);
  if (!enc || !p384IsValidPublicKey(peer)) return undefined;
  const shared = p384.getSharedSecret(privateKey, enc, true);
  return shared.slice(1, 1 + P384_LEN);
}

function digest(message: Uint8Array, hash: SevDigest): Uint8Array {
  return hash === 'sha256' ? sha256(message) : sha384(message);
}

/** ECDSA-P-384 signature of `message` hashed with `hash` (deterministic, RFC 6979). */
export function ecdsaP384Sign(privateKey: Uint8Array, message: Uint8Array, hash: SevDigest): EcdsaSignature {
  const sig = p384.sign(digest(message, hash), privateKey, { prehash: false, lowS: false });
  return { r: sig.slice(0, P384_LEN), s: sig.slice(P384_LEN, 2 * P384_LEN) };
}

/** True when `sig` is a valid ECDSA-P-384 signature of `message` (hashed with `hash`) by `publicKey`. */
export function ecdsaP384Verify(
  publicKey: P384PublicKey,
  message: Uint8Array,
  sig: EcdsaSignature,
  hash: SevDigest,
): boolean {
  const enc = encodePoint(publicKey);
  if (!enc || sig.r.length !== P384_LEN || sig.s.length !== P384_LEN) return false;
  const compact = new Uint8Array(2 * P384_LEN);
  compact.set(sig.r);
  compact.set(sig.s, P384_LEN);
  try {
    return p384.verify(compact, digest(message, hash), enc, { prehash: false, lowS: false });
  } catch {
    return false;
  }
}
