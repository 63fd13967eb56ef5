/**
 * What every component of one host is given: the host's name (`src`, `dst`, ...), the
 * virtual clock, the event sink and the run's RNG. Components name themselves in events
 * the lab's way: `guest`, `ovmf`, `kvm@src`, `vmm@src`, `psp@src`.
 */
import type { VirtualClock } from '../core/clock.js';
import type { EventLog } from '../core/event-log.js';
import type { EventDraft, EventKind, EventKinds } from '../core/events.js';
import type { SeededRng } from '../core/rng.js';

/** The shared context of one host's components. */
export interface HostContext {
  readonly host: string;
  readonly clock: VirtualClock;
  readonly rng: SeededRng;
  /** The run's log (the PSP appends to it directly). */
  readonly log: EventLog;
  emit<K extends EventKind>(draft: EventDraft<K>): void;
}

/** A typed emitter bound to one component of one host. */
export type Emitter = <K extends EventKind>(kind: K, payload: EventKinds[K]) => void;

/** An emitter for `component` on `ctx.host` (components: `guest`, `ovmf`, or `kvm` → `kvm@src`). */
export function emitterFor(ctx: HostContext, component: string): Emitter {
  return (kind, payload) => ctx.emit({ host: ctx.host, component, kind, payload });
}

/** `name@host`, the lab's naming for host-side components (`kvm@src`). */
export function hostComponent(ctx: HostContext, name: string): string {
  return `${name}@${ctx.host}`;
}
