/**
 * What every modelled ioctl returns: success (with a value for reads) or the errno the
 * kernel gives, plus the rule that fired and a sentence saying why, so the editor can
 * explain a failure without re-deriving it (reference §2–§7 name the rules).
 */
import type { ErrnoName } from '../uapi.js';

/** A successful ioctl; `value` is what a read put in the user buffer. */
export interface KvmOk {
  ok: true;
  value?: bigint;
}

/** A failed ioctl: the errno userspace sees and why. */
export interface KvmErr {
  ok: false;
  errno: ErrnoName;
  /** A stable id of the rule that failed (e.g. `region-overlap`), for tests and UIs. */
  rule: string;
  /** One user-facing sentence naming the rule and the addresses involved. */
  message: string;
}

/** The outcome of one ioctl. */
export type KvmResult = KvmOk | KvmErr;

/** Success without a value. */
export const OK: KvmOk = Object.freeze({ ok: true });

/** A failure with its errno, rule id and explanation. */
export function fail(errno: ErrnoName, rule: string, message: string): KvmErr {
  return { ok: false, errno, rule, message };
}

/** Success carrying the value a read returns. */
export function okValue(value: bigint): KvmOk {
  return { ok: true, value };
}
