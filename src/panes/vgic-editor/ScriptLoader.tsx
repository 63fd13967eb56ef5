/**
 * Loading a vgic-script into the player: a built-in script (the selftest cases and the
 * 5.12 fixes), the script of a preset layout, a pasted script, or a file.
 */
import { useRef, useState } from 'react';
import type { Json } from '../../../workers/api/types';
import { useController } from '../../components/controller-context';
import { useLab } from '../../state/store';
import { readChosenFile } from './download';

export function ScriptLoader() {
  const ctl = useController();
  const catalog = useLab((s) => s.vgic.catalog);
  const [text, setText] = useState('');
  const file = useRef<HTMLInputElement>(null);
  const loadPreset = async (name: string) => {
    const preset = catalog?.presets.find((p) => p.name === name);
    if (!preset) return;
    const e = await ctl.vgic.evaluateOnly(preset.layout);
    await ctl.vgicPlayer.load({ ...(e.script as unknown as Record<string, Json>), name: preset.name }, preset.name);
  };
  return (
    <div className="vgic-loader">
      <div className="vgic-toolbar">
        <label>
          <span>Built-in script</span>
          <select
            value=""
            aria-label="Load a built-in script"
            onChange={(e) => {
              const v = e.target.value;
              if (v.startsWith('preset:')) void loadPreset(v.slice(7));
              else if (v) void ctl.vgicPlayer.loadBuiltin(v);
            }}
          >
            <option value="">Choose…</option>
            <optgroup label="Preset layouts (their ioctl sequence)">
              {catalog?.presets.map((p) => (
                <option key={p.name} value={`preset:${p.name}`}>
                  {p.name}
                </option>
              ))}
            </optgroup>
            {(['5.13', '5.16', '5.12'] as const).map((k) => (
              <optgroup
                key={k}
                label={k === '5.12' ? '5.12: one script per fix of the series' : `vgic_init selftest, ${k}`}
              >
                {catalog?.scripts
                  .filter((s) => s.kernel === k)
                  .map((s) => (
                    <option key={s.id} value={s.id} title={s.description}>
                      {s.id}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => file.current?.click()}>
          Open script file…
        </button>
        <input
          ref={file}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Open a vgic-script file"
          data-testid="vgic-open-script"
          onChange={(e) =>
            void readChosenFile(e.currentTarget).then((f) => {
              if (f) void ctl.vgicPlayer.load(f.text, f.name);
            })
          }
        />
      </div>
      <div className="vgic-code">
        <label htmlFor="vgic-paste">Or paste a vgic-script (JSON)</label>
        <textarea
          id="vgic-paste"
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          placeholder='{"format": "kvm-lab/vgic-script", "version": 1, "steps": [...]}'
        />
        <button
          type="button"
          disabled={!text.trim()}
          onClick={() => void ctl.vgicPlayer.load(text, 'the pasted script')}
        >
          Load pasted script
        </button>
      </div>
    </div>
  );
}
