/**
 * A run of one scenario: the timeline of actions, the event log, and a cursor.
 *
 * The timeline is a list of actions, each a `tick` (the machine does its next unit of
 * work) or an input (a monitor command, a button). The state at position n is by
 * definition what you get from the initial state by performing the first n actions, so
 * step back and jump rebuild the machine (from the nearest checkpoint, or from the
 * start) and replay; nothing is ever undone by hand. An input made while behind the
 * end of the timeline starts a new branch: the actions after the cursor are dropped.
 */
import { VirtualClock } from './clock.js';
import { EventLog } from './event-log.js';
import type { EngineEvent, Json } from './events.js';
import type { InputResult, Machine, MachineContext, MachineKind } from './machine.js';
import { SeededRng } from './rng.js';
import type { ScenarioDoc } from './scenario.js';

/** One action of the timeline. */
export type Action = { tick: true } | { input: Json };

/** Where a session stands, for panes and the automation API. */
export interface SessionPosition {
  /** Actions performed. */
  cursor: number;
  /** Actions in the timeline (the cursor can move up to here without computing anew). */
  length: number;
  /** Events visible at the cursor. */
  events: number;
  /** Virtual time at the cursor, ns. */
  t: number;
  /** True when the machine has nothing left to do without input. */
  idle: boolean;
}

/** The state at one cursor position. */
export interface Checkpoint {
  cursor: number;
  t: number;
  events: number;
  rng: ReturnType<SeededRng['state']>;
  machine: Json;
}

/** How often (in actions) a checkpoint is taken when the machine kind can restore. */
const CHECKPOINT_EVERY = 256;

export class Session {
  private readonly actions: Action[] = [];
  /** Log length after each action of the timeline (the same on every replay). */
  private readonly ends: number[] = [];
  private readonly checkpoints: Checkpoint[] = [];
  private clock!: VirtualClock;
  private rng!: SeededRng;
  private log!: EventLog;
  private machine!: Machine;
  private cursor = 0;
  private idle = false;
  /** All events of the timeline computed so far, also those after the cursor. */
  private timelineEvents: EngineEvent[] = [];
  private readonly listeners = new Set<(e: EngineEvent) => void>();

  constructor(
    readonly scenario: ScenarioDoc,
    readonly seed: number,
    private readonly kind: MachineKind,
  ) {
    this.rebuild(undefined);
  }

  /** Where the session stands. */
  position(): SessionPosition {
    return {
      cursor: this.cursor,
      length: this.actions.length,
      events: this.log.length,
      t: this.clock.now(),
      idle: this.idle,
    };
  }

  /** The actions of the timeline (for export and share). */
  timeline(): readonly Action[] {
    return this.actions;
  }

  /** Events visible at the cursor with `from <= seq < to`. */
  events(from = 0, to = this.log.length): EngineEvent[] {
    return this.log.slice(from, Math.min(to, this.log.length));
  }

  /** The machine's summary at the cursor. */
  summary(): Json {
    return this.machine.summary();
  }

  /** The machine at the cursor, for engine-side readers (page maps, consoles). */
  current(): Machine {
    return this.machine;
  }

  /** Calls `fn` for every event that becomes visible (stepping forward or replaying). */
  subscribe(fn: (e: EngineEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Performs the next action: the one already in the timeline, or a new tick at its
   * end. Returns false (and changes nothing) when at the end and the machine is idle.
   */
  step(): boolean {
    if (this.cursor < this.actions.length) {
      this.perform(this.actions[this.cursor]);
      return true;
    }
    const before = this.log.length;
    const worked = this.machine.step();
    if (!worked && this.log.length === before) {
      this.idle = true;
      return false;
    }
    this.idle = false;
    this.record({ tick: true });
    return true;
  }

  /** Applies an input at the cursor; later actions of the timeline are dropped. */
  input(input: Json): InputResult {
    this.truncateAfterCursor();
    this.log.append({ host: 'lab', component: 'session', kind: 'session.input', payload: { input } });
    const result = this.machine.input(input);
    this.idle = false;
    this.record({ input });
    return result;
  }

  /** Moves the cursor to action `target` (0 = the initial state), replaying as needed. */
  seek(target: number): void {
    const to = Math.max(0, Math.min(target, this.actions.length));
    if (to === this.cursor) return;
    if (to > this.cursor) {
      while (this.cursor < to) this.perform(this.actions[this.cursor]);
      return;
    }
    const cp = [...this.checkpoints].reverse().find((c) => c.cursor <= to);
    this.rebuild(cp);
    while (this.cursor < to) this.perform(this.actions[this.cursor]);
  }

  /** Moves the cursor to just after the action that produced event `seq`. */
  seekToEvent(seq: number): void {
    const i = this.ends.findIndex((end) => end > seq);
    if (i >= 0) this.seek(i + 1);
  }

  /** The state at the cursor, enough to restore it (see snapshot.ts for the document). */
  checkpointNow(): Checkpoint {
    return {
      cursor: this.cursor,
      t: this.clock.now(),
      events: this.log.length,
      rng: this.rng.state(),
      machine: this.machine.snapshot(),
    };
  }

  private perform(action: Action): void {
    if ('tick' in action) {
      this.machine.step();
    } else {
      this.log.append({ host: 'lab', component: 'session', kind: 'session.input', payload: { input: action.input } });
      this.machine.input(action.input);
    }
    this.cursor++;
    this.idle = false;
    this.maybeCheckpoint();
  }

  private record(action: Action): void {
    this.actions.push(action);
    this.ends.push(this.log.length);
    this.cursor++;
    this.timelineEvents = this.log.slice();
    this.maybeCheckpoint();
  }

  private truncateAfterCursor(): void {
    if (this.cursor === this.actions.length) return;
    this.actions.length = this.cursor;
    this.ends.length = this.cursor;
    while (this.checkpoints.length && this.checkpoints[this.checkpoints.length - 1].cursor > this.cursor) {
      this.checkpoints.pop();
    }
    this.timelineEvents = this.log.slice();
  }

  private maybeCheckpoint(): void {
    if (!this.kind.restore || this.cursor % CHECKPOINT_EVERY !== 0) return;
    if (this.checkpoints.some((c) => c.cursor === this.cursor)) return;
    this.checkpoints.push(this.checkpointNow());
  }

  private rebuild(cp: Checkpoint | undefined): void {
    this.clock = new VirtualClock(cp?.t ?? 0);
    this.rng = cp ? SeededRng.restore(cp.rng) : SeededRng.fromSeed(this.seed);
    this.log = new EventLog(this.clock);
    if (cp) for (const e of this.timelineEvents.slice(0, cp.events)) this.log.append(e);
    this.log.subscribe((e) => {
      for (const l of this.listeners) l(e);
    });
    const log = this.log;
    const ctx: MachineContext = { clock: this.clock, rng: this.rng, log, emit: (d) => void log.append(d) };
    const params = this.scenario.params ?? {};
    this.machine = cp && this.kind.restore ? this.kind.restore(ctx, params, cp.machine) : this.kind.create(ctx, params);
    this.cursor = cp?.cursor ?? 0;
    this.idle = false;
  }
}
