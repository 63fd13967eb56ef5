/**
 * The blocks of a layout as the editor draws them: the distributor, the ITS, the legacy
 * redistributor region and each REDIST_REGION, with their guest-physical extent
 * (reference §1, §3.3, §3.4). A block's id is stable while the layout is edited:
 * regions are named by their position in the layout's `regions` array (the order the
 * VMM sets them), not by their index field, which the user may get wrong on purpose.
 */
import type { VgicLayout } from '../../../../workers/api/types';
import { DIST_SIZE, FRAME_SIZE, ITS_SIZE, parseAddr } from './addr';

export type BlockKind = 'dist' | 'its' | 'redist' | 'region';
/** `dist`, `its`, `redist` (the legacy region) or `region:<array position>`. */
export type BlockId = 'dist' | 'its' | 'redist' | `region:${number}`;

/** A drawn block. */
export interface Block {
  id: BlockId;
  kind: BlockKind;
  /** The base the kernel sees (for a region, bits 15:0 cannot be encoded and are dropped). */
  base: bigint;
  size: bigint;
  /** Redistributor frames the block holds (legacy: one per vCPU; DIST and ITS: 0). */
  frames: number;
  /** The region's index field (regions only). */
  index?: number;
  /** Position in `regions` (regions only). */
  pos?: number;
  /** Set when the base as written had bits the encoding drops. */
  droppedLowBits?: boolean;
}

/** The id of the region at array position `pos`. */
export const regionId = (pos: number): BlockId => `region:${pos}`;

/** The array position of a region id, else undefined. */
export function regionPos(id: string): number | undefined {
  const m = /^region:(\d+)$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

/** The blocks of `layout`, in drawing order: DIST, ITS, legacy REDIST, regions in set order. */
export function layoutBlocks(layout: VgicLayout): Block[] {
  const out: Block[] = [];
  const at = (v: string | number | undefined) => parseAddr(v) ?? 0n;
  // A layout from automation may carry anything; draw what can be drawn, the engine says what is wrong.
  const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0);
  if (layout.dist) out.push({ id: 'dist', kind: 'dist', base: at(layout.dist.base), size: DIST_SIZE, frames: 0 });
  if (layout.its) out.push({ id: 'its', kind: 'its', base: at(layout.its.base), size: ITS_SIZE, frames: 0 });
  if (layout.redist) {
    out.push({
      id: 'redist',
      kind: 'redist',
      base: at(layout.redist.base),
      size: BigInt(count(layout.vcpus)) * FRAME_SIZE,
      frames: count(layout.vcpus),
    });
  }
  (Array.isArray(layout.regions) ? layout.regions : []).forEach((r, pos) => {
    const written = at(r.base);
    const base = written & ~0xffffn;
    out.push({
      id: regionId(pos),
      kind: 'region',
      base,
      size: BigInt(count(r.count)) * FRAME_SIZE,
      frames: count(r.count),
      index: r.index,
      pos,
      ...(base !== written ? { droppedLowBits: true } : {}),
    });
  });
  return out;
}

/** A block's name for labels and messages (`Region idx 1`, `Distributor`). */
export function blockName(b: Pick<Block, 'kind' | 'index'>): string {
  switch (b.kind) {
    case 'dist':
      return 'Distributor';
    case 'its':
      return 'ITS';
    case 'redist':
      return 'Legacy REDIST';
    case 'region':
      return `Region idx ${b.index ?? '?'}`;
  }
}

/** The block a kernel step's `target` names (`dist`, `redist`, `its`, `region:<index>`). */
export function blocksForTarget(blocks: readonly Block[], target: string | undefined): BlockId[] {
  if (!target) return [];
  if (target === 'dist' || target === 'its' || target === 'redist')
    return blocks.some((b) => b.id === target) ? [target] : [];
  const m = /^region:(\d+)$/.exec(target);
  if (!m) return [];
  const index = Number(m[1]);
  return blocks.filter((b) => b.kind === 'region' && b.index === index).map((b) => b.id);
}
