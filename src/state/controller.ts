/**
 * The one place the UI talks to the engine. Every user action (button, key, automation
 * call) goes through here: it calls the engine worker, then puts the engine's new state
 * and the newly visible events into the store. Calls are queued so they never overlap.
 */
import type { EngineEvent, EngineState, EventFilter, GuestMemoryDigest, InputResult, Json, Outcome, SessionDoc } from '../../workers/api/types';
import type { RemoteEngine } from '../engine/engine-client';
import type { LabStore } from './store';
import { VgicController } from './vgic-controller';
import { VgicScriptPlayer } from './vgic-player';

type Listener = (e: EngineEvent) => void;

export class LabController {
  private queue: Promise<unknown> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<Listener>();
  /** The vGIC layout editor's calls (src/state/vgic-controller.ts). */
  readonly vgic: VgicController;
  /** The vGIC editor's script player (src/state/vgic-player.ts). */
  readonly vgicPlayer: VgicScriptPlayer;

  constructor(
    private readonly store: LabStore,
    private readonly engine: RemoteEngine,
  ) {
    this.vgic = new VgicController(store, engine);
    this.vgicPlayer = new VgicScriptPlayer(store, engine);
  }

  /** Reads the scenario list and loads `scenario` (default: the engine's default scenario). */
  async init(scenario?: string, seed?: number): Promise<void> {
    await this.run(async () => {
      this.store.getState().setScenarios(await this.engine.scenarios());
      // Always load, even the engine's default: loading is what puts a migration's hosts in their workers.
      const r = await this.engine.load(scenario ?? (await this.engine.state()).scenario, seed);
      if (!r.ok) this.store.getState().setError(`Could not load scenario: ${r.error}`);
      await this.sync(await this.engine.state());
    }, 'Starting the lab');
  }

  /** Loads a built-in scenario by name or a scenario document. */
  load(scenario: string | Json, seed?: number): Promise<EngineState> {
    this.pause();
    return this.run(async () => {
      const r = await this.engine.load(scenario, seed);
      if (!r.ok) {
        this.store.getState().setError(`Could not load scenario: ${r.error}`);
        return this.current();
      }
      this.store.getState().setError(null);
      this.store.getState().select(null);
      return this.sync(r.value);
    }, 'Loading the scenario');
  }

  step(n = 1): Promise<EngineState> {
    return this.run(async () => this.sync(await this.engine.step(n)));
  }

  back(n = 1): Promise<EngineState> {
    this.pause();
    return this.run(async () => this.sync(await this.engine.back(n)), 'Replaying to the step before');
  }

  seek(cursor: number): Promise<EngineState> {
    this.pause();
    return this.run(async () => this.sync(await this.engine.seek(cursor)), `Replaying to step ${cursor}`);
  }

  seekToEvent(seq: number): Promise<EngineState> {
    this.pause();
    return this.run(async () => this.sync(await this.engine.seekToEvent(seq)), `Replaying to event ${seq}`);
  }

  reset(): Promise<EngineState> {
    this.pause();
    return this.run(async () => this.sync(await this.engine.reset()), 'Rebuilding the start');
  }

  /** Steps until an event matching `filter` shows; rejects with the engine's message if none does. */
  runUntil(filter: EventFilter, maxSteps?: number): Promise<EngineEvent> {
    return this.run(async () => {
      const r = await this.engine.runUntil(filter, maxSteps);
      await this.sync(await this.engine.state());
      if (!r.ok) throw new Error(r.error);
      return r.value;
    });
  }

  input(input: Json): Promise<InputResult> {
    return this.run(async () => {
      const r = await this.engine.input(input);
      await this.sync(await this.engine.state());
      return r;
    });
  }

  exportSession(): Promise<SessionDoc> {
    return this.run(() => this.engine.exportSession());
  }

  importSession(doc: Json): Promise<EngineState> {
    this.pause();
    return this.run(async () => {
      const r = await this.engine.importSession(doc);
      if (!r.ok) {
        this.store.getState().setError(`Could not open the session: ${r.error}`);
        return this.current();
      }
      this.store.getState().setError(null);
      return this.sync(r.value);
    }, 'Replaying the session');
  }

  /** The loaded scenario's SEV hosts (none for other machines). */
  hostNames(): Promise<string[]> {
    return this.read(() => this.engine.hostNames());
  }

  /** SHA-256 of `host`'s guest memory as the guest reads it, at the cursor; rejects with the engine's message. */
  guestMemoryDigest(host: string): Promise<GuestMemoryDigest> {
    return this.read(async () => valueOf(await this.engine.guestMemoryDigest(host)));
  }

  /** `host`'s page-state bytes at the cursor (workers/host/page-states.ts); rejects with the engine's message. */
  pageStates(host: string): Promise<Uint8Array> {
    return this.read(async () => valueOf(await this.engine.pageStates(host)));
  }

  /** Plays at the store's speed until paused or the run goes idle. */
  play(): void {
    if (this.store.getState().playing) return;
    this.store.getState().setPlaying(true);
    this.tick();
  }

  pause(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.store.getState().playing) this.store.getState().setPlaying(false);
  }

  togglePlay(): void {
    if (this.store.getState().playing) this.pause();
    else this.play();
  }

  /** Calls `fn` for every event the UI receives from now on. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Waits for every queued engine call to finish. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  private tick(): void {
    const { speed } = this.store.getState();
    // Above 60 actions/s, batch several actions per timer tick instead of shortening it.
    const batch = Math.max(1, Math.round(speed / 60));
    const delay = batch > 1 ? 1000 / 60 : 1000 / speed;
    void this.step(batch).then((st) => {
      if (!this.store.getState().playing) return;
      if (st.idle) {
        this.pause();
        return;
      }
      this.timer = setTimeout(() => this.tick(), delay);
    });
  }

  private current(): EngineState {
    const s = this.store.getState().engineState;
    if (!s) throw new Error('the engine has not answered yet');
    return s;
  }

  private async sync(state: EngineState): Promise<EngineState> {
    const prev = this.store.getState().engineState;
    const known = this.store.getState().events.length;
    const replace = !prev || prev.generation !== state.generation || state.events < known;
    const from = replace ? 0 : known;
    const fresh = state.events > from ? await this.engine.events(from, state.events) : [];
    this.store.getState().applyEngineUpdate(state, fresh, replace);
    if (!replace || prev === null) for (const e of fresh) for (const l of this.listeners) l(e);
    return state;
  }

  private async busyWhile<T>(what: string, fn: () => Promise<T>): Promise<T> {
    this.store.getState().setBusy(what);
    try {
      return await fn();
    } finally {
      this.store.getState().setBusy(null);
    }
  }

  /** Queued like `run`, but a failure is the caller's to report (no banner). */
  private read<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Queues `fn`; with `busy`, the store says what the engine is doing until it is done. */
  private run<T>(fn: () => Promise<T>, busy?: string): Promise<T> {
    const task = busy === undefined ? fn : () => this.busyWhile(busy, fn);
    const next = this.queue.then(task, task);
    this.queue = next.catch((err: unknown) => {
      this.store.getState().setError(err instanceof Error ? err.message : String(err));
    });
    return next;
  }
}

function valueOf<T>(r: Outcome<T>): T {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}
