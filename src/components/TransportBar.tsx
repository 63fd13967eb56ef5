/** Play / pause / step / back / reset and the speed control, driven by the event log. */
import { useController } from './controller-context';
import { useLab } from '../state/store';
import { SPEEDS, type Speed } from '../state/slices/transport-slice';
import { formatNs } from './format';
import { BackIcon, PauseIcon, PlayIcon, ResetIcon, StepIcon } from './icons';

export function TransportBar() {
  const ctl = useController();
  const playing = useLab((s) => s.playing);
  const speed = useLab((s) => s.speed);
  const setSpeed = useLab((s) => s.setSpeed);
  const st = useLab((s) => s.engineState);
  const busy = useLab((s) => s.busy);
  const atStart = !st || st.cursor === 0;
  const atEnd = !!st && st.idle && st.cursor === st.length;
  return (
    <div className="transport" role="toolbar" aria-label="Transport controls">
      <button type="button" onClick={() => void ctl.reset()} disabled={atStart} title="Reset (Home)" aria-label="Reset">
        <ResetIcon />
      </button>
      <button type="button" onClick={() => void ctl.back()} disabled={atStart} title="Step back (←)" aria-label="Step back">
        <BackIcon />
      </button>
      <button
        type="button"
        className="primary"
        onClick={() => ctl.togglePlay()}
        disabled={!st || (atEnd && !playing)}
        title="Play / pause (Space)"
        aria-label={playing ? 'Pause' : 'Play'}
        aria-pressed={playing}
      >
        {playing ? <PauseIcon /> : <PlayIcon />}
      </button>
      <button type="button" onClick={() => void ctl.step()} disabled={!st || atEnd} title="Step (→)" aria-label="Step">
        <StepIcon />
      </button>
      <label className="speed">
        <span>Speed</span>
        <select value={speed} onChange={(e) => setSpeed(Number(e.target.value) as Speed)} aria-label="Speed (actions per second)">
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}/s
            </option>
          ))}
        </select>
      </label>
      <output className="position" aria-live="polite" data-testid="position" aria-busy={busy !== null}>
        {st ? `step ${st.cursor} · ${st.events} events · ${formatNs(st.t)}${st.idle ? ' · done' : ''}` : 'starting…'}
        {busy !== null && <span className="busy"> · {busy}…</span>}
      </output>
    </div>
  );
}
