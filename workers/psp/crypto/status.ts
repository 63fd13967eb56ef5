/**
 * Failure results of the PSP crypto and certificate layer, named by the firmware status
 * each failure turns into (Linux names of reference §6), so a command handler can return
 * `result.status` unchanged. Crypto code never throws for bad *input* bytes (a forged
 * packet, a malformed certificate): it returns one of these. It throws only for
 * programming errors (a 15-byte key, an unaligned range), which the firmware's own
 * argument checks must have ruled out first.
 */

/** The firmware statuses (reference §6) that crypto and certificate checks can produce. */
export type CryptoStatus =
  | 'INVALID_LEN'
  | 'INVALID_CERTIFICATE'
  | 'BAD_SIGNATURE'
  | 'BAD_MEASUREMENT'
  | 'UNSUPPORTED'
  | 'POLICY_FAILURE';

/** Numeric value of each {@link CryptoStatus} (reference §6). */
export const CRYPTO_STATUS_CODE: Readonly<Record<CryptoStatus, number>> = {
  INVALID_LEN: 0x04,
  INVALID_CERTIFICATE: 0x06,
  POLICY_FAILURE: 0x07,
  BAD_SIGNATURE: 0x0a,
  BAD_MEASUREMENT: 0x0b,
  UNSUPPORTED: 0x15,
};

/** A failed check: the status the firmware returns and a one-line reason for the event log. */
export interface CryptoFailure {
  ok: false;
  status: CryptoStatus;
  reason: string;
}

/** Either `{ ok: true, ...value }` or a {@link CryptoFailure}. */
export type CryptoResult<T extends object = object> = ({ ok: true } & T) | CryptoFailure;

/** Builds a {@link CryptoFailure}. */
export function cryptoFail(status: CryptoStatus, reason: string): CryptoFailure {
  return { ok: false, status, reason };
}
