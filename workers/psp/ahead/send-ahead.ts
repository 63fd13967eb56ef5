/**
 * SEND_UPDATE_DATA computed ahead (reference §10.1, §10.2; docs/ARCHITECTURE.md
 * "Fast page crypto"): before the migration's next batch, the host names the guest pages
 * it is about to send; the PSP reads their DRAM bytes, draws — on a *copy* of its TRNG —
 * the IVs those commands will draw, and seals the packets on a bulk lane (WebCrypto's
 * native AES and HMAC, off the worker's thread where the platform runs them elsewhere).
 *
 * The mailbox stays synchronous and authoritative. SEND_UPDATE_DATA runs every check,
 * draws its IV from the real TRNG as always, and then asks {@link SendAhead.take} for a
 * packet computed with exactly that IV, that channel, that key slot and those DRAM bytes;
 * anything else (the guest wrote the page meanwhile, a page was skipped so the IVs moved
 * on, the channel was wiped) is a miss and the command seals the page itself. A hit is
 * therefore the same bytes by construction, and the TRNG is drawn the same way either way.
 */
import { type SeededRng } from '../../core/rng.js';
import { type BulkLane } from '../crypto/bulk/bulk-lane.js';
import { type MemoryCipher, type TransportKeys } from '../crypto/index.js';
import { type Firmware } from '../firmware.js';
import { GuestState } from '../guest-state.js';
import { type GuestContext } from '../guest-table.js';
import { sameBytes } from './same-bytes.js';

const PAGE = 4096;
const IV_LEN = 16;
/** At most this many packets wait (two batches of QEMU's 64 pages and then some). */
const MAX_QUEUED = 512;

/** One packet computed ahead, waiting for its command. */
interface SendEntry {
  readonly handle: number;
  readonly spa: number;
  /** The TRNG position (bytes drawn) at which its command draws the IV. */
  readonly ivAt: number;
  readonly iv: Uint8Array;
  /** The DRAM bytes the packet was made from (the command compares them). */
  readonly dram: Uint8Array;
  readonly trans: Uint8Array;
  readonly mac: Uint8Array;
  readonly keys: TransportKeys;
  readonly cipher: MemoryCipher;
}

/** Hit and miss counts (for the bench and tests). */
export interface AheadStats {
  prepared: number;
  hits: number;
  misses: number;
}

/** The send side of the PSP's look-ahead. */
export class SendAhead {
  /** Packets in the order their commands will come (their IVs are consecutive TRNG draws). */
  private queue: SendEntry[] = [];
  readonly stats: AheadStats = { prepared: 0, hits: 0, misses: 0 };
  private readonly page = new Uint8Array(PAGE);
  /** Packets being sealed now (one prepare at a time). */
  private inFlight = 0;
  /** The last page queued or being sealed, and the last page a command sent (host-side prediction starts after it). */
  private tailSpa: number | undefined;
  private lastSentSpa: number | undefined;

  constructor(
    private readonly fw: Firmware,
    /** The firmware's TRNG itself (only its state is read here, to make a copy). */
    private readonly trng: SeededRng,
  ) {}

  /**
   * Seals, ahead of their commands, the whole pages at system addresses `spas` of guest
   * `handle` (in the order SEND_UPDATE_DATA will name them) on `lane`. Resolves with the
   * number of packets now waiting. Does nothing for a guest that is not sending.
   */
  async prepare(lane: BulkLane, handle: number, spas: readonly number[]): Promise<number> {
    const g = this.fw.guests.get(handle);
    const cipher = g && g.asid !== 0 ? this.fw.hw.controller.slotCipher(g.asid) : undefined;
    if (!g || g.state !== GuestState.SUPDATE || !g.channel || !cipher || this.inFlight > 0) return this.queue.length;
    const keys = g.channel.keys;
    // The IVs after those already promised to queued packets; commands may run while the
    // lane works, so positions are absolute TRNG offsets, checked again at the end.
    const first = this.trng.position + IV_LEN * this.queue.length;
    const peek = this.trng.clone();
    if (this.queue.length > 0) peek.bytes(IV_LEN * this.queue.length);
    const raws: { spa: number; raw: Uint8Array }[] = [];
    for (const spa of spas.slice(0, Math.max(0, MAX_QUEUED - this.queue.length))) {
      const raw = spa % PAGE === 0 ? this.fw.hw.memory.read(spa, PAGE) : undefined;
      if (!raw) break;
      raws.push({ spa, raw });
    }
    const ivs = raws.map(() => peek.bytes(IV_LEN));
    this.inFlight = raws.length;
    this.tailSpa = raws.length ? raws[raws.length - 1].spa : this.tailSpa;
    try {
      const plain = await lane.decryptPages(cipher, raws);
      const sealed = await lane.sealPages(
        keys,
        plain.map((p, i) => ({ plaintext: p, iv: ivs[i] })),
      );
      for (const p of plain) p.fill(0);
      // Still aligned only if every IV drawn meanwhile went to a queued packet, in order.
      const next = this.queue.length ? this.queue[this.queue.length - 1].ivAt + IV_LEN : this.trng.position;
      if (next !== first || keys.wiped) return this.queue.length;
      raws.forEach((r, i) => this.queue.push({ handle, spa: r.spa, ivAt: first + IV_LEN * i, iv: ivs[i], dram: r.raw, trans: sealed[i].trans, mac: sealed[i].mac, keys, cipher }));
      this.stats.prepared += raws.length;
      return this.queue.length;
    } finally {
      this.inFlight = 0;
    }
  }

  /**
   * For SEND_UPDATE_DATA of `len` bytes at `spa` that drew `iv`: the packet (transport
   * data and MAC) when one was computed from exactly these inputs, else undefined.
   */
  take(g: GuestContext, spa: number, len: number, iv: Uint8Array): { trans: Uint8Array; mac: Uint8Array } | undefined {
    this.lastSentSpa = spa;
    const e = this.queue[0];
    if (!e) return undefined;
    if (!sameBytes(e.iv, iv)) {
      // The TRNG has moved past what was predicted: nothing queued can match any more.
      this.stats.misses += this.queue.length;
      this.queue = [];
      return undefined;
    }
    if (e.spa !== spa || e.handle !== g.handle) {
      // Another page than predicted drew this IV: every later packet is off by one too.
      this.stats.misses += this.queue.length;
      this.queue = [];
      return undefined;
    }
    this.queue.shift();
    const valid =
      len === PAGE &&
      g.channel?.keys === e.keys &&
      !e.keys.wiped &&
      this.fw.hw.controller.slotCipher(g.asid) === e.cipher &&
      this.fw.hw.memory.readInto(spa, this.page) &&
      sameBytes(this.page, e.dram);
    if (!valid) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    return { trans: e.trans, mac: e.mac };
  }

  /** Drops everything waiting (a channel closed; the PSP was reset). */
  clear(): void {
    this.queue = [];
    this.tailSpa = undefined;
    this.lastSentSpa = undefined;
  }

  /** Packets waiting or being sealed. */
  get queued(): number {
    return this.queue.length + this.inFlight;
  }

  /**
   * Where a host's prediction of its next pages should continue: after the last page
   * waiting or being sealed, else after the last page a command sent (undefined: from the start).
   */
  get continueAfter(): number | undefined {
    return this.queued > 0 ? this.tailSpa : this.lastSentSpa;
  }
}
