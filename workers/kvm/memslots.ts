/**
 * KVM's memslots (KVM_SET_USER_MEMORY_REGION) and dirty-page logging per slot
 * (reference §5.1): with `KVM_MEM_LOG_DIRTY_PAGES` on a slot, every guest write sets the
 * page's bit in the slot's bitmap; `KVM_GET_DIRTY_LOG` returns the bitmap (bit 0 = the
 * slot's first page) and clears it (re-protects) in the same call — the lab does not
 * model KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2.
 */
import { Errno, KvmMemFlag } from './uapi/kvm.js';
import { PAGE_SIZE } from './uapi/kvm-para.js';

/** `struct kvm_userspace_memory_region`. */
export interface UserspaceMemoryRegion {
  slot: number;
  flags: number;
  guestPhysAddr: number;
  memorySize: number;
  userspaceAddr: number;
}

/** One installed slot. */
export interface Memslot extends UserspaceMemoryRegion {
  readonly basePage: number;
  readonly npages: number;
  /** One bit per page while dirty logging is on (allocated when the flag is set). */
  dirtyBitmap: Uint8Array | undefined;
}

/** Most slots a VM may have (the lab's `KVM_CAP_NR_MEMSLOTS`). */
export const KVM_USER_MEM_SLOTS = 32;

/** The memslots of one VM. */
export class Memslots {
  private readonly slots = new Map<number, Memslot>();
  /** Sorted by guest address for lookups. */
  private ordered: Memslot[] = [];

  /**
   * KVM_SET_USER_MEMORY_REGION: installs, changes flags of, or (size 0) deletes a slot.
   * Returns 0 or a negative errno (-EINVAL for bad alignment or flags, -EEXIST for an
   * overlap), as the ioctl does.
   */
  set(r: UserspaceMemoryRegion): number {
    if (!Number.isInteger(r.slot) || r.slot < 0 || r.slot >= KVM_USER_MEM_SLOTS) return -Errno.EINVAL;
    if ((r.flags & ~(KvmMemFlag.KVM_MEM_LOG_DIRTY_PAGES | KvmMemFlag.KVM_MEM_READONLY)) !== 0) return -Errno.EINVAL;
    if (r.guestPhysAddr % PAGE_SIZE !== 0 || r.memorySize % PAGE_SIZE !== 0 || r.userspaceAddr % PAGE_SIZE !== 0) return -Errno.EINVAL;
    const old = this.slots.get(r.slot);
    if (r.memorySize === 0) {
      if (!old) return -Errno.EINVAL;
      this.slots.delete(r.slot);
      this.reorder();
      return 0;
    }
    if (old) {
      // Only the flags may change on an existing slot (KVM_MR_FLAGS_ONLY).
      if (old.guestPhysAddr !== r.guestPhysAddr || old.memorySize !== r.memorySize || old.userspaceAddr !== r.userspaceAddr) return -Errno.EINVAL;
      if ((old.flags ^ r.flags) & KvmMemFlag.KVM_MEM_READONLY) return -Errno.EINVAL;
      old.flags = r.flags;
      this.syncBitmap(old);
      return 0;
    }
    const end = r.guestPhysAddr + r.memorySize;
    if (this.ordered.some((s) => r.guestPhysAddr < s.guestPhysAddr + s.memorySize && s.guestPhysAddr < end)) return -Errno.EEXIST;
    const slot: Memslot = { ...r, basePage: r.guestPhysAddr / PAGE_SIZE, npages: r.memorySize / PAGE_SIZE, dirtyBitmap: undefined };
    this.syncBitmap(slot);
    this.slots.set(r.slot, slot);
    this.reorder();
    return 0;
  }

  /** The slot holding guest frame `gfn`, or undefined (an MMIO / no-slot address). */
  find(gfn: number): Memslot | undefined {
    let lo = 0;
    let hi = this.ordered.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.ordered[mid];
      if (gfn < s.basePage) hi = mid - 1;
      else if (gfn >= s.basePage + s.npages) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  /** Slot `id`, if installed. */
  get(id: number): Memslot | undefined {
    return this.slots.get(id);
  }

  /** Every slot in guest-address order. */
  list(): readonly Memslot[] {
    return this.ordered;
  }

  /** Marks frame `gfn` of `slot` dirty (only while its slot logs dirty pages). */
  markDirty(slot: Memslot, gfn: number): void {
    const bm = slot.dirtyBitmap;
    if (!bm) return;
    const i = gfn - slot.basePage;
    bm[i >> 3] |= 1 << (i & 7);
  }

  /**
   * KVM_GET_DIRTY_LOG {slot, dirty_bitmap}: the slot's bitmap (one bit per page, bit 0 =
   * first page), cleared as it is returned. -ENOENT for no such slot, -EINVAL (as Linux's
   * `kvm_get_dirty_log` gives) when the slot does not log dirty pages.
   */
  getDirtyLog(id: number): { ret: number; bitmap?: Uint8Array } {
    const s = this.slots.get(id);
    if (!s) return { ret: -Errno.ENOENT };
    if (!s.dirtyBitmap) return { ret: -Errno.EINVAL };
    const out = s.dirtyBitmap.slice();
    s.dirtyBitmap.fill(0);
    return { ret: 0, bitmap: out };
  }

  private syncBitmap(s: Memslot): void {
    const logging = (s.flags & KvmMemFlag.KVM_MEM_LOG_DIRTY_PAGES) !== 0;
    if (logging && !s.dirtyBitmap) s.dirtyBitmap = new Uint8Array(Math.ceil(s.npages / 8));
    if (!logging) s.dirtyBitmap = undefined;
  }

  private reorder(): void {
    this.ordered = [...this.slots.values()].sort((a, b) => a.guestPhysAddr - b.guestPhysAddr);
  }
}
