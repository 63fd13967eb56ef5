/** Layout and view state: which view and tab, pane sizes, theme, overlays, selection. */
import type { StateCreator } from 'zustand/vanilla';
import type { LabState } from '../store';

export type View = 'sev' | 'vgic';
export type BottomTab = 'timeline' | 'boot' | 'consoles';
export type ThemeChoice = 'auto' | 'light' | 'dark';

/** Pane sizes in pixels (the centre takes what is left). */
export interface PaneSizes {
  bottom: number;
  right: number;
}

export interface UiSlice {
  view: View;
  bottomTab: BottomTab;
  paneSizes: PaneSizes;
  theme: ThemeChoice;
  helpOpen: boolean;
  /** The event shown in the inspector, by seq. */
  selectedSeq: number | null;
  setView: (view: View) => void;
  setBottomTab: (tab: BottomTab) => void;
  resizePane: (pane: keyof PaneSizes, px: number) => void;
  setTheme: (theme: ThemeChoice) => void;
  setHelpOpen: (open: boolean) => void;
  select: (seq: number | null) => void;
}

/** Limits that keep every pane usable. */
export const PANE_LIMITS: Record<keyof PaneSizes, [number, number]> = { bottom: [120, 640], right: [200, 560] };

export const createUiSlice: StateCreator<LabState, [], [], UiSlice> = (set) => ({
  view: 'sev',
  bottomTab: 'timeline',
  paneSizes: { bottom: 260, right: 300 },
  theme: 'auto',
  helpOpen: false,
  selectedSeq: null,
  setView: (view) => set({ view }),
  setBottomTab: (bottomTab) => set({ bottomTab }),
  resizePane: (pane, px) =>
    set((s) => {
      const [lo, hi] = PANE_LIMITS[pane];
      return { paneSizes: { ...s.paneSizes, [pane]: Math.round(Math.max(lo, Math.min(hi, px))) } };
    }),
  setTheme: (theme) => set({ theme }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  select: (selectedSeq) => set({ selectedSeq }),
});
