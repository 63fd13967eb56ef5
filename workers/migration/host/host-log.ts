/**
 * A host's view of the run's event log: events are stamped with the host's own clock and
 * appended to the run's log. During a migration batch, the per-page commands that
 * succeed (SEND_UPDATE_DATA / RECEIVE_UPDATE_DATA and their KVM ioctls) are counted
 * instead of logged, so a batch is one event with counts, not 64 × 2 events; a failing
 * command is always logged. Every PSP command, muted or not, goes into the {@link PspLedger}
 * that `report.json` lists.
 */
import { EventLog } from '../../core/event-log.js';
import type { EngineEvent, EventDraft, EventKind } from '../../core/events.js';
import type { HostClock } from './host-clock.js';

const PER_PAGE_PSP = new Set(['SEND_UPDATE_DATA', 'RECEIVE_UPDATE_DATA']);
const PER_PAGE_KVM = new Set(['KVM_SEV_SEND_UPDATE_DATA', 'KVM_SEV_RECEIVE_UPDATE_DATA']);

/** Every PSP command of one host with its status, run-length encoded in order. */
export class PspLedger {
  readonly runs: { cmd: string; status: string; count: number }[] = [];

  /** Records one command. */
  record(cmd: string, status: string): void {
    const last = this.runs[this.runs.length - 1];
    if (last && last.cmd === cmd && last.status === status) last.count++;
    else this.runs.push({ cmd, status, count: 1 });
  }

  /** Totals per `CMD STATUS`. */
  totals(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.runs) out[`${r.cmd} ${r.status}`] = (out[`${r.cmd} ${r.status}`] ?? 0) + r.count;
    return out;
  }
}

/** What a batch's muted commands add up to. */
export interface MutedCounts {
  /** `CMD STATUS` → count. */
  commands: Record<string, number>;
  /** Virtual time the PSP spent on them, ns. */
  pspNs: number;
}

/** One host's log. */
export class HostEventLog extends EventLog {
  readonly ledger = new PspLedger();
  private quiet = 0;
  private counts: Record<string, number> = {};
  private pspNs = 0;

  constructor(
    private readonly hostClock: HostClock,
    private readonly main: EventLog,
  ) {
    super(hostClock);
  }

  override get length(): number {
    return this.main.length;
  }

  override append<K extends EventKind>(draft: EventDraft<K>): EngineEvent<K> {
    if (draft.kind === 'psp.command') {
      const p = draft.payload as { cmd: string; status: string; costNs: number };
      this.ledger.record(p.cmd, p.status);
      if (this.quiet > 0 && p.status === 'SUCCESS' && PER_PAGE_PSP.has(p.cmd)) return this.mute(`${p.cmd} ${p.status}`, p.costNs, draft);
    } else if (draft.kind === 'kvm.sev-cmd' && this.quiet > 0) {
      const p = draft.payload as { name: string; ret: number };
      if (p.ret === 0 && PER_PAGE_KVM.has(p.name)) return this.mute(undefined, 0, draft);
    }
    return this.main.append({ ...draft, t: draft.t ?? this.hostClock.now() });
  }

  private mute<K extends EventKind>(key: string | undefined, ns: number, draft: EventDraft<K>): EngineEvent<K> {
    if (key) this.counts[key] = (this.counts[key] ?? 0) + 1;
    this.pspNs += ns;
    const e: EngineEvent<K> = { ...draft, seq: -1, t: this.hostClock.now() };
    return e;
  }

  /** Runs a batch with per-page commands muted; returns `f`'s result and what was muted. */
  batch<T>(f: () => T): { result: T; muted: MutedCounts } {
    this.quiet++;
    try {
      return { result: f(), muted: { commands: this.counts, pspNs: this.pspNs } };
    } finally {
      this.quiet--;
      this.counts = {};
      this.pspNs = 0;
    }
  }
}
