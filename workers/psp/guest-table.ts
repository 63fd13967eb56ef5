/**
 * The firmware's guest contexts, one per handle (reference §1, §3, §13).
 *
 * Handles are 1..1024 (Genoa FW slots); a new context takes the lowest free slot, as FW
 * `find_free_guest_handle` does, so a decommissioned handle is reused. A context holds
 * the guest's secrets — VEK (as its memory cipher), TEK/TIK, measurement, launch digest —
 * and none of them ever leaves the PSP component.
 */
import { type LaunchDigest, type MemoryCipher, type TransportKeys } from './crypto/index.js';
import { type GuestStateValue } from './guest-state.js';

/** Number of SEV guest slots (Genoa FW, §1). */
export const MAX_GUESTS = 1024;

/** How far a guest's ACTIVATE has gone (§13; FW guest flags ACTIVE / PENDING). */
export type Activation = 'inactive' | 'pending' | 'active';

/** The trusted channel of a guest: transport keys while launching, sending or receiving. */
export interface GuestChannel {
  readonly tek: Uint8Array;
  readonly tik: Uint8Array;
  readonly keys: TransportKeys;
  /** The session NONCE (public; names the session in the key log). */
  readonly nonce?: Uint8Array;
}

/** One guest context. */
export interface GuestContext {
  readonly handle: number;
  readonly policy: number;
  state: GuestStateValue;
  /** SEV-ES guest (policy ES on an ES-initialised platform). */
  readonly es: boolean;
  /** The ASID ACTIVATE bound (pending or active); 0 when none. */
  asid: number;
  activation: Activation;
  /** The 16-byte VEK (FW `umc_key_seed`): shared by LAUNCH_START/RECEIVE_START with handle ≠ 0. */
  readonly vek: Uint8Array;
  /** The memory cipher of the VEK (what ACTIVATE loads into the key slot). */
  readonly cipher: MemoryCipher;
  /** Open while LUPDATE/LSECRET, SUPDATE, RUPDATE; wiped by the *_FINISH commands. */
  channel: GuestChannel | undefined;
  /** The running launch digest (LUPDATE). */
  readonly digest: LaunchDigest;
  /** MEASUREMENT from LAUNCH_MEASURE, which LAUNCH_SECRET's MAC binds. */
  measurement: Uint8Array | undefined;
}

/** What anyone may know about a guest (what GUEST_STATUS reports, plus its activation). */
export interface GuestInfo {
  handle: number;
  policy: number;
  state: GuestStateValue;
  asid: number;
  activation: Activation;
  es: boolean;
}

/** The slots of one platform. */
export class GuestTable {
  private readonly guests = new Map<number, GuestContext>();

  /** The context of `handle` if the handle is in range and its slot is in use (else INVALID_GUEST). */
  get(handle: number): GuestContext | undefined {
    return this.guests.get(handle);
  }

  /** The lowest free handle, or undefined when all slots are taken (RESOURCE_LIMIT). */
  freeHandle(): number | undefined {
    for (let h = 1; h <= MAX_GUESTS; h++) if (!this.guests.has(h)) return h;
    return undefined;
  }

  /** Stores a new context in its (free) slot. */
  add(ctx: GuestContext): void {
    this.guests.set(ctx.handle, ctx);
  }

  /** Frees the slot of `handle`, wiping its keys. */
  remove(handle: number): void {
    const g = this.guests.get(handle);
    if (!g) return;
    g.channel?.keys.wipe();
    this.guests.delete(handle);
  }

  /** Frees every slot (SHUTDOWN). */
  clear(): void {
    for (const h of [...this.guests.keys()]) this.remove(h);
  }

  /** Number of contexts (PLATFORM_STATUS guest_count). */
  get count(): number {
    return this.guests.size;
  }

  /** Public facts of every guest, by handle. */
  info(): GuestInfo[] {
    return [...this.guests.values()]
      .sort((a, b) => a.handle - b.handle)
      .map((g) => ({ handle: g.handle, policy: g.policy, state: g.state, asid: g.asid, activation: g.activation, es: g.es }));
  }
}
