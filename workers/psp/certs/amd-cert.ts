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
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, bytesToBigIntBE, readU32LE, reverseBytes, writeU32LE } from '../crypto/bytes.js';
import type { SevDigest } from '../crypto/p384.js';
import { cryptoFail, type CryptoResult } from '../crypto/status.js';
import { rsaPssVerify, type RsaPublicKey } from './rsa.js';

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
  const expLen = c.pubExpBits / 8;
  const modLen = c.modulusBits / 8;
  const b = new Uint8Array(AMD_CERT_HEADER_LEN + expLen + modLen + c.signature.length);
  writeU32LE(b, 0x00, c.version);
  b.set(c.keyId.subarray(0, 16), 0x04);
  b.set(c.certifyingId.subarray(0, 16), 0x14);
  writeU32LE(b, 0x24, c.keyUsage);
  writeU32LE(b, 0x38, c.pubExpBits);
  writeU32LE(b, 0x3c, c.modulusBits);
  b.set(c.pubExp.subarray(0, expLen), AMD_CERT_HEADER_LEN);
  b.set(c.modulus.subarray(0, modLen), AMD_CERT_HEADER_LEN + expLen);
  b.set(c.signature, AMD_CERT_HEADER_LEN + expLen + modLen);
  return b;
}

function validBits(bits: number): boolean {
  return (AMD_KEY_BITS as readonly number[]).includes(bits);
}

/**
 * Parses one AMD certificate whose signer has `signerBits` (for a self-signed ARK, pass
 * undefined: its own size is used). INVALID_CERTIFICATE for a bad version or key size,
 * INVALID_LEN if `bytes` is not exactly the size the header implies.
 */
export function decodeAmdCert(bytes: Uint8Array, signerBits?: number): CryptoResult<{ cert: AmdCert }> {
  if (bytes.length < AMD_CERT_HEADER_LEN) return cryptoFail('INVALID_LEN', 'AMD certificate shorter than its header');
  const version = readU32LE(bytes, 0x00);
  if (version !== 1) return cryptoFail('INVALID_CERTIFICATE', `AMD certificate version ${version}, expected 1`);
  const pubExpBits = readU32LE(bytes, 0x38);
  const modulusBits = readU32LE(bytes, 0x3c);
  const sigBits = signerBits ?? modulusBits;
  if (!validBits(modulusBits) || !validBits(sigBits) || pubExpBits !== modulusBits) {
    return cryptoFail('INVALID_CERTIFICATE', `unsupported AMD key size ${modulusBits}/${pubExpBits}/${sigBits}`);
  }
  const expEnd = AMD_CERT_HEADER_LEN + pubExpBits / 8;
  const modEnd = expEnd + modulusBits / 8;
  if (bytes.length !== modEnd + sigBits / 8) {
    return cryptoFail('INVALID_LEN', `AMD certificate is ${bytes.length} bytes, header implies ${modEnd + sigBits / 8}`);
  }
  const cert: AmdCert = {
    version,
    keyId: bytes.slice(0x04, 0x14),
    certifyingId: bytes.slice(0x14, 0x24),
    keyUsage: readU32LE(bytes, 0x24),
    pubExpBits,
    modulusBits,
    pubExp: bytes.slice(AMD_CERT_HEADER_LEN, expEnd),
    modulus: bytes.slice(expEnd, modEnd),
    signature: bytes.slice(modEnd),
  };
  return { ok: true, cert };
}

/** The RSA public key of an AMD certificate. */
export function amdCertPublicKey(c: AmdCert): RsaPublicKey {
  return { n: bytesToBigIntBE(reverseBytes(c.modulus)), e: bytesToBigIntBE(reverseBytes(c.pubExp)), bits: c.modulusBits };
}

/** The bytes an AMD certificate's signature covers (everything before the signature). */
export function amdCertSignedBytes(c: AmdCert): Uint8Array {
  const all = encodeAmdCert(c);
  return all.subarray(0, all.length - c.signature.length);
}

/** True when `c`'s signature (RSASSA-PSS, stored little-endian) verifies under `signer`'s key. */
export function amdCertSignatureValid(c: AmdCert, signer: AmdCert): boolean {
  if (c.signature.length !== signer.modulusBits / 8) return false;
  const key = amdCertPublicKey(signer);
  return rsaPssVerify(key, amdCertSignedBytes(c), reverseBytes(c.signature), amdSigDigest(signer.modulusBits));
}

/** The AMD chain blob: ASK certificate then ARK certificate. */
export function encodeAmdChain(ask: Uint8Array, ark: Uint8Array): Uint8Array {
  const out = new Uint8Array(ask.length + ark.length);
  out.set(ask);
  out.set(ark, ask.length);
  return out;
}

/** Splits and parses an AMD chain blob (INVALID_LEN for a length not in {@link AMD_CHAIN_LENS}). */
export function decodeAmdChain(blob: Uint8Array): CryptoResult<{ ask: AmdCert; ark: AmdCert; arkBytes: Uint8Array }> {
  if (!AMD_CHAIN_LENS.includes(blob.length)) {
    return cryptoFail('INVALID_LEN', `AMD chain is ${blob.length} bytes, not one of ${AMD_CHAIN_LENS.join('/')}`);
  }
  if (blob.length < AMD_CERT_HEADER_LEN) return cryptoFail('INVALID_LEN', 'AMD chain too short');
  // The ASK's own size is in its header; the ARK follows and is self-signed.
  const askBits = readU32LE(blob, 0x3c);
  const askExpBits = readU32LE(blob, 0x38);
  if (!validBits(askBits) || askExpBits !== askBits) return cryptoFail('INVALID_CERTIFICATE', 'ASK key size not supported');
  for (const arkBits of AMD_KEY_BITS) {
    const askLen = amdCertLen(askBits, arkBits);
    if (askLen + amdCertLen(arkBits, arkBits) !== blob.length) continue;
    const arkBytes = blob.slice(askLen);
    const ark = decodeAmdCert(arkBytes);
    if (!ark.ok) return ark;
    const ask = decodeAmdCert(blob.subarray(0, askLen), ark.cert.modulusBits);
    if (!ask.ok) return ask;
    return { ok: true, ask: ask.cert, ark: ark.cert, arkBytes };
  }
  return cryptoFail('INVALID_LEN', 'AMD chain length does not match the ASK key size');
}

/**
 * The firmware's AMD chain check (SEND_START with the SEV policy bit, §7): length
 * (INVALID_LEN); ARK key_id and hash equal to the fused {@link TrustedArk}, usage ARK,
 * self-signed (INVALID_CERTIFICATE / BAD_SIGNATURE); ASK usage, certifying_id = ARK
 * key_id (INVALID_CERTIFICATE) and signature (BAD_SIGNATURE).
 */
export function validateAmdChain(blob: Uint8Array, trusted: TrustedArk): CryptoResult<{ ask: AmdCert; ark: AmdCert }> {
  const d = decodeAmdChain(blob);
  if (!d.ok) return d;
  const { ask, ark, arkBytes } = d;
  if (!bytesEqual(ark.keyId, trusted.keyId) || !bytesEqual(sha256(arkBytes), trusted.sha256)) {
    return cryptoFail('INVALID_CERTIFICATE', 'ARK is not the AMD root this firmware trusts');
  }
  if (ark.keyUsage !== AMD_USAGE.ARK || !bytesEqual(ark.certifyingId, ark.keyId)) {
    return cryptoFail('INVALID_CERTIFICATE', 'ARK usage or certifying id wrong');
  }
  if (!amdCertSignatureValid(ark, ark)) return cryptoFail('BAD_SIGNATURE', 'ARK self-signature does not verify');
  if (ask.keyUsage !== AMD_USAGE.ASK || !bytesEqual(ask.certifyingId, ark.keyId)) {
    return cryptoFail('INVALID_CERTIFICATE', 'ASK usage wrong or not certified by this ARK');
  }
  if (!amdCertSignatureValid(ask, ark)) return cryptoFail('BAD_SIGNATURE', 'ASK signature by the ARK does not verify');
  return { ok: true, ask, ark };
}
