/**
 * The `sev-migration` machine with its hosts in workers: the same inputs, summary and
 * steps as SevMigrationMachine (machines/sev-migration/sev-migration-machine.ts), but
 * every call is asynchronous because the hosts answer through their workers. An
 * {@link AsyncSession} drives it; the engine worker uses it when it can spawn workers.
 */
import { isObject } from '../core/documents.js';
import type { Json } from '../core/events.js';
import type { InputResult, MachineContext } from '../core/machine.js';
import { parseMigrationParams } from '../machines/sev-migration/params.js';
import type { AsyncMachine } from './async-session.js';
import type { GuestMemoryDigest, HostInspection } from '../machines/host-inspection.js';
import { WorkerLab, type HostPlatform } from './worker-lab.js';

/** A running sev-migration scenario whose hosts are workers. */
export class WorkerMigrationMachine implements AsyncMachine, HostInspection<true> {
  private constructor(readonly lab: WorkerLab) {}

  /** Spawns the host workers and builds the lab. */
  static async create(ctx: MachineContext, params: Json, seed: number, platform: HostPlatform): Promise<WorkerMigrationMachine> {
    return new WorkerMigrationMachine(await WorkerLab.create({ log: ctx.log, clock: ctx.clock }, parseMigrationParams(params, 'params'), seed, platform));
  }

  step(): Promise<boolean> {
    return this.lab.step();
  }

  async input(input: Json): Promise<InputResult> {
    if (!isObject(input)) return { ok: false, text: `unknown input: ${JSON.stringify(input)}` };
    if (typeof input.monitor === 'string') {
      const name = typeof input.host === 'string' ? input.host : 'src';
      const h = this.lab.host(name);
      if (!h) return { ok: false, text: `no host "${name}" (hosts: ${this.lab.hosts.map((x) => x.name).join(', ')})` };
      return this.lab.monitor(h, input.monitor);
    }
    if (input.wire === 'cut') {
      const link = typeof input.link === 'string' ? input.link : 'src-dst';
      const hop = this.lab.hops.find((x) => `${x.from.name}-${x.to.name}` === link);
      if (!hop) return { ok: false, text: `no link "${link}"` };
      const t = Math.max(hop.from.facts.clock, hop.to.facts.clock);
      await this.lab.cut(hop, t, link);
      return { ok: true, text: `link ${link} cut at ${(t / 1e6).toFixed(3)} ms` };
    }
    return { ok: false, text: `unknown input: ${JSON.stringify(input)}` };
  }

  async summary(): Promise<Json> {
    const hosts: Record<string, Json> = {};
    for (const h of this.lab.hosts) {
      const f = h.facts;
      hosts[h.name] = {
        runstate: f.runstate,
        sevState: f.sevState,
        booting: f.booting,
        outgoing: f.source.status,
        incoming: f.target.status,
        error: f.source.error ?? f.target.error ?? null,
        transferred: f.source.transferred,
        remainingPages: f.source.dirtyPages,
        dirtySyncCount: f.source.dirtySyncCount,
        throttle: f.source.throttle,
        migratedPages: await h.link.migratedPages(),
        t: f.clock,
      };
    }
    return { hosts, finished: this.lab.finished, hostsIn: 'workers' };
  }

  dispose(): void {
    this.lab.dispose();
  }

  hostNames(): string[] {
    return this.lab.hosts.map((h) => h.name);
  }

  async guestMemoryDigest(name: string): Promise<GuestMemoryDigest | undefined> {
    return this.lab.host(name)?.link.guestMemoryDigest();
  }

  async pageStates(name: string): Promise<Uint8Array | undefined> {
    return this.lab.host(name)?.link.pageStates();
  }
}
