/**
 * The compact per-page state array the UI's page map reads: one byte per 4 KiB page of
 * guest RAM (`pc.ram`, indexed by RAM offset / 4096 as QEMU's ram_addr_t, so a 1 GiB
 * guest is a 262,144-byte `Uint8Array`). Bits:
 *
 * | bit  | name        | set by | meaning |
 * |------|-------------|--------|---------|
 * | 0x01 | SHARED      | guest  | the guest maps the page with the C-bit clear (its page tables) |
 * | 0x02 | DIRTY       | KVM    | written since the page's dirty bit was last harvested (KVM_GET_DIRTY_LOG) or cleared by the viewer |
 * | 0x04 | TOUCHED     | KVM    | DRAM holds data for the page (written at least once) |
 * | 0x08 | LISTED      | VMM    | the page lies in the VMM's shared-regions list |
 * | 0x10 | PLAINTEXT   | KVM    | the last write reached DRAM with the C-bit clear (DRAM bytes are plaintext) |
 * | 0x20 | MIGRATE_PENDING | migration | source: the page is set in the migration bitmap (will be sent) |
 * | 0x40 | MIGRATED    | migration | source: sent at least once in this migration; target: received |
 * | 0x80 | MIGRATED_ENCRYPTED | migration | the last copy travelled through SEND/RECEIVE_UPDATE_DATA (clear: as plain RAM) |
 *
 * SHARED vs LISTED is what the migration lab is about: they differ when the guest forgot
 * to report a conversion, or between a conversion and its hypercall (reference §3.5).
 * The array holds states only — never page contents.
 */

/** Bit values of one page's state byte. */
export const PageState = {
  SHARED: 0x01,
  DIRTY: 0x02,
  TOUCHED: 0x04,
  LISTED: 0x08,
  PLAINTEXT: 0x10,
  MIGRATE_PENDING: 0x20,
  MIGRATED: 0x40,
  MIGRATED_ENCRYPTED: 0x80,
} as const;

/** The state bytes of one guest's RAM. */
export class PageStates {
  /** One byte per RAM page; read it directly (the UI transfers a copy). */
  readonly bytes: Uint8Array;

  constructor(readonly pages: number) {
    this.bytes = new Uint8Array(pages);
  }

  /** Sets (`on`) or clears `bits` on pages `[first, first + count)` clipped to the array. */
  setBits(first: number, count: number, bits: number, on: boolean): void {
    const a = Math.max(0, first);
    const b = Math.min(this.pages, first + count);
    const arr = this.bytes;
    if (on) for (let i = a; i < b; i++) arr[i] |= bits;
    else {
      const mask = ~bits & 0xff;
      for (let i = a; i < b; i++) arr[i] &= mask;
    }
  }

  /** True when page `i` has every bit of `bits`. */
  has(i: number, bits: number): boolean {
    return i >= 0 && i < this.pages && (this.bytes[i] & bits) === bits;
  }

  /** Number of pages with every bit of `bits`. */
  count(bits: number): number {
    let n = 0;
    const arr = this.bytes;
    for (let i = 0; i < arr.length; i++) if ((arr[i] & bits) === bits) n++;
    return n;
  }

  /** The viewer's "I have drawn the dirty pages": clears DIRTY everywhere. */
  clearDirty(): void {
    this.setBits(0, this.pages, PageState.DIRTY, false);
  }

  /** A copy of the bytes (for transfer to the UI). */
  copy(): Uint8Array {
    return this.bytes.slice();
  }
}
