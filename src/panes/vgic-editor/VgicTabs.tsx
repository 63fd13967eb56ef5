/** The editor's lower half as tabs: problems, frames, kernel profiles, ioctls, script player. */
import { useRef } from 'react';
import { useController } from '../../components/controller-context';
import type { VgicTab } from '../../state/slices/vgic-slice';
import { useLab } from '../../state/store';
import { FramesTable } from './FramesTable';
import { IoctlPanel } from './IoctlPanel';
import { ProblemsPanel } from './ProblemsPanel';
import { ProfilesPanel } from './ProfilesPanel';
import { ScriptPlayer } from './ScriptPlayer';
import { useShown } from './use-shown';

const TABS: { id: VgicTab; label: string }[] = [
  { id: 'problems', label: 'Problems' },
  { id: 'frames', label: 'Frames' },
  { id: 'profiles', label: 'Kernel profiles' },
  { id: 'ioctls', label: 'ioctls' },
  { id: 'script', label: 'Script player' },
];

export function VgicTabs() {
  const ctl = useController();
  const tab = useLab((s) => s.vgic.tab);
  const failures = useShown().evaluation?.failures.length ?? 0;
  const list = useRef<HTMLDivElement>(null);
  return (
    <section className="vgic-tabs" aria-label="Layout details">
      <div
        role="tablist"
        aria-label="Layout details"
        ref={list}
        onKeyDown={(e) => {
          const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
          if (!d) return;
          e.preventDefault();
          e.stopPropagation();
          const i = TABS.findIndex((t) => t.id === tab);
          const next = TABS[(i + d + TABS.length) % TABS.length];
          ctl.vgic.setTab(next.id);
          list.current?.querySelector<HTMLElement>(`#vgic-tab-${next.id}`)?.focus();
        }}
      >
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`vgic-tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`vgic-tabpanel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => ctl.vgic.setTab(t.id)}
          >
            {t.label}
            {t.id === 'problems' && failures > 0 ? ` (${failures})` : ''}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`vgic-tabpanel-${tab}`}
        aria-labelledby={`vgic-tab-${tab}`}
        className="tab-body"
        tabIndex={0}
      >
        {tab === 'problems' && <ProblemsPanel />}
        {tab === 'frames' && <FramesTable />}
        {tab === 'profiles' && <ProfilesPanel />}
        {tab === 'ioctls' && <IoctlPanel />}
        {tab === 'script' && <ScriptPlayer />}
      </div>
    </section>
  );
}
