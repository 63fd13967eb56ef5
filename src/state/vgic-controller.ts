/**
 * The vGIC editor's side of the controller: the only UI code that asks the engine about
 * layouts and scripts. Every change of the layout goes into the store at once (the
 * drawing follows the pointer) and the engine is asked about the newest layout through a
 * light debounce; the three-profile comparison follows a little later. A refused file or
 * script leaves the layout as it was and says why in the editor's notice.
 */
import type { Json, LayoutEvaluation, VgicLayout, VgicLayoutDoc } from '../../workers/api/types';
import type { RemoteEngine } from '../engine/engine-client';
import type { BlockId } from '../panes/vgic-editor/model/blocks';
import { LatestRunner } from './latest-runner';
import type { VgicNotice, VgicState, VgicTab } from './slices/vgic-slice';
import type { LabStore } from './store';

/** Options of a layout change. */
export interface SetLayoutOptions {
  /** Fit the view to the new layout (presets, files, URL). */
  fit?: boolean;
  /** The block to select afterwards (undefined: keep). */
  selected?: BlockId | null;
  notice?: VgicNotice | null;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class VgicController {
  private readonly evaluator: LatestRunner;
  private readonly comparer: LatestRunner;

  constructor(
    private readonly store: LabStore,
    private readonly engine: RemoteEngine,
  ) {
    const onError = (err: unknown) =>
      this.notify({ kind: 'error', text: `The engine could not evaluate the layout: ${messageOf(err)}` });
    this.evaluator = new LatestRunner(12, () => this.evaluate(), onError);
    this.comparer = new LatestRunner(150, () => this.compare(), onError);
  }

  private get state(): VgicState {
    return this.store.getState().vgic;
  }

  /** The layout being edited. */
  get layout(): VgicLayout {
    return this.state.layout;
  }

  private set(patch: Partial<VgicState>): void {
    this.store.getState().setVgic(patch);
  }

  private notify(notice: VgicNotice | null): void {
    this.set({ notice });
  }

  /** Hides the editor's notice. */
  clearNotice(): void {
    this.notify(null);
  }

  /** Shows an error in the editor's notice area. */
  notifyError(text: string): void {
    this.notify({ kind: 'error', text });
  }

  /** Reads the catalog and evaluates the first layout (`initial` from the URL, if any). */
  async init(initial?: VgicLayout): Promise<void> {
    const catalog = await this.engine.vgicCatalog();
    this.set({ catalog });
    await this.setLayout(initial ?? this.state.layout, { fit: true });
  }

  /** Replaces the layout; resolves once the engine's answer about it is shown. */
  setLayout(layout: VgicLayout, opts: SetLayoutOptions = {}): Promise<LayoutEvaluation | null> {
    const patch: Partial<VgicState> = { layout, stale: true };
    if (opts.selected !== undefined) patch.selected = opts.selected;
    if (opts.notice !== undefined) patch.notice = opts.notice;
    if (opts.fit) patch.fitRequest = this.state.fitRequest + 1;
    this.set(patch);
    this.evaluator.request();
    return this.evaluator.idle().then(() => this.state.evaluation);
  }

  /**
   * Replaces the layout with one from outside the editor (automation): it is checked
   * first, and a malformed one is refused with the path of the first problem.
   */
  async setLayoutChecked(layout: VgicLayout): Promise<LayoutEvaluation | null> {
    const r = await this.engine.vgicLayoutDoc(layout as unknown as Json);
    if (!r.ok) {
      this.notify({ kind: 'error', text: `The layout was refused: ${r.error}. The layout is unchanged.` });
      throw new Error(r.error);
    }
    const { format: _f, version: _v, name: _n, ...checked } = r.value;
    return this.setLayout(checked, { fit: true });
  }

  /** Applies an edit to the current layout. */
  edit(fn: (l: VgicLayout) => VgicLayout, selected?: BlockId | null): Promise<LayoutEvaluation | null> {
    const next = fn(this.state.layout);
    if (next === this.state.layout) {
      if (selected !== undefined && selected !== this.state.selected) this.select(selected);
      return this.evaluator.idle().then(() => this.state.evaluation);
    }
    return this.setLayout(next, { selected });
  }

  select(id: BlockId | null): void {
    this.set({ selected: id });
  }

  selectVcpu(vcpu: number | null): void {
    this.set({ selectedVcpu: vcpu });
  }

  /** The view reports the address range it shows (for automation and the status line). */
  reportViewRange(start: number, end: number): void {
    const r = this.state.viewRange;
    if (!r || r.start !== start || r.end !== end) this.set({ viewRange: { start, end } });
  }

  /** Asks the view to show [start, end). */
  zoomTo(start: number, end: number): void {
    this.set({ zoomRequest: { start, end, seq: (this.state.zoomRequest?.seq ?? 0) + 1 } });
  }

  /** Asks the view to fit the layout. */
  fit(): void {
    this.set({ fitRequest: this.state.fitRequest + 1 });
  }

  setTab(tab: VgicTab): void {
    this.set({ tab });
  }

  /** Loads a preset of the catalog by name. */
  loadPreset(name: string): Promise<LayoutEvaluation | null> {
    const preset = this.state.catalog?.presets.find((p) => p.name === name);
    if (!preset) {
      this.notify({ kind: 'error', text: `There is no preset "${name}".` });
      return Promise.resolve(this.state.evaluation);
    }
    return this.setLayout(preset.layout, { fit: true, selected: null, notice: { kind: 'info', text: preset.title } });
  }

  /** Opens a `kvm-lab/vgic-layout` document (object or JSON text); false (and a notice) when refused. */
  async loadLayoutDoc(doc: Json | string, file = 'the layout'): Promise<boolean> {
    let value: Json;
    try {
      value = typeof doc === 'string' ? (JSON.parse(doc) as Json) : doc;
    } catch (err) {
      this.notify({
        kind: 'error',
        text: `Could not open ${file}: not valid JSON (${messageOf(err)}). The layout is unchanged.`,
      });
      return false;
    }
    const r = await this.engine.vgicReadLayoutDoc(value);
    if (!r.ok) {
      this.notify({ kind: 'error', text: `Could not open ${file}: ${r.error}. The layout is unchanged.` });
      return false;
    }
    const { format: _f, version: _v, name, ...layout } = r.value;
    await this.setLayout(layout, {
      fit: true,
      selected: null,
      notice: { kind: 'info', text: `Opened ${name ? `“${name}”` : file}.` },
    });
    return true;
  }

  /** The layout as a `kvm-lab/vgic-layout` document. */
  async layoutDoc(name?: string): Promise<VgicLayoutDoc> {
    const r = await this.engine.vgicLayoutDoc(this.state.layout as unknown as Json, name);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  }

  /** Evaluates a layout without showing it (e.g. to get a preset's script). */
  evaluateOnly(layout: VgicLayout): Promise<LayoutEvaluation> {
    return this.engine.vgicEvaluate(layout as unknown as Json);
  }

  /** Takes a layout (a script's, at its cursor) over into the editor and closes the player. */
  takeOver(layout: VgicLayout): Promise<LayoutEvaluation | null> {
    this.set({ player: null });
    return this.setLayout(layout, {
      selected: null,
      fit: true,
      notice: { kind: 'info', text: 'The script’s layout is now the editor’s layout.' },
    });
  }

  /** Waits until the engine has answered about the newest layout (and the comparison). */
  async idle(): Promise<void> {
    await this.evaluator.idle();
    await this.comparer.idle();
  }

  private async evaluate(): Promise<void> {
    const layout = this.state.layout;
    const evaluation = await this.engine.vgicEvaluate(layout as unknown as Json);
    this.set({ evaluation, stale: this.state.layout !== layout });
    this.comparer.request();
  }

  private async compare(): Promise<void> {
    const layout = this.state.layout;
    const profiles = await this.engine.vgicCompareProfiles(layout as unknown as Json);
    if (this.state.layout === layout) this.set({ profiles });
    else this.comparer.request();
  }
}
