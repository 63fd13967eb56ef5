/**
 * The host kernel's own pages (kmalloc / alloc_page) in system-physical memory: where KVM
 * builds PSP command buffers and bounces certificates, sessions, measurements and debug
 * data, since the PSP only takes physical addresses (psp-sev-api.md §1, §12).
 *
 * [U] lab choice: a fixed 4 MiB region at SPA 0x0100_0000 on every host, handed out by a
 * page allocator that reuses freed pages lowest-first (deterministic).
 */
import type { HostMemory } from '../psp/memory/host-memory.js';
import { PAGE_SIZE } from './uapi/kvm-para.js';

/** Base of the host kernel's page pool. */
export const KERNEL_POOL_BASE = 0x0100_0000;
/** Size of the pool. */
export const KERNEL_POOL_SIZE = 4 * 1024 * 1024;

/** A run of pages the kernel owns. */
export interface KernelBuffer {
  readonly spa: number;
  readonly size: number;
}

/** The page pool. */
export class KernelMemory {
  private readonly used: Uint8Array;

  constructor(private readonly memory: HostMemory) {
    memory.addRange(KERNEL_POOL_BASE, KERNEL_POOL_SIZE);
    this.used = new Uint8Array(KERNEL_POOL_SIZE / PAGE_SIZE);
  }

  /** Allocates zeroed pages for `len` bytes (at least one page); undefined when the pool is full. */
  alloc(len: number): KernelBuffer | undefined {
    const n = Math.max(1, Math.ceil(len / PAGE_SIZE));
    for (let i = 0; i + n <= this.used.length; i++) {
      let free = true;
      for (let j = 0; j < n; j++) if (this.used[i + j]) free = false;
      if (!free) continue;
      this.used.fill(1, i, i + n);
      const buf = { spa: KERNEL_POOL_BASE + i * PAGE_SIZE, size: n * PAGE_SIZE };
      this.memory.zero(buf.spa, buf.size);
      return buf;
    }
    return undefined;
  }

  /** Frees (and zeroes, as kfree of a secret would be followed by memzero) a buffer. */
  free(buf: KernelBuffer): void {
    this.memory.zero(buf.spa, buf.size);
    const i = (buf.spa - KERNEL_POOL_BASE) / PAGE_SIZE;
    this.used.fill(0, i, i + buf.size / PAGE_SIZE);
  }

  /** Raw bytes of a kernel buffer. */
  read(spa: number, len: number): Uint8Array {
    return this.memory.read(spa, len) ?? new Uint8Array(len);
  }

  /** Copies raw bytes of a kernel buffer into `out` (zeros where nothing was written). */
  readInto(spa: number, out: Uint8Array): void {
    if (!this.memory.readInto(spa, out)) out.fill(0);
  }

  /** Writes raw bytes into a kernel buffer. */
  write(spa: number, data: Uint8Array): void {
    this.memory.write(spa, data);
  }
}
