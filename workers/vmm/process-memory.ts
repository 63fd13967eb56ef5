/**
 * The VMM process's address space, as KVM sees it through {@link UserMemory}: RAM blocks
 * mapped at host-virtual addresses and backed by system-physical pages (what the
 * hypervisor reads there is DRAM as it is — ciphertext for private guest pages), and heap
 * buffers for the ioctl structs and blobs (plain process memory, never guest-visible).
 *
 * [U] lab choice: RAM blocks from HVA 0x7f00_0000_0000 and SPA 0x10_0000_0000 (64 GiB)
 * upwards, each 2 MiB aligned and physically contiguous; heap from 0x5555_0000_0000.
 */
import type { HostMemory } from '../psp/memory/host-memory.js';
import type { UserMemory } from '../kvm/user-memory.js';

const RAM_HVA_BASE = 0x7f00_0000_0000;
const RAM_SPA_BASE = 0x10_0000_0000;
const HEAP_BASE = 0x5555_0000_0000;
const ALIGN = 2 * 1024 * 1024;

const alignUp = (v: number, a: number): number => Math.ceil(v / a) * a;

/** One RAM block's mapping. */
export interface MappedBlock {
  readonly name: string;
  readonly hva: number;
  readonly spa: number;
  readonly size: number;
}

/** The VMM process memory. */
export class ProcessMemory implements UserMemory {
  private readonly blocks: MappedBlock[] = [];
  /** Heap buffers in address order (bump-allocated, so appending keeps the order). */
  private readonly heap: { at: number; buf: Uint8Array }[] = [];
  private nextHva = RAM_HVA_BASE;
  private nextSpa = RAM_SPA_BASE;
  private nextHeap = HEAP_BASE;

  constructor(private readonly memory: HostMemory) {}

  /** mmap()s a RAM block of `size` bytes: new host RAM behind a new HVA range. */
  mapRam(name: string, size: number): MappedBlock {
    const b = { name, hva: this.nextHva, spa: this.nextSpa, size };
    if (!this.memory.addRange(b.spa, alignUp(size, 4096))) throw new Error(`cannot back ${name} with host RAM`);
    this.blocks.push(b);
    this.nextHva = alignUp(b.hva + size, ALIGN);
    this.nextSpa = alignUp(b.spa + size, ALIGN);
    return b;
  }

  /** A zeroed heap buffer of `len` bytes; returns its address. */
  alloc(len: number): number {
    const at = this.nextHeap;
    this.heap.push({ at, buf: new Uint8Array(Math.max(1, len)) });
    this.nextHeap = alignUp(at + Math.max(1, len), 64);
    return at;
  }

  /** Frees a heap buffer. */
  free(uaddr: number): void {
    const i = this.heapIndex(uaddr);
    if (i >= 0 && this.heap[i].at === uaddr) this.heap.splice(i, 1);
  }

  read(uaddr: number, len: number): Uint8Array | undefined {
    const b = this.blockOf(uaddr, len);
    if (b) return this.memory.read(b.spa + (uaddr - b.hva), len);
    const h = this.heapOf(uaddr, len);
    return h ? h.buf.slice(h.off, h.off + len) : undefined;
  }

  readInto(uaddr: number, out: Uint8Array): boolean {
    const b = this.blockOf(uaddr, out.length);
    if (b) return this.memory.readInto(b.spa + (uaddr - b.hva), out);
    const h = this.heapOf(uaddr, out.length);
    if (!h) return false;
    out.set(h.off === 0 && out.length === h.buf.length ? h.buf : h.buf.subarray(h.off, h.off + out.length));
    return true;
  }

  write(uaddr: number, data: Uint8Array): boolean {
    const b = this.blockOf(uaddr, data.length);
    if (b) return this.memory.write(b.spa + (uaddr - b.hva), data);
    const h = this.heapOf(uaddr, data.length);
    if (!h) return false;
    h.buf.set(data, h.off);
    return true;
  }

  translate(uaddr: number): number | undefined {
    const b = this.blockOf(uaddr, 1);
    return b ? b.spa + (uaddr - b.hva) : undefined;
  }

  /** The mapped RAM blocks. */
  mappedBlocks(): readonly MappedBlock[] {
    return this.blocks;
  }

  // Both lookups run on every copy_{from,to}_user, so no closures and no linear scans.
  private blockOf(uaddr: number, len: number): MappedBlock | undefined {
    const bs = this.blocks;
    for (let i = 0; i < bs.length; i++) {
      const b = bs[i];
      if (uaddr >= b.hva && uaddr + len <= b.hva + b.size) return b;
    }
    return undefined;
  }

  private heapOf(uaddr: number, len: number): { buf: Uint8Array; off: number } | undefined {
    const i = this.heapIndex(uaddr);
    if (i < 0) return undefined;
    const h = this.heap[i];
    return uaddr + len <= h.at + h.buf.length ? { buf: h.buf, off: uaddr - h.at } : undefined;
  }

  /** Index of the heap buffer holding `uaddr` (binary search), or -1. */
  private heapIndex(uaddr: number): number {
    const hs = this.heap;
    let lo = 0;
    let hi = hs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const h = hs[mid];
      if (uaddr < h.at) hi = mid - 1;
      else if (uaddr >= h.at + h.buf.length) lo = mid + 1;
      else return mid;
    }
    return -1;
  }
}
