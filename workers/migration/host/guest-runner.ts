/**
 * The guest's vCPU on one host of the migration lab: workload ticks at their virtual
 * times, in parallel with the host's migration thread. When the migration thread has
 * just spent time in the PSP, the ticks that fell due meanwhile run with the host clock
 * held (catchUp), so the guest keeps dirtying pages at its own rate during a batch —
 * which is what makes precopy iterate. Auto-converge throttling stretches the tick period
 * (a vCPU throttled by p % runs (100 − p) % of the time, reference §5.3).
 */
import { NS } from '../../core/clock.js';
import type { SevHost } from '../../host/sev-host.js';
import type { HostClock } from './host-clock.js';

/** The guest of one host. */
export class GuestRunner {
  /** Virtual time of the next tick (NaN until the workload starts). */
  private nextAt = NaN;
  /** vCPU throttle (auto-converge), percent. */
  throttlePct = 0;
  /** Ticks run so far (for the summary). */
  ticks = 0;

  constructor(
    private readonly host: SevHost,
    private readonly clock: HostClock,
  ) {}

  /** True while the guest's workload runs (booted, VM running, workload started). */
  get running(): boolean {
    const h = this.host;
    return !h.booting && !h.failed && h.vmm.runstate === 'running' && h.workload?.started === true;
  }

  private period(): number {
    const tick = (this.host.workload?.params.tickMs ?? 10) * NS.ms;
    return tick / (1 - Math.min(99, this.throttlePct) / 100);
  }

  /** When the next tick is due (Infinity while the guest does not run). */
  nextTickAt(): number {
    if (!this.running) {
      this.nextAt = NaN;
      return Infinity;
    }
    if (Number.isNaN(this.nextAt)) this.nextAt = this.clock.now() + this.period();
    return this.nextAt;
  }

  /** Runs the tick due now (the host had nothing earlier to do). */
  tick(): void {
    const at = this.nextTickAt();
    if (at === Infinity) return;
    this.clock.advanceTo(at);
    this.runOne();
  }

  /** Runs every tick due by `t` without moving the host clock (the migration thread already did). */
  catchUp(t: number): void {
    while (this.nextTickAt() <= t) this.runOne();
  }

  private runOne(): void {
    this.clock.hold(() => this.host.workload!.tick());
    this.nextAt += this.period();
    this.ticks++;
  }
}
