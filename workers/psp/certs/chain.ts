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
import { cryptoFail, type CryptoResult } from '../crypto/status.js';
import { validateAmdChain, type TrustedArk } from './amd-cert.js';
import { verifyCekSignedByAsk } from './cek-cert.js';
import {
  sameSevCert,
  sanityCheckSevCert,
  SEV_ALGO,
  SEV_CERT_LEN,
  SEV_USAGE,
  verifySevCertSignedBy,
  type SevCert,
} from './sev-cert.js';

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
  if (c.pek.length !== SEV_CERT_LEN || c.oca.length !== SEV_CERT_LEN || c.cek.length !== SEV_CERT_LEN) {
    throw new RangeError('platform chain certificates must be 2084 bytes each');
  }
  const out = new Uint8Array(PLATFORM_CHAIN_LEN);
  out.set(c.pek, 0);
  out.set(c.oca, SEV_CERT_LEN);
  out.set(c.cek, 2 * SEV_CERT_LEN);
  return out;
}

/** Splits a chain blob (copies); INVALID_LEN unless exactly 6252 bytes. */
export function decodePlatformChain(blob: Uint8Array): CryptoResult<{ chain: PlatformChain }> {
  if (blob.length !== PLATFORM_CHAIN_LEN) return cryptoFail('INVALID_LEN', `platform chain is ${blob.length} bytes, must be 6252`);
  const at = (i: number): Uint8Array => blob.slice(i * SEV_CERT_LEN, (i + 1) * SEV_CERT_LEN);
  return { ok: true, chain: { pek: at(0), oca: at(1), cek: at(2) } };
}

/** Checks PEK (signed by `pekSigner`) and PDH (signed by the PEK); shared tail of both validations. */
function pekAndPdh(chain: PlatformChain, pdhCert: Uint8Array, pekSigner: SevCert): CryptoResult<{ pek: SevCert; pdh: SevCert }> {
  const pek = sanityCheckSevCert(chain.pek, SEV_USAGE.PEK, SEV_ALGO.ECDSA_SHA256);
  if (!pek.ok) return pek;
  const pekSig = verifySevCertSignedBy(pek.cert, pekSigner);
  if (!pekSig.ok) return pekSig;
  const pdh = sanityCheckSevCert(pdhCert, SEV_USAGE.PDH, SEV_ALGO.ECDH_SHA256);
  if (!pdh.ok) return pdh;
  const pdhSig = verifySevCertSignedBy(pdh.cert, pek.cert);
  if (!pdhSig.ok) return pdhSig;
  return { ok: true, pek: pek.cert, pdh: pdh.cert };
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
  if (input.pdhCert.length !== SEV_CERT_LEN) return cryptoFail('INVALID_LEN', 'PDH certificate must be 2084 bytes');
  const plat = decodePlatformChain(input.platCerts);
  if (!plat.ok) return plat;
  const amd = validateAmdChain(input.amdCerts, input.trustedArk);
  if (!amd.ok) return amd;
  const cek = sanityCheckSevCert(plat.chain.cek, SEV_USAGE.CEK, SEV_ALGO.ECDSA_SHA256);
  if (!cek.ok) return cek;
  const cekSig = verifyCekSignedByAsk(cek.cert, amd.ask);
  if (!cekSig.ok) return cekSig;
  return pekAndPdh(plat.chain, input.pdhCert, cek.cert);
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
  if (input.pdhCert.length !== SEV_CERT_LEN) return cryptoFail('INVALID_LEN', 'PDH certificate must be 2084 bytes');
  const plat = decodePlatformChain(input.platCerts);
  if (!plat.ok) return plat;
  const oca = sanityCheckSevCert(plat.chain.oca, SEV_USAGE.OCA, SEV_ALGO.ECDSA_SHA256);
  if (!oca.ok) return oca;
  const selfSigned = verifySevCertSignedBy(oca.cert, oca.cert);
  if (!selfSigned.ok) return selfSigned;
  const rest = pekAndPdh(plat.chain, input.pdhCert, oca.cert);
  if (!rest.ok) return rest;
  if (!sameSevCert(plat.chain.oca, input.ownOcaCert)) {
    return cryptoFail('POLICY_FAILURE', 'target OCA differs from this platform\'s OCA (DOMAIN policy)');
  }
  return rest;
}
