/**
 * The redistributor frames of one region drawn inside its block: one 128 KiB cell per
 * slot, labelled with the vCPU it serves and that vCPU's GICR_TYPER — Processor_Number,
 * affinity and Last (reference §5, §7) — as far as the cell's width allows. A gold bar
 * marks Last at every zoom. Only the cells in view are drawn.
 */
import type { ScaleLinear } from 'd3';
import type { LayoutFrame } from '../../../workers/api/types';
import { FRAME_SIZE, hexAddr } from './model/addr';

interface Props {
  base: bigint;
  slots: number;
  frames: readonly LayoutFrame[];
  scale: ScaleLinear<number, number>;
  plotWidth: number;
  y: number;
  h: number;
  selectedVcpu: number | null;
}

const FRAME = Number(FRAME_SIZE);

function typerText(f: LayoutFrame): string {
  const t = f.typer;
  if (!t) return `vCPU ${f.vcpuId} · frame ${f.base}`;
  const a = t.aff;
  return `vCPU ${f.vcpuId} · frame ${f.base} · GICR_TYPER ${t.raw} (Processor_Number ${t.processorNumber}, affinity ${a.aff3}.${a.aff2}.${a.aff1}.${a.aff0}, Last ${t.last ? 1 : 0})`;
}

function Labels({ f, x, y, w, h }: { f: LayoutFrame; x: number; y: number; w: number; h: number }) {
  const t = f.typer;
  const cx = x + 4;
  if (w < 14) return null;
  if (w < 44)
    return (
      <text x={cx} y={y + 14}>
        {f.vcpuId}
      </text>
    );
  const low = t ? '0x' + (BigInt(t.raw) & 0xffff_ffffn).toString(16) : '';
  const roomy = w >= 112;
  return (
    <>
      <text x={cx} y={y + 14}>
        vCPU {f.vcpuId}
      </text>
      {w >= 50 && t && (
        <text x={cx} y={y + 27} className="typer">
          PN {t.processorNumber}
          {w >= 100 ? ` · aff ${t.aff.aff2}.${t.aff.aff1}.${t.aff.aff0}` : ''}
        </text>
      )}
      {w >= 50 && t && h >= 40 && (
        <text x={cx} y={y + 40} className={t.last ? 'typer last-text' : 'typer'}>
          {roomy ? `TYPER ${low}${t.last ? ' · Last' : ''}` : t.last ? 'Last' : low}
        </text>
      )}
    </>
  );
}

export function FrameCells({ base, slots, frames, scale, plotWidth, y, h, selectedVcpu }: Props) {
  const b = Number(base);
  const cellW = scale(b + FRAME) - scale(b);
  if (cellW < 2 || slots <= 0) return null;
  const [d0, d1] = scale.domain();
  const first = Math.max(0, Math.floor((d0 - b) / FRAME));
  const last = Math.min(slots - 1, Math.ceil((d1 - b) / FRAME));
  const bySlot = new Map(frames.map((f) => [f.slot, f]));
  const cells = [];
  for (let s = first; s <= last; s++) {
    const x = scale(b + s * FRAME);
    if (x > plotWidth || x + cellW < 0) continue;
    const f = bySlot.get(s);
    const cls = `vgic-frame${f ? '' : ' unused'}${f && f.vcpuId === selectedVcpu ? ' selected' : ''}`;
    cells.push(
      <g key={s} className={cls} data-vcpu={f?.vcpuId} data-slot={s} data-last={f?.typer?.last ? 'true' : undefined}>
        <title>{f ? typerText(f) : `unused slot ${s} at ${hexAddr(base + BigInt(s) * FRAME_SIZE)}`}</title>
        <rect className="cell" x={x} y={y} width={cellW} height={h} />
        {f?.typer?.last && (
          <rect className="last-badge" x={x + 1} y={y + 1} width={Math.max(1, cellW - 2)} height={4} />
        )}
        {f && <Labels f={f} x={x} y={y} w={cellW} h={h} />}
      </g>,
    );
  }
  return <g aria-hidden="true">{cells}</g>;
}
