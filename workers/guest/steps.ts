/**
 * A boot is a queue of small steps: each does one meaningful thing (a CPUID, a WRMSR, one
 * hypercall, a few console lines) and may return further steps, which run next (before
 * the rest of the queue). The machine's `step()` runs one step, so the boot-negotiation
 * stepper advances one exchange at a time.
 */

/** One unit of work; returns the steps it spawned (run first), if any. */
export type BootStep = () => BootStep[] | void;

/** A queue of steps with "spawned steps run first" semantics. */
export class StepQueue {
  private readonly q: BootStep[] = [];

  /** Appends steps at the end. */
  push(...steps: BootStep[]): void {
    this.q.push(...steps);
  }

  /** Runs the next step; false when the queue is empty. */
  runOne(): boolean {
    const s = this.q.shift();
    if (!s) return false;
    const more = s();
    if (more && more.length) this.q.unshift(...more);
    return true;
  }

  /** Runs everything (inputs that must complete at once). */
  drain(limit = 1_000_000): void {
    for (let i = 0; i < limit && this.runOne(); i++);
  }

  /** Steps waiting. */
  get length(): number {
    return this.q.length;
  }

  /** Drops every waiting step (system_reset). */
  clear(): void {
    this.q.length = 0;
  }
}
