/**
 * `sev-migration`: live migration of an SEV guest between two hosts (and optionally on to
 * a third), each with its own PSP, platform keys, KVM and VMM (reference
 * sev-migration-flow.md §4–§6; psp-sev-api.md §8–§10). Each `step()` is one unit of one
 * actor — a boot step, an operator command, a handshake step, a batch of up to 64 pages,
 * a sync or convergence decision, a guest tick — chosen by virtual time.
 *
 * Inputs (never throw):
 * - `{monitor: "info migrate", host?: "src" | "dst" | "hop2"}`: an HMP line on that host
 *   (default `src`); the echo and the answer go to console `monitor@<host>`;
 * - `{wire: "cut", link?: "src-dst" | "dst-hop2"}`: cuts a link now;
 * - `{wire: "set", link?, bandwidthMbps?, latencyMs?}`: changes a link's speed from now on.
 *
 * Snapshot/restore: not provided (guest memory is the state); sessions replay from the start.
 */
import { isObject } from '../../core/documents.js';
import type { Json } from '../../core/events.js';
import type { InputResult, Machine, MachineContext, MachineKind } from '../../core/machine.js';
import { PageState } from '../../host/page-states.js';
import { MigrationLab } from './migration-lab.js';
import { parseMigrationParams } from './params.js';
import { inspectSevHosts, type HostInspection } from '../host-inspection.js';

/** A running sev-migration scenario. */
export class SevMigrationMachine implements Machine, HostInspection {
  readonly lab: MigrationLab;
  private readonly inspection = inspectSevHosts(() => new Map(this.lab.hosts.map((h) => [h.name, h.rt.host])));
  readonly hostNames = this.inspection.hostNames;
  readonly guestMemoryDigest = this.inspection.guestMemoryDigest;
  readonly pageStates = this.inspection.pageStates;

  constructor(ctx: MachineContext, params: Json) {
    this.lab = new MigrationLab({ log: ctx.log, rng: ctx.rng, clock: ctx.clock }, parseMigrationParams(params, 'params'));
  }

  step(): boolean {
    return this.lab.step();
  }

  input(input: Json): InputResult {
    if (!isObject(input)) return { ok: false, text: `unknown input: ${JSON.stringify(input)}` };
    if (typeof input.monitor === 'string') {
      const name = typeof input.host === 'string' ? input.host : 'src';
      const h = this.lab.host(name);
      if (!h) return { ok: false, text: `no host "${name}" (hosts: ${this.lab.hosts.map((x) => x.name).join(', ')})` };
      return h.monitor(input.monitor);
    }
    if (input.wire === 'cut' || input.wire === 'set') {
      const link = typeof input.link === 'string' ? input.link : 'src-dst';
      const hop = this.lab.hops.find((x) => `${x.from.name}-${x.to.name}` === link);
      if (!hop) return { ok: false, text: `no link "${link}"` };
      if (input.wire === 'set') {
        const p = hop.wire.a.out.params;
        const bw = input.bandwidthMbps;
        const lat = input.latencyMs;
        if ((bw !== undefined && (typeof bw !== 'number' || !(bw > 0))) || (lat !== undefined && (typeof lat !== 'number' || !(lat >= 0)))) return { ok: false, text: 'bandwidthMbps must be > 0 and latencyMs ≥ 0' };
        const next = { ...p, ...(typeof bw === 'number' ? { bandwidth: (bw * 1e6) / 8 } : {}), ...(typeof lat === 'number' ? { latencyNs: lat * 1e6 } : {}) };
        hop.wire.setLink(next);
        return { ok: true, text: `link ${link}: ${(next.bandwidth * 8) / 1e6} Mbit/s, ${next.latencyNs / 1e6} ms` };
      }
      const t = Math.max(hop.from.rt.clock.now(), hop.to.rt.clock.now());
      hop.wire.cut(t);
      hop.from.rt.emit('wire.cut', { link, at: t }, 'wire');
      return { ok: true, text: `link ${link} cut at ${(t / 1e6).toFixed(3)} ms` };
    }
    return { ok: false, text: `unknown input: ${JSON.stringify(input)}` };
  }

  snapshot(): Json {
    return null;
  }

  summary(): Json {
    const hosts: Record<string, Json> = {};
    for (const h of this.lab.hosts) {
      const v = h.rt.host.vmm;
      const c = h.source.counters;
      hosts[h.name] = {
        runstate: v.runstate,
        sevState: v.sev.state,
        booting: h.rt.host.booting,
        outgoing: h.source.status,
        incoming: h.target.status,
        error: h.source.error ?? h.target.error ?? null,
        transferred: c?.transferred ?? 0,
        remainingPages: h.source.bitmap?.dirtyPages ?? 0,
        dirtySyncCount: c?.dirtySyncCount ?? 0,
        throttle: c?.throttlePct ?? 0,
        migratedPages: h.rt.host.pageStates.count(PageState.MIGRATED),
        t: h.rt.clock.now(),
      };
    }
    return { hosts, finished: this.lab.finished, hostsIn: 'this thread' };
  }
}

/** The `sev-migration` machine kind. */
export const sevMigrationMachine: MachineKind = {
  kind: 'sev-migration',
  validate(params, path) {
    parseMigrationParams(params, path);
  },
  create(ctx, params) {
    return new SevMigrationMachine(ctx, params);
  },
};
