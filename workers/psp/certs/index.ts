/**
 * Public API of the PSP's certificates and key hierarchy (reference §8). Firmware code
 * imports from here.
 *
 * | Firmware command   | Call                                                                  |
 * |--------------------|-----------------------------------------------------------------------|
 * | INIT               | `deriveCek(fuses.chipSecret)`; if missing `generateOca`, `generatePek`, `generatePdh` |
 * | PEK_GEN            | `generateOca`, `generatePek`, `generatePdh`                           |
 * | PDH_GEN            | `generatePdh(rng, api, pek)`                                          |
 * | PEK_CSR            | `pekCsr(pek)`                                                         |
 * | PEK_CERT_IMPORT    | `pekCertImport({...})`, then `generatePdh`                            |
 * | PDH_CERT_EXPORT    | `pdh.cert`, `encodePlatformChain({ pek, oca, cek: unsignedCekCert(...) })` |
 * | GET_ID             | `fuses.chipId` (64 bytes)                                             |
 * | SEND_START         | `validateSevPlatform` (SEV bit), `validateDomain` (DOMAIN bit), `sanityCheckSevCert` |
 * | platform creation  | `manufactureChip(labAmdRoot() or rogueAmdRoot(), rng)`; firmware fuses `root.trustedArk` |
 * | host operator      | `fetchCekCert` / `withSignedCek`, `root.amdChain`                     |
 */
export {
  AMD_USAGE,
  AMD_CHAIN_LENS,
  AMD_CERT_HEADER_LEN,
  AMD_KEY_BITS,
  amdCertLen,
  amdSigDigest,
  encodeAmdCert,
  decodeAmdCert,
  amdCertPublicKey,
  amdCertSignedBytes,
  amdCertSignatureValid,
  encodeAmdChain,
  decodeAmdChain,
  validateAmdChain,
  type AmdCert,
  type TrustedArk,
} from './amd-cert.js';
export { signSevCertWithAsk, verifyCekSignedByAsk, rsaSigAlgo } from './cek-cert.js';
export {
  PLATFORM_CHAIN_LEN,
  encodePlatformChain,
  decodePlatformChain,
  validateSevPlatform,
  validateDomain,
  type PlatformChain,
  type SevPlatformInput,
  type DomainInput,
} from './chain.js';
export {
  CHIP_ID_LEN,
  labAmdRoot,
  rogueAmdRoot,
  manufactureChip,
  fetchCekCert,
  withSignedCek,
  type AmdRoot,
  type ChipFuses,
} from './lab-amd-root.js';
export {
  deriveCek,
  unsignedCekCert,
  generateOca,
  generatePek,
  generatePdh,
  pekCsr,
  signPekCsr,
  pekCertImport,
  type ApiVersion,
  type PlatformKey,
  type PekImportInput,
} from './platform-keys.js';
export {
  rsaPrivateKeyFromPrimes,
  rsaPssSign,
  rsaPssVerify,
  modPow,
  type RsaPublicKey,
  type RsaPrivateKey,
} from './rsa.js';
export {
  SEV_CERT_LEN,
  SEV_CERT_BODY_LEN,
  SEV_CERT_PUBKEY_LEN,
  SEV_CERT_SIG_LEN,
  SEV_EC_PARAM_LEN,
  SEV_USAGE,
  SEV_ALGO,
  SEV_CURVE,
  encodeSevCert,
  decodeSevCert,
  sevCertBody,
  sevCertEcKey,
  newEcCert,
  emptySevSig,
  ecPubKeyArea,
  toSevLE,
  fromSevLE,
  digestOfAlgo,
  encodeEcdsaSig,
  decodeEcdsaSig,
  signSevCertEcdsa,
  findSigSlot,
  verifySevCertSignedBy,
  sanityCheckSevCert,
  sameSevCert,
  type SevCert,
  type SevCertSig,
  type NewEcCertOptions,
} from './sev-cert.js';
