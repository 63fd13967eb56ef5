/**
 * What crosses between the engine worker (the coordinator, worker-lab.ts) and a host
 * worker (host-service.ts) when each migration host runs in its own Web Worker: plain
 * data only (structured clone), stream chunks only on the wire port between the two host
 * workers (transferred). See docs/ARCHITECTURE.md "Hosts in workers".
 */
import type { EngineEvent, Json } from '../core/events.js';
import type { InputResult } from '../core/machine.js';
import type { SevHostOptions } from '../host/sev-host.js';
import type { LinkParams, WireEnvelope } from '../migration/wire.js';
import type { TamperSpec } from '../machines/sev-migration/params.js';
import type { AheadStats } from '../psp/ahead/index.js';
import type { GuestMemoryDigest } from '../migration/guest-image.js';

/** The PSP look-ahead's counts of one host. */
export interface AheadCounts {
  send: AheadStats;
  receive: AheadStats;
  lane: string;
}

/** One end of a link as a host worker sees it. */
export interface HostLinkInit {
  /** The host at the other end. */
  peer: string;
  /** `out`: this host is the link's `a` side (it migrates to `peer`); `in`: the `b` side. */
  side: 'out' | 'in';
  link: LinkParams;
  /** A man in the middle on the a → b path (applied by the sending host before posting). */
  tamper?: TamperSpec;
}

/** How a host worker builds its host (what MigrationLab passes to `new LabHost`). */
export interface HostInit {
  name: string;
  /** The run's seed: the host forks its streams from the run's root RNG as in one process. */
  seed: number;
  host: Omit<SevHostOptions, 'amdRoot'>;
  /** The AMD root that made this host's chip (none: the PSP's default, the genuine lab root). */
  platform?: 'genuine' | 'rogue';
  incoming?: 'listen' | 'defer';
  autostart?: boolean;
  /** Every host of the lab (for QEMU's connect errors). */
  hosts: string[];
  links: HostLinkInit[];
}

/** The facts about a host the coordinator's scheduler, operator and summary read. */
export interface HostFacts {
  clock: number;
  nextTime: number;
  /** Wire envelopes this host has posted, per peer (the peer waits for them before it steps). */
  posted: Record<string, number>;
  /** Wire envelopes this host has received, per peer (fewer than the peer posted: its facts are stale). */
  received: Record<string, number>;
  booting: boolean;
  guestRunning: boolean;
  runstate: string;
  sevState: string;
  listening: boolean;
  source: {
    status: string;
    running: boolean;
    error: string | null;
    downtimeStartNs: number;
    transferred: number;
    dirtyPages: number;
    dirtySyncCount: number;
    throttle: number;
    sent: boolean;
  };
  target: { status: string; error: string | null };
  migratedPages: number;
}

/** What every call into a host returns: the events it appended (in order) and the new facts. */
export interface HostReply<T = undefined> {
  events: EngineEvent[];
  facts: HostFacts;
  value: T;
}

/** A change the operator or an input makes to a host directly (not through its monitor). */
export type HostOp =
  | { op: 'advanceTo'; t: number }
  | { op: 'shared'; action: 'add' | 'remove'; gfn: bigint; npages: bigint }
  | { op: 'syncListed' }
  | { op: 'cut'; peer: string; t: number }
  | { op: 'emit'; kind: string; payload: Json; component?: string };

/** A host worker's API (comlink makes every method async). */
export interface HostServiceApi {
  /** Builds the host; `ports` are the wire ports, by peer. */
  init(init: HostInit, ports: Record<string, WirePortLike>): HostReply;
  /** One step of the host (LabHost.step), after `expect` envelopes from each peer have arrived. */
  step(expect: Record<string, number>): Promise<HostReply>;
  /** Takes in the envelopes `expect` counts and reports (an arrival may move the host's next time). */
  sync(expect: Record<string, number>): Promise<HostReply>;
  /** One HMP line. */
  monitor(line: string, expect: Record<string, number>): Promise<HostReply<InputResult>>;
  /** A direct change (see {@link HostOp}). */
  apply(op: HostOp): HostReply;
  /** Starts the page-crypto look-ahead for what comes next (psp/ahead/); resolves when done. */
  kick(): Promise<void>;
  /** PSP look-ahead counts (bench, tests). */
  aheadStats(): AheadCounts;
  /** Pages marked MIGRATED in the page-state array (the summary's slow fact). */
  migratedPages(): number;
  /** The guest memory digest (machines/host-inspection.ts). */
  guestMemoryDigest(): GuestMemoryDigest;
  /** A copy of the page-state bytes. */
  pageStates(): Uint8Array;
}

/** Every method of {@link HostServiceApi}, for the links that forward them. */
export const HOST_SERVICE_METHODS = ['init', 'step', 'sync', 'monitor', 'apply', 'kick', 'aheadStats', 'migratedPages', 'guestMemoryDigest', 'pageStates'] as const satisfies readonly (keyof HostServiceApi)[];

/** The wire port of a host worker: a MessagePort, in a browser or in Node. */
export interface WirePortLike {
  postMessage(message: WireEnvelope, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (e: { data: WireEnvelope }) => void): void;
  start?(): void;
}
