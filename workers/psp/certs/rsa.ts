/**
 * RSA for the AMD root certificates (ARK, ASK; reference §8.1, §8.2: "RSA-PSS for RSA
 * signers"). @noble has no RSA, so this is a small BigInt implementation of RSASSA-PSS
 * (RFC 8017 §8.1, EMSA-PSS with MGF1 over the same hash, salt length = hash length) —
 * enough to sign and verify, nothing more. Keys are never generated at run time (too
 * slow in BigInt): the lab's AMD roots are fixed fixtures (lab-amd-keys.ts), and signing
 * uses the CRT form.
 *
 * Signatures and integers here are big-endian, as RFC 8017 writes them; the AMD and SEV
 * certificate formats store them little-endian, converted at that boundary.
 */
import type { SevDigest } from '../crypto/p384.js';

/** An RSA public key. */
export interface RsaPublicKey {
  n: bigint;
  e: bigint;
  /** Modulus size in bits (2048 or 4096 for AMD keys). */
  bits: number;
}

/** An RSA private key in CRT form. */
export interface RsaPrivateKey extends RsaPublicKey {
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qinv: bigint;
}

/** The full private key from its two primes and public exponent. */
export function rsaPrivateKeyFromPrimes(p: bigint, q: bigint, e: bigint = 65537n): RsaPrivateKey {
  void p;
  void q;
  void e;
  throw new Error('not implemented yet');
}

/** `base^exp mod m` by square-and-multiply. */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  void base;
  void exp;
  void m;
  throw new Error('not implemented yet');
}

/**
 * RSASSA-PSS signature of `message` (hashed with `hash`), big-endian, modulus length.
 * `salt` must be the hash length (32 or 48 bytes); pass bytes from the seeded RNG, or any
 * fixed bytes for a deterministic signature.
 */
export function rsaPssSign(key: RsaPrivateKey, message: Uint8Array, hash: SevDigest, salt: Uint8Array): Uint8Array {
  void key;
  void message;
  void hash;
  void salt;
  throw new Error('not implemented yet');
}

/** True when `sig` (big-endian) is a valid RSASSA-PSS signature of `message` by `key`. */
export function rsaPssVerify(key: RsaPublicKey, message: Uint8Array, sig: Uint8Array, hash: SevDigest): boolean {
  void key;
  void message;
  void sig;
  void hash;
  throw new Error('not implemented yet');
}
