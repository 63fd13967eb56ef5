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
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { bigIntToBytesBE, reverseBytes, type RandomSource } from '../crypto/bytes.js';
import { hmacSha256 } from '../crypto/hash.js';
import { cryptoFail, type CryptoResult } from '../crypto/status.js';
import { amdCertSignedBytes, amdSigDigest, AMD_USAGE, encodeAmdCert, encodeAmdChain, type AmdCert, type TrustedArk } from './amd-cert.js';
import { signSevCertWithAsk } from './cek-cert.js';
import { decodePlatformChain, encodePlatformChain } from './chain.js';
import { LAB_AMD_KEYS } from './lab-amd-keys.js';
import { deriveCek } from './platform-keys.js';
import { rsaPrivateKeyFromPrimes, rsaPssSign, type RsaPrivateKey } from './rsa.js';
import { encodeSevCert, newEcCert, SEV_ALGO, SEV_USAGE } from './sev-cert.js';

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

const roots = new Map<string, AmdRoot>();

/** A deterministic PSS salt for a lab signature ([U]: AMD's real salts are random). */
function labSalt(label: string, data: Uint8Array, bits: number): Uint8Array {
  const h = amdSigDigest(bits) === 'sha384' ? sha384 : sha256;
  const tag = utf8ToBytes(`kvm-lab/amd-salt/${label}`);
  const msg = new Uint8Array(tag.length + data.length);
  msg.set(tag);
  msg.set(data, tag.length);
  return h(msg);
}

/** An AMD certificate for `key`, certified by `signerId` and signed with `signer`. */
function makeAmdCert(key: RsaPrivateKey, keyId: Uint8Array, usage: number, signerId: Uint8Array, signer: RsaPrivateKey): Uint8Array {
  const len = key.bits / 8;
  const cert: AmdCert = {
    version: 1,
    keyId,
    certifyingId: signerId,
    keyUsage: usage,
    pubExpBits: key.bits,
    modulusBits: key.bits,
    pubExp: reverseBytes(bigIntToBytesBE(key.e, len)),
    modulus: reverseBytes(bigIntToBytesBE(key.n, len)),
    signature: new Uint8Array(signer.bits / 8),
  };
  const signed = amdCertSignedBytes(cert);
  const sig = rsaPssSign(signer, signed, amdSigDigest(signer.bits), labSalt('cert', signed, signer.bits));
  return encodeAmdCert({ ...cert, signature: reverseBytes(sig) });
}

function buildRoot(name: 'lab-amd' | 'rogue-amd'): AmdRoot {
  const f = LAB_AMD_KEYS[name];
  const big = (hex: string): bigint => BigInt(`0x${hex}`);
  const arkKey = rsaPrivateKeyFromPrimes(big(f.arkP), big(f.arkQ));
  const askKey = rsaPrivateKeyFromPrimes(big(f.askP), big(f.askQ));
  const arkId = hexToBytes(f.arkKeyId);
  const arkCert = makeAmdCert(arkKey, arkId, AMD_USAGE.ARK, arkId, arkKey);
  const askCert = makeAmdCert(askKey, hexToBytes(f.askKeyId), AMD_USAGE.ASK, arkId, arkKey);
  return {
    name,
    arkCert,
    askCert,
    amdChain: encodeAmdChain(askCert, arkCert),
    trustedArk: { keyId: arkId, sha256: sha256(arkCert) },
    askKey,
    manufacturingKey: hexToBytes(f.manufacturingKey),
  };
}

function root(name: 'lab-amd' | 'rogue-amd'): AmdRoot {
  let r = roots.get(name);
  if (!r) {
    r = buildRoot(name);
    roots.set(name, r);
  }
  return r;
}

/** The genuine lab AMD root (built once, cached). */
export function labAmdRoot(): AmdRoot {
  return root('lab-amd');
}

/** A rogue root whose chips do not chain to the genuine ARK (built once, cached). */
export function rogueAmdRoot(): AmdRoot {
  return root('rogue-amd');
}

function chipSecretOf(root: AmdRoot, chipId: Uint8Array): Uint8Array {
  return hmacSha256(root.manufacturingKey, utf8ToBytes('kvm-lab/chip-secret'), chipId);
}

/** Makes a chip of `root`: a random ID from `rng` and its unique secret. */
export function manufactureChip(root: AmdRoot, rng: RandomSource): ChipFuses {
  const chipId = rng.bytes(CHIP_ID_LEN);
  return { chipId, chipSecret: chipSecretOf(root, chipId) };
}

/**
 * The key server: the ASK-signed CEK certificate (2084 bytes, signature in slot 1) of
 * the chip `chipId` of `root`. INVALID_LEN for an ID that is not 64 bytes. The
 * certificate's api fields are 0.0 ([U]: the CEK is not made by a firmware version).
 */
export function fetchCekCert(root: AmdRoot, chipId: Uint8Array): CryptoResult<{ cekCert: Uint8Array }> {
  if (chipId.length !== CHIP_ID_LEN) return cryptoFail('INVALID_LEN', `chip id is ${chipId.length} bytes, must be 64`);
  const cek = deriveCek(chipSecretOf(root, chipId));
  const body = newEcCert({ usage: SEV_USAGE.CEK, algo: SEV_ALGO.ECDSA_SHA256, publicKey: cek.publicKey });
  const signed = signSevCertWithAsk(body, 1, root.askKey, labSalt('cek', chipId, root.askKey.bits));
  return { ok: true, cekCert: encodeSevCert(signed) };
}

/**
 * A platform chain with its unsigned CEK replaced by the key server's signed one, i.e.
 * what a host operator sends to the source for a SEV-bit policy (§8.1, §14.8).
 */
export function withSignedCek(root: AmdRoot, chipId: Uint8Array, platCerts: Uint8Array): CryptoResult<{ platCerts: Uint8Array }> {
  const chain = decodePlatformChain(platCerts);
  if (!chain.ok) return chain;
  const cek = fetchCekCert(root, chipId);
  if (!cek.ok) return cek;
  return { ok: true, platCerts: encodePlatformChain({ ...chain.chain, cek: cek.cekCert }) };
}
