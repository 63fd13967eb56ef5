/**
 * Behind the blocks: the row stripes, the part of the axis beyond the VM's IPA size
 * (shaded, with the IPA top as a dashed line) and a red band wherever the DIST and the
 * redistributor blocks overlap — what `vgic_v3_check_base` refuses (reference §5).
 */
import type { ScaleLinear } from 'd3';
import { formatSize } from './model/addr';
import type { Overlap } from './model/marks';
import { ROW } from './BlockRow';

interface Props {
  rows: number;
  scale: ScaleLinear<number, number>;
  plotWidth: number;
  height: number;
  ipaSize: bigint;
  overlaps: readonly Overlap[];
}

export function Backdrop({ rows, scale, plotWidth, height, ipaSize, overlaps }: Props) {
  const top = Math.max(-10, Math.min(plotWidth + 10, scale(Number(ipaSize))));
  return (
    <g aria-hidden="true" pointerEvents="none">
      {Array.from({ length: rows }, (_, i) => (
        <rect
          key={i}
          className={`row-bg${i % 2 ? ' alt' : ''}`}
          x={0}
          y={ROW.axis + i * ROW.height}
          width={plotWidth}
          height={ROW.height}
        />
      ))}
      {top < plotWidth && (
        <>
          <rect className="beyond-ipa" x={top} y={0} width={plotWidth - top} height={height} />
          <line className="ipa-top" x1={top} x2={top} y1={0} y2={height} />
          <text className="row-sub" x={top + 4} y={height - 6}>
            beyond the {formatSize(Number(ipaSize))} IPA space
          </text>
        </>
      )}
      {overlaps.map((o) => {
        const x0 = Math.max(-10, scale(Number(o.start)));
        const x1 = Math.min(plotWidth + 10, scale(Number(o.end)));
        return (
          <rect
            key={`${o.ids.join('-')}`}
            className="overlap-band"
            x={x0}
            y={ROW.axis - 4}
            width={Math.max(2, x1 - x0)}
            height={rows * ROW.height + 4}
          />
        );
      })}
    </g>
  );
}
