/**
 * `window.kvmLab.vgic`: the vGIC layout editor for tests, demos and instructors.
 * Documented in docs/automation.md ("The vGIC editor"); keep the two in step.
 */
import type {
  Json,
  LayoutEvaluation,
  VgicCatalog,
  VgicLayout,
  VgicLayoutDoc,
  VgicPlayback,
  VgicProfileVerdict,
} from '../../workers/api/types';
import type { LabController } from '../state/controller';
import type { VgicTab } from '../state/slices/vgic-slice';
import type { LabStore } from '../state/store';

/** The player as last shown. */
export interface VgicPlayerSnapshot {
  name: string;
  upTo: number;
  total: number;
  playback: VgicPlayback;
  /** The engine's evaluation of the layout the script has built at the cursor. */
  evaluation: LayoutEvaluation | null;
}

/** The editor's automation API; every method that asks the engine returns a Promise. */
export interface VgicAutomation {
  catalog(): VgicCatalog | null;
  /** The layout being edited. */
  layout(): VgicLayout;
  /** Replaces the layout; resolves with the engine's evaluation of it, rejects (naming the path) when malformed. */
  setLayout(layout: VgicLayout): Promise<LayoutEvaluation | null>;
  /** The evaluation shown (of the edited layout, or of the script's while one plays). */
  evaluation(): LayoutEvaluation | null;
  /** The layout under 5.12, 5.13 and 5.16. */
  profiles(): VgicProfileVerdict[] | null;
  loadPreset(name: string): Promise<LayoutEvaluation | null>;
  /** Selects a block (`dist`, `its`, `redist`, `region:<position>`) or nothing. */
  select(id: string | null): void;
  selected(): string | null;
  /** Opens a `kvm-lab/vgic-layout` document (object or text); false when refused (see `notice()`). */
  loadLayoutDoc(doc: Json | string): Promise<boolean>;
  layoutDoc(name?: string): Promise<VgicLayoutDoc>;
  /** The editor's message, if any. */
  notice(): { kind: 'error' | 'info'; text: string } | null;
  /** Loads a script (object or text) into the player; false when refused. */
  loadScript(script: Json | string, name?: string): Promise<boolean>;
  /** Loads a built-in script by id (see `catalog().scripts`). */
  loadBuiltinScript(id: string): Promise<boolean>;
  scriptStep(n?: number): Promise<VgicPlayback | null>;
  scriptBack(n?: number): Promise<VgicPlayback | null>;
  scriptRunAll(): Promise<VgicPlayback | null>;
  scriptReset(): Promise<VgicPlayback | null>;
  player(): VgicPlayerSnapshot | null;
  closeScript(): void;
  /** Shows the address range [start, end) (bytes). */
  zoomTo(start: number, end: number): void;
  fit(): void;
  /** The address range the view shows. */
  viewRange(): { start: number; end: number } | null;
  setTab(tab: VgicTab): void;
  /** Waits until the engine has answered about the newest layout and script cursor. */
  idle(): Promise<void>;
}

export function createVgicAutomation(store: LabStore, ctl: LabController): VgicAutomation {
  const v = () => store.getState().vgic;
  return {
    catalog: () => v().catalog,
    layout: () => v().layout,
    setLayout: (l) => ctl.vgic.setLayoutChecked(l),
    evaluation: () => {
      const p = v().player;
      return p ? p.evaluation : v().evaluation;
    },
    profiles: () => v().profiles,
    loadPreset: (name) => ctl.vgic.loadPreset(name),
    select: (id) => ctl.vgic.select(id as Parameters<typeof ctl.vgic.select>[0]),
    selected: () => v().selected,
    loadLayoutDoc: (doc) => ctl.vgic.loadLayoutDoc(doc),
    layoutDoc: (name) => ctl.vgic.layoutDoc(name),
    notice: () => v().notice,
    loadScript: (script, name) => ctl.vgicPlayer.load(script, name),
    loadBuiltinScript: (id) => ctl.vgicPlayer.loadBuiltin(id),
    scriptStep: (n) => ctl.vgicPlayer.step(n),
    scriptBack: (n) => ctl.vgicPlayer.back(n),
    scriptRunAll: () => ctl.vgicPlayer.runAll(),
    scriptReset: () => ctl.vgicPlayer.reset(),
    player: () => {
      const p = v().player;
      return (
        p && {
          name: p.name,
          upTo: p.playback.upTo,
          total: p.playback.total,
          playback: p.playback,
          evaluation: p.evaluation,
        }
      );
    },
    closeScript: () => ctl.vgicPlayer.close(),
    zoomTo: (start, end) => ctl.vgic.zoomTo(start, end),
    fit: () => ctl.vgic.fit(),
    viewRange: () => v().viewRange,
    setTab: (tab) => ctl.vgic.setTab(tab),
    idle: async () => {
      await ctl.vgic.idle();
      await ctl.vgicPlayer.idle();
    },
  };
}
