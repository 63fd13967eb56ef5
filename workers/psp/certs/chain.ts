/**
 * The platform chain blob (PDH_CERT_EXPORT's `chain`, SEND_START's `plat_certs`; §5):
 * 6252 bytes = PEK cert ‖ OCA cert ‖ CEK cert; and the two ways SEND_START authenticates
 * the target (§7):
 *
 * - SEV policy bit: ARK → ASK → CEK → PEK → PDH must verify against the fused ARK
 *   ({@link validateSevPlatform}); the PEK's API version is returned for the policy check.
 * - DOMAIN policy bit: OCA (self-signed) → PEK → PDH, and the target OCA must be
 *   byte-identical to this platform's ({@link validateDomain}; POLICY_FAILURE if not).
 *
 * Without either bit the target PDH is only body-checked (sev-cert.ts
 * `sanityCheckSevCert`), which is the hole of §14.1.
 */
import type { CryptoResult } from '../crypto/status.js';
import type { TrustedArk } from './amd-cert.js';
import type { SevCert } from './sev-cert.js';

/** Size of the platform chain blob (3 × 2084). */
export const PLATFORM_CHAIN_LEN = 6252;

/** The three certificates of a platform chain (2084 bytes each). */
export interface PlatformChain {
  pek: Uint8Array;
  oca: Uint8Array;
  cek: Uint8Array;
}

/** PEK ‖ OCA ‖ CEK (6252 bytes). */
export function encodePlatformChain(c: PlatformChain): Uint8Array {
  void c;
  throw new Error('not implemented yet');
}

/** Splits a chain blob (copies); INVALID_LEN unless exactly 6252 bytes. */
export function decodePlatformChain(blob: Uint8Array): CryptoResult<{ chain: PlatformChain }> {
  void blob;
  throw new Error('not implemented yet');
}

/** Inputs of {@link validateSevPlatform}. */
export interface SevPlatformInput {
  pdhCert: Uint8Array;
  platCerts: Uint8Array;
  amdCerts: Uint8Array;
  /** The genuine ARK this firmware has fused in. */
  trustedArk: TrustedArk;
}

/**
 * SEND_START's SEV-bit validation of the target, in the firmware's order: lengths
 * (INVALID_LEN); ARK and ASK (amd-cert.ts `validateAmdChain`); CEK body (usage CEK,
 * ECDSA, P-384) and its ASK signature (RSA-PSS); PEK body and its CEK signature; PDH body
 * (usage PDH, ECDH) and its PEK signature. Body problems are INVALID_CERTIFICATE, failed
 * signatures BAD_SIGNATURE. Returns the decoded PEK (its apiMajor/apiMinor are compared
 * with the policy by the caller) and PDH.
 */
export function validateSevPlatform(input: SevPlatformInput): CryptoResult<{ pek: SevCert; pdh: SevCert }> {
  void input;
  throw new Error('not implemented yet');
}

/** Inputs of {@link validateDomain}. */
export interface DomainInput {
  pdhCert: Uint8Array;
  platCerts: Uint8Array;
  /** This (source) platform's OCA certificate. */
  ownOcaCert: Uint8Array;
}

/**
 * SEND_START's DOMAIN-bit validation: lengths (INVALID_LEN); target OCA body and
 * self-signature, PEK signed by that OCA, PDH signed by the PEK (INVALID_CERTIFICATE /
 * BAD_SIGNATURE); then the target OCA must equal `ownOcaCert` byte for byte, else
 * POLICY_FAILURE.
 */
export function validateDomain(input: DomainInput): CryptoResult<{ pek: SevCert; pdh: SevCert }> {
  void input;
  throw new Error('not implemented yet');
}
