/**
 * The editor's keys on a focused block, as data (the help lists exactly these):
 * arrows move the block by one 64 KiB frame (Shift: 16 frames), + and − change a
 * region's frame count, PageUp / PageDown move a region earlier or later in index
 * order, Delete removes the block.
 */
import type { VgicLayout } from '../../../../workers/api/types';
import { regionPos, type BlockId } from './blocks';
import { changeFrames, moveRegion, nudgeBlock, removeBlock } from './edit';

/** What a key did: the next layout and the block to keep selected (null: none). */
export interface KeyEdit {
  layout: VgicLayout;
  selected: BlockId | null;
}

/** One binding, for the key list in the help. */
export interface BlockKey {
  keys: string;
  label: string;
}

export const BLOCK_KEYS: readonly BlockKey[] = [
  { keys: '← / →  (↓ / ↑)', label: 'Move the block down / up by 64 KiB' },
  { keys: 'Shift + arrows', label: 'Move by 16 × 64 KiB (1 MiB)' },
  { keys: '+ / −', label: 'One frame more / less (regions)' },
  { keys: 'PageUp / PageDown', label: 'Set the region earlier / later (index order)' },
  { keys: 'Delete', label: 'Remove the block' },
  { keys: 'Tab', label: 'Next block' },
];

/** The edit a key makes on block `id`, or undefined when the key is not the editor's. */
export function blockKeyEdit(layout: VgicLayout, id: BlockId, key: string, shift: boolean): KeyEdit | undefined {
  const step = shift ? 16 : 1;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowUp':
      return { layout: nudgeBlock(layout, id, step), selected: id };
    case 'ArrowLeft':
    case 'ArrowDown':
      return { layout: nudgeBlock(layout, id, -step), selected: id };
    case '+':
    case '=':
      return { layout: changeFrames(layout, id, 1), selected: id };
    case '-':
    case '_':
    case '−':
      return { layout: changeFrames(layout, id, -1), selected: id };
    case 'PageUp':
    case 'PageDown': {
      const pos = regionPos(id);
      if (pos === undefined) return { layout, selected: id };
      const moved = moveRegion(layout, pos, key === 'PageUp' ? -1 : 1);
      return { layout: moved.layout, selected: `region:${moved.pos}` };
    }
    case 'Delete':
    case 'Backspace':
      return { layout: removeBlock(layout, id), selected: null };
    default:
      return undefined;
  }
}
