/**
 * Editing a layout: every user gesture (drag, key, button, field) is one pure function
 * from a layout to the next, so the store only ever holds whole layouts and undoing a
 * gesture is just keeping the old one. The kernel's checks are not repeated here: a
 * gesture may make a layout the kernel refuses, and the engine says why.
 */
import type { VgicLayout, VgicLayoutRegion } from '../../../../workers/api/types';
import { FRAME_SIZE, MAX_REGION_COUNT, MAX_VCPUS, REGION_BASE_LIMIT, SZ_64K, hex, parseAddr, snap } from './addr';
import { layoutBlocks, regionId, regionPos, type BlockId, type BlockKind } from './blocks';

/** Where a new layout's first block goes: QEMU virt's GIC area (0x08000000). */
export const FIRST_BASE = 0x0800_0000n;

const clampBase = (b: bigint, size: bigint) =>
  b < 0n ? 0n : b + size > REGION_BASE_LIMIT ? REGION_BASE_LIMIT - size : b;

function withRegions(layout: VgicLayout, regions: VgicLayoutRegion[]): VgicLayout {
  const { regions: _old, ...rest } = layout;
  return regions.length ? { ...rest, regions } : rest;
}

/** Sets a block's base (the caller snaps it). */
export function moveBlock(layout: VgicLayout, id: BlockId, base: bigint): VgicLayout {
  const block = layoutBlocks(layout).find((b) => b.id === id);
  if (!block) return layout;
  const at = hex(clampBase(base, block.size));
  if (at === hex(block.base) && !block.droppedLowBits) return layout;
  if (id === 'dist' || id === 'its' || id === 'redist') return { ...layout, [id]: { base: at } };
  const pos = regionPos(id)!;
  return withRegions(
    layout,
    (layout.regions ?? []).map((r, i) => (i === pos ? { ...r, base: at } : r)),
  );
}

/** Moves a block by `steps` × 64 KiB (negative: down), snapping to 64 KiB first. */
export function nudgeBlock(layout: VgicLayout, id: BlockId, steps: number): VgicLayout {
  const block = layoutBlocks(layout).find((b) => b.id === id);
  if (!block) return layout;
  return moveBlock(layout, id, snap(block.base) + BigInt(steps) * SZ_64K);
}

/** Sets a region's frame count, clamped to 1..4095 (the 12-bit count field). */
export function setRegionCount(layout: VgicLayout, pos: number, count: number): VgicLayout {
  const n = Math.max(1, Math.min(MAX_REGION_COUNT, Math.round(count)));
  return withRegions(
    layout,
    (layout.regions ?? []).map((r, i) => (i === pos ? { ...r, count: n } : r)),
  );
}

/** Adds `delta` frames to a region; other blocks have a fixed size and are unchanged. */
export function changeFrames(layout: VgicLayout, id: BlockId, delta: number): VgicLayout {
  const pos = regionPos(id);
  const r = pos === undefined ? undefined : layout.regions?.[pos];
  return r ? setRegionCount(layout, pos!, r.count + delta) : layout;
}

/** Sets a region's index field (0..4095; the kernel keeps 8 bits, §1). */
export function setRegionIndex(layout: VgicLayout, pos: number, index: number): VgicLayout {
  const n = Math.max(0, Math.min(0xfff, Math.round(index)));
  return withRegions(
    layout,
    (layout.regions ?? []).map((r, i) => (i === pos ? { ...r, index: n } : r)),
  );
}

/**
 * Moves a region one place earlier (-1) or later (+1) in the order the VMM sets the
 * regions; the two swap index fields too, so indexes stay in the order they were and
 * the frames are handed out in the new order (§5). Returns the region's new position.
 */
export function moveRegion(layout: VgicLayout, pos: number, dir: -1 | 1): { layout: VgicLayout; pos: number } {
  const regions = [...(layout.regions ?? [])];
  const other = pos + dir;
  if (!regions[pos] || !regions[other]) return { layout, pos };
  const a = regions[pos];
  const b = regions[other];
  regions[pos] = { ...b, index: a.index };
  regions[other] = { ...a, index: b.index };
  return { layout: withRegions(layout, regions), pos: other };
}

/** Removes a block; removing a region renumbers nothing (the user sees the gap). */
export function removeBlock(layout: VgicLayout, id: BlockId): VgicLayout {
  if (id === 'dist' || id === 'its' || id === 'redist') {
    const { [id]: _gone, ...rest } = layout;
    return rest;
  }
  const pos = regionPos(id);
  return withRegions(
    layout,
    (layout.regions ?? []).filter((_, i) => i !== pos),
  );
}

/** The first 64 KiB-aligned address above every block (or {@link FIRST_BASE}). */
export function freeBase(layout: VgicLayout): bigint {
  const blocks = layoutBlocks(layout);
  if (!blocks.length) return FIRST_BASE;
  const end = blocks.reduce((m, b) => (b.base + b.size > m ? b.base + b.size : m), 0n);
  return ((end + SZ_64K - 1n) / SZ_64K) * SZ_64K;
}

/** Frames the layout's redistributor regions hold (legacy counts one per vCPU). */
export function totalFrames(layout: VgicLayout): number {
  return (layout.redist ? layout.vcpus : 0) + (layout.regions ?? []).reduce((n, r) => n + r.count, 0);
}

/**
 * Adds a block of `kind` above the others. A region gets the next index and as many
 * frames as the vCPUs still lack (at least 1). Adding a DIST, ITS or legacy region that
 * exists already changes nothing.
 */
export function addBlock(layout: VgicLayout, kind: BlockKind): { layout: VgicLayout; id: BlockId } {
  const base = hex(freeBase(layout));
  if (kind !== 'region') {
    if (layout[kind]) return { layout, id: kind };
    return { layout: { ...layout, [kind]: { base } }, id: kind };
  }
  const regions = layout.regions ?? [];
  const index = regions.length ? regions[regions.length - 1].index + 1 : 0;
  const count = Math.max(1, Math.min(MAX_REGION_COUNT, layout.vcpus - totalFrames(layout)));
  return { layout: withRegions(layout, [...regions, { index, base, count }]), id: regionId(regions.length) };
}

/** Sets the vCPU count (0..512); a custom creation order is kept for the ids that remain. */
export function setVcpus(layout: VgicLayout, n: number): VgicLayout {
  const vcpus = Math.max(0, Math.min(MAX_VCPUS, Math.round(n)));
  const { vcpuIds, ...rest } = layout;
  if (!vcpuIds) return { ...rest, vcpus };
  const kept = vcpuIds.filter((id) => id < vcpus);
  for (let id = 0; kept.length < vcpus; id++) if (!kept.includes(id)) kept.push(id);
  return kept.every((id, i) => id === i) ? { ...rest, vcpus } : { ...rest, vcpus, vcpuIds: kept };
}

/** Resizes a region so it ends at `end` (rounded to whole 128 KiB frames). */
export function resizeRegionTo(layout: VgicLayout, pos: number, end: bigint): VgicLayout {
  const r = layout.regions?.[pos];
  if (!r) return layout;
  const base = (parseAddr(r.base) ?? 0n) & ~0xffffn;
  const frames = Number((end - base + FRAME_SIZE / 2n) / FRAME_SIZE);
  return setRegionCount(layout, pos, frames);
}

/** An empty layout (no blocks) keeping the profile, vCPUs and IPA size. */
export function clearLayout(layout: VgicLayout): VgicLayout {
  return { profile: layout.profile, vcpus: layout.vcpus, ...(layout.ipaBits ? { ipaBits: layout.ipaBits } : {}) };
}
