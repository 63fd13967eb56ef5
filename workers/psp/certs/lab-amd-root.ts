/**
 * The lab's stand-in for AMD: an ARK/ASK pair (RSA-4096, fixed fixtures in
 * lab-amd-keys.ts), a chip "factory" and a key server.
 *
 * [U] lab model of chip identity and AMD's key server (the reference says only that the
 * ASK-signed CEK is fetched from AMD keyed by GET_ID's output, §8.1): AMD keeps a
 * manufacturing key; a chip gets a random 64-byte ID and the unique secret
 * HMAC-SHA-256(manufacturing key, "kvm-lab/chip-secret" ‖ ID). The firmware holds both
 * (fuses) and derives its CEK from the secret; GET_ID returns the ID. The key server
 * recomputes the secret from an ID, derives the CEK and signs its certificate with the
 * ASK (RSA-PSS SHA-384, salt derived from the ID so the answer is deterministic).
 *
 * Two roots exist: {@link labAmdRoot}, the "genuine AMD" every lab firmware trusts, and
 * {@link rogueAmdRoot}, a look-alike whose chips do not chain to the trusted ARK (the
 * untrusted-target scenario: SEND_START with the SEV bit fails with INVALID_CERTIFICATE).
 */
import type { RandomSource } from '../crypto/bytes.js';
import type { CryptoResult } from '../crypto/status.js';
import type { TrustedArk } from './amd-cert.js';
import type { RsaPrivateKey } from './rsa.js';

/** Size of a chip ID (GET_ID's output on one socket, §13). */
export const CHIP_ID_LEN = 64;

/** An AMD root: certificates, the ASK signing key, and the factory secret. */
export interface AmdRoot {
  /** "lab-amd" or "rogue-amd". */
  name: string;
  arkCert: Uint8Array;
  askCert: Uint8Array;
  /** ASK ‖ ARK, SEND_START's `amd_certs` (3200 bytes). */
  amdChain: Uint8Array;
  /** What a firmware trusting this root fuses in. */
  trustedArk: TrustedArk;
  askKey: RsaPrivateKey;
  manufacturingKey: Uint8Array;
}

/** What a chip carries from the factory. */
export interface ChipFuses {
  /** GET_ID's output (64 bytes). */
  chipId: Uint8Array;
  /** The chip-unique secret the CEK is derived from (32 bytes). */
  chipSecret: Uint8Array;
}

/** The genuine lab AMD root (built once, cached). */
export function labAmdRoot(): AmdRoot {
  throw new Error('not implemented yet');
}

/** A rogue root whose chips do not chain to the genuine ARK (built once, cached). */
export function rogueAmdRoot(): AmdRoot {
  throw new Error('not implemented yet');
}

/** Makes a chip of `root`: a random ID from `rng` and its unique secret. */
export function manufactureChip(root: AmdRoot, rng: RandomSource): ChipFuses {
  void root;
  void rng;
  throw new Error('not implemented yet');
}

/**
 * The key server: the ASK-signed CEK certificate (2084 bytes, signature in slot 1) of
 * the chip `chipId` of `root`. INVALID_LEN for an ID that is not 64 bytes.
 */
export function fetchCekCert(root: AmdRoot, chipId: Uint8Array): CryptoResult<{ cekCert: Uint8Array }> {
  void root;
  void chipId;
  throw new Error('not implemented yet');
}

/**
 * A platform chain with its unsigned CEK replaced by the key server's signed one, i.e.
 * what a host operator sends to the source for a SEV-bit policy (§8.1, §14.8).
 */
export function withSignedCek(root: AmdRoot, chipId: Uint8Array, platCerts: Uint8Array): CryptoResult<{ platCerts: Uint8Array }> {
  void root;
  void chipId;
  void platCerts;
  throw new Error('not implemented yet');
}
