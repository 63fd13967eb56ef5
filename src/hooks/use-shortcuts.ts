/**
 * Keyboard shortcuts of the transport controls and the app. The table is data so the
 * `?` overlay lists exactly what is bound.
 */
import { useEffect } from 'react';
import type { LabController } from '../state/controller';
import type { LabStore } from '../state/store';

/** One shortcut: the keys (KeyboardEvent.key values), what it does, and the action. */
export interface Shortcut {
  keys: string[];
  label: string;
  /** Set for the transport keys: they act only in the SEV view (the vGIC editor has its own keys). */
  transport?: true;
  run(ctl: LabController, store: LabStore): void;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: [' ', 'k'], label: 'Play / pause', transport: true, run: (c) => c.togglePlay() },
  { keys: ['ArrowRight', 'l'], label: 'Step forward', transport: true, run: (c) => void c.step() },
  { keys: ['ArrowLeft', 'j'], label: 'Step back', transport: true, run: (c) => void c.back() },
  { keys: ['Home', 'r'], label: 'Reset to the start', transport: true, run: (c) => void c.reset() },
  { keys: ['+', '='], label: 'Faster', transport: true, run: (_, s) => s.getState().nudgeSpeed(1) },
  { keys: ['-', '_'], label: 'Slower', transport: true, run: (_, s) => s.getState().nudgeSpeed(-1) },
  { keys: ['1'], label: 'SEV migration view', run: (_, s) => s.getState().setView('sev') },
  { keys: ['2'], label: 'vGIC layout view', run: (_, s) => s.getState().setView('vgic') },
  { keys: ['?'], label: 'Show / hide this list', run: (_, s) => s.getState().setHelpOpen(!s.getState().helpOpen) },
  { keys: ['Escape'], label: 'Close this list', run: (_, s) => s.getState().setHelpOpen(false) },
];

/** How a key is shown in the overlay. */
export function keyLabel(key: string): string {
  return ({ ' ': 'Space', ArrowRight: '→', ArrowLeft: '←', Escape: 'Esc' } as Record<string, string>)[key] ?? key;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable || !!target.closest('.xterm');
}

/** Binds the shortcuts on the document while mounted. */
export function useShortcuts(ctl: LabController, store: LabStore): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      // Space and arrows on a focused button or slider keep their own meaning.
      const focused = e.target instanceof HTMLElement ? e.target : null;
      if ((e.key === ' ' || e.key === 'Enter') && focused?.closest('button, [role="tab"], a')) return;
      if (e.key.startsWith('Arrow') && focused?.closest('[role="separator"], [role="tablist"], [role="listbox"], input')) return;
      const sc = SHORTCUTS.find((s) => s.keys.includes(e.key));
      if (!sc || (sc.transport && store.getState().view !== 'sev')) return;
      e.preventDefault();
      sc.run(ctl, store);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [ctl, store]);
}
