/**
 * Which evaluated frames belong to which drawn block (reference §5): a frame records the
 * region index and slot it was placed in, and the drawing puts it at the block's base +
 * slot × 128 KiB, so a dragged block carries its frames before the engine answers.
 */
import type { LayoutEvaluation, LayoutFrame } from '../../../../workers/api/types';
import type { Block, BlockId } from './blocks';

/** The evaluated frames of each redistributor block, by slot order. */
export function framesByBlock(blocks: readonly Block[], e: LayoutEvaluation | null): Map<BlockId, LayoutFrame[]> {
  const out = new Map<BlockId, LayoutFrame[]>();
  if (!e) return out;
  const legacy = blocks.find((b) => b.kind === 'redist');
  const regions = blocks.filter((b) => b.kind === 'region');
  for (const f of e.frames) {
    let owner: Block | undefined;
    if (f.legacy) owner = legacy;
    else {
      // The kernel keeps the index in 8 bits (§1). With duplicate indexes, the block at
      // the registered base wins.
      const same = regions.filter((b) => ((b.index ?? -1) & 0xff) === f.regionIndex);
      const registered = e.regions.find((r) => !r.legacy && r.index === f.regionIndex);
      owner = same.find((b) => registered && b.base === BigInt(registered.base)) ?? same[0];
    }
    if (!owner) continue;
    out.set(owner.id, [...(out.get(owner.id) ?? []), f]);
  }
  for (const list of out.values()) list.sort((a, b) => a.slot - b.slot);
  return out;
}

/**
 * Why a frame's GICR_TYPER.Last is what it is, in the words of reference §7 (5.13 and
 * 5.16), or the old test (5.12).
 */
export function lastReason(f: LayoutFrame, e: LayoutEvaluation): string {
  const last = f.typer?.last ?? false;
  if (e.profile === '5.12') {
    const n = e.frames.length + e.unplaced.length;
    return `5.12 sets Last only for the vCPU whose id is the number of vCPUs − 1 (${n - 1}), whatever the frames: ${last ? 'this is that vCPU' : 'this is not that vCPU'}.`;
  }
  const region = e.regions.find((r) => r.legacy === f.legacy && r.index === f.regionIndex);
  const name = f.legacy ? 'the legacy region' : `region idx ${f.regionIndex}`;
  if (!region) return last ? 'Last = 1.' : 'Last = 0.';
  if (f.slot < region.used - 1)
    return `A later slot of ${name} (slot ${f.slot + 1}) serves a vCPU, so this frame is not the last: Last = 0.`;
  if (!f.legacy && f.slot === region.frames - 1) {
    const next = e.regions.find((r) => r !== region && r.base === region.end && r.used > 0);
    return next
      ? `This is the final slot of ${name}, and ${next.legacy ? 'the legacy region' : `region idx ${next.index}`} starts right after it at ${region.end} with vCPUs in it: the run of frames goes on, Last = 0.`
      : `This is the final slot of ${name}, and no region with vCPUs starts right after it at ${region.end}: Last = 1.`;
  }
  return f.legacy
    ? `This is the highest used slot of the legacy region (never full): Last = 1.`
    : `This is the highest used slot of ${name}, whose remaining ${region.frames - region.used} slot(s) are unused: Last = 1.`;
}
