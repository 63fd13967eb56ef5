/**
 * The guest's workload: a seeded program that writes plaintext into private pages (its
 * working set) and into shared pages (a DMA ring it allocates with `set_memory_decrypted`,
 * as a driver's `dma_alloc_coherent` would), at a settable rate and pattern, so guest
 * memory has real contents and pages get dirty. Every write is a whole 4 KiB page through
 * the vCPU (private: encrypted by the memory controller; shared: plaintext).
 *
 * Parameters (scenario `workload`): `pagesPerSecond` (virtual time), `pattern`
 * (`sequential` | `random` | `hotspot`: 80 % of writes to the first 20 % of the set),
 * `workingSetMiB`, `sharedPages` (DMA ring size), `sharedWriteFraction` (share of writes
 * that go to the ring), `fill` (`text`: readable lines naming the page and the write;
 * `random`: seeded bytes), `tickMs` (virtual time per step), and optionally
 * `fillPagesPerSecond`: the workload first writes every working-set page once, in order,
 * at that rate, and only then runs `pattern` at `pagesPerSecond` — a guest whose whole
 * private memory has real contents before a migration starts, yet which is light enough
 * afterwards for precopy to converge (the 1 GiB migration bench).
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { NS } from '../core/clock.js';
import { SeededRng, type RngState } from '../core/rng.js';
import type { Emitter, HostContext } from '../host/context.js';
import type { Vcpu } from '../kvm/vcpu.js';
import { FOUR_GIB, type X86Layout } from '../vmm/memory-layout.js';
import type { KernelLayout } from './kernel-layout.js';
import type { SetMemory } from './set-memory.js';
import type { BootStep } from './steps.js';
import './events.js';

/** Workload parameters. */
export interface WorkloadParams {
  pagesPerSecond: number;
  pattern: 'sequential' | 'random' | 'hotspot';
  workingSetMiB: number;
  sharedPages: number;
  sharedWriteFraction: number;
  fill: 'text' | 'random';
  tickMs: number;
  /**
   * When set (> 0): write each working-set page once, in order, at this rate first, then
   * run `pattern` at `pagesPerSecond`. Absent in scenario documents (not parsed there yet).
   */
  fillPagesPerSecond?: number;
}

/** Defaults for every field. */
export const DEFAULT_WORKLOAD: WorkloadParams = {
  pagesPerSecond: 2000,
  pattern: 'random',
  workingSetMiB: 64,
  sharedPages: 16,
  sharedWriteFraction: 0.1,
  fill: 'text',
  tickMs: 10,
};

/** What a migration carries of the workload (its memory and registers on real hardware). */
export interface WorkloadVmstate {
  started: boolean;
  /** The touched bitmap of the working set, one bit per page, as hex. */
  touched: string;
  touchedCount: number;
  carry: number;
  cursor: number;
  writes: number;
  rng: RngState;
}

/** The running workload. */
export class Workload {
  private readonly ranges: { gpa: number; pages: number }[] = [];
  readonly privatePages: number;
  readonly ringGpa: number;
  private readonly touched: Uint8Array;
  private touchedCount = 0;
  private carry = 0;
  private cursor = 0;
  private writes = 0;
  started = false;

  constructor(
    private readonly ctx: HostContext,
    private readonly vcpu: Vcpu,
    private readonly mem: SetMemory,
    kl: KernelLayout,
    x86: X86Layout,
    readonly params: WorkloadParams,
    private rng: SeededRng,
    private readonly emit: Emitter,
  ) {
    this.ringGpa = kl.workloadBase;
    const lowStart = kl.workloadBase + params.sharedPages * 4096;
    if (kl.swiotlbBase > lowStart) this.ranges.push({ gpa: lowStart, pages: (kl.swiotlbBase - lowStart) / 4096 });
    if (x86.above4g > 0) this.ranges.push({ gpa: FOUR_GIB, pages: x86.above4g / 4096 });
    const avail = this.ranges.reduce((n, r) => n + r.pages, 0);
    this.privatePages = Math.min(avail, Math.floor(params.workingSetMiB * 256));
    this.touched = new Uint8Array(this.privatePages);
  }

  /** Working-set page `i` → guest address. */
  pageGpa(i: number): number {
    for (const r of this.ranges) {
      if (i < r.pages) return r.gpa + i * 4096;
      i -= r.pages;
    }
    return this.ranges[0].gpa;
  }

  /** Allocates the DMA ring (shared) and starts. */
  startSteps(): BootStep[] {
    return [
      () => {
        this.started = true;
        return this.params.sharedPages > 0 ? this.mem.decrypted(this.ringGpa, this.params.sharedPages) : [];
      },
    ];
  }

  /** The workload's state for a migration stream. */
  vmstate(): WorkloadVmstate {
    const bits = new Uint8Array(Math.ceil(this.privatePages / 8));
    for (let i = 0; i < this.privatePages; i++) if (this.touched[i]) bits[i >> 3] |= 1 << (i & 7);
    let hex = '';
    for (const b of bits) hex += b.toString(16).padStart(2, '0');
    return { started: this.started, touched: hex, touchedCount: this.touchedCount, carry: this.carry, cursor: this.cursor, writes: this.writes, rng: this.rng.state() };
  }

  /** Resumes from a migrated state (the same parameters on both hosts). */
  loadVmstate(s: WorkloadVmstate): void {
    this.started = s.started;
    for (let i = 0; i < this.privatePages; i++) this.touched[i] = (parseInt(s.touched.slice((i >> 3) * 2, (i >> 3) * 2 + 2) || '0', 16) >> (i & 7)) & 1;
    this.touchedCount = s.touchedCount;
    this.carry = s.carry;
    this.cursor = s.cursor;
    this.writes = s.writes;
    this.rng = SeededRng.restore(s.rng);
  }

  /** Pages of the working set written at least once. */
  get touchedPages(): number {
    return this.touchedCount;
  }

  /** One tick: advance virtual time and write this tick's pages. */
  tick(): void {
    const p = this.params;
    this.ctx.clock.advance(p.tickMs * NS.ms);
    const want = (this.rate() * p.tickMs) / 1000 + this.carry;
    const n = Math.floor(want);
    this.carry = want - n;
    let priv = 0;
    let shared = 0;
    for (let k = 0; k < n; k++) {
      this.writes++;
      const toRing = p.sharedPages > 0 && this.rng.float() < p.sharedWriteFraction;
      if (toRing) {
        const gpa = this.ringGpa + this.rng.int(0, p.sharedPages) * 4096;
        this.vcpu.write(gpa, this.content(gpa), false);
        shared++;
      } else if (this.privatePages > 0) {
        const i = this.pick();
        const gpa = this.pageGpa(i);
        this.vcpu.write(gpa, this.content(gpa), true);
        if (!this.touched[i]) {
          this.touched[i] = 1;
          this.touchedCount++;
        }
        priv++;
      }
    }
    this.emit('guest.workload', { pages: n, privatePages: priv, sharedPages: shared, touched: this.touchedCount });
  }

  /** True while the initial fill (see {@link WorkloadParams.fillPagesPerSecond}) runs. */
  get filling(): boolean {
    return (this.params.fillPagesPerSecond ?? 0) > 0 && this.touchedCount < this.privatePages;
  }

  private rate(): number {
    return this.filling ? this.params.fillPagesPerSecond! : this.params.pagesPerSecond;
  }

  private pick(): number {
    const N = this.privatePages;
    if (this.params.pattern === 'sequential' || this.filling) return this.cursor++ % N;
    if (this.params.pattern === 'hotspot' && this.rng.float() < 0.8) return this.rng.int(0, Math.max(1, Math.floor(N / 5)));
    return this.rng.int(0, N);
  }

  private content(gpa: number): Uint8Array {
    if (this.params.fill === 'random') return this.rng.bytes(4096);
    const line = utf8ToBytes(`kvm-lab guest page 0x${gpa.toString(16).padStart(9, '0')} write #${String(this.writes).padStart(8, '0')} tag ${this.rng.u32().toString(16).padStart(8, '0')}\n`);
    const out = new Uint8Array(4096);
    for (let o = 0; o < 4096; o += line.length) out.set(line.subarray(0, Math.min(line.length, 4096 - o)), o);
    return out;
  }
}
