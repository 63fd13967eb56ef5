/**
 * What the editor draws: the layout being edited and the engine's answer about it, or,
 * while a script plays, the layout the script has built at the cursor (read-only).
 */
import { useMemo } from 'react';
import type { LayoutEvaluation, VgicLayout } from '../../../workers/api/types';
import { useLab } from '../../state/store';
import { layoutBlocks, type Block, type BlockId } from './model/blocks';
import { markedBlocks, overlaps, type Overlap } from './model/marks';
import type { LayoutFailure } from '../../../workers/api/types';

/** The drawn layout and everything derived from it. */
export interface Shown {
  mode: 'edit' | 'script';
  layout: VgicLayout;
  evaluation: LayoutEvaluation | null;
  blocks: Block[];
  marks: Map<BlockId, LayoutFailure[]>;
  overlaps: Overlap[];
  /** The VM's IPA size in bytes. */
  ipaSize: bigint;
}

const EMPTY: VgicLayout = { profile: '5.13', vcpus: 0 };

/** The IPA size of a layout before the engine answered (default 40 bits). */
const ipaOf = (l: VgicLayout, e: LayoutEvaluation | null) => (e ? BigInt(e.ipaSize) : 1n << BigInt(l.ipaBits || 40));

export function useShown(): Shown {
  const layoutEdit = useLab((s) => s.vgic.layout);
  const evalEdit = useLab((s) => s.vgic.evaluation);
  const player = useLab((s) => s.vgic.player);
  return useMemo(() => {
    const script = player !== null;
    const layout = script
      ? (player.playback.view?.layout ?? { ...EMPTY, profile: player.playback.result.kernel ?? '5.13' })
      : layoutEdit;
    const evaluation = script ? (player.playback.view ? player.evaluation : null) : evalEdit;
    const blocks = layoutBlocks(layout);
    return {
      mode: script ? 'script' : 'edit',
      layout,
      evaluation,
      blocks,
      marks: markedBlocks(blocks, evaluation),
      overlaps: overlaps(blocks),
      ipaSize: ipaOf(layout, evaluation),
    };
  }, [layoutEdit, evalEdit, player]);
}
