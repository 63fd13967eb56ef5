/** The transport bar's state: playing or paused, and the speed. */
import type { StateCreator } from 'zustand/vanilla';
import type { LabState } from '../store';

/** Speeds offered, in engine actions per second of real time. */
export const SPEEDS = [1, 2, 5, 10, 30, 60, 240] as const;
export type Speed = (typeof SPEEDS)[number];

export interface TransportSlice {
  playing: boolean;
  speed: Speed;
  setPlaying: (playing: boolean) => void;
  setSpeed: (speed: Speed) => void;
  /** Next faster (+1) or slower (-1) speed, clamped. */
  nudgeSpeed: (direction: 1 | -1) => void;
}

export const createTransportSlice: StateCreator<LabState, [], [], TransportSlice> = (set, get) => ({
  playing: false,
  speed: 5,
  setPlaying: (playing) => set({ playing }),
  setSpeed: (speed) => set({ speed }),
  nudgeSpeed: (direction) => {
    const i = SPEEDS.indexOf(get().speed);
    const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, i + direction))];
    set({ speed: next });
  },
});
