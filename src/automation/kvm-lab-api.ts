/**
 * `window.kvmLab`: the automation API for Playwright tests, demo scripts and instructors.
 * Present in production builds. Documented in docs/automation.md; keep the two in step.
 */
import type { EngineEvent, EngineState, EventFilter, GuestMemoryDigest, InputResult, Json, ScenarioInfo, SessionDoc } from '../../workers/api/types';
import type { LabController } from '../state/controller';
import { SPEEDS, type Speed } from '../state/slices/transport-slice';
import type { BottomTab, View } from '../state/slices/ui-slice';
import type { LabStore } from '../state/store';
import { createVgicAutomation, type VgicAutomation } from './vgic-automation';

/** What the UI shows, for assertions. */
export interface UiSnapshot {
  view: View;
  bottomTab: BottomTab;
  playing: boolean;
  speed: number;
  theme: string;
  error: string | null;
  selectedSeq: number | null;
}

/** The automation API. Every method that touches the engine returns a Promise. */
export interface KvmLabApi {
  /** The lab's version. */
  readonly version: string;
  /** Resolves once the engine answered and the first state is shown. */
  ready(): Promise<void>;
  scenarios(): ScenarioInfo[];
  load(scenario: string | Json, seed?: number): Promise<EngineState>;
  step(n?: number): Promise<EngineState>;
  back(n?: number): Promise<EngineState>;
  seek(cursor: number): Promise<EngineState>;
  reset(): Promise<EngineState>;
  play(): void;
  pause(): void;
  /** Sets the speed in actions per second (one of 1, 2, 5, 10, 30, 60, 240). */
  setSpeed(speed: number): void;
  /** Steps until an event matching `filter` is visible; rejects if the run goes idle first. */
  runUntil(filter: EventFilter, maxSteps?: number): Promise<EngineEvent>;
  /** Applies an input (e.g. `{monitor: 'info status'}`). */
  input(input: Json): Promise<InputResult>;
  /** The engine state as last shown. */
  state(): EngineState | null;
  /** Events visible at the cursor (as the UI holds them). */
  events(): readonly EngineEvent[];
  /** Calls `fn` for each event the UI receives; returns the unsubscribe function. */
  subscribe(fn: (e: EngineEvent) => void): () => void;
  exportSession(): Promise<SessionDoc>;
  importSession(doc: Json): Promise<EngineState>;
  /** The loaded scenario's SEV hosts (`src`, `dst`, `hop2`; none for other machines). */
  hostNames(): Promise<string[]>;
  /** SHA-256 of a host's guest memory as the guest reads it, at the cursor (an instructor's view, not the hypervisor's). */
  guestMemoryDigest(host: string): Promise<GuestMemoryDigest>;
  /** A host's page states at the cursor: one byte per 4 KiB page (bits in docs/automation.md). */
  pageStates(host: string): Promise<Uint8Array>;
  /** The UI's own state. */
  ui(): UiSnapshot;
  /** Switches the view (`sev` or `vgic`). */
  setView(view: View): void;
  /** Waits until every queued engine call has finished. */
  idle(): Promise<void>;
  /** The vGIC layout editor (src/automation/vgic-automation.ts). */
  readonly vgic: VgicAutomation;
}

declare global {
  interface Window {
    kvmLab?: KvmLabApi;
  }
}

/** Makes the API over the app's store and controller. */
export function createKvmLabApi(store: LabStore, ctl: LabController, version: string, ready: Promise<void>): KvmLabApi {
  return {
    version,
    ready: () => ready,
    scenarios: () => store.getState().scenarios,
    load: (scenario, seed) => ctl.load(scenario, seed),
    step: (n) => ctl.step(n),
    back: (n) => ctl.back(n),
    seek: (c) => ctl.seek(c),
    reset: () => ctl.reset(),
    play: () => ctl.play(),
    pause: () => ctl.pause(),
    setSpeed(speed) {
      if (!(SPEEDS as readonly number[]).includes(speed)) throw new RangeError(`speed must be one of ${SPEEDS.join(', ')}`);
      store.getState().setSpeed(speed as Speed);
    },
    runUntil: (f, max) => ctl.runUntil(f, max),
    input: (i) => ctl.input(i),
    state: () => store.getState().engineState,
    events: () => store.getState().events,
    subscribe: (fn) => ctl.subscribe(fn),
    exportSession: () => ctl.exportSession(),
    importSession: (doc) => ctl.importSession(doc),
    hostNames: () => ctl.hostNames(),
    guestMemoryDigest: (host) => ctl.guestMemoryDigest(host),
    pageStates: (host) => ctl.pageStates(host),
    ui() {
      const s = store.getState();
      return {
        view: s.view,
        bottomTab: s.bottomTab,
        playing: s.playing,
        speed: s.speed,
        theme: s.theme,
        error: s.error,
        selectedSeq: s.selectedSeq,
      };
    },
    setView: (v) => store.getState().setView(v),
    idle: () => ctl.idle(),
    vgic: createVgicAutomation(store, ctl),
  };
}
