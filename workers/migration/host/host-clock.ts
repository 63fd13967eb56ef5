/**
 * Each host of the migration lab keeps its own virtual time, as two real hosts do: the
 * source's PSP, the target's PSP and the link all take time in parallel, and the wire
 * carries the timestamps between them (wire.ts). A host's clock is a VirtualClock that
 * can also be *held*: while the guest's vCPU catches up with the migration thread (its
 * writes happen during the batch the migration thread just spent in the PSP), the
 * workload's own time advances are ignored, so the two threads of one host share one
 * timeline instead of adding their times.
 */
import { VirtualClock, type VirtualNs } from '../../core/clock.js';

/** A host's clock. */
export class HostClock extends VirtualClock {
  private tNow: VirtualNs = 0;
  private held = 0;

  override now(): VirtualNs {
    return this.tNow;
  }

  override advance(ns: VirtualNs): VirtualNs {
    if (!Number.isFinite(ns) || ns < 0) throw new RangeError(`virtual time cannot move by ${ns} ns`);
    if (this.held === 0) this.tNow += ns;
    return this.tNow;
  }

  override advanceTo(t: VirtualNs): VirtualNs {
    if (this.held === 0 && t > this.tNow) this.tNow = t;
    return this.tNow;
  }

  /** Runs `f` with time standing still (another thread of this host already accounted for it). */
  hold<T>(f: () => T): T {
    this.held++;
    try {
      return f();
    } finally {
      this.held--;
    }
  }
}
