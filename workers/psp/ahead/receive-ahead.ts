/**
 * RECEIVE_UPDATE_DATA computed ahead (reference §10.1, §10.2, §13; docs/ARCHITECTURE.md
 * "Fast page crypto"): the target host hands the PSP the packets that have arrived but
 * not been loaded yet, with the pages they are for. The PSP verifies and decrypts them on
 * a bulk lane (WebCrypto's native HMAC and AES-CTR) and re-encrypts each plaintext at
 * once with the guest's key slot (the §13 memory cipher), keeping only the resulting DRAM
 * bytes — never the plaintext.
 *
 * RECEIVE_UPDATE_DATA runs every check in the firmware's order, reads the header and the
 * transport data from host memory as always, and then asks {@link ReceiveAhead.take} for
 * the DRAM bytes of exactly that packet at exactly that page under the same channel and
 * key slot. A packet whose MAC failed is never kept, so it takes the normal path and fails
 * there with BAD_MEASUREMENT; so does anything that changed.
 */
import { type BulkLane } from '../crypto/bulk/bulk-lane.js';
import { type MemoryCipher, type TransportKeys } from '../crypto/index.js';
import { type Firmware } from '../firmware.js';
import { GuestState } from '../guest-state.js';
import { type GuestContext } from '../guest-table.js';
import { type AheadStats } from './send-ahead.js';
import { sameBytes } from './same-bytes.js';

const PAGE = 4096;
const MAX_KEPT = 1024;

/** A packet to receive into the whole page at `spa`. */
export interface ReceiveItem {
  readonly spa: number;
  readonly hdr: Uint8Array;
  readonly trans: Uint8Array;
}

interface ReceiveEntry {
  readonly handle: number;
  readonly hdr: Uint8Array;
  readonly trans: Uint8Array;
  /** What DRAM will hold: the plaintext under the target's key slot at this page. */
  readonly dram: Uint8Array;
  readonly keys: TransportKeys;
  readonly cipher: MemoryCipher;
}

/** The receive side of the PSP's look-ahead. */
export class ReceiveAhead {
  /** By page; a page may come twice in one window (a later pass re-sends it). */
  private readonly byPage = new Map<number, ReceiveEntry[]>();
  private kept = 0;
  readonly stats: AheadStats = { prepared: 0, hits: 0, misses: 0 };

  constructor(private readonly fw: Firmware) {}

  /**
   * Opens `items` for guest `handle` ahead of their commands on `lane` and keeps the DRAM
   * bytes of those that verify. Resolves with the number kept. Does nothing for a guest
   * that is not receiving.
   */
  async prepare(lane: BulkLane, handle: number, items: readonly ReceiveItem[]): Promise<number> {
    const g = this.fw.guests.get(handle);
    const cipher = g && g.asid !== 0 ? this.fw.hw.controller.slotCipher(g.asid) : undefined;
    if (!g || g.state !== GuestState.RUPDATE || !g.channel || !cipher) return this.kept;
    const keys = g.channel.keys;
    const jobs = items
      .slice(0, Math.max(0, MAX_KEPT - this.kept))
      .filter((it) => it.spa % PAGE === 0 && it.trans.length === PAGE && it.hdr.length >= 52)
      .map((it) => ({ spa: it.spa, hdr: it.hdr.slice(), trans: it.trans.slice() }));
    const opened = await lane.openPages(keys, jobs);
    if (keys.wiped) return this.kept;
    opened.forEach((o, i) => {
      if (!o.ok) return;
      const j = jobs[i];
      const dram = cipher.encrypt(j.spa, o.plaintext, new Uint8Array(PAGE));
      o.plaintext.fill(0);
      const list = this.byPage.get(j.spa);
      const e = { handle, hdr: j.hdr, trans: j.trans, dram, keys, cipher };
      if (list) list.push(e);
      else this.byPage.set(j.spa, [e]);
      this.kept++;
      this.stats.prepared++;
    });
    return this.kept;
  }

  /**
   * For RECEIVE_UPDATE_DATA into `spa` (`len` bytes) of the packet `hdr` ‖ `trans`: the
   * bytes DRAM must hold afterwards, when this very packet was opened ahead under the same
   * channel and key slot; else undefined.
   */
  take(g: GuestContext, spa: number, len: number, hdr: Uint8Array, trans: Uint8Array): Uint8Array | undefined {
    const list = this.byPage.get(spa);
    if (!list) return undefined;
    const i = list.findIndex((e) => e.handle === g.handle && sameBytes(e.hdr, hdr) && sameBytes(e.trans, trans));
    if (i < 0) {
      this.stats.misses++;
      return undefined;
    }
    const e = list[i];
    list.splice(i, 1);
    if (list.length === 0) this.byPage.delete(spa);
    this.kept--;
    const valid = len === PAGE && g.channel?.keys === e.keys && !e.keys.wiped && this.fw.hw.controller.slotCipher(g.asid) === e.cipher;
    if (!valid) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    return e.dram;
  }

  /** Drops everything kept. */
  clear(): void {
    this.byPage.clear();
    this.kept = 0;
  }

  /** Packets kept. */
  get queued(): number {
    return this.kept;
  }
}
