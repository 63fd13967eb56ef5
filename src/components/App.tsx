/** The app shell: top bar, the current view, overlays. */
import { useEffect } from 'react';
import { useShortcuts } from '../hooks/use-shortcuts';
import { VgicEditor } from '../panes/vgic-editor/VgicEditor';
import type { LabController } from '../state/controller';
import { labStore, useLab } from '../state/store';
import { ControllerContext } from './controller-context';
import { ErrorBanner } from './ErrorBanner';
import { HelpOverlay } from './HelpOverlay';
import { SevView } from './SevView';
import { TopBar } from './TopBar';

export function App({ controller }: { controller: LabController }) {
  const view = useLab((s) => s.view);
  const theme = useLab((s) => s.theme);
  useShortcuts(controller, labStore);
  useEffect(() => {
    if (theme === 'auto') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <ControllerContext.Provider value={controller}>
      <div className="app">
        <TopBar />
        <ErrorBanner />
        <main className="main">{view === 'sev' ? <SevView /> : <VgicEditor />}</main>
        <HelpOverlay />
      </div>
    </ControllerContext.Provider>
  );
}
