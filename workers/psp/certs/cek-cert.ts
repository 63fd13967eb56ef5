/**
 * The one place where the two certificate worlds meet: the CEK's SEV certificate carries
 * an RSA signature by the AMD ASK (reference §8.1, §8.2). The signature slot has usage
 * ASK (0x13) and algo RSA_SHA256 / RSA_SHA384 ([U]: by the ASK's size, as amd-cert.ts);
 * the 512-byte field holds the RSASSA-PSS signature little-endian, zero-padded.
 */
import { reverseBytes } from '../crypto/bytes.js';
import { cryptoFail, type CryptoResult } from '../crypto/status.js';
import { amdCertPublicKey, amdSigDigest, AMD_USAGE, type AmdCert } from './amd-cert.js';
import { rsaPssSign, rsaPssVerify, type RsaPrivateKey } from './rsa.js';
import { digestOfAlgo, findSigSlot, SEV_ALGO, SEV_CERT_SIG_LEN, sevCertBody, type SevCert } from './sev-cert.js';

/** The SEV algo code of an RSA signer of `bits`. */
export function rsaSigAlgo(bits: number): number {
  return amdSigDigest(bits) === 'sha384' ? SEV_ALGO.RSA_SHA384 : SEV_ALGO.RSA_SHA256;
}

/**
 * Returns a copy of `cek` with slot `slot` holding the ASK's RSASSA-PSS signature.
 * `salt` must be the digest length (48 bytes for a 4096-bit ASK).
 */
export function signSevCertWithAsk(cek: SevCert, slot: 1 | 2, askKey: RsaPrivateKey, salt: Uint8Array): SevCert {
  const sigBE = rsaPssSign(askKey, sevCertBody(cek), amdSigDigest(askKey.bits), salt);
  const sig = new Uint8Array(SEV_CERT_SIG_LEN);
  sig.set(reverseBytes(sigBE));
  const s = { usage: AMD_USAGE.ASK, algo: rsaSigAlgo(askKey.bits), sig };
  return slot === 1 ? { ...cek, sig1: s } : { ...cek, sig2: s };
}

/**
 * Checks the ASK's signature on a CEK certificate: INVALID_CERTIFICATE when no slot has
 * usage ASK or its algo is not the RSA code for the ASK's size; BAD_SIGNATURE when it
 * does not verify (e.g. the unsigned CEK of PDH_CERT_EXPORT has no such slot at all → the
 * former, §14.8).
 */
export function verifyCekSignedByAsk(cek: SevCert, ask: AmdCert): CryptoResult {
  const slot = findSigSlot(cek, AMD_USAGE.ASK);
  if (!slot) return cryptoFail('INVALID_CERTIFICATE', 'CEK carries no ASK signature (unsigned CEK from PDH_CERT_EXPORT?)');
  const hash = digestOfAlgo(slot.algo);
  if (slot.algo !== rsaSigAlgo(ask.modulusBits) || !hash) {
    return cryptoFail('INVALID_CERTIFICATE', 'CEK signature algo does not match the ASK');
  }
  const len = ask.modulusBits / 8;
  for (let i = len; i < slot.sig.length; i++) {
    if (slot.sig[i] !== 0) return cryptoFail('BAD_SIGNATURE', 'CEK signature has bytes beyond the ASK modulus');
  }
  const ok = rsaPssVerify(amdCertPublicKey(ask), sevCertBody(cek), reverseBytes(slot.sig.subarray(0, len)), hash);
  return ok ? { ok: true } : cryptoFail('BAD_SIGNATURE', 'CEK signature by the ASK does not verify');
}
