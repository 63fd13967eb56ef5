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
  private readonly heap = new Map<number, Uint8Array>();
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
    this.heap.set(at, new Uint8Array(Math.max(1, len)));
    this.nextHeap = alignUp(at + Math.max(1, len), 64);
    return at;
  }

  /** Frees a heap buffer. */
  free(uaddr: number): void {
    this.heap.delete(uaddr);
  }

  read(uaddr: number, len: number): Uint8Array | undefined {
    const b = this.blockOf(uaddr, len);
    if (b) return this.memory.read(b.spa + (uaddr - b.hva), len);
    const h = this.heapOf(uaddr, len);
    return h ? h.buf.slice(h.off, h.off + len) : undefined;
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

  private blockOf(uaddr: number, len: number): MappedBlock | undefined {
    return this.blocks.find((b) => uaddr >= b.hva && uaddr + len <= b.hva + b.size);
  }

  private heapOf(uaddr: number, len: number): { buf: Uint8Array; off: number } | undefined {
    for (const [at, buf] of this.heap) if (uaddr >= at && uaddr + len <= at + buf.length) return { buf, off: uaddr - at };
    return undefined;
  }
}
