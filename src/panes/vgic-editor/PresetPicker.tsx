/**
 * The preset menu: the selftest's layouts, the "Last bit" cases of the series and QEMU's
 * virt machine for 8 and 512 vCPUs, as the engine lists them (`presets()`).
 */
import { useController } from '../../components/controller-context';
import { useLab } from '../../state/store';

const NONE: never[] = [];

export function PresetPicker() {
  const ctl = useController();
  const presets = useLab((s) => s.vgic.catalog?.presets) ?? NONE;
  const scripting = useLab((s) => s.vgic.player !== null);
  return (
    <label className="vgic-preset">
      <span>Preset</span>
      <select
        value=""
        disabled={scripting || !presets.length}
        onChange={(e) => {
          if (e.target.value) void ctl.vgic.loadPreset(e.target.value);
        }}
      >
        <option value="">Load a preset…</option>
        {presets.map((p) => (
          <option key={p.name} value={p.name} title={p.title}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
