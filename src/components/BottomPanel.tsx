/** The bottom pane: the timeline, the boot-negotiation stepper and the consoles, as tabs. */
import { useRef } from 'react';
import { BootNegotiation } from '../panes/boot/BootNegotiation';
import { Consoles } from '../panes/consoles/Consoles';
import { EventList } from '../panes/timeline/EventList';
import type { BottomTab } from '../state/slices/ui-slice';
import { useLab } from '../state/store';

const TABS: { id: BottomTab; label: string }[] = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'boot', label: 'Boot negotiation' },
  { id: 'consoles', label: 'Consoles' },
];

export function BottomPanel() {
  const tab = useLab((s) => s.bottomTab);
  const setTab = useLab((s) => s.setBottomTab);
  const list = useRef<HTMLDivElement>(null);
  return (
    <section className="pane bottom" aria-label="Timeline and consoles">
      <div
        role="tablist"
        aria-label="Bottom panes"
        ref={list}
        onKeyDown={(e) => {
          const i = TABS.findIndex((t) => t.id === tab);
          const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
          if (!d) return;
          e.preventDefault();
          const next = TABS[(i + d + TABS.length) % TABS.length];
          setTab(next.id);
          list.current?.querySelector<HTMLElement>(`#tab-${next.id}`)?.focus();
        }}
      >
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`tabpanel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel">
        {tab === 'timeline' && <EventList />}
        {tab === 'boot' && <BootNegotiation />}
        {tab === 'consoles' && <Consoles />}
      </div>
    </section>
  );
}
