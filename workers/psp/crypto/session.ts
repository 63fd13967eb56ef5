/**
 * The 128-byte session blob of reference §9.3, both sides:
 *
 * | off  | field      | content                                              |
 * |------|------------|------------------------------------------------------|
 * | 0x00 | NONCE      | KDF context of the master secret                     |
 * | 0x10 | WRAP_TK    | AES-128-CTR(KEK, counter = WRAP_IV) of TEK ‖ TIK     |
 * | 0x30 | WRAP_IV    | initial counter block                                |
 * | 0x40 | WRAP_MAC   | HMAC-SHA-256(KIK, WRAP_TK) — over the ciphertext     |
 * | 0x60 | POLICY_MAC | HMAC-SHA-256(**TIK**, policy u32 LE)                 |
 *
 * Building is the guest owner's job for LAUNCH_START and the source firmware's for
 * SEND_START. Opening is the firmware's job in LAUNCH_START / RECEIVE_START, in the
 * firmware's order: length, keys from Z and NONCE, WRAP_MAC *before* unwrapping, unwrap,
 * POLICY_MAC over the policy of the command buffer. Every MAC mismatch is BAD_MEASUREMENT.
 * The policy *rules* (API version, reserved bits, key sharing; §7) come after and belong
 * to the firmware.
 */
import { Aes128Key } from './aes.js';
import { u32LE } from './bytes.js';
import { HmacSha256Key, hmacSha256 } from './hash.js';
import { deriveSessionKeys } from './kdf.js';
import { cryptoFail, type CryptoResult } from './status.js';

/** Size of the session blob (§9.3). */
export const SESSION_BLOB_LEN = 128;

/** Offsets of the session blob's fields (§9.3). */
export const SESSION_OFFSET = { NONCE: 0x00, WRAP_TK: 0x10, WRAP_IV: 0x30, WRAP_MAC: 0x40, POLICY_MAC: 0x60 } as const;

/** The fields of a session blob (views into the blob for {@link parseSessionBlob}). */
export interface SessionBlobFields {
  nonce: Uint8Array;
  wrapTk: Uint8Array;
  wrapIv: Uint8Array;
  wrapMac: Uint8Array;
  policyMac: Uint8Array;
}

/** What a session carries and is built from. All byte fields are 16 bytes. */
export interface SessionSecrets {
  /** Transport encryption key. */
  tek: Uint8Array;
  /** Transport integrity key. */
  tik: Uint8Array;
  nonce: Uint8Array;
  wrapIv: Uint8Array;
}

/** Splits a 128-byte blob into its fields (subarray views); undefined for another length. */
export function parseSessionBlob(blob: Uint8Array): SessionBlobFields | undefined {
  if (blob.length !== SESSION_BLOB_LEN) return undefined;
  const f = (off: number, len: number): Uint8Array => blob.subarray(off, off + len);
  return {
    nonce: f(SESSION_OFFSET.NONCE, 16),
    wrapTk: f(SESSION_OFFSET.WRAP_TK, 32),
    wrapIv: f(SESSION_OFFSET.WRAP_IV, 16),
    wrapMac: f(SESSION_OFFSET.WRAP_MAC, 32),
    policyMac: f(SESSION_OFFSET.POLICY_MAC, 32),
  };
}

/** POLICY_MAC = HMAC-SHA-256(TIK, policy as u32 LE) (§9.3; the key is TIK, not KIK). */
export function policyMac(tik: Uint8Array, policy: number): Uint8Array {
  return hmacSha256(tik, u32LE(policy >>> 0));
}

function check16(name: string, b: Uint8Array): void {
  if (b.length !== 16) throw new RangeError(`${name} must be 16 bytes, got ${b.length}`);
}

/**
 * Builds the 128-byte session blob from the ECDH secret `z` (§9.1: 48 bytes; any length
 * is accepted, as the §15 test vectors feed 16) and the secrets (§9.3).
 */
export function buildSessionBlob(z: Uint8Array, secrets: SessionSecrets, policy: number): Uint8Array {
  const { tek, tik, nonce, wrapIv } = secrets;
  check16('TEK', tek);
  check16('TIK', tik);
  check16('NONCE', nonce);
  check16('WRAP_IV', wrapIv);
  const keys = deriveSessionKeys(z, nonce);
  const blob = new Uint8Array(SESSION_BLOB_LEN);
  const f = parseSessionBlob(blob)!;
  f.nonce.set(nonce);
  f.wrapIv.set(wrapIv);
  f.wrapTk.set(tek);
  f.wrapTk.set(tik, 16);
  new Aes128Key(keys.kek).ctr(wrapIv, f.wrapTk);
  new HmacSha256Key(keys.kik).macInto(f.wrapMac, f.wrapTk);
  f.policyMac.set(policyMac(tik, policy));
  return blob;
}

/** TEK and TIK recovered from a session blob. */
export interface OpenedSession {
  tek: Uint8Array;
  tik: Uint8Array;
}

/**
 * Opens a session blob the way the firmware does (§9.3 steps 1, 3–6): INVALID_LEN unless
 * 128 bytes; derive keys from `z` and NONCE; WRAP_MAC under KIK (BAD_MEASUREMENT, nothing
 * unwrapped); unwrap TEK‖TIK under KEK; POLICY_MAC under TIK over `policy`, the policy of
 * the command buffer (BAD_MEASUREMENT). The peer certificate check (step 2) is the
 * caller's — see `openSessionChannel` in channel.ts for the whole sequence.
 */
export function openSessionBlob(z: Uint8Array, session: Uint8Array, policy: number): CryptoResult<OpenedSession> {
  const f = parseSessionBlob(session);
  if (!f) return cryptoFail('INVALID_LEN', `session is ${session.length} bytes, must be ${SESSION_BLOB_LEN}`);
  const keys = deriveSessionKeys(z, f.nonce);
  if (!new HmacSha256Key(keys.kik).verify(f.wrapMac, f.wrapTk)) {
    return cryptoFail('BAD_MEASUREMENT', 'WRAP_MAC does not verify (wrong PDH, NONCE or WRAP_TK)');
  }
  const tk = new Aes128Key(keys.kek).ctr(f.wrapIv, f.wrapTk, new Uint8Array(32));
  const tek = tk.slice(0, 16);
  const tik = tk.slice(16, 32);
  tk.fill(0);
  if (!new HmacSha256Key(tik).verify(f.policyMac, u32LE(policy >>> 0))) {
    return cryptoFail('BAD_MEASUREMENT', 'POLICY_MAC does not verify for the given policy');
  }
  return { ok: true, tek, tik };
}
