/**
 * The guest kernel's direct map, as far as encryption goes: which pages it maps with the
 * C-bit clear (kept in the SHARED bit of the lab's page-state array, one byte per RAM
 * page) and at which level each range is mapped. The direct map starts with 2 MiB pages;
 * changing part of a 2 MiB page splits it into 4 KiB pages (CPA's split_large_page).
 *
 * The level matters for the notifications: v11's `set_memory_enc_dec_hypercall` and
 * upstream's `notify_range_enc_status_changed` walk the page tables and issue one
 * hypercall **per mapping** — 512 pages for a 2 MiB mapping, 1 for a 4 KiB one
 * (reference sev-migration-flow.md §2.2).
 */
import { PageState, type PageStates } from '../host/page-states.js';
import { gpaOfRamOffset, ramOffsetOf, type X86Layout } from '../vmm/memory-layout.js';

/** One mapping the walk found: `npages` pages from `gpa`. */
export interface Mapping {
  gpa: number;
  npages: number;
}

const PMD_PAGES = 512;
const PMD = 2 * 1024 * 1024;

/** The guest's direct map. */
export class GuestPageTables {
  /** 2 MiB frames (gpa / 2 MiB) that have been split into 4 KiB pages. */
  private readonly split = new Set<number>();

  constructor(
    private readonly layout: X86Layout,
    private readonly states: PageStates,
  ) {}

  /** Page index in the state array of a RAM gpa, or undefined (not RAM). */
  private index(gpa: number): number | undefined {
    const off = ramOffsetOf(this.layout, gpa);
    return off === undefined ? undefined : off / 4096;
  }

  /** True when the guest maps `gpa` with the C-bit clear. */
  isShared(gpa: number): boolean {
    const i = this.index(gpa);
    return i !== undefined && this.states.has(i, PageState.SHARED);
  }

  /** Sets the C-bit of `[gpa, gpa + npages pages)` (enc) or clears it, splitting large pages at the edges. */
  setEncryption(gpa: number, npages: number, enc: boolean): void {
    const end = gpa + npages * 4096;
    for (let a = gpa; a < end; a += 4096) {
      const i = this.index(a);
      if (i === undefined) continue;
      const b = this.states.bytes;
      b[i] = enc ? b[i] & ~PageState.SHARED & 0xff : b[i] | PageState.SHARED;
    }
    // A 2 MiB frame only partly covered is split; one wholly covered keeps its level.
    const first = Math.floor(gpa / PMD);
    const last = Math.floor((end - 1) / PMD);
    for (const f of [first, last]) {
      if (!(gpa <= f * PMD && end >= (f + 1) * PMD)) this.split.add(f);
    }
  }

  /** The mappings covering `[gpa, gpa + npages pages)`: whole 2 MiB mappings where unsplit, 4 KiB pages elsewhere. */
  walk(gpa: number, npages: number): Mapping[] {
    const out: Mapping[] = [];
    const end = gpa + npages * 4096;
    let a = gpa;
    while (a < end) {
      const f = Math.floor(a / PMD);
      if (!this.split.has(f)) {
        // The walk reports the whole large page, starting at its first frame (pg_level_to_pfn).
        out.push({ gpa: f * PMD, npages: PMD_PAGES });
        a = (f + 1) * PMD;
      } else {
        out.push({ gpa: a - (a % 4096), npages: 1 });
        a = a - (a % 4096) + 4096;
      }
    }
    return out;
  }

  /**
   * A new kernel (kexec, reset): the direct map is rebuilt with 2 MiB pages and every page
   * of the `usable` ranges is private again; firmware-reserved pages keep their C-bit.
   */
  reset(usable: readonly { addr: number; size: number }[]): void {
    this.split.clear();
    for (const r of usable) {
      const i = this.index(r.addr);
      if (i !== undefined) this.states.setBits(i, r.size / 4096, PageState.SHARED, false);
    }
  }

  /** The split 2 MiB frames (part of the guest's migrated state: its page tables live in guest memory). */
  splitFrames(): number[] {
    return [...this.split].sort((a, b) => a - b);
  }

  /** Restores the split frames on a migration target (the SHARED bits travel separately). */
  loadSplitFrames(frames: readonly number[]): void {
    this.split.clear();
    for (const f of frames) this.split.add(f);
  }

  /** The shared RAM ranges as the guest maps them (for tests). */
  sharedRanges(): Mapping[] {
    const out: Mapping[] = [];
    const b = this.states.bytes;
    for (let i = 0; i < b.length; i++) {
      if ((b[i] & PageState.SHARED) === 0) continue;
      const gpa = gpaOfRamOffset(this.layout, i * 4096);
      const last = out[out.length - 1];
      if (last && last.gpa + last.npages * 4096 === gpa) last.npages++;
      else out.push({ gpa, npages: 1 });
    }
    return out;
  }
}
