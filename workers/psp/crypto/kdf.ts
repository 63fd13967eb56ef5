/**
 * The SEV key derivation function of reference §9.2: NIST SP 800-108 in counter mode
 * with HMAC-SHA-256 as the PRF. Block i = HMAC(key_in, i u32 LE ‖ label ‖ 0x00 ‖ context
 * ‖ L u32 LE), where L is the output length in *bits*; the blocks are concatenated and
 * cut to length. Labels are ASCII without a terminating NUL (the 0x00 is the separator).
 * Used for the master secret, KEK and KIK of the session (§9.2) and, as a lab choice,
 * for the chip-unique CEK (§8.1, certs/platform-keys.ts).
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { u32LE } from './bytes.js';
import { HmacSha256Key, SHA256_LEN } from './hash.js';

/** The KDF labels of reference §9.2 (and §8.1 for the CEK). */
export const KDF_LABEL = {
  MASTER_SECRET: 'sev-master-secret',
  KEK: 'sev-kek',
  KIK: 'sev-kik',
  CHIP_ENDORSEMENT_KEY: 'sev-chip-endorsement-key',
} as const;

/** Derives `outLen` bytes from `keyIn` with `label` (ASCII) and `context` (§9.2). */
export function sevKdf(keyIn: Uint8Array, label: string, context: Uint8Array, outLen: number): Uint8Array {
  if (!Number.isInteger(outLen) || outLen <= 0) throw new RangeError(`bad KDF output length ${outLen}`);
  const prf = new HmacSha256Key(keyIn);
  const fixed = [utf8ToBytes(label), new Uint8Array(1), context, u32LE(outLen * 8)];
  const out = new Uint8Array(Math.ceil(outLen / SHA256_LEN) * SHA256_LEN);
  for (let i = 1, off = 0; off < outLen; i++, off += SHA256_LEN) {
    prf.macInto(out.subarray(off, off + SHA256_LEN), u32LE(i), ...fixed);
  }
  return out.slice(0, outLen);
}

/** The three 16-byte keys of a session (§9.2). */
export interface SessionKeys {
  /** Master secret: KDF(Z, "sev-master-secret", NONCE). */
  master: Uint8Array;
  /** Key encryption key: KDF(master, "sev-kek", empty); wraps TEK‖TIK. */
  kek: Uint8Array;
  /** Key integrity key: KDF(master, "sev-kik", empty); keys WRAP_MAC. */
  kik: Uint8Array;
}

/** Derives master, KEK and KIK from the ECDH secret `z` and the session `nonce` (§9.2). */
export function deriveSessionKeys(z: Uint8Array, nonce: Uint8Array): SessionKeys {
  const master = sevKdf(z, KDF_LABEL.MASTER_SECRET, nonce, 16);
  const empty = new Uint8Array(0);
  return {
    master,
    kek: sevKdf(master, KDF_LABEL.KEK, empty, 16),
    kik: sevKdf(master, KDF_LABEL.KIK, empty, 16),
  };
}
