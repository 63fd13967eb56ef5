/**
 * The host's system-physical memory: what DRAM holds, byte for byte (reference §13 and
 * design.md "The machine"). Ciphertext for private guest pages, plaintext for everything
 * else; nothing here knows about keys.
 *
 * Memory is a set of RAM ranges (like an e820 map) backed by sparse 4 KiB pages: a page
 * is allocated on the first write of a non-zero byte, and an untouched page reads as
 * zeros and costs nothing. An access that is not wholly inside RAM fails (returns
 * `undefined` / `false`) instead of throwing, so the PSP can answer INVALID_ADDRESS.
 * Addresses are plain numbers (JS safe integers); anything above 2^52 is never RAM.
 */

/** Size of a page frame in bytes. */
export const PAGE_SIZE = 4096;
/** Highest address (exclusive) a RAM range may reach: 4 PiB, well inside safe integers. */
export const MAX_PHYS_ADDR = 2 ** 52;

/** A RAM range `[base, base + size)`. */
export interface RamRange {
  readonly base: number;
  readonly size: number;
}

function validSpan(spa: number, len: number): boolean {
  return Number.isSafeInteger(spa) && Number.isSafeInteger(len) && spa >= 0 && len >= 0 && spa + len <= MAX_PHYS_ADDR;
}

/** Sparse, page-granular system-physical memory. */
export class HostMemory {
  private readonly pages = new Map<number, Uint8Array>();
  private readonly ranges: RamRange[] = [];

  /** Memory with the given RAM ranges (see {@link HostMemory.addRange}). */
  constructor(ranges: readonly RamRange[] = []) {
    for (const r of ranges) {
      if (!this.addRange(r.base, r.size)) throw new RangeError(`bad RAM range ${r.base}+${r.size}`);
    }
  }

  /**
   * Adds RAM at `[base, base + size)`: page-aligned, non-empty, below {@link MAX_PHYS_ADDR}
   * and not overlapping existing RAM. Returns false (and changes nothing) otherwise.
   */
  addRange(base: number, size: number): boolean {
    if (!validSpan(base, size) || size === 0 || base % PAGE_SIZE !== 0 || size % PAGE_SIZE !== 0) return false;
    if (this.ranges.some((r) => base < r.base + r.size && r.base < base + size)) return false;
    this.ranges.push({ base, size });
    this.ranges.sort((a, b) => a.base - b.base);
    return true;
  }

  /** The RAM ranges, in address order. */
  ramRanges(): readonly RamRange[] {
    return this.ranges.slice();
  }

  /** True when every byte of `[spa, spa + len)` is RAM (an empty span inside or at the end of RAM counts). */
  contains(spa: number, len: number): boolean {
    if (!validSpan(spa, len)) return false;
    if (len === 0) return this.ranges.some((r) => spa >= r.base && spa <= r.base + r.size);
    let at = spa;
    const end = spa + len;
    for (const r of this.ranges) {
      if (r.base + r.size <= at) continue;
      if (r.base > at) return false;
      at = r.base + r.size;
      if (at >= end) return true;
    }
    return false;
  }

  /** A copy of `len` bytes at `spa`, or undefined if the span is not RAM. */
  read(spa: number, len: number): Uint8Array | undefined {
    if (!this.contains(spa, len)) return undefined;
    const out = new Uint8Array(len);
    this.copyOut(spa, out);
    return out;
  }

  /** Writes `data` at `spa`; false (nothing written) if the span is not RAM. */
  write(spa: number, data: Uint8Array): boolean {
    if (!this.contains(spa, data.length)) return false;
    let o = 0;
    while (o < data.length) {
      const a = spa + o;
      const pfn = Math.floor(a / PAGE_SIZE);
      const off = a - pfn * PAGE_SIZE;
      const take = Math.min(PAGE_SIZE - off, data.length - o);
      const chunk = data.subarray(o, o + take);
      let page = this.pages.get(pfn);
      if (!page) {
        // Zeros into an untouched page change nothing: keep it unallocated.
        if (chunk.every((b) => b === 0)) {
          o += take;
          continue;
        }
        page = new Uint8Array(PAGE_SIZE);
        this.pages.set(pfn, page);
      }
      page.set(chunk, off);
      o += take;
    }
    return true;
  }

  /** Number of pages that hold data (for tests and the bench: untouched pages cost nothing). */
  allocatedPages(): number {
    return this.pages.size;
  }

  /** Page frame numbers (address / 4096) of the pages that hold data, ascending. */
  allocatedFrames(): number[] {
    return [...this.pages.keys()].sort((a, b) => a - b);
  }

  /** True if the page holding `spa` was ever written with non-zero data. */
  isPageAllocated(spa: number): boolean {
    return this.pages.has(Math.floor(spa / PAGE_SIZE));
  }

  private copyOut(spa: number, out: Uint8Array): void {
    let o = 0;
    while (o < out.length) {
      const a = spa + o;
      const pfn = Math.floor(a / PAGE_SIZE);
      const off = a - pfn * PAGE_SIZE;
      const take = Math.min(PAGE_SIZE - off, out.length - o);
      const page = this.pages.get(pfn);
      if (page) out.set(page.subarray(off, off + take), o);
      o += take;
    }
  }
}
