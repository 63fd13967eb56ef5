/**
 * The platform key hierarchy of reference §8.1, as the firmware makes and uses it:
 *
 * - CEK (usage 0x1004): derived from the chip-unique secret with the §9.2 KDF and label
 *   "sev-chip-endorsement-key" ([U] lab choice: 64 KDF bytes reduced to a P-384 scalar).
 *   PDH_CERT_EXPORT's CEK certificate carries **no signature**; the ASK-signed one comes
 *   from AMD's key server (lab-amd-root.ts).
 * - OCA (0x1001): self-signed ECDSA P-384 / SHA-256; made by INIT or PEK_GEN (self-owned)
 *   or imported with PEK_CERT_IMPORT (externally owned).
 * - PEK (0x1002): signed by the OCA (slot 1) and the CEK (slot 2).
 * - PDH (0x1003, ECDH_SHA256): signed by the PEK.
 *
 * Keys come from the random source passed in (a `SeededRng` fork), so the same seed gives
 * the same certificates. Each key is a {@link PlatformKey}: private scalar and 2084-byte
 * certificate, both plain bytes, so the firmware can persist and snapshot them as hex.
 */
import type { RandomSource } from '../crypto/bytes.js';
import type { P384KeyPair } from '../crypto/p384.js';
import type { CryptoResult } from '../crypto/status.js';

/** The API version stamped into certificates the firmware makes (PEK: "the API that made it"). */
export interface ApiVersion {
  apiMajor: number;
  apiMinor: number;
}

/** A platform key: 48-byte big-endian private scalar and its 2084-byte certificate. */
export interface PlatformKey {
  privateKey: Uint8Array;
  cert: Uint8Array;
}

/** The CEK of the chip whose unique secret is `chipSecret` (any length, typically 32 bytes). */
export function deriveCek(chipSecret: Uint8Array): P384KeyPair {
  void chipSecret;
  throw new Error('not implemented yet');
}

/** The CEK certificate as PDH_CERT_EXPORT returns it: CEK public key, both slots empty. */
export function unsignedCekCert(cek: P384KeyPair, api: ApiVersion): Uint8Array {
  void cek;
  void api;
  throw new Error('not implemented yet');
}

/** A fresh self-signed OCA (INIT / PEK_GEN; also what an external owner would make). */
export function generateOca(rng: RandomSource, api: ApiVersion): PlatformKey {
  void rng;
  void api;
  throw new Error('not implemented yet');
}

/** A fresh PEK signed by `oca` (slot 1) and `cek` (slot 2). */
export function generatePek(rng: RandomSource, api: ApiVersion, oca: PlatformKey, cek: P384KeyPair): PlatformKey {
  void rng;
  void api;
  void oca;
  void cek;
  throw new Error('not implemented yet');
}

/** A fresh PDH signed by `pek` (INIT without a stored PDH, PEK_GEN, PEK_CERT_IMPORT, PDH_GEN). */
export function generatePdh(rng: RandomSource, api: ApiVersion, pek: PlatformKey): PlatformKey {
  void rng;
  void api;
  void pek;
  throw new Error('not implemented yet');
}

/** PEK_CSR's output: the PEK certificate with both signature slots emptied (2084 bytes). */
export function pekCsr(pek: PlatformKey): Uint8Array {
  void pek;
  throw new Error('not implemented yet');
}

/**
 * The external owner's side of PEK_CERT_IMPORT: signs a PEK CSR with the owner's OCA
 * (slot 1). Returns the 2084-byte signed PEK certificate.
 */
export function signPekCsr(csr: Uint8Array, oca: PlatformKey): CryptoResult<{ pekCert: Uint8Array }> {
  void csr;
  void oca;
  throw new Error('not implemented yet');
}

/** What PEK_CERT_IMPORT checks against. */
export interface PekImportInput {
  /** This platform's current PEK (its public key must match the imported certificate). */
  pek: PlatformKey;
  /** This platform's CEK, which adds its signature to the imported PEK. */
  cek: P384KeyPair;
  /** The OCA-signed PEK certificate (pek_paddr/pek_len). */
  pekCert: Uint8Array;
  /** The owner's OCA certificate (oca_paddr/oca_len). */
  ocaCert: Uint8Array;
}

/**
 * PEK_CERT_IMPORT's certificate work ([U] order, the reference gives only the statuses):
 * lengths (INVALID_LEN); OCA body: usage OCA, ECDSA, P-384 (INVALID_CERTIFICATE); OCA
 * self-signature (BAD_SIGNATURE); PEK body: usage PEK, ECDSA, P-384, public key equal to
 * this platform's PEK (INVALID_CERTIFICATE); PEK signed by the OCA (BAD_SIGNATURE). On
 * success returns the PEK certificate with the CEK signature added in the other slot,
 * and the OCA certificate to store. The caller makes the new PDH.
 */
export function pekCertImport(input: PekImportInput): CryptoResult<{ pek: PlatformKey; ocaCert: Uint8Array }> {
  void input;
  throw new Error('not implemented yet');
}
