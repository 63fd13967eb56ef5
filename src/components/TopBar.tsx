/** The top bar: brand, view switch, scenario and seed, transport, theme and help. */
import { useLab } from '../state/store';
import type { ThemeChoice, View } from '../state/slices/ui-slice';
import { ScenarioPicker } from './ScenarioPicker';
import { TransportBar } from './TransportBar';

const VIEWS: { id: View; label: string }[] = [
  { id: 'sev', label: 'SEV migration' },
  { id: 'vgic', label: 'vGIC layout' },
];
const THEMES: ThemeChoice[] = ['auto', 'light', 'dark'];

export function TopBar() {
  const view = useLab((s) => s.view);
  const setView = useLab((s) => s.setView);
  const theme = useLab((s) => s.theme);
  const setTheme = useLab((s) => s.setTheme);
  const setHelpOpen = useLab((s) => s.setHelpOpen);
  return (
    <header className="topbar">
      <h1 className="brand">kvm-lab</h1>
      <nav aria-label="Views" className="views">
        {VIEWS.map((v) => (
          <button key={v.id} type="button" aria-current={view === v.id ? 'page' : undefined} onClick={() => setView(v.id)}>
            {v.label}
          </button>
        ))}
      </nav>
      {view === 'sev' && (
        <>
          <ScenarioPicker />
          <TransportBar />
        </>
      )}
      <div className="topbar-end">
        <label>
          <span className="visually-hidden">Theme</span>
          <select value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)} aria-label="Theme">
            {THEMES.map((t) => (
              <option key={t} value={t}>
                {t === 'auto' ? 'Theme: system' : `Theme: ${t}`}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setHelpOpen(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
          ?
        </button>
      </div>
    </header>
  );
}
