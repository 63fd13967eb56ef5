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
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { bigIntToBytesBE, bytesEqual, bytesToBigIntBE } from '../crypto/bytes.js';
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

function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/** a⁻¹ mod m by the extended Euclidean algorithm (RangeError if not invertible). */
function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return ((oldS % m) + m) % m;
}

/** The full private key from its two primes and public exponent. */
export function rsaPrivateKeyFromPrimes(p: bigint, q: bigint, e: bigint = 65537n): RsaPrivateKey {
  const n = p * q;
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInverse(e, lambda);
  return { n, e, bits: bitLength(n), d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qinv: modInverse(q, p) };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** `base^exp mod m` by left-to-right square-and-multiply. */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  if (m === 1n) return 0n;
  let result = 1n;
  const b = ((base % m) + m) % m;
  for (const bit of exp.toString(2)) {
    result = (result * result) % m;
    if (bit === '1') result = (result * b) % m;
  }
  return result;
}

function hashFn(hash: SevDigest): (m: Uint8Array) => Uint8Array {
  return hash === 'sha256' ? sha256 : sha384;
}

/** MGF1 (RFC 8017 B.2.1) of `len` bytes. */
function mgf1(seed: Uint8Array, len: number, h: (m: Uint8Array) => Uint8Array): Uint8Array {
  const out = new Uint8Array(len);
  const input = new Uint8Array(seed.length + 4);
  input.set(seed);
  let off = 0;
  for (let counter = 0; off < len; counter++) {
    new DataView(input.buffer).setUint32(seed.length, counter);
    const block = h(input);
    out.set(block.subarray(0, Math.min(block.length, len - off)), off);
    off += block.length;
  }
  return out;
}

/** H' = Hash(8 zero bytes ‖ mHash ‖ salt) of EMSA-PSS. */
function pssHash(mHash: Uint8Array, salt: Uint8Array, h: (m: Uint8Array) => Uint8Array): Uint8Array {
  const mPrime = new Uint8Array(8 + mHash.length + salt.length);
  mPrime.set(mHash, 8);
  mPrime.set(salt, 8 + mHash.length);
  return h(mPrime);
}

/**
 * RSASSA-PSS signature of `message` (hashed with `hash`), big-endian, modulus length.
 * `salt` must be the hash length (32 or 48 bytes); pass bytes from the seeded RNG, or any
 * fixed bytes for a deterministic signature.
 */
export function rsaPssSign(key: RsaPrivateKey, message: Uint8Array, hash: SevDigest, salt: Uint8Array): Uint8Array {
  const h = hashFn(hash);
  const mHash = h(message);
  if (salt.length !== mHash.length) throw new RangeError('PSS salt must be the hash length');
  const emBits = key.bits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = mHash.length;
  const H = pssHash(mHash, salt, h);
  const db = new Uint8Array(emLen - hLen - 1);
  db[db.length - salt.length - 1] = 0x01;
  db.set(salt, db.length - salt.length);
  const mask = mgf1(H, db.length, h);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >>> (8 * emLen - emBits);
  const em = new Uint8Array(emLen);
  em.set(db);
  em.set(H, db.length);
  em[emLen - 1] = 0xbc;
  const m = bytesToBigIntBE(em);
  // CRT: s = s_q + q·((s_p − s_q)·q⁻¹ mod p)
  const sp = modPow(m, key.dp, key.p);
  const sq = modPow(m, key.dq, key.q);
  const t = (((sp - sq) % key.p) + key.p) % key.p;
  const s = sq + key.q * ((t * key.qinv) % key.p);
  return bigIntToBytesBE(s, Math.ceil(key.bits / 8));
}

/** True when `sig` (big-endian) is a valid RSASSA-PSS signature of `message` by `key` (salt = hash length). */
export function rsaPssVerify(key: RsaPublicKey, message: Uint8Array, sig: Uint8Array, hash: SevDigest): boolean {
  const k = Math.ceil(key.bits / 8);
  if (sig.length !== k) return false;
  const s = bytesToBigIntBE(sig);
  if (s >= key.n) return false;
  const h = hashFn(hash);
  const mHash = h(message);
  const hLen = mHash.length;
  const emBits = key.bits - 1;
  const emLen = Math.ceil(emBits / 8);
  const m = modPow(s, key.e, key.n);
  if (bitLength(m) > emBits) return false;
  const em = bigIntToBytesBE(m, emLen);
  if (em[emLen - 1] !== 0xbc || emLen < 2 * hLen + 2) return false;
  const db = em.slice(0, emLen - hLen - 1);
  const H = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >>> (8 * emLen - emBits);
  if ((db[0] & ~topMask & 0xff) !== 0) return false;
  const mask = mgf1(H, db.length, h);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= topMask;
  const psEnd = db.length - hLen - 1;
  for (let i = 0; i < psEnd; i++) if (db[i] !== 0) return false;
  if (db[psEnd] !== 0x01) return false;
  return bytesEqual(pssHash(mHash, db.subarray(psEnd + 1), h), H);
}
