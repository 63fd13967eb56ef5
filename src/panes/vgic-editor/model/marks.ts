/**
 * Which blocks a failure is about, so the editor marks them. A refused set_attr names its
 * block (`target`); a failure at vCPU creation or at the first KVM_RUN names a vCPU, so
 * the block is found from the rule (reference §5, §6, §9.1): `check-base` marks the
 * blocks that overlap (or, in 5.16, reach past the IPA size), `vcpu-without-frame` marks
 * every redistributor block (together they are too small).
 */
import type { LayoutEvaluation, LayoutFailure } from '../../../../workers/api/types';
import { blocksForTarget, type Block, type BlockId } from './blocks';

/** Where two or more blocks that the kernel compares share addresses. */
export interface Overlap {
  start: bigint;
  end: bigint;
  ids: [BlockId, BlockId];
}

/**
 * Overlaps between the DIST and the redistributor blocks and among the redistributor
 * blocks: the pairs `vgic_v3_check_base` and the region rules compare (the ITS is not
 * compared with them by the kernel, §3.2, §4).
 */
export function overlaps(blocks: readonly Block[]): Overlap[] {
  const gic = blocks.filter((b) => b.kind !== 'its' && b.size > 0n);
  const out: Overlap[] = [];
  for (let i = 0; i < gic.length; i++) {
    for (let j = i + 1; j < gic.length; j++) {
      const a = gic[i];
      const b = gic[j];
      const start = a.base > b.base ? a.base : b.base;
      const end = a.base + a.size < b.base + b.size ? a.base + a.size : b.base + b.size;
      if (start < end) out.push({ start, end, ids: [a.id, b.id] });
    }
  }
  return out;
}

/** Blocks that reach past the IPA size (`ipaSize` in bytes). */
export function beyondIpa(blocks: readonly Block[], ipaSize: bigint): BlockId[] {
  return blocks.filter((b) => b.base + b.size > ipaSize).map((b) => b.id);
}

/** The blocks one failure is about. */
export function failureBlocks(blocks: readonly Block[], f: LayoutFailure, ipaSize: bigint): BlockId[] {
  const named = blocksForTarget(blocks, f.target);
  const out = new Set<BlockId>(named);
  if (f.rule === 'check-base') {
    const all = overlaps(blocks);
    const related = named.length ? all.filter((o) => o.ids.some((x) => named.includes(x))) : all;
    for (const o of related) for (const id of o.ids) out.add(id);
    // 5.16's check_base also refuses a region past the IPA size (§9.1).
    if (!related.length) for (const id of beyondIpa(blocks, ipaSize)) out.add(id);
  } else if (f.rule.startsWith('ipa') && !named.length) {
    for (const id of beyondIpa(blocks, ipaSize)) out.add(id);
  } else if (f.rule === 'vcpu-without-frame') {
    for (const b of blocks) if (b.kind === 'region' || b.kind === 'redist') out.add(b.id);
  }
  return [...out];
}

/** Every marked block with the failures about it. */
export function markedBlocks(blocks: readonly Block[], e: LayoutEvaluation | null): Map<BlockId, LayoutFailure[]> {
  const out = new Map<BlockId, LayoutFailure[]>();
  if (!e) return out;
  const ipaSize = BigInt(e.ipaSize);
  for (const f of e.failures) {
    for (const id of failureBlocks(blocks, f, ipaSize)) out.set(id, [...(out.get(id) ?? []), f]);
  }
  return out;
}

/** `-EINVAL (22)`: how userspace sees a failed ioctl. */
export function errnoLabel(f: Pick<LayoutFailure, 'errno' | 'errnoValue'>): string {
  return `-${f.errno} (${f.errnoValue})`;
}

/** Which ioctl of the sequence failed, in the words of the issue. */
export function phaseLabel(f: Pick<LayoutFailure, 'phase' | 'ioctl'>): string {
  switch (f.phase) {
    case 'set_attr':
      return 'KVM_SET_DEVICE_ATTR (set_attr)';
    case 'ctrl_init':
      return 'KVM_SET_DEVICE_ATTR CTRL_INIT';
    case 'run':
      return 'the first KVM_RUN';
    default:
      return f.ioctl;
  }
}
