/**
 * What KVM's SEV sub-commands work with (Linux `struct kvm_sev_info` plus the helpers of
 * arch/x86/kvm/svm/sev.c): the VM's SEV state, the VMM's memory, the PSP driver, the
 * host-wide ASID pool, and small helpers for the userspace structs of psp-sev-api.md §12.
 */
import type { Memslots } from './memslots.js';
import type { SevDev } from './sev-dev.js';
import type { UserMemory } from './user-memory.js';

/** `struct kvm_sev_info` as far as the lab needs it. */
export interface SevVmState {
  active: boolean;
  asid: number;
  handle: number;
  policy: number;
}

/** What KVM's bitmaps say about one ASID: free, held by a VM, or freed but not yet flushed. */
export type KvmAsidState = 'free' | 'in-use' | 'reclaim';

/**
 * The host-wide pool of SEV ASIDs, [minSevAsid, maxAsid]: Linux's `sev_asid_bitmap` and
 * `sev_reclaim_asid_bitmap` (psp-sev-api.md §12 "When it runs out it does WBINVD on all
 * CPUs + DF_FLUSH and recycles deactivated ASIDs").
 *
 * `sev_asid_free` only marks the ASID for reclaim: it stays taken in `sev_asid_bitmap`, so
 * no VM gets it back until `sev_asid_new` finds the pool empty and `__sev_recycle_asids`
 * flushes (WBINVD on every CPU, DF_FLUSH) and returns every reclaimed ASID at once. The
 * kernel does this whether or not the firmware would have called the ASID dirty (§13: a
 * still-pending guest's DEACTIVATE hands it back clean) — it keeps no such distinction.
 */
export class AsidPool {
  private readonly used = new Set<number>();
  private readonly reclaim = new Set<number>();

  constructor(
    readonly min: number,
    readonly max: number,
  ) {}

  /**
   * `sev_asid_new`: the lowest free ASID, or 0 when none is left. When the pool is empty
   * and some ASIDs wait for reclaim, `flush` (WBINVD + DF_FLUSH; true on success) runs
   * once and the search is retried, as `__sev_recycle_asids`.
   */
  alloc(flush: () => boolean = () => false): number {
    const a = this.lowestFree();
    if (a !== 0 || this.reclaim.size === 0 || !flush()) return this.take(a);
    for (const r of this.reclaim) this.used.delete(r);
    this.reclaim.clear();
    return this.take(this.lowestFree());
  }

  /** `sev_asid_free`: the ASID waits in the reclaim bitmap for the next recycle. */
  free(asid: number): void {
    if (this.used.has(asid)) this.reclaim.add(asid);
  }

  /** KVM's view of `asid` (for the inspector and tests). */
  state(asid: number): KvmAsidState {
    return this.reclaim.has(asid) ? 'reclaim' : this.used.has(asid) ? 'in-use' : 'free';
  }

  private lowestFree(): number {
    for (let a = this.min; a <= this.max; a++) if (!this.used.has(a)) return a;
    return 0;
  }

  private take(asid: number): number {
    if (asid !== 0) this.used.add(asid);
    return asid;
  }
}

/** Everything a sub-command handler reaches. */
export interface SevOpContext {
  readonly sev: SevVmState;
  readonly user: UserMemory;
  readonly dev: SevDev;
  readonly asids: AsidPool;
  readonly memslots: Memslots;
  /** The C-bit position: KVM sets it in guest addresses it gives the PSP (`sev_me_mask`). */
  readonly cBit: number;
  /** The ioctl's `error` field (firmware status), written by the handlers. */
  error: number;
  /** A note for the event log (e.g. "length query"). */
  note?: string;
  /**
   * [U] lab choice, after v10's `handle_unencrypted_region()` (§2.7): KVM asks the VMM
   * whether guest frames `[gfn, gfn + npages)` lie wholly in one shared region, since
   * KVM keeps no list in v11/upstream. Absent: no bypass.
   */
  readonly unencryptedRegion?: (gfn: number, npages: number) => boolean;
}

/** Largest blob KVM copies from userspace (`SEV_FW_BLOB_MAX_SIZE`, §12). */
export const SEV_FW_BLOB_MAX_SIZE = 0x4000;

/** A little-endian view of a userspace struct copied in (copy_from_user). */
export class UserStruct {
  readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** copy_from_user of `size` bytes at `uaddr`; undefined for -EFAULT. */
  static read(user: UserMemory, uaddr: number, size: number): UserStruct | undefined {
    const b = user.read(uaddr, size);
    return b ? new UserStruct(b) : undefined;
  }

  u32(off: number): number {
    return this.view.getUint32(off, true);
  }

  u64(off: number): number {
    const v = this.view.getBigUint64(off, true);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  }

  setU32(off: number, v: number): void {
    this.view.setUint32(off, v >>> 0, true);
  }

  setU64(off: number, v: number | bigint): void {
    this.view.setBigUint64(off, BigInt(v), true);
  }
}

/** The guest frame behind host-virtual `uaddr` (reverse memslot lookup), or undefined. */
export function hvaToGfn(memslots: Memslots, uaddr: number): number | undefined {
  for (const s of memslots.list()) {
    if (uaddr >= s.userspaceAddr && uaddr < s.userspaceAddr + s.memorySize) {
      return s.basePage + Math.floor((uaddr - s.userspaceAddr) / 4096);
    }
  }
  return undefined;
}
