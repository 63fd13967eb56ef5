/**
 * The source's accounting and its convergence rule (reference §5.2, §5.3; QEMU 6.x
 * migration.c `migration_update_counters`, ram.c `migration_bitmap_sync`,
 * `migration_trigger_throttle`, `mig_throttle_guest_down`):
 *
 * - every ≥ 100 ms window (BUFFER_DELAY): bandwidth = bytes sent / ms, threshold =
 *   bandwidth × downtime-limit, mbps, pages-per-second, and — once the guest dirties
 *   pages and > 10000 bytes went — expected downtime = remaining / bandwidth; the
 *   max-bandwidth budget (max-bandwidth / 10 per window) resets;
 * - the AMD v4 series raises the downtime limit to at least 1000 ms when memory
 *   encryption is active (QV4-13; [U] lab choice: applied where the threshold is computed);
 * - the dirty page rate and the throttle check run when ≥ 1000 ms passed since the
 *   previous one: with auto-converge, dirtying more than throttle-trigger-threshold % of
 *   what was sent, twice, throttles the vCPUs (20 %, +10 %, at most 99 %).
 */
import type { MigrationParameters } from './migrate-params.js';

/** QEMU's BUFFER_DELAY: the rate window, ms. */
export const BUFFER_DELAY_MS = 100;
/** XFER_LIMIT_RATIO: the window's share of max-bandwidth. */
const XFER_LIMIT_RATIO = 1000 / BUFFER_DELAY_MS;
/** [U] the v4 floor of the downtime limit for SEV guests, ms. */
export const SEV_MIN_DOWNTIME_MS = 1000;

/** `ram_counters` plus the MigrationState figures `info migrate` shows. */
export class MigrationCounters {
  transferred = 0;
  duplicate = 0;
  /** Pages sent (QEMU counts encrypted pages as normal too). */
  normal = 0;
  /** Of `normal`, the pages that went through SEND_UPDATE_DATA (lab figure). */
  encrypted = 0;
  dirtySyncCount = 0;
  dirtyPagesRate = 0;
  pagesPerSecond = 0;
  mbps = 0;
  /** Bytes per ms of the last window. */
  bandwidth = 0;
  thresholdBytes = 0;
  expectedDowntimeMs: number;
  throttlePct = 0;
  private windowStartNs: number;
  private windowStartBytes = 0;
  private windowStartPages = 0;
  /** Bytes counted against this window's rate budget. */
  private rateUsed = 0;
  private lastRateNs: number;
  private dirtyPagesPeriod = 0;
  private bytesXferPrev = 0;
  private dirtyRateHighCnt = 0;

  constructor(
    private readonly params: MigrationParameters,
    startNs: number,
    /** True for an SEV guest (the v4 downtime floor). */
    private readonly sev: boolean,
  ) {
    this.windowStartNs = startNs;
    this.lastRateNs = startNs;
    this.expectedDowntimeMs = params.downtimeLimitMs;
  }

  /** The downtime limit the threshold uses, ms. */
  get downtimeLimitMs(): number {
    return this.sev ? Math.max(this.params.downtimeLimitMs, SEV_MIN_DOWNTIME_MS) : this.params.downtimeLimitMs;
  }

  /** Bytes put on the stream (headers included). */
  addBytes(n: number): void {
    this.transferred += n;
    this.rateUsed += n;
  }

  /** True when this window's max-bandwidth budget is spent (`qemu_file_rate_limit`). */
  rateLimited(): boolean {
    const max = this.params.maxBandwidth / XFER_LIMIT_RATIO;
    return max > 0 && this.rateUsed > max;
  }

  /** When the current window ends (the thread sleeps until then when rate-limited). */
  windowEndNs(): number {
    return this.windowStartNs + BUFFER_DELAY_MS * 1e6;
  }

  /** `migration_update_counters` at time `now` with `remainingBytes` still dirty. */
  update(now: number, remainingBytes: number): void {
    const spentMs = (now - this.windowStartNs) / 1e6;
    if (spentMs < BUFFER_DELAY_MS) return;
    const bytes = this.transferred - this.windowStartBytes;
    this.bandwidth = bytes / spentMs;
    this.thresholdBytes = this.bandwidth * this.downtimeLimitMs;
    this.mbps = (bytes * 8) / (spentMs / 1000) / 1e6;
    this.pagesPerSecond = Math.floor((this.normal + this.duplicate - this.windowStartPages) / (spentMs / 1000));
    if (this.dirtyPagesRate && bytes > 10000 && this.bandwidth > 0) this.expectedDowntimeMs = Math.floor(remainingBytes / this.bandwidth);
    this.rateUsed = 0;
    this.windowStartNs = now;
    this.windowStartBytes = this.transferred;
    this.windowStartPages = this.normal + this.duplicate;
  }

  /**
   * After a bitmap sync that found `newlyDirty` pages at `now`: the dirty rate and the
   * throttle check once a second. Returns the new throttle percentage when it changed.
   */
  afterSync(now: number, newlyDirty: number, autoConverge: boolean): { percent: number; dirty: number; threshold: number } | undefined {
    this.dirtySyncCount++;
    this.dirtyPagesPeriod += newlyDirty;
    const periodMs = (now - this.lastRateNs) / 1e6;
    if (periodMs <= 1000) return undefined;
    let changed: { percent: number; dirty: number; threshold: number } | undefined;
    const xfer = this.transferred - this.bytesXferPrev;
    const dirtyBytes = this.dirtyPagesPeriod * 4096;
    const threshold = (xfer * this.params.throttleTriggerThreshold) / 100;
    if (autoConverge && dirtyBytes > threshold && ++this.dirtyRateHighCnt >= 2) {
      this.dirtyRateHighCnt = 0;
      const p = this.params;
      this.throttlePct = this.throttlePct === 0 ? p.cpuThrottleInitial : Math.min(this.throttlePct + p.cpuThrottleIncrement, p.maxCpuThrottle);
      changed = { percent: this.throttlePct, dirty: dirtyBytes, threshold };
    }
    this.dirtyPagesRate = Math.floor((this.dirtyPagesPeriod * 1000) / periodMs);
    this.lastRateNs = now;
    this.dirtyPagesPeriod = 0;
    this.bytesXferPrev = this.transferred;
    return changed;
  }
}
