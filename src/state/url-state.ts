/**
 * Everything visible is in the URL: the view, the scenario and seed, the bottom tab and the
 * cursor live in the hash (`#view=sev&scenario=hello&seed=1&tab=timeline&at=4`), so a link
 * reopens the same screen; so does the vGIC editor's layout (`layout=…`, see vgic-url.ts).
 * The hash works from any sub-path and from a static server.
 */
import type { VgicLayout } from '../../workers/api/types';
import type { BottomTab, View } from './slices/ui-slice';
import { DEFAULT_VGIC_LAYOUT } from './slices/vgic-slice';
import type { LabStore } from './store';
import { decodeLayout, encodeLayout } from './vgic-url';

/** What the URL can say. */
export interface UrlState {
  view?: View;
  scenario?: string;
  seed?: number;
  tab?: BottomTab;
  at?: number;
  /** The vGIC editor's layout. */
  vgic?: VgicLayout;
}

const VIEWS: readonly View[] = ['sev', 'vgic'];
const TABS: readonly BottomTab[] = ['timeline', 'boot', 'consoles'];

/** Reads the state from a hash string; unknown or malformed entries are ignored. */
export function parseUrlState(hash: string): UrlState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const out: UrlState = {};
  const view = p.get('view');
  if (view && (VIEWS as string[]).includes(view)) out.view = view as View;
  const tab = p.get('tab');
  if (tab && (TABS as string[]).includes(tab)) out.tab = tab as BottomTab;
  const scenario = p.get('scenario');
  if (scenario && /^[\w.-]{1,64}$/.test(scenario)) out.scenario = scenario;
  const seed = p.get('seed');
  if (seed && /^\d{1,15}$/.test(seed)) out.seed = Number(seed);
  const at = p.get('at');
  if (at && /^\d{1,9}$/.test(at)) out.at = Number(at);
  const layout = p.get('layout');
  const vgic = layout ? decodeLayout(layout) : undefined;
  if (vgic) out.vgic = vgic;
  return out;
}

/** Writes the state as a hash string. */
export function formatUrlState(s: UrlState): string {
  const p = new URLSearchParams();
  if (s.view) p.set('view', s.view);
  if (s.scenario) p.set('scenario', s.scenario);
  if (s.seed !== undefined) p.set('seed', String(s.seed));
  if (s.tab) p.set('tab', s.tab);
  if (s.at !== undefined) p.set('at', String(s.at));
  if (s.vgic) p.set('layout', encodeLayout(s.vgic));
  return `#${p.toString()}`;
}

/** Keeps `location.hash` in step with the store (replaceState: no history spam). */
export function syncUrlWithStore(store: LabStore): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = () => {
    timer = null;
    const s = store.getState();
    const hash = formatUrlState({
      view: s.view,
      scenario: s.engineState?.scenario,
      seed: s.engineState?.seed,
      tab: s.bottomTab,
      at: s.engineState?.cursor,
      vgic: s.vgic.layout === DEFAULT_VGIC_LAYOUT ? undefined : s.vgic.layout,
    });
    if (hash !== location.hash) history.replaceState(null, '', hash);
  };
  write();
  // A dragged vGIC block changes the layout many times a second: write the hash at most
  // every 100 ms so the browser does not throttle history updates.
  const unsubscribe = store.subscribe(() => {
    timer ??= setTimeout(write, 100);
  });
  return () => {
    if (timer !== null) clearTimeout(timer);
    unsubscribe();
  };
}
