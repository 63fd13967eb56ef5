/**
 * A run of a machine whose steps are asynchronous (the migration lab with its hosts in
 * workers): the same timeline model as core/session.ts — a list of actions (`tick` or an
 * input), the state at cursor n is what the first n actions make, going back rebuilds
 * the machine and replays, an input behind the end starts a new branch — with every
 * operation awaited. Machines of this kind keep no checkpoints (guest memory is the
 * state), so a rebuild always replays from the start, as the one-process session does for
 * the same scenarios.
 */
import { VirtualClock } from '../core/clock.js';
import { EventLog } from '../core/event-log.js';
import type { EngineEvent, Json } from '../core/events.js';
import type { InputResult, MachineContext } from '../core/machine.js';
import { SeededRng } from '../core/rng.js';
import type { ScenarioDoc } from '../core/scenario.js';
import type { Action, SessionPosition } from '../core/session.js';

/** A machine whose every call may wait (for its workers). */
export interface AsyncMachine {
  step(): Promise<boolean>;
  input(input: Json): Promise<InputResult>;
  summary(): Promise<Json>;
  /** Ends what it runs on (workers). */
  dispose(): void;
}

/** Makes the machine of a scenario (the seed is the session's). */
export type AsyncMachineFactory = (ctx: MachineContext, params: Json, seed: number) => Promise<AsyncMachine>;

/** An asynchronous session (see core/session.ts for the model). */
export class AsyncSession {
  private readonly actions: Action[] = [];
  /** Log length after each action (the same on every replay). */
  private readonly ends: number[] = [];
  private clock!: VirtualClock;
  private log!: EventLog;
  private machine!: AsyncMachine;
  private cursor = 0;
  private idle = false;
  private lastSummary: Json = null;

  private constructor(
    readonly scenario: ScenarioDoc,
    readonly seed: number,
    private readonly factory: AsyncMachineFactory,
  ) {}

  /** A session at cursor 0 of `scenario`. */
  static async open(scenario: ScenarioDoc, seed: number, factory: AsyncMachineFactory): Promise<AsyncSession> {
    const s = new AsyncSession(scenario, seed, factory);
    await s.rebuild();
    return s;
  }

  position(): SessionPosition {
    return { cursor: this.cursor, length: this.actions.length, events: this.log.length, t: this.clock.now(), idle: this.idle };
  }

  timeline(): readonly Action[] {
    return this.actions;
  }

  events(from = 0, to = this.log.length): EngineEvent[] {
    return this.log.slice(from, Math.min(to, this.log.length));
  }

  /** The machine at the cursor, for engine-side readers (page maps, memory digests). */
  current(): AsyncMachine {
    return this.machine;
  }

  /** The machine's summary as of the last operation. */
  summary(): Json {
    return this.lastSummary;
  }

  /** The next action of the timeline, or a new tick at its end; false when at the end and idle. */
  async step(): Promise<boolean> {
    if (this.cursor < this.actions.length) {
      await this.perform(this.actions[this.cursor]);
      return this.refresh(true);
    }
    const before = this.log.length;
    const worked = await this.machine.step();
    if (!worked && this.log.length === before) {
      this.idle = true;
      return this.refresh(false);
    }
    this.idle = false;
    this.record({ tick: true });
    return this.refresh(true);
  }

  /** Applies an input at the cursor; later actions are dropped. */
  async input(input: Json): Promise<InputResult> {
    this.actions.length = this.cursor;
    this.ends.length = this.cursor;
    this.log.append({ host: 'lab', component: 'session', kind: 'session.input', payload: { input } });
    const r = await this.machine.input(input);
    this.idle = false;
    this.record({ input });
    await this.refresh(true);
    return r;
  }

  /** Moves to action `target`, replaying from the start when going back. */
  async seek(target: number): Promise<void> {
    const to = Math.max(0, Math.min(target, this.actions.length));
    if (to === this.cursor) return;
    if (to < this.cursor) await this.rebuild();
    while (this.cursor < to) await this.perform(this.actions[this.cursor]);
    await this.refresh(true);
  }

  /** Moves to just after the action that produced event `seq`. */
  async seekToEvent(seq: number): Promise<void> {
    const i = this.ends.findIndex((end) => end > seq);
    if (i >= 0) await this.seek(i + 1);
  }

  /** Ends the machine's workers. */
  dispose(): void {
    this.machine.dispose();
  }

  private async perform(action: Action): Promise<void> {
    if ('tick' in action) await this.machine.step();
    else {
      this.log.append({ host: 'lab', component: 'session', kind: 'session.input', payload: { input: action.input } });
      await this.machine.input(action.input);
    }
    this.cursor++;
    this.idle = false;
  }

  private record(action: Action): void {
    this.actions.push(action);
    this.ends.push(this.log.length);
    this.cursor++;
  }

  private async refresh<T>(value: T): Promise<T> {
    this.lastSummary = await this.machine.summary();
    return value;
  }

  private async rebuild(): Promise<void> {
    this.machine?.dispose();
    this.clock = new VirtualClock();
    this.log = new EventLog(this.clock);
    const rng = SeededRng.fromSeed(this.seed);
    const log = this.log;
    const ctx: MachineContext = { clock: this.clock, rng, log, emit: (d) => void log.append(d) };
    this.machine = await this.factory(ctx, this.scenario.params ?? {}, this.seed);
    this.cursor = 0;
    this.idle = false;
    await this.refresh(undefined);
  }
}
