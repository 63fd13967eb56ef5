/** Chooses the scenario and the seed; both are part of the URL. */
import { useState } from 'react';
import { useController } from './controller-context';
import { useLab } from '../state/store';

export function ScenarioPicker() {
  const ctl = useController();
  const scenarios = useLab((s) => s.scenarios);
  const st = useLab((s) => s.engineState);
  const [seedText, setSeedText] = useState<string | null>(null);
  const seedShown = seedText ?? String(st?.seed ?? '');
  const seedValid = /^\d{1,15}$/.test(seedShown);
  return (
    <div className="scenario-picker">
      <label>
        <span>Scenario</span>
        <select
          value={st?.scenario ?? ''}
          onChange={(e) => {
            setSeedText(null);
            void ctl.load(e.target.value);
          }}
          aria-label="Scenario"
        >
          {scenarios.map((s) => (
            <option key={s.name} value={s.name} title={s.description}>
              {s.title}
            </option>
          ))}
        </select>
      </label>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (seedValid && st) {
            void ctl.load(st.scenario, Number(seedShown));
            setSeedText(null);
          }
        }}
      >
        <label>
          <span>Seed</span>
          <input
            value={seedShown}
            onChange={(e) => setSeedText(e.target.value)}
            inputMode="numeric"
            size={6}
            aria-invalid={!seedValid}
            aria-describedby={seedValid ? undefined : 'seed-error'}
          />
        </label>
        {!seedValid && (
          <span id="seed-error" className="field-error">
            a whole number
          </span>
        )}
      </form>
    </div>
  );
}
