/**
 * The event log's record type.
 *
 * Every engine action is one event: who did it (host and component), when (virtual
 * time), what (a kind) and a typed payload. Components declare their kinds by merging
 * into {@link EventKinds}:
 *
 * ```ts
 * declare module '../core/events.js' {
 *   interface EventKinds { 'psp.command': { cmd: string; status: string } }
 * }
 * ```
 *
 * Payloads are plain JSON values (numbers, strings, arrays, objects; bytes as hex), so
 * the log can be exported, diffed and sent between threads as it is.
 */
import type { VirtualNs } from './clock.js';

/** A host of the lab: `src`, `dst`, `hop2`, or `lab` for the session itself. */
export type HostId = string;

/**
 * The component that acted, in the lab's naming: `guest`, `ovmf`, `kvm@src`,
 * `vmm@src`, `psp@src`, `wire`, `vgic`, `session`.
 */
export type ComponentId = string;

/** A JSON value, the only thing payloads may hold. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Payload types by event kind. Components add their own kinds with declaration merging;
 * the kinds here belong to the session itself.
 */
export interface EventKinds {
  /** A user or script input was applied at this point of the run. */
  'session.input': { input: Json };
  /** A line a component printed on a console (guest serial, monitor). */
  'console.line': { console: string; text: string };
}

/** Every known event kind. */
export type EventKind = keyof EventKinds;

/** One entry of the event log. */
export interface EngineEvent<K extends EventKind = EventKind> {
  /** Position in the log, from 0, without gaps. */
  seq: number;
  /** Virtual time of the event in nanoseconds. */
  t: VirtualNs;
  host: HostId;
  component: ComponentId;
  kind: K;
  payload: EventKinds[K];
}

/** Any event, with its payload narrowed by kind in a `switch (e.kind)`. */
export type AnyEvent = { [K in EventKind]: EngineEvent<K> }[EventKind];

/** An event before the log numbers and timestamps it. */
export type EventDraft<K extends EventKind = EventKind> = Omit<EngineEvent<K>, 'seq' | 't'> & {
  t?: VirtualNs;
};

/** Which events to look for (all given fields must match). */
export interface EventFilter {
  /** An event kind (any string, so filters can name kinds of components not loaded). */
  kind?: string;
  host?: HostId;
  component?: ComponentId;
}

/** True when `e` matches every field `f` gives. */
export function matchesFilter(e: EngineEvent, f: EventFilter): boolean {
  return (
    (f.kind === undefined || e.kind === f.kind) &&
    (f.host === undefined || e.host === f.host) &&
    (f.component === undefined || e.component === f.component)
  );
}
