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
  /** RAM ranges in address order (binary-searched: the hot paths call {@link contains} per access). */
  private readonly ranges: RamRange[] = [];
  /** Index of the range the last lookup hit: accesses cluster, so most lookups end here. */
  private lastRange = 0;

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
    this.lastRange = 0;
    return true;
  }

  /** The RAM ranges, in address order. */
  ramRanges(): readonly RamRange[] {
    return this.ranges.slice();
  }

  /** True when every byte of `[spa, spa + len)` is RAM (an empty span inside or at the end of RAM counts). */
  contains(spa: number, len: number): boolean {
    if (!validSpan(spa, len)) return false;
    const rs = this.ranges;
    let i = this.rangeIndex(spa);
    if (len === 0) return (i >= 0 && spa < rs[i].base + rs[i].size) || rs.some((r) => spa === r.base + r.size);
    if (i < 0) return false;
    // Adjacent ranges (e.g. two e820 entries back to back) together may hold the span.
    const end = spa + len;
    let at = rs[i].base + rs[i].size;
    while (at < end) {
      i++;
      if (i >= rs.length || rs[i].base !== at) return false;
      at += rs[i].size;
    }
    return true;
  }

  /** A copy of `len` bytes at `spa`, or undefined if the span is not RAM. */
  read(spa: number, len: number): Uint8Array | undefined {
    if (!this.contains(spa, len)) return undefined;
    const out = new Uint8Array(len);
    this.copyOut(spa, out);
    return out;
  }

  /** Copies `out.length` bytes at `spa` into `out` (no allocation); false (out untouched) if not RAM. */
  readInto(spa: number, out: Uint8Array): boolean {
    if (!this.contains(spa, out.length)) return false;
    this.copyOut(spa, out);
    return true;
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
      let page = this.pages.get(pfn);
      if (!page) {
        // Zeros into an untouched page change nothing: keep it unallocated.
        if (allZero(data, o, o + take)) {
          o += take;
          continue;
        }
        page = new Uint8Array(PAGE_SIZE);
        this.pages.set(pfn, page);
      }
      if (take === PAGE_SIZE && o === 0 && data.length === PAGE_SIZE) page.set(data);
      else page.set(data.subarray(o, o + take), off);
      o += take;
    }
    return true;
  }

  /** Writes `len` zero bytes at `spa` without allocating anything; false if not RAM. */
  zero(spa: number, len: number): boolean {
    if (!this.contains(spa, len)) return false;
    let o = 0;
    while (o < len) {
      const a = spa + o;
      const pfn = Math.floor(a / PAGE_SIZE);
      const off = a - pfn * PAGE_SIZE;
      const take = Math.min(PAGE_SIZE - off, len - o);
      this.pages.get(pfn)?.fill(0, off, off + take);
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

  /** Index of the range holding address `spa`, or -1. */
  private rangeIndex(spa: number): number {
    const rs = this.ranges;
    const last = rs[this.lastRange];
    if (last && spa >= last.base && spa < last.base + last.size) return this.lastRange;
    let lo = 0;
    let hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = rs[mid];
      if (spa < r.base) hi = mid - 1;
      else if (spa >= r.base + r.size) lo = mid + 1;
      else {
        this.lastRange = mid;
        return mid;
      }
    }
    return -1;
  }

  private copyOut(spa: number, out: Uint8Array): void {
    let o = 0;
    while (o < out.length) {
      const a = spa + o;
      const pfn = Math.floor(a / PAGE_SIZE);
      const off = a - pfn * PAGE_SIZE;
      const take = Math.min(PAGE_SIZE - off, out.length - o);
      const page = this.pages.get(pfn);
      if (page) out.set(take === PAGE_SIZE ? page : page.subarray(off, off + take), o);
      else out.fill(0, o, o + take);
      o += take;
    }
  }
}

function allZero(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}
