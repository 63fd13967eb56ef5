/**
 * The migration lab with each host in its own worker (docs/ARCHITECTURE.md "Hosts in
 * workers"): the coordinator half, run by the engine worker. It holds what MigrationLab
 * holds except the hosts themselves — the scheduler's choice, the scripted operator and
 * its faults, the run's log — and drives the host workers (host-service.ts) through
 * {@link HostProxy}s.
 *
 * Each `step()` is the one-process lab's `step()`: the same actor (earliest virtual time,
 * ties in the order operator, src, dst, hop2) does the same work, and its events are
 * appended to the run's log in the same order — so a seed gives the same log and the same
 * stream bytes in one process and in workers. While one host steps, every other host runs
 * its page-crypto look-ahead (accel/host-ahead.ts) in its own worker: that is where the
 * two hosts compute in parallel.
 */
import type { VirtualClock } from '../core/clock.js';
import type { EventLog } from '../core/event-log.js';
import type { EngineEvent } from '../core/events.js';
import type { LabHost } from '../migration/lab-host.js';
import type { Wire } from '../migration/wire.js';
import { hopSteps, Operator } from '../machines/sev-migration/operator.js';
import type { MigrationScenarioParams } from '../machines/sev-migration/params.js';
import type { HostInit, HostLinkInit, HostReply, WirePortLike } from './host-protocol.js';
import { HostProxy, NeedRemote, RemoteJournal, type HostLink, type RemoteCall } from './host-proxy.js';

/** What the platform gives the coordinator: workers and message channels. */
export interface HostPlatform {
  /** A fresh host worker (its `init` transfers the ports it is given). */
  spawnHost(name: string): HostLink;
  /** A new MessageChannel's two ports. */
  channel(): { a: WirePortLike; b: WirePortLike };
  /** Ends a host worker. */
  dispose(link: HostLink): void;
}

/** One hop of the lab: the hosts at its ends and when its `migrate` went out. */
export interface WorkerHop {
  from: HostProxy;
  to: HostProxy;
  migrateAt: number;
}

type Step = Parameters<Operator['push']>[0];

/** The coordinator of a migration lab whose hosts run in workers. */
export class WorkerLab {
  readonly hosts: HostProxy[] = [];
  readonly hops: WorkerHop[] = [];
  readonly operator = new Operator();
  private readonly journal = new RemoteJournal();
  private readonly resumed = new Map<string, number>();
  private readonly kicks = new Map<HostProxy, Promise<void>>();

  private constructor(
    readonly ctx: { log: EventLog; clock: VirtualClock },
    readonly params: MigrationScenarioParams,
    private readonly platform: HostPlatform,
  ) {}

  /** Spawns and builds the hosts (in MigrationLab's order) and plans the operator's steps. */
  static async create(ctx: { log: EventLog; clock: VirtualClock }, params: MigrationScenarioParams, seed: number, platform: HostPlatform): Promise<WorkerLab> {
    const lab = new WorkerLab(ctx, params, platform);
    const p = params;
    const guest = { ...p.guest, instructor: p.instructor };
    const l = p.link;
    const link = { bandwidth: (l.bandwidthMbps * 1e6) / 8, latencyNs: l.latencyMs * 1e6 };
    const names = ['src', 'dst', ...(p.hop2 ? ['hop2'] : [])];
    const inits: HostInit[] = [
      { name: 'src', seed, host: guest, hosts: names, links: [] },
      { name: 'dst', seed, host: { ...guest, incoming: true }, platform: p.target.platform, incoming: p.target.incoming, autostart: p.target.autostart, hosts: names, links: [] },
    ];
    if (p.hop2) inits.push({ name: 'hop2', seed, host: { ...guest, incoming: true }, platform: p.hop2.platform, incoming: p.target.incoming, autostart: true, hosts: names, links: [] });
    const ports: Record<string, WirePortLike>[] = inits.map(() => ({}));
    for (let i = 0; i + 1 < inits.length; i++) {
      const ch = platform.channel();
      const out: HostLinkInit = { peer: inits[i + 1].name, side: 'out', link, ...(i === 0 && p.faults.tamper ? { tamper: p.faults.tamper } : {}) };
      inits[i].links.push(out);
      inits[i + 1].links.push({ peer: inits[i].name, side: 'in', link });
      ports[i][inits[i + 1].name] = ch.a;
      ports[i + 1][inits[i].name] = ch.b;
    }
    for (const [i, init] of inits.entries()) {
      const hostLink = platform.spawnHost(init.name);
      const r = await hostLink.init(init, ports[i]);
      const proxy = new HostProxy(init.name, hostLink, init.incoming ? { incoming: init.incoming } : {}, r.facts, lab.journal);
      lab.append(r.events);
      lab.hosts.push(proxy);
    }
    for (let i = 0; i + 1 < lab.hosts.length; i++) lab.hops.push({ from: lab.hosts[i], to: lab.hosts[i + 1], migrateAt: NaN });
    const [src, dst] = lab.hosts;
    lab.operator.push(...lab.hopPlan(0, p.migrate.startAfterMs, p.target.platform, () => src.facts.guestRunning));
    if (p.hop2) lab.operator.push(...lab.hopPlan(1, p.hop2.startAfterMs, p.hop2.platform, () => dst.facts.target.status === 'completed' && dst.facts.guestRunning));
    return lab;
  }

  /** The host named `name`. */
  host(name: string): HostProxy | undefined {
    return this.hosts.find((h) => h.name === name);
  }

  /** One step of the earliest actor (as MigrationLab.step); false when nothing can happen without input. */
  async step(): Promise<boolean> {
    // In one process an envelope reaches its host's queue when it is sent: hosts with
    // envelopes they have not seen yet take them in first, so their next times are exact.
    await Promise.all(this.hosts.filter((h) => this.unseen(h)).map(async (h) => this.absorb(h, await h.link.sync(this.expect(h)))));
    let best: Operator | HostProxy | undefined;
    let at = Infinity;
    for (const a of [this.operator, ...this.hosts]) {
      const t = a.nextTime();
      if (t < at) {
        at = t;
        best = a;
      }
    }
    if (best === this.operator) await this.operatorStep();
    else if (best) await this.hostStep(best as HostProxy);
    for (const h of this.hosts) if (!this.resumed.has(h.name) && h.facts.target.status === 'completed') this.resumed.set(h.name, h.facts.clock);
    this.ctx.clock.advanceTo(Math.max(...this.hosts.map((h) => h.facts.clock)));
    return best !== undefined;
  }

  /** As MigrationLab.finished. */
  get finished(): boolean {
    if (this.operator.pending > 0) return false;
    if (this.hosts.some((h) => h.facts.source.running || h.facts.target.status === 'active')) return false;
    for (const [name, t] of this.resumed) {
      const f = this.host(name)!.facts;
      if (f.guestRunning && f.source.status === 'none' && f.clock < t + this.params.runAfterMs * 1e6) return false;
    }
    return true;
  }

  /** An HMP line on host `h` (a user's input). */
  async monitor(h: HostProxy, line: string): Promise<ReturnType<HostProxy['monitor']>> {
    return (await this.perform({ host: h, kind: 'monitor', line })) as ReturnType<HostProxy['monitor']>;
  }

  /** Cuts the link of `hop` at `t` (both ends), then logs it on the sending host. */
  async cut(hop: WorkerHop, t: number, link: string): Promise<void> {
    await this.perform({ host: hop.from, kind: 'apply', op: { op: 'cut', peer: hop.to.name, t } });
    await this.perform({ host: hop.to, kind: 'apply', op: { op: 'cut', peer: hop.from.name, t } });
    await this.perform({ host: hop.from, kind: 'apply', op: { op: 'emit', kind: 'wire.cut', payload: { link, at: t }, component: 'wire' } });
  }

  /** Ends every host worker. */
  dispose(): void {
    for (const h of this.hosts) this.platform.dispose(h.link);
  }

  private async hostStep(h: HostProxy): Promise<void> {
    // The others look ahead in their workers while this one steps.
    for (const o of this.hosts) if (o !== h && !this.kicks.has(o)) this.kicks.set(o, o.link.kick().finally(() => this.kicks.delete(o)));
    this.absorb(h, await h.link.step(this.expect(h)));
  }

  /**
   * The operator's next step, run against the proxies; each remote call it makes is
   * performed and journaled, and the step is run again from its start until it completes.
   */
  private async operatorStep(): Promise<void> {
    this.journal.answers.length = 0;
    for (;;) {
      const saved = this.operator.save();
      this.journal.begin();
      try {
        this.operator.step();
        return;
      } catch (e) {
        if (!(e instanceof NeedRemote)) throw e;
        this.operator.restore(saved);
        this.journal.active = false;
        this.journal.answers.push(await this.perform(e.call));
      } finally {
        this.journal.active = false;
      }
    }
  }

  private async perform(c: RemoteCall): Promise<unknown> {
    if (c.kind === 'monitor') {
      const r = await c.host.link.monitor(c.line, this.expect(c.host));
      this.absorb(c.host, r);
      return r.value;
    }
    this.absorb(c.host, await c.host.link.apply(c.op));
    return undefined;
  }

  /** True when a peer has posted envelopes `h` has not taken in. */
  private unseen(h: HostProxy): boolean {
    return this.hosts.some((o) => o !== h && (o.facts.posted[h.name] ?? 0) > (h.facts.received[o.name] ?? 0));
  }

  /** Envelopes each peer has posted to `h` (h waits for them before it acts). */
  private expect(h: HostProxy): Record<string, number> {
    const out: Record<string, number> = {};
    for (const o of this.hosts) if (o !== h && o.facts.posted[h.name] !== undefined) out[o.name] = o.facts.posted[h.name];
    return out;
  }

  private absorb(h: HostProxy, r: HostReply<unknown>): void {
    this.append(r.events);
    h.facts = r.facts;
  }

  private append(events: readonly EngineEvent[]): void {
    for (const e of events) this.ctx.log.append({ t: e.t, host: e.host, component: e.component, kind: e.kind, payload: e.payload });
  }

  private hopPlan(i: number, startAfterMs: number, platform: 'genuine' | 'rogue', ready: () => boolean): Step[] {
    const hop = this.hops[i];
    const f = this.params.faults;
    const from = hop.from as unknown as LabHost;
    const wire = { cut: (t: number) => this.journalCut(hop, t) } as unknown as Wire;
    return hopSteps(
      this.params,
      {
        from,
        to: hop.to as unknown as LabHost,
        wire,
        platform,
        startAfterMs,
        onMigrate: (at) => {
          hop.migrateAt = at;
          if (i !== 0) return;
          if (f.cancelAfterMs !== null) this.operator.push({ label: 'migrate_cancel', host: from, ready: () => at + f.cancelAfterMs! * 1e6, run: () => void hop.from.monitor('migrate_cancel') });
          if (f.cutLinkAfterMs !== null) {
            const t = at + f.cutLinkAfterMs * 1e6;
            this.operator.push({
              label: 'cut the link',
              host: from,
              ready: () => t,
              run: () => {
                this.journalCut(hop, t);
                hop.from.rt.emit('wire.cut', { link: `${hop.from.name}-${hop.to.name}`, at: t }, 'wire');
              },
            });
          }
        },
      },
      ready,
    );
  }

  /** Wire.cut from inside an operator step: both ends, journaled. */
  private journalCut(hop: WorkerHop, t: number): void {
    this.journal.call({ host: hop.from, kind: 'apply', op: { op: 'cut', peer: hop.to.name, t } });
    this.journal.call({ host: hop.to, kind: 'apply', op: { op: 'cut', peer: hop.from.name, t } });
  }
}
