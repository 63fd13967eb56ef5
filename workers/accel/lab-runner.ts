/**
 * Runs a migration lab's steps (MigrationLab.step: one actor of the deterministic
 * scheduler at a time) with every host's page-crypto look-ahead overlapping them: before
 * each step the hosts start their bulk work for what comes next, and the step runs while
 * the bulk lane computes on its own threads. The steps, their order and everything they
 * produce are those of plain `lab.step()` calls (the look-ahead changes no result); only
 * the wall time differs. For Node callers (bench, CLI) and the engine worker.
 */
import type { MigrationLab } from '../machines/sev-migration/migration-lab.js';
import { HostAhead } from './host-ahead.js';

/** A lab with look-ahead attached to every host and wire. */
export class FastLab {
  readonly aheads: HostAhead[];

  constructor(readonly lab: MigrationLab) {
    this.aheads = lab.hosts.map((h) => new HostAhead(h));
    for (const hop of lab.hops) {
      const to = this.aheads[lab.hosts.indexOf(hop.to)];
      // Last tap: sees what the target will receive (after any tampering).
      hop.wire.taps.push((e) => {
        if (e.msg.type === 'data') to.feed(e.msg.bytes);
        return [e];
      });
    }
  }

  /**
   * Runs up to `maxSteps` steps (stopping early when the lab goes idle or `stop()` says
   * so); resolves with the number of steps run.
   */
  async run(maxSteps: number, stop: () => boolean = () => false): Promise<number> {
    let n = 0;
    while (n < maxSteps && !stop()) {
      const work = this.aheads.map((a) => a.kick());
      const did = this.lab.step();
      n++;
      // Collect what the lane finished meanwhile (the JavaScript half of the bulk work).
      await Promise.all(work);
      if (!did) break;
    }
    return n;
  }
}
