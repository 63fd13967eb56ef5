/**
 * The vGIC layout editor's state: the layout being edited, what the engine said about it
 * (evaluation, the three profiles), the selection, the script player, and requests to
 * the address-space view (fit, zoom). Filled by the VgicController; components read it.
 */
import type { StateCreator } from 'zustand/vanilla';
import type {
  Json,
  LayoutEvaluation,
  VgicCatalog,
  VgicLayout,
  VgicPlayback,
  VgicProfileVerdict,
} from '../../../workers/api/types';
import type { BlockId } from '../../panes/vgic-editor/model/blocks';
import type { LabState } from '../store';

/** The layout a fresh editor shows: QEMU virt's GIC area with 4 vCPUs. */
export const DEFAULT_VGIC_LAYOUT: VgicLayout = {
  profile: '5.13',
  vcpus: 4,
  dist: { base: '0x8000000' },
  regions: [{ index: 0, base: '0x80a0000', count: 4 }],
};

/** A loaded vgic-script and where the player is. */
export interface VgicPlayerState {
  name: string;
  script: Json;
  playback: VgicPlayback;
  /** The engine's evaluation of the layout the script has built at the cursor. */
  evaluation: LayoutEvaluation | null;
}

/** A message of the editor (a refused file or script), shown in its status area. */
export interface VgicNotice {
  kind: 'error' | 'info';
  text: string;
}

export type VgicTab = 'problems' | 'frames' | 'profiles' | 'ioctls' | 'script';

export interface VgicState {
  catalog: VgicCatalog | null;
  layout: VgicLayout;
  /** The evaluation of `layout` (or of an earlier layout while a newer one is on its way). */
  evaluation: LayoutEvaluation | null;
  /** True while the shown evaluation is older than `layout`. */
  stale: boolean;
  profiles: VgicProfileVerdict[] | null;
  selected: BlockId | null;
  /** The vCPU whose frame the inspector shows. */
  selectedVcpu: number | null;
  player: VgicPlayerState | null;
  notice: VgicNotice | null;
  tab: VgicTab;
  /** Bumped to ask the view to fit the layout. */
  fitRequest: number;
  /** Asks the view to show [start, end) (bytes, as numbers). */
  zoomRequest: { start: number; end: number; seq: number } | null;
  /** The address range the view shows (reported by the view). */
  viewRange: { start: number; end: number } | null;
}

export interface VgicSlice {
  vgic: VgicState;
  /** Merges `patch` into the editor's state. */
  setVgic: (patch: Partial<VgicState>) => void;
}

export const createVgicSlice: StateCreator<LabState, [], [], VgicSlice> = (set) => ({
  vgic: {
    catalog: null,
    layout: DEFAULT_VGIC_LAYOUT,
    evaluation: null,
    stale: true,
    profiles: null,
    selected: null,
    selectedVcpu: null,
    player: null,
    notice: null,
    tab: 'problems',
    fitRequest: 0,
    zoomRequest: null,
    viewRange: null,
  },
  setVgic: (patch) => set((s) => ({ vgic: { ...s.vgic, ...patch } })),
});
