/**
 * What the UI knows of the engine: its state and the events visible at the cursor.
 * Filled by the controller (src/state/controller.ts), never by components directly.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { EngineEvent, EngineState, ScenarioInfo } from '../../../workers/api/types';
import type { LabState } from '../store';

export interface EngineSlice {
  /** The engine's state, or null before the worker answered. */
  engineState: EngineState | null;
  /** Events visible at the cursor, in order (seq = index). */
  events: EngineEvent[];
  scenarios: ScenarioInfo[];
  /** A message for the user when something failed (bad file, dead worker); null when fine. */
  error: string | null;
  /**
   * What the engine is doing for a call that may take a while (loading a scenario,
   * replaying to an earlier step), as a short phrase; null when it is not doing one.
   */
  busy: string | null;
  setBusy: (what: string | null) => void;
  /** Replaces the state; `events` replaces the list when `replace`, else is appended. */
  applyEngineUpdate: (state: EngineState, events: EngineEvent[], replace: boolean) => void;
  setScenarios: (list: ScenarioInfo[]) => void;
  setError: (message: string | null) => void;
}

export const createEngineSlice: StateCreator<LabState, [], [], EngineSlice> = (set) => ({
  engineState: null,
  events: [],
  scenarios: [],
  error: null,
  busy: null,
  setBusy: (busy) => set({ busy }),
  applyEngineUpdate: (state, events, replace) =>
    set((s) => ({
      engineState: state,
      events: replace ? events : events.length ? [...s.events, ...events] : s.events,
    })),
  setScenarios: (scenarios) => set({ scenarios }),
  setError: (error) => set({ error }),
});
