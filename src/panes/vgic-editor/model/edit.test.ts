import { describe, expect, it } from 'vitest';
import type { VgicLayout } from '../../../../workers/api/types';
import { snap } from './addr';
import { layoutBlocks } from './blocks';
import {
  addBlock,
  clearLayout,
  freeBase,
  moveBlock,
  moveRegion,
  nudgeBlock,
  removeBlock,
  resizeRegionTo,
  setVcpus,
  totalFrames,
} from './edit';
import { blockKeyEdit } from './keys';

const base: VgicLayout = {
  profile: '5.13',
  vcpus: 8,
  dist: { base: '0x8000000' },
  regions: [{ index: 0, base: '0x80a0000', count: 4 }],
};

describe('layout edits', () => {
  it('snaps to 64 KiB, rounding to the nearest frame', () => {
    expect(snap(0x17fffn)).toBe(0x10000n);
    expect(snap(0x18000n)).toBe(0x20000n);
    expect(snap(-5n)).toBe(0n);
  });

  it('adds a region above the others with the next index and the frames still missing', () => {
    const { layout, id } = addBlock(base, 'region');
    expect(id).toBe('region:1');
    expect(layout.regions![1]).toEqual({ index: 1, base: '0x8120000', count: 4 });
    expect(totalFrames(layout)).toBe(8);
    expect(addBlock(layout, 'region').layout.regions![2].count).toBe(1);
    expect(addBlock(base, 'dist').layout).toBe(base);
    expect(addBlock(clearLayout(base), 'dist').layout.dist).toEqual({ base: '0x8000000' });
  });

  it('moves by whole 64 KiB steps and never below 0', () => {
    expect(nudgeBlock(base, 'region:0', 1).regions![0].base).toBe('0x80b0000');
    expect(nudgeBlock(base, 'dist', -16).dist!.base).toBe('0x7f00000');
    expect(moveBlock(base, 'dist', -0x10000n).dist!.base).toBe('0x0');
  });

  it('resizes a region to whole frames, at least 1', () => {
    expect(resizeRegionTo(base, 0, 0x80a0000n + 0x70000n).regions![0].count).toBe(4);
    expect(resizeRegionTo(base, 0, 0x80a0000n + 0x50000n).regions![0].count).toBe(3);
    expect(resizeRegionTo(base, 0, 0n).regions![0].count).toBe(1);
  });

  it('reorders regions by swapping their place and keeping the index sequence', () => {
    const two = addBlock(base, 'region').layout;
    const { layout, pos } = moveRegion(two, 1, -1);
    expect(pos).toBe(0);
    expect(layout.regions).toEqual([
      { index: 0, base: '0x8120000', count: 4 },
      { index: 1, base: '0x80a0000', count: 4 },
    ]);
    expect(moveRegion(two, 0, -1).layout).toBe(two);
  });

  it('removes blocks and trims a custom creation order with the vCPU count', () => {
    expect(removeBlock(base, 'region:0').regions).toBeUndefined();
    expect(removeBlock(base, 'dist').dist).toBeUndefined();
    expect(setVcpus({ ...base, vcpus: 4, vcpuIds: [3, 1, 0, 2] }, 3)).toEqual({
      ...base,
      vcpus: 3,
      vcpuIds: [1, 0, 2],
    });
    expect(setVcpus({ ...base, vcpus: 2, vcpuIds: [1, 0] }, 4).vcpuIds).toEqual([1, 0, 2, 3]);
    expect(setVcpus(base, 9999).vcpus).toBe(512);
  });

  it('draws a legacy region sized by the vCPUs and drops a region base’s low bits', () => {
    const blocks = layoutBlocks({
      ...base,
      redist: { base: '0x0' },
      regions: [{ index: 0, base: '0x80a1234', count: 2 }],
    });
    expect(blocks.find((b) => b.id === 'redist')!.size).toBe(8n * 0x20000n);
    expect(blocks.find((b) => b.id === 'region:0')).toMatchObject({ base: 0x80a0000n, droppedLowBits: true });
    expect(freeBase(base)).toBe(0x8120000n);
  });
});

describe('block keys', () => {
  it('arrows move by 64 KiB, Shift by 1 MiB; +/− change frames; PageUp reorders; Delete removes', () => {
    expect(blockKeyEdit(base, 'dist', 'ArrowRight', false)!.layout.dist!.base).toBe('0x8010000');
    expect(blockKeyEdit(base, 'dist', 'ArrowLeft', true)!.layout.dist!.base).toBe('0x7f00000');
    expect(blockKeyEdit(base, 'region:0', '+', false)!.layout.regions![0].count).toBe(5);
    expect(blockKeyEdit(base, 'region:0', '-', false)!.layout.regions![0].count).toBe(3);
    expect(blockKeyEdit(base, 'dist', '+', false)!.layout).toEqual(base);
    const two = addBlock(base, 'region').layout;
    expect(blockKeyEdit(two, 'region:1', 'PageUp', false)!.selected).toBe('region:0');
    expect(blockKeyEdit(base, 'region:0', 'Delete', false)).toEqual({
      layout: { profile: '5.13', vcpus: 8, dist: { base: '0x8000000' } },
      selected: null,
    });
    expect(blockKeyEdit(base, 'dist', 'a', false)).toBeUndefined();
  });
});
