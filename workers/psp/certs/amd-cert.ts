/**
 * The AMD root certificates ARK (AMD Root Key) and ASK (AMD SEV Key) and the AMD chain
 * blob of SEND_START's `amd_certs` (reference §5 "AMD chain", §8.1). These are not SEV
 * certificates: they have their own format and RSA keys. Reference §8 does not lay the
 * format out; this follows the layout of the SEV API spec's appendix as sev-tool and
 * other public tools transcribe it ([I]):
 *
 * | off  | field                                                        |
 * |------|--------------------------------------------------------------|
 * | 0x00 | version u32 (= 1)                                            |
 * | 0x04 | key_id[16]                                                   |
 * | 0x14 | certifying_id[16] (the signer's key_id; ARK: its own)        |
 * | 0x24 | key_usage u32 (ARK 0x0000, ASK 0x0013)                       |
 * | 0x28 | reserved[16]                                                 |
 * | 0x38 | pub_exp_size u32 (bits), 0x3C modulus_size u32 (bits)        |
 * | 0x40 | pub_exp (pub_exp_size/8 B, LE), modulus (modulus_size/8, LE) |
 * |      | signature (signer's modulus size, LE), RSASSA-PSS            |
 *
 * [U] lab choices: pub_exp_size = modulus_size (AMD's published certs pad the exponent
 * to the modulus size); the signature is RSASSA-PSS with SHA-256 for a 2048-bit signer
 * and SHA-384 for a 4096-bit signer, salt length = hash length, over every byte before the
 * signature. The chain blob is ASK then ARK; its length must be one of the four sizes the
 * 2048/4096-bit combinations give ({@link AMD_CHAIN_LENS}), else INVALID_LEN.
 * [U] the firmware's fused ARK check ("key id and hash", §8.1) is modelled as
 * {@link TrustedArk}: key_id plus SHA-256 of the whole ARK certificate.
 */
import type { SevDigest } from '../crypto/p384.js';
import type { CryptoResult } from '../crypto/status.js';
import type { RsaPublicKey } from './rsa.js';

/** key_usage codes of AMD certificates (§8.1). */
export const AMD_USAGE = { ARK: 0x0000, ASK: 0x0013 } as const;
/** Size of the fixed header (through modulus_size). */
export const AMD_CERT_HEADER_LEN = 0x40;
/** Key sizes the firmware accepts. */
export const AMD_KEY_BITS = [2048, 4096] as const;

/** A decoded AMD certificate. Integers are kept as the little-endian bytes stored. */
export interface AmdCert {
  version: number;
  keyId: Uint8Array;
  certifyingId: Uint8Array;
  keyUsage: number;
  pubExpBits: number;
  modulusBits: number;
  pubExp: Uint8Array;
  modulus: Uint8Array;
  signature: Uint8Array;
}

/** What the firmware has fused in about the genuine ARK. */
export interface TrustedArk {
  keyId: Uint8Array;
  /** SHA-256 of the whole ARK certificate. */
  sha256: Uint8Array;
}

/** Byte length of a certificate for a `keyBits` key signed by a `signerBits` key. */
export function amdCertLen(keyBits: number, signerBits: number): number {
  return AMD_CERT_HEADER_LEN + (2 * keyBits) / 8 + signerBits / 8;
}

/** The four accepted AMD chain lengths (ASK bits × ARK bits, ASK signed by ARK, ARK self-signed). */
export const AMD_CHAIN_LENS: readonly number[] = AMD_KEY_BITS.flatMap((ask) =>
  AMD_KEY_BITS.map((ark) => amdCertLen(ask, ark) + amdCertLen(ark, ark)),
);

/** The digest used by a signer of `bits` ([U]: SHA-256 for 2048, SHA-384 for 4096). */
export function amdSigDigest(bits: number): SevDigest {
  return bits >= 4096 ? 'sha384' : 'sha256';
}

/** Serialises `c`. */
export function encodeAmdCert(c: AmdCert): Uint8Array {
  void c;
  throw new Error('not implemented yet');
}

/**
 * Parses one AMD certificate whose signer has `signerBits` (for a self-signed ARK, pass
 * undefined: its own size is used). INVALID_CERTIFICATE for a bad version or key size,
 * INVALID_LEN if `bytes` is not exactly the size the header implies.
 */
export function decodeAmdCert(bytes: Uint8Array, signerBits?: number): CryptoResult<{ cert: AmdCert }> {
  void bytes;
  void signerBits;
  throw new Error('not implemented yet');
}

/** The RSA public key of an AMD certificate. */
export function amdCertPublicKey(c: AmdCert): RsaPublicKey {
  void c;
  throw new Error('not implemented yet');
}

/** The bytes an AMD certificate's signature covers (everything before the signature). */
export function amdCertSignedBytes(c: AmdCert): Uint8Array {
  void c;
  throw new Error('not implemented yet');
}

/** True when `c`'s signature verifies under `signer`'s key. */
export function amdCertSignatureValid(c: AmdCert, signer: AmdCert): boolean {
  void c;
  void signer;
  throw new Error('not implemented yet');
}

/** The AMD chain blob: ASK certificate then ARK certificate. */
export function encodeAmdChain(ask: Uint8Array, ark: Uint8Array): Uint8Array {
  void ask;
  void ark;
  throw new Error('not implemented yet');
}

/** Splits and parses an AMD chain blob (INVALID_LEN for a length not in {@link AMD_CHAIN_LENS}). */
export function decodeAmdChain(blob: Uint8Array): CryptoResult<{ ask: AmdCert; ark: AmdCert; arkBytes: Uint8Array }> {
  void blob;
  throw new Error('not implemented yet');
}

/**
 * The firmware's AMD chain check (SEND_START with the SEV policy bit, §7): length
 * (INVALID_LEN); ARK key_id and hash equal to the fused {@link TrustedArk}, usage ARK,
 * self-signed (INVALID_CERTIFICATE / BAD_SIGNATURE); ASK usage, certifying_id = ARK
 * key_id (INVALID_CERTIFICATE) and signature (BAD_SIGNATURE).
 */
export function validateAmdChain(blob: Uint8Array, trusted: TrustedArk): CryptoResult<{ ask: AmdCert; ark: AmdCert }> {
  void blob;
  void trusted;
  throw new Error('not implemented yet');
}
