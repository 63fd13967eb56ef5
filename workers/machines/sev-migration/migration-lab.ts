/**
 * The migration lab of one scenario: a source host, a target host started with
 * `-incoming`, optionally a third host `hop2` for a second hop, one wire per hop, the
 * scripted operator and the faults, all under one deterministic scheduler. The machine
 * kind, the CLI, the bench and the tests use it; `hooks` let a Node caller look at guest
 * memory at the two moments the export needs (the source stopped, the target resumed).
 */
import type { VirtualClock } from '../../core/clock.js';
import type { EventLog } from '../../core/event-log.js';
import type { SeededRng } from '../../core/rng.js';
import { labAmdRoot, rogueAmdRoot } from '../../psp/certs/index.js';
import { LabHost } from '../../migration/lab-host.js';
import { Scheduler } from '../../migration/scheduler.js';
import { Wire } from '../../migration/wire.js';
import { streamTamperer } from '../../migration/faults/stream-tamper.js';
import { hopSteps, Operator } from './operator.js';
import type { MigrationScenarioParams } from './params.js';

/** Moments a caller may want to act at (before the run goes on). */
export interface LabHooks {
  /** A source stopped its guest for the final copy. */
  onSourceStopped?(host: LabHost): void;
  /** A target completed loading and its guest resumed (before it ran a tick). */
  onTargetResumed?(host: LabHost): void;
}

/** One hop: its wire, the hosts at each end, and when its `migrate` went out. */
export interface Hop {
  from: LabHost;
  to: LabHost;
  wire: Wire;
  migrateAt: number;
}

/** Receives the stream bytes of hop `hop` (0 = src → dst) as sent by the source, or as delivered after the faults. */
export type StreamObserver = (hop: number, which: 'sent' | 'delivered', bytes: Uint8Array) => void;

/** The whole lab. */
export class MigrationLab {
  readonly hosts: LabHost[] = [];
  readonly hops: Hop[] = [];
  readonly scheduler = new Scheduler();
  readonly operator = new Operator();
  private stopped = new Set<string>();
  private resumed = new Map<string, number>();

  constructor(
    readonly ctx: { log: EventLog; rng: SeededRng; clock: VirtualClock },
    readonly params: MigrationScenarioParams,
    private readonly opts: { streams?: StreamObserver; hooks?: LabHooks } = {},
  ) {
    const p = params;
    const guest = { ...p.guest, instructor: p.instructor };
    const root = (pl: 'genuine' | 'rogue'): ReturnType<typeof labAmdRoot> => (pl === 'rogue' ? rogueAmdRoot() : labAmdRoot());
    const connect = (from: string) => (host: string, port: string) => {
      const hop = this.hops.find((h) => h.from.name === from && h.to.name === host);
      if (hop) return hop.wire.a;
      if (this.hosts.some((h) => h.name === host)) return `Failed to connect to '${host}:${port}': No route to host`;
      return `address resolution failed for ${host}:${port}: Name or service not known`;
    };
    const src = new LabHost('src', ctx.log, ctx.rng, { host: guest }, connect('src'));
    const dst = new LabHost('dst', ctx.log, ctx.rng, { host: { ...guest, incoming: true, amdRoot: root(p.target.platform) }, incoming: p.target.incoming, autostart: p.target.autostart }, connect('dst'));
    this.hosts.push(src, dst);
    this.addHop(src, dst);
    this.scheduler.add(this.operator);
    if (p.hop2) {
      const hop2 = new LabHost('hop2', ctx.log, ctx.rng, { host: { ...guest, incoming: true, amdRoot: root(p.hop2.platform) }, incoming: p.target.incoming, autostart: true }, connect('hop2'));
      this.hosts.push(hop2);
      this.addHop(dst, hop2);
    }
    for (const h of this.hosts) this.scheduler.add(h);
    this.operator.push(...this.hopPlan(0, p.migrate.startAfterMs, p.target.platform, () => src.rt.guest.running));
    if (p.hop2) {
      const h2 = p.hop2;
      this.operator.push(...this.hopPlan(1, h2.startAfterMs, h2.platform, () => dst.target.status === 'completed' && dst.rt.guest.running));
    }
  }

  private addHop(from: LabHost, to: LabHost): void {
    const l = this.params.link;
    const wire = new Wire({ bandwidth: (l.bandwidthMbps * 1e6) / 8, latencyNs: l.latencyMs * 1e6 });
    const hop: Hop = { from, to, wire, migrateAt: NaN };
    const i = this.hops.length;
    const tamper = this.params.faults.tamper;
    const obs = this.opts.streams;
    if (obs) wire.taps.push((e) => (e.msg.type === 'data' && obs(i, 'sent', e.msg.bytes), [e]));
    if (tamper && this.hops.length === 0) wire.taps.push(streamTamperer(tamper, from.rt.host.vmm.ram.blocks, (mode, detail, offset) => from.rt.emit('wire.tamper', { link: `${from.name}-${to.name}`, mode, detail, streamOffset: offset }, 'wire')));
    if (obs && tamper && i === 0) wire.taps.push((e) => (e.msg.type === 'data' && obs(i, 'delivered', e.msg.bytes), [e]));
    to.target.attach(wire.b, from.name);
    this.hops.push(hop);
  }

  private hopPlan(i: number, startAfterMs: number, platform: 'genuine' | 'rogue', ready: () => boolean): ReturnType<typeof hopSteps> {
    const hop = this.hops[i];
    const f = this.params.faults;
    return hopSteps(this.params, {
      from: hop.from,
      to: hop.to,
      wire: hop.wire,
      platform,
      startAfterMs,
      onMigrate: (at) => {
        hop.migrateAt = at;
        if (i !== 0) return;
        if (f.cancelAfterMs !== null) this.operator.push({ label: 'migrate_cancel', host: hop.from, ready: () => at + f.cancelAfterMs! * 1e6, run: () => void hop.from.monitor('migrate_cancel') });
        if (f.cutLinkAfterMs !== null) {
          const t = at + f.cutLinkAfterMs * 1e6;
          this.operator.push({
            label: 'cut the link',
            host: hop.from,
            ready: () => t,
            run: () => {
              hop.wire.cut(t);
              hop.from.rt.emit('wire.cut', { link: `${hop.from.name}-${hop.to.name}`, at: t }, 'wire');
            },
          });
        }
      },
    }, ready);
  }

  /** The host named `name`. */
  host(name: string): LabHost | undefined {
    return this.hosts.find((h) => h.name === name);
  }

  /** One step of the earliest actor; false when nothing can happen without input. */
  step(): boolean {
    const did = this.scheduler.step();
    for (const h of this.hosts) {
      if (!this.stopped.has(h.name) && h.source.downtimeStartNs > 0 && h.source.running) {
        this.stopped.add(h.name);
        this.opts.hooks?.onSourceStopped?.(h);
      }
      if (!this.resumed.has(h.name) && h.target.status === 'completed') {
        this.resumed.set(h.name, h.rt.clock.now());
        this.opts.hooks?.onTargetResumed?.(h);
      }
    }
    this.ctx.clock.advanceTo(Math.max(...this.hosts.map((h) => h.rt.clock.now())));
    return did;
  }

  /** True when the scripted run is over: no operator steps left, no migration running, the last target ran `runAfterMs`. */
  get finished(): boolean {
    if (this.operator.pending > 0) return false;
    if (this.hosts.some((h) => h.source.running || h.target.status === 'active')) return false;
    for (const [name, t] of this.resumed) {
      const h = this.host(name)!;
      if (h.rt.guest.running && h.source.status === 'none' && h.rt.clock.now() < t + this.params.runAfterMs * 1e6) return false;
    }
    return true;
  }
}
