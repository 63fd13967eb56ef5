/**
 * The guest owner's side (psp-script `owner` steps, reference §17.4): what a tenant's
 * tool (sev-tool, virtee/sev) does off the platform.
 *
 * - {@link buildOwnerSession}: a fresh P-384 GODH key and its certificate (usage 0x1003,
 *   ECDH_SHA256, signature slots empty — the firmware does not check them), then the
 *   session blob of §9.3 from Z = ECDH(GODH private, platform PDH). This is LAUNCH_START's
 *   `dh_cert` and `session`.
 * - {@link buildLaunchSecret}: the LAUNCH_SECRET header and ciphertext of §11, MACed over
 *   the first 32 bytes of `measure` (LAUNCH_MEASURE's MEASUREMENT).
 */
import { encodeSevCert, newEcCert, SEV_ALGO, SEV_USAGE, sanityCheckSevCert } from '../certs/sev-cert.js';
import type { RandomSource } from './bytes.js';
import { p384Ecdh, p384KeyPairFromRng } from './p384.js';
import { buildSessionBlob } from './session.js';
import { cryptoFail, type CryptoResult } from './status.js';
import { TransportKeys, type SealedPacket } from './transport.js';

/** Inputs of {@link buildOwnerSession}; byte fields are 16 bytes. */
export interface OwnerSessionInput {
  /** The platform's PDH certificate (from PDH_CERT_EXPORT). */
  pdhCert: Uint8Array;
  policy: number;
  tek: Uint8Array;
  tik: Uint8Array;
  /** Default: drawn from `rng` (after the GODH key). */
  nonce?: Uint8Array;
  /** Default: drawn from `rng` (after the nonce). */
  wrapIv?: Uint8Array;
  /** Source of the GODH key (64 bytes drawn first) and of defaulted fields. */
  rng: RandomSource;
}

/** What the guest owner hands to LAUNCH_START. */
export interface OwnerSession {
  /** The 2084-byte GODH certificate. */
  dhCert: Uint8Array;
  /** The 128-byte session blob. */
  session: Uint8Array;
  /** The GODH private scalar (kept by the owner, e.g. for a later check). */
  godhPrivateKey: Uint8Array;
}

function is16(...bs: (Uint8Array | undefined)[]): boolean {
  return bs.every((b) => b === undefined || b.length === 16);
}

/**
 * Builds GODH certificate and session. Fails with INVALID_LEN for a TEK/TIK/NONCE/WRAP_IV
 * that is not 16 bytes, or the PDH certificate's length / INVALID_CERTIFICATE for a PDH
 * certificate that fails the body check.
 */
export function buildOwnerSession(input: OwnerSessionInput): CryptoResult<OwnerSession> {
  if (!is16(input.tek, input.tik, input.nonce, input.wrapIv)) {
    return cryptoFail('INVALID_LEN', 'tek, tik, nonce and wrap_iv must be 16 bytes each');
  }
  const pdh = sanityCheckSevCert(input.pdhCert, SEV_USAGE.PDH, SEV_ALGO.ECDH_SHA256);
  if (!pdh.ok) return pdh;
  const godh = p384KeyPairFromRng(input.rng);
  const nonce = input.nonce ?? input.rng.bytes(16);
  const wrapIv = input.wrapIv ?? input.rng.bytes(16);
  const z = p384Ecdh(godh.privateKey, pdh.publicKey)!;
  const dhCert = encodeSevCert(
    newEcCert({ usage: SEV_USAGE.PDH, algo: SEV_ALGO.ECDH_SHA256, publicKey: godh.publicKey }),
  );
  const session = buildSessionBlob(z, { tek: input.tek, tik: input.tik, nonce, wrapIv }, input.policy);
  return { ok: true, dhCert, session, godhPrivateKey: godh.privateKey };
}

/** Inputs of {@link buildLaunchSecret}. */
export interface OwnerSecretInput {
  tek: Uint8Array;
  tik: Uint8Array;
  /** LAUNCH_MEASURE's output (48 bytes) or just MEASUREMENT (≥ 32 bytes; the first 32 are used). */
  measure: Uint8Array;
  /** 16-byte IV. */
  iv: Uint8Array;
  /** Header FLAGS (default 0). */
  flags?: number;
  /** The secret plaintext (a multiple of 16 bytes for the firmware to accept it). */
  data: Uint8Array;
}

/** LAUNCH_SECRET's `hdr` (52 bytes) and `trans`; INVALID_LEN for wrong key/IV/measure sizes. */
export function buildLaunchSecret(input: OwnerSecretInput): CryptoResult<SealedPacket> {
  if (!is16(input.tek, input.tik, input.iv)) return cryptoFail('INVALID_LEN', 'tek, tik and iv must be 16 bytes each');
  if (input.measure.length < 32) return cryptoFail('INVALID_LEN', 'measure must hold the 32-byte MEASUREMENT');
  const keys = new TransportKeys(input.tek, input.tik);
  const sealed = keys.sealSecret(input.data, input.iv, input.measure, input.flags ?? 0);
  return { ok: true, ...sealed };
}
