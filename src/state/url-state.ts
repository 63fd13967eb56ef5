/**
 * Everything visible is in the URL: the view, the scenario and seed, the bottom tab and the
 * cursor live in the hash (`#view=sev&scenario=hello&seed=1&tab=timeline&at=4`), so a link
 * reopens the same screen. The hash works from any sub-path and from a static server.
 */
import type { BottomTab, View } from './slices/ui-slice';
import type { LabStore } from './store';

/** What the URL can say. */
export interface UrlState {
  view?: View;
  scenario?: string;
  seed?: number;
  tab?: BottomTab;
  at?: number;
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
  return `#${p.toString()}`;
}

/** Keeps `location.hash` in step with the store (replaceState: no history spam). */
export function syncUrlWithStore(store: LabStore): () => void {
  return store.subscribe((s) => {
    const hash = formatUrlState({
      view: s.view,
      scenario: s.engineState?.scenario,
      seed: s.engineState?.seed,
      tab: s.bottomTab,
      at: s.engineState?.cursor,
    });
    if (hash !== location.hash) history.replaceState(null, '', hash);
  });
}
