/** Shows what went wrong (a bad file, a dead worker) until dismissed; the work is kept. */
import { useLab } from '../state/store';

export function ErrorBanner() {
  const error = useLab((s) => s.error);
  const setError = useLab((s) => s.setError);
  if (!error) return null;
  return (
    <div className="error-banner" role="alert">
      <span>{error}</span>
      <button type="button" onClick={() => setError(null)} aria-label="Dismiss message">
        ✕
      </button>
    </div>
  );
}
