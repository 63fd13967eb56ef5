/**
 * The source's migration bitmap (reference §5.1; QEMU migration/ram.c): one bit per
 * page of each migratable RAM block, all set at setup so the first pass sends every
 * page, then refreshed by `migration_bitmap_sync` from KVM_GET_DIRTY_LOG of every memslot
 * (a slot's bit 0 is its first page; KVM clears as it returns). Blocks are in QEMU's
 * ram_list order, largest first. The pc.ram pages also carry MIGRATE_PENDING in the
 * host's page-state array, so the page map shows what is still to send.
 */
import type { KvmVm } from '../../kvm/kvm.js';
import { KvmMemFlag } from '../../kvm/uapi/kvm.js';
import { PageState, type PageStates } from '../../host/page-states.js';
import type { GuestRam, RamMapping } from '../../vmm/ram.js';

/** One migratable RAM block with its bitmap. */
export interface MigratableBlock {
  readonly name: string;
  readonly hva: number;
  readonly size: number;
  readonly pages: number;
  readonly readonly: boolean;
  readonly mappings: readonly RamMapping[];
  /** One bit per page, bit i of byte i >> 3. */
  readonly bitmap: Uint8Array;
}

const POPCOUNT = new Uint8Array(256).map((_, i) => {
  let n = 0;
  for (let v = i; v; v &= v - 1) n++;
  return n;
});

/** The migration bitmap of one VM. */
export class MigrationBitmap {
  readonly blocks: MigratableBlock[];
  /** Pages set in the bitmap. */
  dirtyPages = 0;

  constructor(
    ram: GuestRam,
    private readonly states: PageStates,
  ) {
    this.blocks = [...ram.blocks]
      .sort((a, b) => b.size - a.size)
      .map((b) => ({ name: b.name, hva: b.hva, size: b.size, pages: b.size / 4096, readonly: b.readonly, mappings: b.mappings, bitmap: new Uint8Array(Math.ceil(b.size / 4096 / 8)) }));
  }

  /** KVM_SET_USER_MEMORY_REGION with (or without) KVM_MEM_LOG_DIRTY_PAGES on every slot; 0 or the first errno. */
  setDirtyLogging(vm: KvmVm, on: boolean): number {
    for (const b of this.blocks) {
      for (const m of b.mappings) {
        const flags = (b.readonly ? KvmMemFlag.KVM_MEM_READONLY : 0) | (on ? KvmMemFlag.KVM_MEM_LOG_DIRTY_PAGES : 0);
        const r = vm.setUserMemoryRegion({ slot: m.slot, flags, guestPhysAddr: m.gpa, memorySize: m.size, userspaceAddr: b.hva + m.offset });
        if (r !== 0) return r;
      }
    }
    return 0;
  }

  /** Pass 1: every page dirty. */
  setAll(): void {
    this.dirtyPages = 0;
    for (const b of this.blocks) {
      b.bitmap.fill(0xff);
      const tail = b.pages & 7;
      if (tail) b.bitmap[b.bitmap.length - 1] = (1 << tail) - 1;
      this.dirtyPages += b.pages;
    }
    this.states.setBits(0, this.states.pages, PageState.MIGRATE_PENDING, true);
  }

  /** `migration_bitmap_sync`: KVM_GET_DIRTY_LOG per slot ORed in; returns the pages newly set. */
  syncFromKvm(vm: KvmVm): number {
    let added = 0;
    for (const b of this.blocks) {
      for (const m of b.mappings) {
        const r = vm.getDirtyLog(m.slot);
        if (r.ret !== 0 || !r.bitmap) continue;
        added += this.orIn(b, m.offset / 4096, r.bitmap, m.size / 4096);
      }
    }
    return added;
  }

  /** Marks `[offset, offset + len)` of block `name` dirty (a VMM write, e.g. the pflash). */
  markDirty(name: string, offset: number, len: number): void {
    const b = this.blocks.find((x) => x.name === name);
    if (!b || len <= 0) return;
    for (let p = Math.floor(offset / 4096); p <= Math.floor((offset + len - 1) / 4096) && p < b.pages; p++) this.set(b, p);
  }

  private orIn(b: MigratableBlock, firstPage: number, bits: Uint8Array, pages: number): number {
    let added = 0;
    if (firstPage % 8 === 0) {
      const base = firstPage >> 3;
      for (let i = 0; i < bits.length; i++) {
        const v = bits[i];
        if (v === 0) continue;
        const fresh = v & ~b.bitmap[base + i] & 0xff;
        if (fresh === 0) continue;
        b.bitmap[base + i] |= fresh;
        added += POPCOUNT[fresh];
        if (b.name === 'pc.ram') for (let k = 0; k < 8; k++) if (fresh & (1 << k)) this.states.bytes[firstPage + i * 8 + k] |= PageState.MIGRATE_PENDING;
      }
    } else {
      for (let p = 0; p < pages; p++) if (bits[p >> 3] & (1 << (p & 7)) && this.set(b, firstPage + p)) added++;
    }
    this.dirtyPages += added;
    return added;
  }

  private set(b: MigratableBlock, page: number): boolean {
    const bit = 1 << (page & 7);
    if (b.bitmap[page >> 3] & bit) return false;
    b.bitmap[page >> 3] |= bit;
    if (b.name === 'pc.ram') this.states.bytes[page] |= PageState.MIGRATE_PENDING;
    return true;
  }

  /** Clears page `page` of block index `bi` (it is being sent); true when it was set. */
  clear(bi: number, page: number): boolean {
    const b = this.blocks[bi];
    const bit = 1 << (page & 7);
    if ((b.bitmap[page >> 3] & bit) === 0) return false;
    b.bitmap[page >> 3] &= ~bit & 0xff;
    this.dirtyPages--;
    if (b.name === 'pc.ram') this.states.bytes[page] &= ~PageState.MIGRATE_PENDING & 0xff;
    return true;
  }

  /**
   * The first dirty page at or after (`bi`, `page`) in ram_list order, wrapping around
   * once; `wrapped` tells that the search passed the end of the last block (a round).
   */
  findNext(bi: number, page: number): { bi: number; page: number; wrapped: boolean } | undefined {
    if (this.dirtyPages === 0) return undefined;
    let wrapped = false;
    for (let n = 0; n <= this.blocks.length; n++) {
      const b = this.blocks[bi];
      const bm = b.bitmap;
      let i = page >> 3;
      // The first byte may hold pages before `page`: mask them off.
      let v = i < bm.length ? bm[i] & (0xff << (page & 7)) & 0xff : 0;
      while (i < bm.length) {
        if (v !== 0) return { bi, page: i * 8 + (31 - Math.clz32(v & -v)), wrapped };
        i++;
        v = bm[i];
      }
      bi++;
      page = 0;
      if (bi === this.blocks.length) {
        bi = 0;
        wrapped = true;
      }
    }
    return undefined;
  }
}
