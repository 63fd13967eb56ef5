/**
 * The UI's one vanilla zustand store, made of slices (engine, transport, ui, vgic). React reads
 * it through selectors (`useLab`); the controller and the automation API use it directly.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createEngineSlice, type EngineSlice } from './slices/engine-slice';
import { createTransportSlice, type TransportSlice } from './slices/transport-slice';
import { createUiSlice, type UiSlice } from './slices/ui-slice';
import { createVgicSlice, type VgicSlice } from './slices/vgic-slice';

export type LabState = EngineSlice & TransportSlice & UiSlice & VgicSlice;
export type LabStore = StoreApi<LabState>;

/** A fresh store (one per app; tests make their own). */
export function createLabStore(): LabStore {
  return createStore<LabState>()((...a) => ({
    ...createEngineSlice(...a),
    ...createTransportSlice(...a),
    ...createUiSlice(...a),
    ...createVgicSlice(...a),
  }));
}

/** The app's store. */
export const labStore = createLabStore();

/** Reads a slice of the app's store in a component. */
export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(labStore, selector);
}
