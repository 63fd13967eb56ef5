/**
 * SHA-256 and HMAC-SHA-256 for the PSP model (@noble/hashes). Every MAC of the SEV
 * channel is HMAC-SHA-256 (§9.2 KDF, §9.3 WRAP_MAC/POLICY_MAC, §10.1 packet MAC, §11
 * measurement and secret MAC); the launch digest is a running SHA-256 (§11).
 *
 * {@link HmacSha256Key} keeps noble's keyed HMAC state (inner and outer hash after the
 * key block) and clones it into a reused working state per MAC, so a TIK that MACs
 * thousands of packets is hashed into the pads once.
 */
import { hmac, type _HMAC } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256, type _SHA256 } from '@noble/hashes/sha2.js';
import { bytesEqual } from './bytes.js';

/** SHA-256 and HMAC-SHA-256 output size in bytes. */
export const SHA256_LEN = 32;

/** SHA-256 of the concatenation of `parts`. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = nobleSha256.create();
  for (const p of parts) h.update(p);
  return h.digest();
}

/** An incremental SHA-256 (e.g. the launch digest GCTX.LD, §11). */
export interface Sha256Stream {
  /** Feeds `data`; returns the same stream. */
  update(data: Uint8Array): Sha256Stream;
  /** The digest of everything fed so far; the stream itself is left unchanged. */
  digest(): Uint8Array;
}

/** A new, empty {@link Sha256Stream}. */
export function createSha256(): Sha256Stream {
  const h = nobleSha256.create();
  const stream: Sha256Stream = {
    update(data) {
      h.update(data);
      return stream;
    },
    digest: () => h.clone().digest(),
  };
  return stream;
}

type KeyedHmac = _HMAC<_SHA256>;

/** An HMAC-SHA-256 key with its keyed state precomputed; reuse it for every MAC under that key. */
export class HmacSha256Key {
  private readonly keyed: KeyedHmac;
  private work: KeyedHmac | undefined;

  /** Keys the state with `key` (any length, as HMAC allows; the SEV keys are 16 bytes). */
  constructor(key: Uint8Array) {
    this.keyed = hmac.create(nobleSha256, key) as KeyedHmac;
  }

  /** HMAC of the concatenation of `parts`, into `out` (32 bytes, default: new). Returns `out`. */
  macInto(out: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
    const w = this.keyed._cloneInto(this.work);
    this.work = w;
    for (const p of parts) w.update(p);
    w.digestInto(out);
    return out;
  }

  /** HMAC of the concatenation of `parts` (a new 32-byte array). */
  mac(...parts: Uint8Array[]): Uint8Array {
    return this.macInto(new Uint8Array(SHA256_LEN), ...parts);
  }

  /** True when `expected` equals the HMAC of `parts` (constant-time compare). */
  verify(expected: Uint8Array, ...parts: Uint8Array[]): boolean {
    return bytesEqual(expected, this.mac(...parts));
  }

  /** Destroys the keyed state (channel keys are wiped at *_FINISH, §9.3). */
  wipe(): void {
    this.keyed.destroy();
    this.work?.destroy();
  }
}

/** One-shot HMAC-SHA-256 of the concatenation of `parts` under `key`. */
export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = hmac.create(nobleSha256, key);
  for (const p of parts) h.update(p);
  return h.digest();
}
