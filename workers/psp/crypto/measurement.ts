/**
 * The launch measurement of reference §11 (LAUNCH_MEASURE, LUPDATE → LSECRET):
 *
 *   MEASUREMENT = HMAC-SHA-256(TIK, 0x04 ‖ api_major ‖ api_minor ‖ build ‖ policy u32 LE
 *                              ‖ launch digest[32] ‖ MNONCE[16])
 *
 * and the 48-byte output MEASUREMENT ‖ MNONCE. The launch digest is the running SHA-256
 * of every plaintext LAUNCH_UPDATE_DATA/VMSA fed (see {@link LaunchDigest}). The same
 * computation serves the firmware (producing) and the guest owner (checking).
 */
import { bytesEqual, writeU32LE } from './bytes.js';
import { createSha256, hmacSha256, type Sha256Stream } from './hash.js';
import { CHANNEL_CTX } from './transport.js';

/** Size of LAUNCH_MEASURE's output (§5). */
export const MEASURE_BLOB_LEN = 48;
/** Size of MNONCE. */
export const MNONCE_LEN = 16;

/** What the measurement covers. */
export interface MeasurementInput {
  apiMajor: number;
  apiMinor: number;
  build: number;
  policy: number;
  /** The 32-byte launch digest (SHA-256 of the launched plaintext). */
  digest: Uint8Array;
  /** The 16-byte MNONCE. */
  mnonce: Uint8Array;
}

/** The message the measurement HMAC covers (4 + 4 + 32 + 16 = 56 bytes). */
export function measurementMessage(m: MeasurementInput): Uint8Array {
  if (m.digest.length !== 32 || m.mnonce.length !== MNONCE_LEN) throw new RangeError('digest 32 B, mnonce 16 B');
  const msg = new Uint8Array(56);
  msg[0] = CHANNEL_CTX.MEASURE;
  msg[1] = m.apiMajor & 0xff;
  msg[2] = m.apiMinor & 0xff;
  msg[3] = m.build & 0xff;
  writeU32LE(msg, 4, m.policy >>> 0);
  msg.set(m.digest, 8);
  msg.set(m.mnonce, 40);
  return msg;
}

/** MEASUREMENT (32 bytes) under `tik` (§11). */
export function launchMeasurement(tik: Uint8Array, m: MeasurementInput): Uint8Array {
  return hmacSha256(tik, measurementMessage(m));
}

/** LAUNCH_MEASURE's 48-byte output: MEASUREMENT ‖ MNONCE. */
export function launchMeasureBlob(tik: Uint8Array, m: MeasurementInput): Uint8Array {
  const out = new Uint8Array(MEASURE_BLOB_LEN);
  out.set(launchMeasurement(tik, m));
  out.set(m.mnonce, 32);
  return out;
}

/**
 * The guest owner's check of a LAUNCH_MEASURE output: recomputes MEASUREMENT from the
 * expected digest and the blob's MNONCE. True when it matches.
 */
export function verifyLaunchMeasureBlob(
  tik: Uint8Array,
  blob: Uint8Array,
  expected: Omit<MeasurementInput, 'mnonce'>,
): boolean {
  if (blob.length < MEASURE_BLOB_LEN) return false;
  const mnonce = blob.subarray(32, 48);
  return bytesEqual(launchMeasurement(tik, { ...expected, mnonce }), blob.subarray(0, 32));
}

/** The running launch digest GCTX.LD (§11): SHA-256 over the plaintext of every LAUNCH_UPDATE_*. */
export class LaunchDigest {
  private stream: Sha256Stream = createSha256();

  /** Feeds plaintext (before it is encrypted in place). */
  update(plaintext: Uint8Array): void {
    this.stream.update(plaintext);
  }

  /** The digest so far (32 bytes); the stream continues. */
  digest(): Uint8Array {
    return this.stream.digest();
  }

  /** Starts over (LAUNCH_FINISH wipes the digest, §11). */
  reset(): void {
    this.stream = createSha256();
  }
}
