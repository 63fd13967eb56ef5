/**
 * The deterministic scheduler of the one-process lab (Node: CLI, tests, bench; also the
 * browser until the hosts move to workers): every actor — each host, and the scripted
 * operator — reports the virtual time of its next work, and one `step()` runs the actor
 * that is earliest (ties: in the order the actors were added). Hosts therefore compute
 * "in parallel" in virtual time, each on its own clock, and the same seed and inputs
 * always give the same interleaving.
 */

/** Something the scheduler runs. */
export interface Actor {
  readonly name: string;
  /** Virtual time (ns) of its next work; Infinity when it has none. */
  nextTime(): number;
  /** Does that work. */
  step(): void;
}

/** Picks the earliest actor, one step at a time. */
export class Scheduler {
  private readonly actors: Actor[] = [];

  /** Adds an actor (its position decides ties). */
  add(a: Actor): void {
    this.actors.push(a);
  }

  /** The earliest actor and its time, or undefined when every actor is idle. */
  next(): { actor: Actor; at: number } | undefined {
    let best: Actor | undefined;
    let at = Infinity;
    for (const a of this.actors) {
      const t = a.nextTime();
      if (t < at) {
        at = t;
        best = a;
      }
    }
    return best ? { actor: best, at } : undefined;
  }

  /** Runs one step of the earliest actor; false when all are idle. */
  step(): boolean {
    const n = this.next();
    if (!n) return false;
    n.actor.step();
    return true;
  }
}
