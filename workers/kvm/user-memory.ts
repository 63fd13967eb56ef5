/**
 * What KVM sees of the VMM process: `copy_from_user` / `copy_to_user` on userspace
 * addresses, and `get_user_pages` to find the system-physical page behind an address
 * (for guest RAM, which the VMM maps at host-virtual addresses and hands to KVM in
 * memslots). The VMM's process memory implements it (workers/vmm/process-memory.ts).
 */

/** The VMM process's memory as KVM reaches it. */
export interface UserMemory {
  /** copy_from_user: `len` bytes at `uaddr`, or undefined (-EFAULT). */
  read(uaddr: number, len: number): Uint8Array | undefined;
  /** copy_to_user: false (-EFAULT) when the span is not mapped. */
  write(uaddr: number, data: Uint8Array): boolean;
  /** get_user_pages: the system-physical address behind `uaddr`, or undefined if not backed by host RAM. */
  translate(uaddr: number): number | undefined;
  /** copy_from_user into `out` (no allocation); false (-EFAULT) when the span is not mapped. Optional. */
  readInto?(uaddr: number, out: Uint8Array): boolean;
}
