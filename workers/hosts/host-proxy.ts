/**
 * The coordinator's stand-in for a host that runs in its own worker (host-service.ts):
 * what the migration lab's scheduler, scripted operator and summary read of a LabHost —
 * its clock, its guest, its incoming and outgoing migration — answered from the facts the
 * host sent with its last reply, and what the operator does to a host — monitor lines,
 * clock advances, list changes, events — sent to the worker.
 *
 * The operator (machines/sev-migration/operator.ts) is synchronous code written for hosts
 * in the same process. Its remote calls go through a {@link RemoteJournal}: a call whose
 * answer is not known yet throws {@link NeedRemote}; the coordinator performs it, records
 * the answer and runs the operator step again from its start, now answered from the
 * journal — so the operator's own code runs unchanged, in the same order, with the same
 * answers as in one process.
 */
import type { EventKind, EventKinds, Json } from '../core/events.js';
import type { InputResult } from '../core/machine.js';
import { HOST_SERVICE_METHODS, type HostFacts, type HostOp, type HostServiceApi } from './host-protocol.js';

/** A host worker as the coordinator calls it (comlink's remote, or a direct object in tests). */
export type HostLink = {
  [K in keyof HostServiceApi]: (...args: Parameters<HostServiceApi[K]>) => Promise<Awaited<ReturnType<HostServiceApi[K]>>>;
};

/**
 * A HostLink whose every method is `call(method, args)` — the one place the method list
 * is walked, for comlink remotes, services in this thread and the browser's workers.
 */
export function hostLinkOf(call: (method: keyof HostServiceApi, args: unknown[]) => Promise<unknown>): HostLink {
  const link: Record<string, unknown> = {};
  for (const m of HOST_SERVICE_METHODS) link[m] = (...args: unknown[]) => call(m, args);
  return link as HostLink;
}

/** A remote call the operator made whose answer is not in the journal yet. */
export type RemoteCall = { host: HostProxy; kind: 'monitor'; line: string } | { host: HostProxy; kind: 'apply'; op: HostOp };

/** Thrown out of an operator step to have a remote call performed first. */
export class NeedRemote extends Error {
  constructor(readonly call: RemoteCall) {
    super(`remote call to ${call.host.name} needed`);
    this.name = 'NeedRemote';
  }
}

/** The answers of one operator step's remote calls, in call order. */
export class RemoteJournal {
  readonly answers: unknown[] = [];
  private next = 0;
  active = false;

  /** Starts an attempt of the step from its first call. */
  begin(): void {
    this.next = 0;
    this.active = true;
  }

  /** The recorded answer of the next call, or NeedRemote. */
  call<T>(c: RemoteCall): T {
    if (!this.active) throw new Error(`a host in a worker was called outside an operator step (${c.kind})`);
    if (this.next < this.answers.length) return this.answers[this.next++] as T;
    throw new NeedRemote(c);
  }
}

/** The stand-in of one host. */
export class HostProxy {
  facts: HostFacts;
  /** What the operator reads as `host.rt`. */
  readonly rt: {
    clock: { now(): number; advanceTo(t: number): number };
    guest: { readonly running: boolean };
    emit<K extends EventKind>(kind: K, payload: EventKinds[K], component?: string): void;
    host: { vmm: { shared: { add(gfn: bigint, n: bigint): void; remove(gfn: bigint, n: bigint): void }; syncListed(from: number, to: number): void } };
  };
  readonly target: { readonly listening: boolean; readonly status: string };
  readonly source: { readonly running: boolean; readonly status: string; readonly downtimeStartNs: number };

  constructor(
    readonly name: string,
    readonly link: HostLink,
    readonly opts: { incoming?: 'listen' | 'defer' },
    facts: HostFacts,
    private readonly journal: RemoteJournal,
  ) {
    this.facts = facts;
    const apply = (op: HostOp): void => void this.journal.call({ host: this, kind: 'apply', op });
    const current = (): HostFacts => this.facts;
    this.rt = {
      clock: {
        now: () => current().clock,
        advanceTo: (t: number) => (apply({ op: 'advanceTo', t }), current().clock),
      },
      guest: {
        get running() {
          return current().guestRunning;
        },
      },
      emit: (kind, payload, component) => apply({ op: 'emit', kind, payload: payload as Json, ...(component ? { component } : {}) }),
      host: {
        vmm: {
          shared: {
            add: (gfn, npages) => apply({ op: 'shared', action: 'add', gfn, npages }),
            remove: (gfn, npages) => apply({ op: 'shared', action: 'remove', gfn, npages }),
          },
          syncListed: () => apply({ op: 'syncListed' }),
        },
      },
    };
    this.target = {
      get listening() {
        return current().listening;
      },
      get status() {
        return current().target.status;
      },
    };
    this.source = {
      get running() {
        return current().source.running;
      },
      get status() {
        return current().source.status;
      },
      get downtimeStartNs() {
        return current().source.downtimeStartNs;
      },
    };
  }

  /** An HMP line, from the operator (journaled). */
  monitor(line: string): InputResult {
    return this.journal.call<InputResult>({ host: this, kind: 'monitor', line });
  }

  /** Virtual time of the host's earliest work (the scheduler's question). */
  nextTime(): number {
    return this.facts.nextTime;
  }
}
