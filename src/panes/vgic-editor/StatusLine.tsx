/**
 * The verdict on what is drawn — KVM_RUN returns 0, or the first errno with the ioctl
 * that returned it and the rule behind it — and the editor's notice (a refused file, a
 * preset's description). Announced politely to screen readers.
 */
import { useController } from '../../components/controller-context';
import { useLab } from '../../state/store';
import { errnoLabel, phaseLabel } from './model/marks';
import { useShown } from './use-shown';

export function StatusLine() {
  const ctl = useController();
  const { evaluation: e, mode } = useShown();
  const stale = useLab((s) => s.vgic.stale);
  const notice = useLab((s) => s.vgic.notice);
  const first = e?.failures[0];
  return (
    <div className="vgic-status">
      <span
        role="status"
        aria-live="polite"
        data-testid="vgic-verdict"
        data-ok={e ? String(e.ok) : undefined}
        aria-busy={mode === 'edit' && stale}
      >
        {mode === 'script' && e && <span className="summary">As a layout, then CTRL_INIT and the first KVM_RUN: </span>}
        {!e && (mode === 'script' ? 'No VM is open at this step of the script.' : 'Waiting for the kernel model…')}
        {e?.error && <span className="verdict-bad">The layout cannot be read: {e.error}</span>}
        {e && !e.error && e.ok && (
          <span className="verdict-ok">
            ✓ {e.profile}: every ioctl succeeds and the first KVM_RUN returns 0 ({e.frames.length} frames placed).
          </span>
        )}
        {first && (
          <>
            <span className="verdict-bad">✗ {errnoLabel(first)}</span> at {phaseLabel(first)}
            {first.target ? ` (${first.target})` : ''}: {first.explanation}
            {e.failures.length > 1 && (
              <button type="button" className="link-button" onClick={() => ctl.vgic.setTab('problems')}>
                {e.failures.length - 1} more
              </button>
            )}
          </>
        )}
      </span>
      {notice && (
        <span
          className="vgic-notice"
          data-kind={notice.kind}
          role={notice.kind === 'error' ? 'alert' : undefined}
          data-testid="vgic-notice"
        >
          {notice.text}
          <button type="button" aria-label="Dismiss the message" onClick={() => ctl.vgic.clearNotice()}>
            ✕
          </button>
        </span>
      )}
    </div>
  );
}
