/**
 * The source's RAM records (reference §4.5, §4.6, §5.1; QEMU migration/ram.c with the AMD
 * v4 series): walk the migration bitmap in ram_list order and put each dirty page on the
 * stream by the per-page path choice of §4.5:
 *
 * 1. `system.flash0` (OVMF code) → always through the PSP; `system.flash1` (variables) →
 *    always plain;
 * 2. pc.ram → through the PSP unless the page's GFN lies in the VMM's shared-regions list.
 *    [U] lab choice: the GFN is the page's real guest-physical frame; the v4 code adds the
 *    block offset to the region base, which is the same below 4 GiB (the lab's layouts)
 *    and wrong above it (the reference's open issue).
 *
 * Private pages never take the zero-page path (one PSP round trip each); plain pages are
 * ZERO records when all zero, else PAGE records. One call sends one batch.
 */
import type { EventKinds } from '../../core/events.js';
import { PageState, type PageStates } from '../../host/page-states.js';
import { gpaOfRamOffset } from '../../vmm/memory-layout.js';
import type { Vmm } from '../../vmm/vmm.js';
import { FLASH0_BASE, FLASH1_BASE } from '../../vmm/memory-layout.js';
import { RamSaveFlag } from '../stream/format.js';
import { writeEncryptedPageSubtype, writeRamHeader } from '../stream/records.js';
import type { StreamWriter } from '../stream/writer.js';
import type { SevOutgoing } from '../sev/sev-outgoing.js';
import type { MigrationCounters } from './convergence.js';
import type { MigrationBitmap } from './dirty-bitmap.js';
import { GfnRanges } from './gfn-ranges.js';
import '../events.js';

/** [U] lab cost model: QEMU's CPU time for a plain page (zero check + copy), ns. */
const PLAIN_PAGE_NS = 2_000;
/** QEMU checks its 50 ms budget every 64 pages (ram_save_iterate). */
const CHECK_EVERY = 64;

/** How a batch ended and what it sent. */
export interface BatchResult {
  pages: number;
  encrypted: number;
  normal: number;
  zero: number;
  bytes: number;
  gfns: string[];
  ended: 'time' | 'rate-limit' | 'round' | 'sev-start' | 'pages' | 'error';
  error?: string;
}

/** The `migration.batch` event of a batch (one event, never one per page). */
export function batchEvent(r: BatchResult, section: 'part' | 'end', pass: number, streamOffset: number, ns: number, psp: Record<string, number>, pspNs: number): EventKinds['migration.batch'] {
  return { section, pass, pages: r.pages, encrypted: r.encrypted, normal: r.normal, zero: r.zero, bytes: r.bytes, streamOffset, gfns: r.gfns, psp, pspNs, ns, ended: r.ended };
}

/** The RAM walker of one outgoing migration. */
export class RamSaver {
  private bi = 0;
  private page = 0;
  private lastBlock: string | undefined;
  /** Passes over the bitmap started (1 = the first full pass). */
  pass = 1;
  private readonly ranges = new GfnRanges();

  constructor(
    private readonly vmm: Vmm,
    private readonly bitmap: MigrationBitmap,
    private readonly w: StreamWriter,
    private readonly counters: MigrationCounters,
    private readonly sev: SevOutgoing,
    private readonly states: PageStates,
    /** Lets the guest catch up with the host clock (it runs while the PSP works). */
    private readonly catchUp: () => void,
  ) {}

  /** The block the last record named (for the shared-regions list header). */
  get lastSentBlock(): string | undefined {
    return this.lastBlock;
  }

  /** True when page `page` of block `bi` goes through the PSP (§4.5). */
  isEncrypted(bi: number, page: number): boolean {
    const b = this.bitmap.blocks[bi];
    if (b.name === 'system.flash0') return true;
    if (b.name === 'system.flash1') return false;
    const gfn = gpaOfRamOffset(this.vmm.ram.layout, page * 4096) / 4096;
    return !this.vmm.shared.isShared(gfn);
  }

  /** The guest frame of a block page (for the batch's GFN ranges). */
  private gfnOf(name: string, page: number): number {
    if (name === 'system.flash0') return FLASH0_BASE / 4096 + page;
    if (name === 'system.flash1') return FLASH1_BASE / 4096 + page;
    return gpaOfRamOffset(this.vmm.ram.layout, page * 4096) / 4096;
  }

  /**
   * Sends dirty pages until the budget says stop: `deadlineNs` checked every 64 pages,
   * `maxPages`, the rate limit (iterate only), or the bitmap running dry.
   */
  sendBatch(now: () => number, opts: { deadlineNs?: number; maxPages?: number; rateLimit: boolean }): BatchResult {
    const r: BatchResult = { pages: 0, encrypted: 0, normal: 0, zero: 0, bytes: 0, gfns: [], ended: 'round' };
    this.ranges.reset();
    const blocks = this.bitmap.blocks;
    for (;;) {
      if (opts.maxPages !== undefined && r.pages >= opts.maxPages) {
        r.ended = 'pages';
        break;
      }
      if (r.pages > 0 && r.pages % CHECK_EVERY === 0 && opts.deadlineNs !== undefined && now() > opts.deadlineNs) {
        r.ended = 'time';
        break;
      }
      if (opts.rateLimit && this.counters.rateLimited()) {
        r.ended = 'rate-limit';
        break;
      }
      const next = this.bitmap.findNext(this.bi, this.page);
      if (!next) break;
      if (next.wrapped) this.pass++;
      this.bi = next.bi;
      this.page = next.page;
      const b = blocks[next.bi];
      const enc = this.isEncrypted(next.bi, next.page);
      if (enc && !this.sev.sending) {
        r.ended = 'sev-start';
        break;
      }
      this.bitmap.clear(next.bi, next.page);
      const offset = next.page * 4096;
      const hva = b.hva + offset;
      let n: number;
      if (enc) {
        n = writeRamHeader(this.w, offset, RamSaveFlag.ENCRYPTED_DATA, b.name, this.lastBlock);
        writeEncryptedPageSubtype(this.w);
        const sent = this.sev.sendPage(this.w, hva);
        if (typeof sent === 'string') {
          r.ended = 'error';
          r.error = sent;
          break;
        }
        n += 4 + sent;
        r.encrypted++;
        this.counters.normal++;
        this.counters.encrypted++;
      } else {
        n = this.sendPlain(b.name, offset, hva, r);
        this.vmm.ctx.clock.advance(PLAIN_PAGE_NS);
      }
      this.lastBlock = b.name;
      this.counters.addBytes(n);
      r.bytes += n;
      r.pages++;
      if (b.name === 'pc.ram') {
        const s = this.states.bytes;
        s[next.page] = enc ? s[next.page] | PageState.MIGRATED | PageState.MIGRATED_ENCRYPTED : (s[next.page] | PageState.MIGRATED) & ~PageState.MIGRATED_ENCRYPTED & 0xff;
      }
      this.ranges.add(this.gfnOf(b.name, next.page));
      this.page = next.page + 1;
      this.catchUp();
    }
    r.gfns = this.ranges.list();
    return r;
  }

  /** A plain page: a ZERO record (`save_zero_page`) or a PAGE record with the raw bytes. */
  private sendPlain(block: string, offset: number, hva: number, r: BatchResult): number {
    const data = this.vmm.mem.read(hva, 4096)!;
    let zero = true;
    for (let i = 0; i < data.length; i++) {
      if (data[i] !== 0) {
        zero = false;
        break;
      }
    }
    if (zero) {
      const n = writeRamHeader(this.w, offset, RamSaveFlag.ZERO, block, this.lastBlock);
      this.w.u8(0);
      r.zero++;
      this.counters.duplicate++;
      return n + 1;
    }
    const n = writeRamHeader(this.w, offset, RamSaveFlag.PAGE, block, this.lastBlock);
    this.w.bytes(data);
    r.normal++;
    this.counters.normal++;
    return n + 4096;
  }
}
