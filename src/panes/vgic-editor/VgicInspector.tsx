/**
 * The right-hand inspector: the selected block, the selected vCPU's frame, or — with
 * nothing selected — the VM: the vCPU creation order, which decides who gets which frame.
 */
import { useState } from 'react';
import { useController } from '../../components/controller-context';
import { useLab } from '../../state/store';
import { BlockInspector } from './BlockInspector';
import { BLOCK_KEYS } from './model/keys';
import { FrameInspector } from './FrameInspector';
import { useShown } from './use-shown';

function CreationOrder() {
  const ctl = useController();
  const layout = useLab((s) => s.vgic.layout);
  const ids = layout.vcpuIds ?? Array.from({ length: layout.vcpus }, (_, i) => i);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const commit = () => {
    if (text === null) return;
    const parts = text.split(/[\s,]+/).filter(Boolean);
    const next = parts.map(Number);
    if (!next.every((n) => Number.isInteger(n) && n >= 0 && n <= 1023))
      return setError('Write vCPU ids (0–1023) separated by commas.');
    setError(null);
    setText(null);
    const inOrder = next.every((id, i) => id === i);
    void ctl.vgic.edit((l) => {
      const { vcpuIds: _old, ...rest } = l;
      return inOrder ? { ...rest, vcpus: next.length } : { ...rest, vcpus: next.length, vcpuIds: next };
    });
  };
  return (
    <section aria-labelledby="vgic-vm-title">
      <h3 id="vgic-vm-title">The VM</h3>
      <label htmlFor="vgic-order">vCPU creation order</label>
      <input
        id="vgic-order"
        value={text ?? ids.join(', ')}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        aria-describedby="vgic-order-help"
      />
      {error && <div className="field-error">{error}</div>}
      <p id="vgic-order-help" className="summary">
        Frames are handed out by region index order, and within a region by vCPU creation order — not by vCPU id. Select
        a block or a frame to inspect it.
      </p>
    </section>
  );
}

export function VgicInspector() {
  const shown = useShown();
  const selected = useLab((s) => s.vgic.selected);
  const vcpu = useLab((s) => s.vgic.selectedVcpu);
  const block = shown.blocks.find((b) => b.id === selected);
  const frame = shown.evaluation?.frames.find((f) => f.vcpuId === vcpu);
  const regions = shown.blocks.filter((b) => b.kind === 'region').length;
  return (
    <section className="vgic-inspector" aria-label="Inspector of the layout">
      {block ? (
        <BlockInspector
          key={block.id}
          block={block}
          failures={shown.marks.get(block.id) ?? []}
          editable={shown.mode === 'edit'}
          regionCount={regions}
        />
      ) : shown.mode === 'edit' ? (
        <CreationOrder />
      ) : (
        <p className="summary">Select a block or a frame to inspect it.</p>
      )}
      {frame && shown.evaluation && <FrameInspector frame={frame} evaluation={shown.evaluation} />}
      <details className="vgic-keys">
        <summary>Keys on a block</summary>
        <table>
          <tbody>
            {BLOCK_KEYS.map((k) => (
              <tr key={k.keys}>
                <td>
                  <kbd>{k.keys}</kbd>
                </td>
                <td>{k.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="summary">
          Drag a block to move it (snaps to 64 KiB), drag a region’s right-hand handle to change its frames, wheel or
          the buttons to zoom, drag the background to pan.
        </p>
      </details>
    </section>
  );
}
