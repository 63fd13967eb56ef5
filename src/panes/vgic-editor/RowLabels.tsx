/** The row names left of the plot: the block, its size, and the errno when it was refused. */
import type { LayoutFailure } from '../../../workers/api/types';
import { formatSize } from './model/addr';
import { blockName, type Block, type BlockId } from './model/blocks';
import { errnoLabel } from './model/marks';
import { ROW } from './BlockRow';

interface Props {
  blocks: readonly Block[];
  marks: ReadonlyMap<BlockId, LayoutFailure[]>;
}

function sub(b: Block): string {
  switch (b.kind) {
    case 'dist':
    case 'its':
      return formatSize(Number(b.size));
    case 'redist':
      return `${b.frames} frames (1 per vCPU)`;
    case 'region':
      return `set #${(b.pos ?? 0) + 1} · ${b.frames} frame${b.frames === 1 ? '' : 's'}`;
  }
}

export function RowLabels({ blocks, marks }: Props) {
  return (
    <g aria-hidden="true">
      {blocks.map((b, i) => {
        const y = ROW.axis + i * ROW.height;
        const failure = marks.get(b.id)?.[0];
        return (
          <g key={b.id}>
            <text className={`row-label${failure ? ' invalid' : ''}`} x={8} y={y + 24}>
              {failure ? '⚠ ' : ''}
              {blockName(b)}
            </text>
            <text className={failure ? 'row-label invalid' : 'row-sub'} x={8} y={y + 42}>
              {failure ? errnoLabel(failure) : sub(b)}
            </text>
          </g>
        );
      })}
    </g>
  );
}
