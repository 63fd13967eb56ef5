/**
 * One host of the migration lab with everything it runs on: its SevHost (PSP, KVM, VMM,
 * OVMF, guest), its own clock and log view, and its guest's vCPU runner. The migration
 * source and target classes work on one HostRuntime each and reach the other host only
 * through the wire — which is what lets each host run in its own Web Worker.
 */
import type { EventLog } from '../../core/event-log.js';
import type { EventKind, EventKinds } from '../../core/events.js';
import type { SeededRng } from '../../core/rng.js';
import { SevHost, type SevHostOptions } from '../../host/sev-host.js';
import { GuestRunner } from './guest-runner.js';
import { HostClock } from './host-clock.js';
import { HostEventLog } from './host-log.js';
import type { WireEndpoint, WireMessage } from '../wire.js';
import '../events.js';

/** A host with its clock, log and guest runner. */
export class HostRuntime {
  readonly clock = new HostClock();
  readonly log: HostEventLog;
  readonly host: SevHost;
  readonly guest: GuestRunner;

  /**
   * Host `name` (`src`, `dst`, `hop2`) appending to the run's log `main`, with its own RNG
   * stream forked from `rng`.
   */
  constructor(
    readonly name: string,
    main: EventLog,
    rng: SeededRng,
    readonly opts: SevHostOptions,
  ) {
    this.log = new HostEventLog(this.clock, main);
    const log = this.log;
    this.host = new SevHost({ host: name, clock: this.clock, rng: rng.fork(`host/${name}`), log, emit: (d) => void log.append(d) }, opts);
    this.guest = new GuestRunner(this.host, this.clock);
  }

  /** Emits an event of component `migration@<name>` (or `component`). */
  emit<K extends EventKind>(kind: K, payload: EventKinds[K], component = `migration@${this.name}`): void {
    this.log.append({ host: this.name, component, kind, payload });
  }

  /** Sends `msg` to `peer` over `ep` at this host's time, with its `wire.send` event. */
  send(ep: WireEndpoint, peer: string, msg: WireMessage): { returnsAt: number; arriveAt: number } {
    const now = this.clock.now();
    const r = ep.out.send(msg, now);
    this.emit(
      'wire.send',
      {
        from: this.name,
        to: peer,
        seq: -1,
        type: msg.type,
        bytes: msg.type === 'data' ? msg.bytes.length : 0,
        ...(msg.type === 'data' ? { offset: msg.offset } : {}),
        sentAt: now,
        arriveAt: Number.isFinite(r.arriveAt) ? r.arriveAt : null,
        ...(msg.type === 'rst' ? { reason: msg.reason } : {}),
      },
      'wire',
    );
    return r;
  }

  /** A console line: `monitor@<name>` by default (QEMU's stderr goes there too). */
  say(text: string, console = `monitor@${this.name}`): void {
    this.log.append({ host: this.name, component: `vmm@${this.name}`, kind: 'console.line', payload: { console, text } });
  }
}
