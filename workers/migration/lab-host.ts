/**
 * One host of the migration lab as a unit of scheduling: its boot queue, its incoming and
 * outgoing migration, its guest's vCPU, and its monitor. `nextTime()` is the virtual time
 * of its earliest pending work; `step()` does that work. A host reaches another only
 * through a {@link WireEndpoint} (given by `connect`), so the same class runs a host in a
 * Web Worker with the endpoint's envelopes posted over a MessageChannel.
 */
import type { EventLog } from '../core/event-log.js';
import type { InputResult } from '../core/machine.js';
import type { SeededRng } from '../core/rng.js';
import type { SevHostOptions } from '../host/sev-host.js';
import { Hmp } from '../vmm/monitor/hmp.js';
import { HostRuntime } from './host/host-runtime.js';
import { addMigrationCommands } from './monitor/migration-commands.js';
import { MigrationSource } from './source/migration-source.js';
import { MigrationTarget } from './target/migration-target.js';
import type { WireEndpoint } from './wire.js';

/** How a lab host starts. */
export interface LabHostOptions {
  /** The SEV host (an `incoming` host waits for a migration instead of booting). */
  host: SevHostOptions;
  /** `-incoming tcp:0:4444` (listen at once) or `-incoming defer` (wait for migrate_incoming). */
  incoming?: 'listen' | 'defer';
  /** Start the guest when an incoming migration completes (QEMU without -S). */
  autostart?: boolean;
}

/** A host the scheduler can step. */
export class LabHost {
  readonly rt: HostRuntime;
  readonly source: MigrationSource;
  readonly target: MigrationTarget;
  readonly hmp: Hmp;

  constructor(
    name: string,
    main: EventLog,
    rng: SeededRng,
    readonly opts: LabHostOptions,
    /** Resolves `tcp:HOST:PORT` from this host to a link endpoint, or QEMU's connect error. */
    connect: (host: string, port: string) => WireEndpoint | string,
  ) {
    this.rt = new HostRuntime(name, main, rng, opts.host);
    this.source = new MigrationSource(this.rt);
    this.target = new MigrationTarget(this.rt, opts.autostart ?? true);
    if (opts.incoming === 'listen') this.target.listen('tcp:0:4444');
    this.hmp = new Hmp({ vmm: this.rt.host.vmm, systemReset: () => this.rt.host.systemReset() });
    addMigrationCommands(this.hmp, { rt: this.rt, source: this.source, target: this.target, connect });
  }

  /** The host's name (`src`, `dst`, `hop2`). */
  get name(): string {
    return this.rt.name;
  }

  /** Virtual time of the earliest work this host has (Infinity: nothing until an input or a message). */
  nextTime(): number {
    const h = this.rt.host;
    if (h.queue.length > 0) return this.rt.clock.now();
    return Math.min(this.target.nextTime(), this.source.nextTime(), this.rt.guest.nextTickAt());
  }

  /** Does the earliest work: a boot step, the target, the source, or a guest tick (in that order on ties). */
  step(): void {
    const h = this.rt.host;
    if (h.queue.length > 0) {
      h.queue.runOne();
      return;
    }
    const t = this.target.nextTime();
    const s = this.source.nextTime();
    const g = this.rt.guest.nextTickAt();
    const min = Math.min(t, s, g);
    if (min === Infinity) return;
    if (t === min) this.target.step();
    else if (s === min) this.source.step();
    else this.rt.guest.tick();
  }

  /**
   * Runs one monitor line: the echo and QEMU's answer on `monitor@<name>`. Once the QEMU
   * process has exited (a failed incoming load) nothing answers: [U] lab choice, the
   * monitor pane shows that the connection is closed, as a terminal attached to a dead
   * QEMU's monitor socket would, and nothing runs.
   */
  monitor(line: string): InputResult {
    if (this.rt.host.vmm.exited) {
      const text = `Error: qemu-system-x86_64 on ${this.name} has exited; the monitor connection is closed`;
      this.rt.say(text);
      return { ok: false, text };
    }
    this.rt.say(`(qemu) ${line}`);
    let out: string[];
    if (/^\s*(c|cont)\s*$/.test(line) && this.source.sev?.sent) {
      // [U] lab choice: the series' "VM made unrunnable": a SENT guest cannot be resumed.
      out = ['Error: the SEV guest is in firmware state SENT (SEND_FINISH) and cannot run again'];
    } else out = this.hmp.execute(line);
    for (const l of out) this.rt.say(l);
    const bad = out.some((l) => /^(Error: |unknown command|Try "help|invalid char|.*extraneous characters|.*: string expected|Expected 'on')/.test(l));
    return { ok: !bad, text: out.join('\n') };
  }
}
