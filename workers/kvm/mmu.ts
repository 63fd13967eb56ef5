/**
 * Guest-physical memory as the vCPU reaches it: GPA → memslot → host-virtual address →
 * system-physical page (the nested page tables KVM builds from memslots), then the memory
 * controller with the VM's ASID and the access's C-bit (psp-sev-api.md §13). A private
 * write reaches DRAM encrypted with the VEK and the address tweak; a shared write (C-bit
 * clear) reaches it as plaintext. Writes into a logging slot set the page's dirty bit.
 *
 * Addresses outside every memslot are MMIO: reads return all-ones, writes go to the VMM as
 * a `KVM_EXIT_MMIO`; so do writes to read-only slots (the pflash in ROMD mode).
 */
import type { MemoryController } from '../psp/memory/memory-controller.js';
import { KvmExitReason } from './uapi/kvm.js';
import { PAGE_SIZE } from './uapi/kvm-para.js';
import { KvmMemFlag } from './uapi/kvm.js';
import type { Memslot, Memslots } from './memslots.js';
import type { KvmRun } from './run.js';
import type { UserMemory } from './user-memory.js';

/** Told about every guest write that reached DRAM (the lab's page-state array listens). */
export type GuestWriteObserver = (slot: Memslot, gfn: number, encrypted: boolean) => void;

/** The MMU of one VM. */
export class GuestMmu {
  /** The VM's ASID once SEV is active (0: a plain VM; the C-bit is then ignored). */
  asid = 0;
  observer: GuestWriteObserver | undefined;

  constructor(
    private readonly slots: Memslots,
    private readonly user: UserMemory,
    private readonly controller: MemoryController,
    /** Delivers an MMIO exit to the VMM (KVM_RUN returns, the VMM emulates, KVM_RUN again). */
    private readonly mmioExit: (run: KvmRun) => void,
  ) {}

  /** The system-physical address of `gpa` through its memslot, or undefined (no slot). */
  translate(gpa: number): { slot: Memslot; spa: number } | undefined {
    const gfn = Math.floor(gpa / PAGE_SIZE);
    const slot = this.slots.find(gfn);
    if (!slot) return undefined;
    const spa = this.user.translate(slot.userspaceAddr + (gpa - slot.guestPhysAddr));
    return spa === undefined ? undefined : { slot, spa };
  }

  /** The guest writes `data` at `gpa` with the C-bit `encrypted` (page by page). */
  write(gpa: number, data: Uint8Array, encrypted: boolean): void {
    let o = 0;
    while (o < data.length) {
      const a = gpa + o;
      const take = Math.min(PAGE_SIZE - (a % PAGE_SIZE), data.length - o);
      const chunk = data.subarray(o, o + take);
      const t = this.translate(a);
      if (!t || (t.slot.flags & KvmMemFlag.KVM_MEM_READONLY) !== 0) {
        this.mmioExit({ exitReason: KvmExitReason.KVM_EXIT_MMIO, mmio: { physAddr: a, data: chunk.slice(), len: take, isWrite: true } });
      } else {
        const enc = encrypted && this.asid !== 0;
        this.controller.write(t.spa, chunk, { asid: this.asid, encrypted: enc });
        const gfn = Math.floor(a / PAGE_SIZE);
        this.slots.markDirty(t.slot, gfn);
        this.observer?.(t.slot, gfn, enc);
      }
      o += take;
    }
  }

  /** What the guest reads at `gpa` with the C-bit `encrypted`. */
  read(gpa: number, len: number, encrypted: boolean): Uint8Array {
    const out = new Uint8Array(len);
    let o = 0;
    while (o < len) {
      const a = gpa + o;
      const take = Math.min(PAGE_SIZE - (a % PAGE_SIZE), len - o);
      const t = this.translate(a);
      if (!t) out.fill(0xff, o, o + take);
      else {
        const bytes = this.controller.read(t.spa, take, { asid: this.asid, encrypted: encrypted && this.asid !== 0 });
        if (bytes) out.set(bytes, o);
      }
      o += take;
    }
    return out;
  }
}
