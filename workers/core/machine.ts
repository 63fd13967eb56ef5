/**
 * What a scenario runs: a deterministic machine advanced one action at a time.
 *
 * A machine gets everything non-deterministic injected (clock, RNG, the log to write
 * to) and must produce the same events for the same seed and the same actions. The
 * session relies on that: going back is rebuilding and replaying, never undoing.
 */
import type { VirtualClock } from './clock.js';
import type { EventLog } from './event-log.js';
import type { EventDraft, EventKind, Json } from './events.js';
import type { SeededRng } from './rng.js';

/** What a machine is given when it is made. */
export interface MachineContext {
  readonly clock: VirtualClock;
  /** The run's root RNG; fork it per component. */
  readonly rng: SeededRng;
  readonly log: EventLog;
  /** Shorthand for `log.append`. */
  emit<K extends EventKind>(draft: EventDraft<K>): void;
}

/** The result of an input: a line of text for a console, or structured data. */
export interface InputResult {
  ok: boolean;
  /** Text a console shows (may be several lines). */
  text?: string;
  data?: Json;
}

/** A running scenario. */
export interface Machine {
  /** Does the next unit of work; returns false when idle (nothing to do until an input). */
  step(): boolean;
  /** Applies a user input (a monitor command, a button); never throws for bad input. */
  input(input: Json): InputResult;
  /** The machine's whole state as JSON, enough for {@link MachineKind.restore}. */
  snapshot(): Json;
  /** A small summary for panes (`{guest: 'running', ...}`), cheap to compute. */
  summary(): Json;
}

/** A kind of machine a scenario can name (`hello`, `sev-boot`, `sev-migration`, ...). */
export interface MachineKind {
  readonly kind: string;
  /** Checks the scenario's `params`; throws a DocumentError naming the path of the problem. */
  validate(params: Json, path: string): void;
  /** A fresh machine for a scenario's params. */
  create(ctx: MachineContext, params: Json): Machine;
  /** A machine restored from {@link Machine.snapshot}; optional (then replay from start). */
  restore?(ctx: MachineContext, params: Json, state: Json): Machine;
}
