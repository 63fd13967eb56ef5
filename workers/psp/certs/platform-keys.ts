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
import { sevKdf, KDF_LABEL } from '../crypto/kdf.js';
import { p384KeyPairFromRng, p384KeyPairFromSeed, type P384KeyPair } from '../crypto/p384.js';
import { cryptoFail, type CryptoResult } from '../crypto/status.js';
import {
  decodeSevCert,
  emptySevSig,
  encodeSevCert,
  newEcCert,
  sanityCheckSevCert,
  SEV_ALGO,
  SEV_CERT_LEN,
  SEV_USAGE,
  signSevCertEcdsa,
  verifySevCertSignedBy,
  type SevCert,
} from './sev-cert.js';
import { bytesEqual } from '../crypto/bytes.js';

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
  const seed = sevKdf(chipSecret, KDF_LABEL.CHIP_ENDORSEMENT_KEY, new Uint8Array(0), 64);
  return p384KeyPairFromSeed(seed);
}

/** The CEK certificate as PDH_CERT_EXPORT returns it: CEK public key, both slots empty. */
export function unsignedCekCert(cek: P384KeyPair, api: ApiVersion): Uint8Array {
  return encodeSevCert(newEcCert({ usage: SEV_USAGE.CEK, algo: SEV_ALGO.ECDSA_SHA256, publicKey: cek.publicKey, ...api }));
}

/** A fresh self-signed OCA (INIT / PEK_GEN; also what an external owner would make). */
export function generateOca(rng: RandomSource, api: ApiVersion): PlatformKey {
  const kp = p384KeyPairFromRng(rng);
  const body = newEcCert({ usage: SEV_USAGE.OCA, algo: SEV_ALGO.ECDSA_SHA256, publicKey: kp.publicKey, ...api });
  const cert = signSevCertEcdsa(body, 1, SEV_USAGE.OCA, kp.privateKey);
  return { privateKey: kp.privateKey, cert: encodeSevCert(cert) };
}

/** A fresh PEK signed by `oca` (slot 1) and `cek` (slot 2). */
export function generatePek(rng: RandomSource, api: ApiVersion, oca: PlatformKey, cek: P384KeyPair): PlatformKey {
  const kp = p384KeyPairFromRng(rng);
  let cert = newEcCert({ usage: SEV_USAGE.PEK, algo: SEV_ALGO.ECDSA_SHA256, publicKey: kp.publicKey, ...api });
  cert = signSevCertEcdsa(cert, 1, SEV_USAGE.OCA, oca.privateKey);
  cert = signSevCertEcdsa(cert, 2, SEV_USAGE.CEK, cek.privateKey);
  return { privateKey: kp.privateKey, cert: encodeSevCert(cert) };
}

/** A fresh PDH signed by `pek` (INIT without a stored PDH, PEK_GEN, PEK_CERT_IMPORT, PDH_GEN). */
export function generatePdh(rng: RandomSource, api: ApiVersion, pek: PlatformKey): PlatformKey {
  const kp = p384KeyPairFromRng(rng);
  const body = newEcCert({ usage: SEV_USAGE.PDH, algo: SEV_ALGO.ECDH_SHA256, publicKey: kp.publicKey, ...api });
  const cert = signSevCertEcdsa(body, 1, SEV_USAGE.PEK, pek.privateKey);
  return { privateKey: kp.privateKey, cert: encodeSevCert(cert) };
}

function decodeOwn(cert: Uint8Array): SevCert {
  const d = decodeSevCert(cert);
  if (!d.ok) throw new RangeError(`platform certificate is malformed: ${d.reason}`);
  return d.cert;
}

/** PEK_CSR's output: the PEK certificate with both signature slots emptied (2084 bytes). */
export function pekCsr(pek: PlatformKey): Uint8Array {
  return encodeSevCert({ ...decodeOwn(pek.cert), sig1: emptySevSig(), sig2: emptySevSig() });
}

/**
 * The external owner's side of PEK_CERT_IMPORT: signs a PEK CSR with the owner's OCA
 * (slot 1). Returns the 2084-byte signed PEK certificate; INVALID_LEN / INVALID_CERTIFICATE
 * when `csr` is not a PEK certificate.
 */
export function signPekCsr(csr: Uint8Array, oca: PlatformKey): CryptoResult<{ pekCert: Uint8Array }> {
  const d = sanityCheckSevCert(csr, SEV_USAGE.PEK, SEV_ALGO.ECDSA_SHA256);
  if (!d.ok) return d;
  const signed = signSevCertEcdsa({ ...d.cert, sig1: emptySevSig(), sig2: emptySevSig() }, 1, SEV_USAGE.OCA, oca.privateKey);
  return { ok: true, pekCert: encodeSevCert(signed) };
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
  if (input.pekCert.length !== SEV_CERT_LEN || input.ocaCert.length !== SEV_CERT_LEN) {
    return cryptoFail('INVALID_LEN', 'PEK and OCA certificates must be 2084 bytes each');
  }
  const oca = sanityCheckSevCert(input.ocaCert, SEV_USAGE.OCA, SEV_ALGO.ECDSA_SHA256);
  if (!oca.ok) return oca;
  const selfSigned = verifySevCertSignedBy(oca.cert, oca.cert);
  if (!selfSigned.ok) return selfSigned;
  const pek = sanityCheckSevCert(input.pekCert, SEV_USAGE.PEK, SEV_ALGO.ECDSA_SHA256);
  if (!pek.ok) return pek;
  const own = decodeOwn(input.pek.cert);
  if (!bytesEqual(own.pubKey, pek.cert.pubKey)) {
    return cryptoFail('INVALID_CERTIFICATE', 'imported PEK certificate is not for this platform\'s PEK');
  }
  const byOca = verifySevCertSignedBy(pek.cert, oca.cert);
  if (!byOca.ok) return byOca;
  const cekSlot = pek.cert.sig1.usage === SEV_USAGE.OCA ? 2 : 1;
  const signed = signSevCertEcdsa(pek.cert, cekSlot, SEV_USAGE.CEK, input.cek.privateKey);
  return { ok: true, pek: { privateKey: input.pek.privateKey, cert: encodeSevCert(signed) }, ocaCert: input.ocaCert.slice() };
}
