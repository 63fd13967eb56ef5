/**
 * The layout's own settings: the vCPU count, the kernel profile (5.12 / 5.13 / 5.16),
 * the VM's IPA size, when the DIST is set, and the buttons that add blocks.
 */
import type { KernelProfile, VgicLayout } from '../../../workers/api/types';
import { useController } from '../../components/controller-context';
import { useLab } from '../../state/store';
import { IPA_BITS, MAX_VCPUS } from './model/addr';
import type { BlockKind } from './model/blocks';
import { addBlock, setVcpus } from './model/edit';
import { NumberField } from './NumberField';

const PROFILES: { id: KernelProfile; label: string }[] = [
  { id: '5.12', label: '5.12 (before the v6 series)' },
  { id: '5.13', label: '5.13 (after it)' },
  { id: '5.16', label: '5.16 (IPA-range checks)' },
];

const ADD: { kind: BlockKind; label: string }[] = [
  { kind: 'dist', label: 'Distributor' },
  { kind: 'region', label: 'Region' },
  { kind: 'redist', label: 'Legacy REDIST' },
  { kind: 'its', label: 'ITS' },
];

export function LayoutControls() {
  const ctl = useController();
  const layout = useLab((s) => s.vgic.layout);
  const scripting = useLab((s) => s.vgic.player !== null);
  const edit = (fn: (l: VgicLayout) => VgicLayout) => void ctl.vgic.edit(fn);
  return (
    <div className="vgic-controls">
      <label>
        <span>vCPUs</span>
        <NumberField
          value={layout.vcpus}
          min={0}
          max={MAX_VCPUS}
          disabled={scripting}
          onValue={(n) => edit((l) => setVcpus(l, n))}
        />
      </label>
      <fieldset disabled={scripting}>
        <legend>Kernel</legend>
        {PROFILES.map((p) => (
          <label key={p.id} title={p.label}>
            <input
              type="radio"
              name="vgic-profile"
              value={p.id}
              checked={layout.profile === p.id}
              onChange={() => edit((l) => ({ ...l, profile: p.id }))}
            />
            {p.id}
          </label>
        ))}
      </fieldset>
      <label>
        <span>IPA bits</span>
        <NumberField
          value={layout.ipaBits || IPA_BITS.default}
          min={IPA_BITS.min}
          max={IPA_BITS.max}
          disabled={scripting}
          onValue={(n) => edit((l) => ({ ...l, ipaBits: n === IPA_BITS.default ? undefined : n }))}
        />
      </label>
      <label>
        <span>DIST set</span>
        <select
          value={layout.order ?? 'dist-first'}
          disabled={scripting}
          onChange={(e) => edit((l) => ({ ...l, order: e.target.value === 'dist-last' ? 'dist-last' : undefined }))}
        >
          <option value="dist-first">before the redistributors</option>
          <option value="dist-last">after them (found at KVM_RUN)</option>
        </select>
      </label>
      <div role="group" aria-label="Add a block" className="vgic-toolbar">
        {ADD.map((a) => (
          <button
            key={a.kind}
            type="button"
            disabled={scripting || (a.kind !== 'region' && !!layout[a.kind])}
            onClick={() => {
              const r = addBlock(ctl.vgic.layout, a.kind);
              void ctl.vgic.setLayout(r.layout, { selected: r.id });
            }}
          >
            + {a.label}
          </button>
        ))}
      </div>
    </div>
  );
}
