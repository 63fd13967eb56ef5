/**
 * The inspector of the selected block: its base (typed in hex, any value — a misaligned
 * or out-of-range base is the kernel's to refuse), a region's frame count, index and
 * place in the set order, and the kernel's complaints about it.
 */
import { useState } from 'react';
import type { LayoutFailure } from '../../../workers/api/types';
import { useController } from '../../components/controller-context';
import { MAX_REGION_COUNT, formatSize, hexAddr, parseAddr } from './model/addr';
import { blockName, type Block } from './model/blocks';
import { moveBlock, moveRegion, removeBlock, setRegionCount, setRegionIndex } from './model/edit';
import { errnoLabel, phaseLabel } from './model/marks';
import { NumberField } from './NumberField';

interface Props {
  block: Block;
  failures: readonly LayoutFailure[];
  editable: boolean;
  regionCount: number;
}

function BaseField({ block, editable }: { block: Block; editable: boolean }) {
  const ctl = useController();
  const [text, setText] = useState(hexAddr(block.base));
  const [error, setError] = useState<string | null>(null);
  const commit = () => {
    const v = parseAddr(text);
    if (v === undefined) return setError('Write an address in hex (0x…) or decimal.');
    setError(null);
    void ctl.vgic.edit((l) => moveBlock(l, block.id, v));
  };
  return (
    <>
      <input
        id="vgic-base"
        value={text}
        readOnly={!editable}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'vgic-base-error' : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      {error && (
        <div id="vgic-base-error" className="field-error">
          {error}
        </div>
      )}
    </>
  );
}

export function BlockInspector({ block: b, failures, editable, regionCount }: Props) {
  const ctl = useController();
  const pos = b.pos ?? 0;
  return (
    <section aria-labelledby="vgic-block-title">
      <h3 id="vgic-block-title">{blockName(b)}</h3>
      <dl>
        <dt>
          <label htmlFor="vgic-base">Base</label>
        </dt>
        <dd>
          <BaseField key={`${b.id}:${b.base}`} block={b} editable={editable} />
        </dd>
        <dt>End</dt>
        <dd>{hexAddr(b.base + b.size)}</dd>
        <dt>Size</dt>
        <dd>{formatSize(Number(b.size))}</dd>
        {b.kind === 'region' && (
          <>
            <dt>
              <label htmlFor="vgic-count">Frames</label>
            </dt>
            <dd>
              <NumberField
                id="vgic-count"
                min={1}
                max={MAX_REGION_COUNT}
                value={b.frames}
                readOnly={!editable}
                onValue={(n) => void ctl.vgic.edit((l) => setRegionCount(l, pos, n))}
              />
            </dd>
            <dt>
              <label htmlFor="vgic-index">Index</label>
            </dt>
            <dd>
              <NumberField
                id="vgic-index"
                min={0}
                max={0xfff}
                value={b.index ?? 0}
                readOnly={!editable}
                onValue={(n) => void ctl.vgic.edit((l) => setRegionIndex(l, pos, n))}
              />
            </dd>
            <dt>Set</dt>
            <dd>
              #{pos + 1} of {regionCount}
            </dd>
          </>
        )}
      </dl>
      {b.kind === 'redist' && (
        <p className="summary">
          The legacy region (KVM_VGIC_V3_ADDR_TYPE_REDIST) has no count: it holds one 128 KiB frame per vCPU and grows
          with them.
        </p>
      )}
      {b.droppedLowBits && (
        <p className="field-error">
          Bits 15:0 of a REDIST_REGION base cannot be encoded: the kernel sees {hexAddr(b.base)}.
        </p>
      )}
      {failures.map((f) => (
        <p key={f.step} className="field-error">
          <strong className="vgic-errno">{errnoLabel(f)}</strong> at {phaseLabel(f)} (step {f.step}): {f.explanation}
        </p>
      ))}
      {editable && (
        <div className="row-actions">
          {b.kind === 'region' && (
            <>
              <button
                type="button"
                disabled={pos === 0}
                onClick={() =>
                  void ctl.vgic.setLayout(moveRegion(ctl.vgic.layout, pos, -1).layout, {
                    selected: `region:${pos - 1}`,
                  })
                }
              >
                Set earlier
              </button>
              <button
                type="button"
                disabled={pos >= regionCount - 1}
                onClick={() =>
                  void ctl.vgic.setLayout(moveRegion(ctl.vgic.layout, pos, 1).layout, { selected: `region:${pos + 1}` })
                }
              >
                Set later
              </button>
            </>
          )}
          <button
            type="button"
            onClick={() => void ctl.vgic.setLayout(removeBlock(ctl.vgic.layout, b.id), { selected: null })}
          >
            Remove
          </button>
        </div>
      )}
    </section>
  );
}
