/**
 * Virtual time for the engine.
 *
 * The engine never reads the wall clock: every timestamp in the event log is virtual
 * nanoseconds from this clock, advanced by the cost model of whoever did the work
 * (link bandwidth, PSP time per command, guest dirtying rate, ...). So a run looks the
 * same on every machine, and the UI's speed control only decides how fast it plays.
 */

/** Virtual nanoseconds since the start of a run. */
export type VirtualNs = number;

/** What components read the time from. */
export interface Clock {
  /** The current virtual time in nanoseconds. */
  now(): VirtualNs;
}

/** A clock that moves only when told to. */
export class VirtualClock implements Clock {
  private t: VirtualNs;

  constructor(start: VirtualNs = 0) {
    this.t = start;
  }

  now(): VirtualNs {
    return this.t;
  }

  /** Moves time forward by `ns` (a non-negative finite number). */
  advance(ns: VirtualNs): VirtualNs {
    if (!Number.isFinite(ns) || ns < 0) {
      throw new RangeError(`virtual time cannot move by ${ns} ns`);
    }
    this.t += ns;
    return this.t;
  }

  /** Moves time forward to `t` if it is later than now (events that run in parallel). */
  advanceTo(t: VirtualNs): VirtualNs {
    if (t > this.t) this.t = t;
    return this.t;
  }
}

/** Nanoseconds per unit, for readable cost models. */
export const NS = { us: 1_000, ms: 1_000_000, s: 1_000_000_000 } as const;
