/**
 * The typed engine API: what the UI, the automation API (`window.kvmLab`), the CLI and
 * the tests may call. In the browser it is exposed from a Web Worker through comlink
 * (every method then returns a Promise); in Node the same class is called directly.
 *
 * Only plain data crosses this boundary: JSON values, typed arrays (transferred), never
 * engine objects.
 */
import type { EngineEvent, EventFilter, Json } from '../core/events.js';
import type { InputResult } from '../core/machine.js';
import type { SessionPosition } from '../core/session.js';
import type { SessionDoc } from '../core/session-doc.js';
import type { SnapshotDoc } from '../core/snapshot.js';
import type { LayoutEvaluation, VgicResult } from '../vgic/index.js';
import type { VgicCatalog, VgicLayoutDoc, VgicPlayback, VgicProfileVerdict } from './vgic-api.js';

export type { EngineEvent, EventFilter, Json, InputResult, SessionPosition, SessionDoc, SnapshotDoc };
export type {
  ErrnoName,
  KernelFixInfo,
  KernelProfile,
  LayoutEvaluation,
  LayoutFailure,
  LayoutFrame,
  LayoutIoctl,
  LayoutPhase,
  LayoutRegion,
  LayoutStep,
  LayoutStepResult,
  LayoutTyper,
  VgicLayout,
  VgicLayoutRegion,
  VgicPreset,
  VgicResult,
  VgicScript,
  VgicStep,
  VgicStepResult,
} from '../vgic/index.js';
export type { VgicCatalog, VgicLayoutDoc, VgicPlayback, VgicProfileVerdict, VgicScriptInfo } from './vgic-api.js';
export type { ScriptLayoutView } from '../vgic/index.js';
export type { GuestMemoryDigest } from '../machines/host-inspection.js';
import type { GuestMemoryDigest } from '../machines/host-inspection.js';

/** A scenario as listed in pickers. */
export interface ScenarioInfo {
  name: string;
  title: string;
  description: string;
  machine: string;
  seed: number;
}

/** The state of the loaded session, as panes show it. */
export interface EngineState extends SessionPosition {
  scenario: string;
  seed: number;
  /** Changes every time the visible log is rebuilt (back, jump, load): refetch events. */
  generation: number;
  summary: Json;
}

/** Result of a call that can fail on bad input: never throws across the boundary. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** The engine, as every client sees it. */
export interface EngineApi {
  /** The lab's version (package.json). */
  version(): string;
  /** The built-in scenarios. */
  scenarios(): ScenarioInfo[];
  /** Loads a built-in scenario by name, or a scenario document; `seed` overrides its own. */
  load(scenario: string | Json, seed?: number): Outcome<EngineState>;
  /** The current state. */
  state(): EngineState;
  /** Performs up to `n` actions; stops early when the machine goes idle. */
  step(n?: number): EngineState;
  /** Goes back `n` actions (replaying from a checkpoint). */
  back(n?: number): EngineState;
  /** Moves to action `cursor` (0 = the start). */
  seek(cursor: number): EngineState;
  /** Moves to just after the action that produced event `seq`. */
  seekToEvent(seq: number): EngineState;
  /** Back to the initial state of the loaded scenario (the timeline is kept). */
  reset(): EngineState;
  /** Steps until an event matching `filter` is visible, at most `maxSteps` actions. */
  runUntil(filter: EventFilter, maxSteps?: number): Outcome<EngineEvent>;
  /** Applies a user input at the cursor (drops later actions). */
  input(input: Json): InputResult;
  /** Events visible at the cursor, `from <= seq < to`. */
  events(from?: number, to?: number): EngineEvent[];
  /** The run as a session document (share, export). */
  exportSession(): SessionDoc;
  /** Loads a session document and moves to its cursor. */
  importSession(doc: Json): Outcome<EngineState>;
  /** The state at the cursor as a snapshot document. */
  snapshot(): SnapshotDoc;

  // ---- SEV hosts of the loaded scenario (sev-boot: `src`; sev-migration: `src`, `dst`, `hop2`) ----
  /** The names of the loaded scenario's SEV hosts (none for other machines). */
  hostNames(): string[];
  /**
   * SHA-256 of `host`'s guest RAM as the guest reads it (through its VEK), at the cursor:
   * equal on a target just resumed and its stopped source. An instructor's / test's view,
   * not the hypervisor's.
   */
  guestMemoryDigest(host: string): Outcome<GuestMemoryDigest>;
  /**
   * `host`'s page states at the cursor: one byte per 4 KiB page of guest RAM (bits
   * `PageState` of workers/host/page-states.ts). In the browser the buffer is transferred.
   */
  pageStates(host: string): Outcome<Uint8Array>;

  // ---- vGIC-v3 layout editor (workers/api/vgic-api.ts; no session involved) ----
  /** Presets, kernel fixes, profiles, built-in scripts and frame geometry. */
  vgicCatalog(): VgicCatalog;
  /** A built-in vgic-script by id (`5.13/06-test_last_bit_redist_regions`). */
  vgicBuiltinScript(id: string): Outcome<Json>;
  /** What the selected kernel does with a layout; a malformed layout gives `error`. */
  vgicEvaluate(layout: Json): LayoutEvaluation;
  /** The layout under each kernel profile (5.12, 5.13, 5.16). */
  vgicCompareProfiles(layout: Json): VgicProfileVerdict[];
  /** Runs a vgic-script v1 document (reference §11.4 result). */
  vgicRunScript(script: Json, file?: string): VgicResult;
  /** Runs a script; gives every result and the layout it has built after `upTo` steps. */
  vgicPlayScript(script: Json, upTo: number): VgicPlayback;
  /** Reads a `kvm-lab/vgic-layout` document; the error names the path of the first problem. */
  vgicReadLayoutDoc(doc: Json): Outcome<VgicLayoutDoc>;
  /** A layout as a `kvm-lab/vgic-layout` document (checked). */
  vgicLayoutDoc(layout: Json, name?: string): Outcome<VgicLayoutDoc>;
}

/** {@link EngineApi} with every method allowed to answer later: what the engine worker exposes (AsyncEngine). */
export type EngineApiAsync = {
  [K in keyof EngineApi]: (...args: Parameters<EngineApi[K]>) => ReturnType<EngineApi[K]> | Promise<ReturnType<EngineApi[K]>>;
};
