/**
 * The scripted operator of a migration scenario (reference §6.3 steps 1, 3, 4, 5): each
 * action is one step of the run, done on one host at that host's virtual time.
 *
 * A hop from host A to host B: (B started with `-incoming defer`) `migrate_incoming
 * tcp:0:4444` on B → `query-sev-capabilities` on B → out of band, the ASK-signed CEK and
 * the ASK/ARK chain from the AMD key server of B's chip (or the chain as exported) →
 * `migrate_set_parameter sev-pdh / sev-plat-cert / sev-amd-cert` on A → the scenario's
 * other parameters and capabilities → (faults: a wrong shared-regions list) →
 * `migrate -d tcp:B:4444` → (faults: cancel or cut the link after a while).
 */
import { labAmdRoot, rogueAmdRoot, withSignedCek } from '../../psp/certs/index.js';
import { fromBase64, toBase64 } from '../../migration/sev/base64.js';
import type { LabHost } from '../../migration/lab-host.js';
import type { Actor } from '../../migration/scheduler.js';
import type { Wire } from '../../migration/wire.js';
import type { MigrationScenarioParams } from './params.js';
import '../../migration/events.js';

/** One scripted action. */
interface OpStep {
  label: string;
  host: LabHost;
  /** When it can happen (Infinity: not yet). */
  ready(): number;
  run(): void;
}

/** The operator actor. */
export class Operator implements Actor {
  readonly name = 'operator';
  private readonly steps: OpStep[] = [];

  /** Appends actions. */
  push(...s: OpStep[]): void {
    this.steps.push(...s);
  }

  /** Actions not done yet. */
  get pending(): number {
    return this.steps.length;
  }

  nextTime(): number {
    return this.steps.length ? this.steps[0].ready() : Infinity;
  }

  /** The queue as it is, to run a step again from its start (hosts in workers: workers/hosts/worker-lab.ts). */
  save(): readonly OpStep[] {
    return this.steps.slice();
  }

  /** Puts back a queue {@link save} returned. */
  restore(saved: readonly OpStep[]): void {
    this.steps.splice(0, this.steps.length, ...saved);
  }

  step(): void {
    const s = this.steps.shift();
    if (!s) return;
    s.host.rt.clock.advanceTo(s.ready());
    s.run();
  }
}

/** What a hop's steps need from the lab. */
export interface HopContext {
  from: LabHost;
  to: LabHost;
  wire: Wire;
  platform: 'genuine' | 'rogue';
  startAfterMs: number;
  /** Runs when the hop's `migrate` went out (fault timers start there). */
  onMigrate?: (at: number) => void;
}

/** The steps of one hop, as the operator types them. */
export function hopSteps(p: MigrationScenarioParams, c: HopContext, afterReady: () => boolean): OpStep[] {
  const { from, to } = c;
  let notBefore = Infinity;
  const ready = (): number => {
    if (notBefore === Infinity && afterReady()) notBefore = from.rt.clock.now() + c.startAfterMs * 1e6;
    return notBefore === Infinity ? Infinity : Math.max(notBefore, from.rt.clock.now(), to.rt.clock.now());
  };
  const caps: { pdh?: string; chain?: string; id?: string; amd?: string } = {};
  const cmd = (host: LabHost, line: string): OpStep => ({ label: line, host, ready, run: () => void host.monitor(line) });
  const steps: OpStep[] = [];
  if (!to.target.listening && to.opts.incoming !== 'listen') steps.push(cmd(to, 'migrate_incoming tcp:0:4444'));
  steps.push({
    label: 'query-sev-capabilities',
    host: to,
    ready,
    run: () => {
      const r = to.monitor('query-sev-capabilities');
      const j = JSON.parse(r.text ?? '{}') as { return?: { pdh: string; 'cert-chain': string; 'cpu0-id'?: string } };
      caps.pdh = j.return?.pdh;
      caps.chain = j.return?.['cert-chain'];
      caps.id = j.return?.['cpu0-id'];
    },
  });
  steps.push({
    label: 'fetch AMD certificates',
    host: to,
    ready,
    run: () => {
      const root = c.platform === 'rogue' ? rogueAmdRoot() : labAmdRoot();
      let plat = caps.chain ?? '';
      let detail = `cert-chain as exported (its CEK has no ASK signature); ASK+ARK of ${root.name}`;
      const id = caps.id ? fromBase64(caps.id) : undefined;
      const chain = fromBase64(plat);
      if (p.migrate.certs === 'key-server' && id && chain) {
        const signed = withSignedCek(root, id, chain);
        if (signed.ok) {
          plat = toBase64(signed.platCerts);
          detail = `CEK signed by the ${root.name} key server for cpu0-id ${caps.id?.slice(0, 12)}…; ASK+ARK of ${root.name}`;
        }
      }
      caps.chain = plat;
      to.rt.emit('lab.operator', { host: to.name, action: 'fetch AMD certificates', detail }, 'operator');
      caps.amd = toBase64(root.amdChain);
    },
  });
  steps.push({ label: 'sev-pdh', host: from, ready, run: () => void from.monitor(`migrate_set_parameter sev-pdh ${caps.pdh ?? ''}`) });
  steps.push({ label: 'sev-plat-cert', host: from, ready, run: () => void from.monitor(`migrate_set_parameter sev-plat-cert ${caps.chain ?? ''}`) });
  steps.push({ label: 'sev-amd-cert', host: from, ready, run: () => void from.monitor(`migrate_set_parameter sev-amd-cert ${caps.amd ?? ''}`) });
  const m = p.migrate;
  if (m.downtimeLimitMs !== undefined) steps.push(cmd(from, `migrate_set_parameter downtime-limit ${m.downtimeLimitMs}`));
  if (m.maxBandwidth !== undefined) steps.push(cmd(from, `migrate_set_parameter max-bandwidth ${m.maxBandwidth}`));
  if (m.onFailure !== 'finish') steps.push(cmd(from, `migrate_set_parameter x-sev-on-failure ${m.onFailure}`));
  if (m.autoConverge) steps.push(cmd(from, 'migrate_set_capability auto-converge on'));
  const sl = p.faults.sharedList;
  if (from.name === 'src' && (sl.drop.length || sl.add.length)) {
    steps.push({
      label: 'corrupt the shared-regions list',
      host: from,
      ready,
      run: () => {
        const v = from.rt.host.vmm;
        for (const r of sl.drop) v.shared.remove(BigInt(r.gpa / 4096), BigInt(r.npages));
        for (const r of sl.add) v.shared.add(BigInt(r.gpa / 4096), BigInt(r.npages));
        v.syncListed(0, 2 ** 52);
        const fmt = (r: { gpa: number; npages: number }): string => `0x${r.gpa.toString(16)}+${r.npages}p`;
        from.rt.emit('lab.operator', { host: from.name, action: 'fault: wrong shared-regions list', detail: `dropped ${sl.drop.map(fmt).join(', ') || 'none'}; added ${sl.add.map(fmt).join(', ') || 'none'}` }, 'operator');
      },
    });
  }
  steps.push({
    label: 'migrate',
    host: from,
    ready,
    run: () => {
      from.monitor(`migrate -d tcp:${to.name}:4444`);
      c.onMigrate?.(from.rt.clock.now());
    },
  });
  return steps;
}
