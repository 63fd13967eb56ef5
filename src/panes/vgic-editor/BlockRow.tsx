/**
 * One block of the layout on its row: a focusable option of the blocks listbox that the
 * pointer drags (base, snapped to 64 KiB) and resizes (regions, by frame count), and the
 * keyboard edits (model/keys.ts). A block the kernel refused is drawn dashed in the
 * error colour and says why in its accessible name.
 */
import type { ScaleLinear } from 'd3';
import { useRef, type KeyboardEvent } from 'react';
import type { LayoutFailure, LayoutFrame } from '../../../workers/api/types';
import { FRAME_SIZE, formatSize, hexAddr } from './model/addr';
import { blockName, type Block } from './model/blocks';
import { errnoLabel, phaseLabel } from './model/marks';
import { vcpuList } from './model/summary';
import { FrameCells } from './FrameCells';
import { useBlockDrag, type DragHandlers } from './use-block-drag';

/** Row geometry shared with the view. */
export const ROW = { axis: 30, height: 64, pad: 7 } as const;

interface Props {
  block: Block;
  row: number;
  scale: ScaleLinear<number, number>;
  plotWidth: number;
  frames: readonly LayoutFrame[] | undefined;
  failures: readonly LayoutFailure[] | undefined;
  selected: boolean;
  selectedVcpu: number | null;
  editable: boolean;
  onMove: DragHandlers['onMove'];
  onResize: DragHandlers['onResize'];
  /** A click on the block, with the vCPU whose frame is under it. */
  onPick: (vcpu: number | undefined) => void;
  onKey: (e: KeyboardEvent<SVGGElement>) => void;
  onFocus: () => void;
}

/** Keeps huge zoomed coordinates inside what SVG draws reliably. */
const clampX = (x: number, w: number) => Math.max(-1000, Math.min(w + 1000, x));

function accessibleName(
  b: Block,
  frames: readonly LayoutFrame[] | undefined,
  failures: readonly LayoutFailure[] | undefined,
): string {
  // Starts with the text drawn on the block, so the visible label is part of the name.
  const parts = [`${blockName(b)} · ${hexAddr(b.base)}, ${formatSize(Number(b.size))}`];
  if (b.kind === 'region' || b.kind === 'redist') {
    const served = (frames ?? []).map((f) => f.vcpuId);
    const last = (frames ?? []).filter((f) => f.typer?.last).map((f) => f.vcpuId);
    parts.push(`${b.frames} frames serving vCPU ${vcpuList(served)}, Last on vCPU ${vcpuList(last)}`);
  }
  if (failures?.length) parts.push(`problem: ${errnoLabel(failures[0])} at ${phaseLabel(failures[0])}`);
  return parts.join('; ');
}

export function BlockRow(p: Props) {
  const { block: b, scale, plotWidth } = p;
  const base = Number(b.base);
  const end = Number(b.base + b.size);
  const option = useRef<SVGGElement>(null);
  const pick = (addr: number) => {
    const slot = Math.floor((addr - base) / Number(FRAME_SIZE));
    p.onPick(p.frames?.find((f) => f.slot === slot)?.vcpuId);
  };
  const drag = useBlockDrag(
    scale,
    base,
    end,
    p.editable,
    { onMove: p.onMove, onResize: p.onResize, onClick: pick },
    option,
  );
  const y = ROW.axis + p.row * ROW.height + ROW.pad;
  const h = ROW.height - 2 * ROW.pad;
  const x0 = clampX(scale(base), plotWidth);
  const x1 = Math.max(x0 + 3, clampX(scale(end), plotWidth));
  const invalid = !!p.failures?.length;
  // A region's name is drawn only when its frames are too narrow to carry their own labels.
  const showText = b.kind === 'dist' || b.kind === 'its' || scale(base + Number(FRAME_SIZE)) - scale(base) < 14;
  const textX = Math.max(x0, 0) + 6;
  return (
    <>
      <g
        ref={option}
        className={`vgic-block${p.editable ? '' : ' readonly'}`}
        role="option"
        tabIndex={0}
        aria-selected={p.selected}
        aria-label={accessibleName(b, p.frames, p.failures)}
        data-block-id={b.id}
        data-kind={b.kind}
        data-invalid={invalid ? 'true' : undefined}
        data-base={hexAddr(b.base)}
        data-frames={b.frames}
        onKeyDown={p.onKey}
        onFocus={p.onFocus}
        {...drag}
      >
        <rect className="body" x={x0} y={y} width={x1 - x0} height={h} rx={3} />
        <rect className="selection" x={x0 - 2} y={y - 2} width={x1 - x0 + 4} height={h + 4} rx={4} />
      </g>
      {/* Drawn over the block but outside the option, so its text is not part of the option's name; the pointer goes through it. */}
      <g className="vgic-block-layer" aria-hidden="true" pointerEvents="none">
        {(b.kind === 'region' || b.kind === 'redist') && (
          <FrameCells
            base={b.base}
            slots={b.frames}
            frames={p.frames ?? []}
            scale={scale}
            plotWidth={plotWidth}
            y={y + 2}
            h={h - 4}
            selectedVcpu={p.selectedVcpu}
          />
        )}
        {showText && textX + 80 < x1 && (
          <text className="block-text" x={textX} y={y + h / 2 + 4}>
            {blockName(b)} · {hexAddr(b.base)}
          </text>
        )}
      </g>
      {p.editable && b.kind === 'region' && (
        <g className="vgic-block vgic-handle" aria-hidden="true" data-handle-for={b.id} {...drag}>
          <rect
            className="resize-handle"
            data-handle="resize"
            x={x1 - 3}
            y={y + h / 4}
            width={6}
            height={h / 2}
            rx={2}
          />
        </g>
      )}
    </>
  );
}
